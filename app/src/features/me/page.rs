use leptos::prelude::*;

use super::api::get_my_records;
use crate::error::AppError;
use crate::i18n::tr;
use crate::ui::answer::ErrorText;

#[component]
pub fn MePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_my_records());
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
                                    <p>{m.address.unwrap_or_default()}</p>
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
        </section>
    }
}
