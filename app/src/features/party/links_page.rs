//! `/party/links`: the secretary's 党员联户 — each member with the households they serve
//! (against the "1+7" guide), the village's households nobody serves yet, and a form to link
//! one to a member. Plain forms, so it works without WASM.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::links_api::{get_links, LinkHousehold, UnlinkHousehold};
use super::types::{LinkedHousehold, Links};
use crate::i18n::tr;
use crate::ui::answer::{answer, ErrorText};
use crate::ui::time::when;

#[component]
pub fn LinksPage() -> impl IntoView {
    let query = use_query_map();
    let branch =
        Memo::new(move |_| query.with(|q| q.get("branch_id").and_then(|b| b.parse::<i64>().ok())));
    let link = ServerAction::<LinkHousehold>::new();
    let unlink = ServerAction::<UnlinkHousehold>::new();
    let data = Resource::new(
        move || (branch.get(), link.version().get(), unlink.version().get()),
        |(b, ..)| get_links(b),
    );
    view! {
        <section class="party-page" data-testid="links-page">
            <p><a href="/party">{tr("party.title")}</a></p>
            <h1>{tr("links.title")}</h1>
            <p class="muted">{tr("links.intro")}</p>
            <Suspense fallback=|| view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || data.get().map(|r| answer(r, |l| view! { <View l=l link=link unlink=unlink/> }.into_any()))}
            </Suspense>
        </section>
    }
}

fn household_line(h: &LinkedHousehold) -> String {
    let last = h
        .last_visit
        .map(|t| format!(" · {} {}", tr("links.last_visit"), when(t)))
        .unwrap_or_default();
    format!("{} · {} · {}{last}", h.head_name, h.address, h.grid)
}

#[component]
fn View(
    l: Links,
    link: ServerAction<LinkHousehold>,
    unlink: ServerAction<UnlinkHousehold>,
) -> impl IntoView {
    let switch = (l.branches.len() > 1).then(|| {
        let links = l
            .branches
            .iter()
            .map(|b| view! { <a href=format!("/party/links?branch_id={}", b.id)>{b.name.clone()}</a> " " })
            .collect_view();
        view! { <p class="links">{links}</p> }
    });
    let members = l
        .members
        .clone()
        .into_iter()
        .map(|m| {
            let n = m.households.len();
            let class = if n >= l.per_member { "light light-green" } else { "light light-yellow" };
            let items = m
                .households
                .into_iter()
                .map(|h| {
                    view! {
                        <li data-testid="linked-household">
                            {household_line(&h)}
                            <ActionForm action=unlink attr:class="inline">
                                <input type="hidden" name="household_id" value=h.household_id.to_string()/>
                                <button type="submit">{tr("links.unlink")}</button>
                            </ActionForm>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <li class="member-links" data-testid="member-links" data-member=m.member_id data-count=n>
                    <strong>{m.name.clone()}</strong> " "
                    <span class=class>{format!("{n} / {}", l.per_member)}</span>
                    <ul class="plain">{items}</ul>
                </li>
            }
        })
        .collect_view();
    let member_options = l
        .members
        .iter()
        .map(|m| view! { <option value=m.member_id.to_string()>{format!("{} ({})", m.name, m.households.len())}</option> })
        .collect_view();
    // Households nobody serves first; then those served, to move them to another member.
    let served_by = tr("links.served_by");
    let household_options = l
        .unlinked
        .iter()
        .map(|h| view! { <option value=h.household_id.to_string()>{household_line(h)}</option> })
        .collect_view();
    let moved_options = l
        .members
        .iter()
        .flat_map(|m| m.households.iter().map(move |h| (m.name.clone(), h)))
        .map(|(name, h)| {
            let label = format!("{} ({served_by} {name})", household_line(h));
            view! { <option value=h.household_id.to_string()>{label}</option> }
        })
        .collect_view();
    let failure = move || {
        [
            link.value().get().and_then(|r| r.err()),
            unlink.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|e| view! { <ErrorText error=e/> })
    };
    let any_household =
        !l.unlinked.is_empty() || l.members.iter().any(|m| !m.households.is_empty());
    let form = (any_household && !l.members.is_empty()).then(|| {
        view! {
            <ActionForm action=link attr:class="stack narrow box" attr:data-testid="link-form">
                <label>{tr("links.household")} <select name="household_id" data-testid="link-household">{household_options}{moved_options}</select></label>
                <label>{tr("links.member")} <select name="member_id" data-testid="link-member">{member_options}</select></label>
                <button type="submit" class="primary" data-testid="link-submit">{tr("links.link")}</button>
            </ActionForm>
        }
    });
    view! {
        {switch}
        <h2>{l.branch.clone()}</h2>
        <p data-testid="unlinked-total">{tr("links.unlinked")} " " <strong>{l.unlinked_total}</strong></p>
        {form}
        {failure}
        <ul class="plain">{members}</ul>
    }
}
