//! The org network page: the tree (as a trail plus children, so it scales to a thousand grids and
//! renders without JavaScript), the map, and a grid's ledger.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{get_org_view, RenameUnit};
use super::map::OrgMap;
use super::types::{OrgNode, OrgView};
use crate::domain::roles::Capability;
use crate::error::AppError;
use crate::i18n::tr;
use crate::root::use_current_user;
use crate::ui::answer::ErrorText;
use crate::ui::ledger_card::LedgerCard;

#[component]
pub fn OrgPage() -> impl IntoView {
    let query = use_query_map();
    let node_id =
        Memo::new(move |_| query.with(|q| q.get("node").and_then(|s| s.parse::<i64>().ok())));
    let data = Resource::new(move || node_id.get(), get_org_view);
    view! {
        <div class="org-layout">
            <section class="org-panel" data-testid="org-panel">
                <Suspense fallback=move || view! { <p class="muted">{tr("common.loading")}</p> }>
                    {move || {
                        data.get()
                            .map(|r| match r {
                                Ok(v) => view! { <OrgPanel view=v/> }.into_any(),
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
            <OrgMap node=node_id/>
        </div>
    }
}

fn level_label(level: &str) -> String {
    tr(&format!("levels.{level}"))
}

fn node_href(n: &OrgNode) -> String {
    format!("/org?node={}", n.id)
}

#[component]
fn OrgPanel(view: OrgView) -> impl IntoView {
    let OrgView {
        node,
        trail,
        children,
        ledger,
    } = view;
    let can_edit = use_current_user()
        .map(|u| u.role.can(Capability::EditOrg))
        .unwrap_or(false);
    let trail_view = trail
        .into_iter()
        .map(|n| {
            let href = node_href(&n);
            view! {
                <li>
                    <a href=href>{n.name}</a>
                </li>
            }
        })
        .collect_view();
    let child_level = children
        .first()
        .map(|c| level_label(&c.level))
        .unwrap_or_default();
    let child_items = children
        .into_iter()
        .map(|c| {
            let href = node_href(&c);
            let testid = format!("child-{}", c.level);
            view! {
                <li data-testid=testid>
                    <a href=href>{c.name}</a>
                    <span class="muted">" " {c.code} " · " {c.child_count}</span>
                </li>
            }
        })
        .collect_view();
    let rename = ServerAction::<RenameUnit>::new();
    let rename_error = move || match rename.value().get() {
        Some(Err(e)) => Some(view! { <ErrorText error=e/> }),
        _ => None,
    };
    view! {
        <nav class="trail" aria-label=tr("org.trail")>
            <ol>{trail_view}</ol>
        </nav>
        <header class="node-header">
            <h2 data-testid="node-name">{node.name.clone()}</h2>
            <span class="badge">{level_label(&node.level)}</span>
            <span class="muted code">{node.code.clone()}</span>
        </header>
        {can_edit
            .then(|| {
                view! {
                    <ActionForm action=rename attr:class="inline rename">
                        <input type="hidden" name="id" value=node.id/>
                        <input type="text" name="name" value=node.name.clone() aria-label=tr("org.rename")/>
                        <button type="submit">{tr("org.rename")}</button>
                    </ActionForm>
                    {rename_error}
                }
            })}
        {ledger.map(|l| view! { <LedgerCard ledger=l/> })}
        {(!child_level.is_empty()).then(|| view! { <h3>{child_level}</h3> })}
        <ul class="children" data-testid="children">{child_items}</ul>
    }
}
