//! `/archive` and `/archive/{id}`: the households of the caller's area (a search by address or
//! head), and one household with its members, ID numbers and phones masked. Beside each masked
//! value, for those who may, a small form: a reason and 查看 — the full value appears in place
//! and the look is logged where the resident will see it.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{get_household, get_households, UnmaskField};
use super::types::{HouseholdView, Households, Member};
use crate::i18n::tr;
use crate::ui::answer::{answer, ErrorText};

#[component]
pub fn ArchivePage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.with(|m| m.get("q").unwrap_or_default());
    let data = Resource::new(q, get_households);
    view! {
        <section class="archive-page" data-testid="archive-page">
            <h1>{tr("archive.title")}</h1>
            <p class="muted">{tr("archive.intro")}</p>
            <form method="get" action="/archive" class="inline archive-search">
                <input type="search" name="q" value=q aria-label=tr("archive.search") placeholder=tr("archive.search") maxlength="40"/>
                <button type="submit">{tr("archive.search_go")}</button>
            </form>
            <Suspense fallback=|| view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || data.get().map(|r| answer(r, |h: Households| {
                    let more = h.more.then(|| view! { <p class="muted small">{tr("archive.more")}</p> });
                    let rows = h.rows.into_iter().map(|r| view! {
                        <tr data-testid="household-row">
                            <td><a href=format!("/archive/{}", r.id)>{r.address}</a></td>
                            <td>{r.head_name}</td>
                            <td>{r.grid}</td>
                            <td class="num">{r.members}</td>
                        </tr>
                    }).collect_view();
                    view! {
                        <h2>{h.area}</h2>
                        <div class="table-wrap">
                            <table>
                                <thead><tr>
                                    <th>{tr("archive.address")}</th>
                                    <th>{tr("archive.head")}</th>
                                    <th>{tr("archive.grid")}</th>
                                    <th class="num">{tr("archive.members")}</th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                        {more}
                    }.into_any()
                }))}
            </Suspense>
        </section>
    }
}

#[component]
pub fn HouseholdPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0));
    let data = Resource::new(id, get_household);
    view! {
        <section class="archive-page" data-testid="household-page">
            <p><a href="/archive">{tr("archive.title")}</a></p>
            <Suspense fallback=|| view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || data.get().map(|r| answer(r, |h: HouseholdView| view! { <Household h=h/> }.into_any()))}
            </Suspense>
        </section>
    }
}

#[component]
fn Household(h: HouseholdView) -> impl IntoView {
    let HouseholdView {
        grid,
        address,
        head_name,
        members,
        may_unmask,
        ..
    } = h;
    let cards = members
        .into_iter()
        .map(|m| view! { <MemberCard m=m may_unmask=may_unmask/> })
        .collect_view();
    view! {
        <h1 data-testid="household-address">{address}</h1>
        <p class="muted">{tr("archive.head")} " " {head_name} " · " {grid}</p>
        <p class="muted small">{tr("archive.masked_note")}</p>
        <div class="member-cards">{cards}</div>
    }
}

#[component]
fn MemberCard(m: Member, may_unmask: bool) -> impl IntoView {
    let Member {
        id,
        name,
        relation,
        gender,
        birth_year,
        id_number,
        phone,
    } = m;
    view! {
        <article class="member-card" data-testid="member">
            <h3>{name} <span class="muted small">" " {relation} " · " {gender} " · " {birth_year}</span></h3>
            <Identifier resident=id field="id_number" masked=id_number may_unmask=may_unmask/>
            <Identifier resident=id field="phone" masked=phone may_unmask=may_unmask/>
        </article>
    }
}

#[component]
fn Identifier(
    resident: i64,
    field: &'static str,
    masked: String,
    may_unmask: bool,
) -> impl IntoView {
    let act = ServerAction::<UnmaskField>::new();
    let shown = move || act.value().get().and_then(|r| r.ok());
    let failure = move || {
        act.value()
            .get()
            .and_then(|r| r.err())
            .map(|e| view! { <ErrorText error=e/> })
    };
    let empty = masked.is_empty();
    let value = {
        let masked = masked.clone();
        move || shown().unwrap_or_else(|| masked.clone())
    };
    let form = (may_unmask && !empty).then(|| view! {
        <Show when=move || shown().is_none()>
            <ActionForm action=act attr:class="inline unmask">
                <input type="hidden" name="resident_id" value=resident.to_string()/>
                <input type="hidden" name="field" value=field/>
                <input type="text" name="reason" required minlength="4" maxlength="200" placeholder=tr("archive.reason") aria-label=tr("archive.reason") data-testid=format!("reason-{field}")/>
                <button type="submit" data-testid=format!("unmask-{field}")>{tr("archive.unmask")}</button>
            </ActionForm>
        </Show>
    });
    view! {
        <p class="identifier">
            <span class="muted">{tr(&format!("fields.{field}"))} " "</span>
            <strong data-testid=format!("value-{field}") class:unmasked=move || shown().is_some()>{value}</strong>
        </p>
        {form}
        {failure}
    }
}
