use leptos::prelude::*;

use super::api::get_my_records;
use crate::error::AppError;
use crate::features::archive::api::get_my_data_access;
use crate::features::archive::types::AccessLine;
use crate::i18n::tr;
use crate::ui::answer::{answer, ErrorText};
use crate::ui::time::when;

#[component]
pub fn MePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_my_records());
    let looks = Resource::new(|| (), |_| get_my_data_access());
    view! {
        <section class="me" data-testid="me">
            <h2>{tr("me.title")}</h2>
            <Suspense fallback=move || view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || {
                    data.get()
                        .map(|r| match r {
                            Ok(m) => {
                                let rows = m
                                    .household
                                    .into_iter()
                                    .map(|p| {
                                        view! {
                                            <tr>
                                                <td>{p.name}</td>
                                                <td>{p.relation}</td>
                                                <td>{p.birth_year}</td>
                                                <td>{p.id_number}</td>
                                                <td>{p.phone}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view();
                                view! {
                                    <p>{m.display_name} " · " {m.unit_name}</p>
                                    <p data-testid="me-address">{m.address.unwrap_or_default()}</p>
                                    <table>
                                        <thead>
                                            <tr>
                                                <th>{tr("fields.name")}</th>
                                                <th>{tr("fields.relation")}</th>
                                                <th>{tr("fields.birth_year")}</th>
                                                <th>{tr("fields.id_number")}</th>
                                                <th>{tr("fields.phone")}</th>
                                            </tr>
                                        </thead>
                                        <tbody>{rows}</tbody>
                                    </table>
                                }
                                    .into_any()
                            }
                            Err(AppError::Unauthenticated) => {
                                view! {
                                    <p>
                                        <a href="/login">{tr("login.please")}</a>
                                    </p>
                                }
                                    .into_any()
                            }
                            Err(e) => view! { <ErrorText error=e/> }.into_any(),
                        })
                }}
            </Suspense>
            <h3>{tr("archive.access_title")}</h3>
            <Suspense fallback=move || view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || looks.get().map(|r| answer(r, |lines: Vec<AccessLine>| access_list(lines).into_any()))}
            </Suspense>
        </section>
    }
}

/// Every unmasking of the household's identifiers: when, who (and their unit), whose, which,
/// and the reason they gave.
fn access_list(lines: Vec<AccessLine>) -> impl IntoView {
    if lines.is_empty() {
        return view! { <p class="muted" data-testid="access-none">{tr("archive.access_none")}</p> }.into_any();
    }
    let items = lines
        .into_iter()
        .map(|l| {
            view! {
                <li data-testid="access-line">
                    <span class="muted small">{when(l.at)}</span> " "
                    <strong>{l.viewer}</strong> " (" {l.unit} ") · " {l.member} " · "
                    {tr(&format!("archive.access_field_{}", l.field))} " · " {l.reason}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="plain access-lines">{items}</ul> }.into_any()
}
