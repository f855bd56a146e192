//! `/party/compliance`: branches × requirements for a month (quarterly requirements counted over
//! the quarter around it): met green, due yellow with the days left, missed red.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::get_compliance;
use super::requirements_view::RequirementsEditor;
use super::types::Compliance;
use crate::i18n::tr;
use crate::ui::answer::answer;

#[component]
pub fn CompliancePage() -> impl IntoView {
    let query = use_query_map();
    let period = Memo::new(move |_| query.with(|q| q.get("period")));
    let open = Memo::new(move |_| query.with(|q| q.get("open")));
    let page = Memo::new(move |_| query.with(|q| q.get("page").and_then(|p| p.parse().ok())));
    let data = Resource::new(
        move || (period.get(), open.get(), page.get()),
        |(p, o, n)| get_compliance(p, o, n),
    );
    view! {
        <section class="party-page" data-testid="compliance-page">
            <p><a href="/party">{tr("party.title")}</a></p>
            <h1>{tr("party.compliance")}</h1>
            <Suspense fallback=|| view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || {
                    let open = open.get().is_some();
                    data.get().map(|r| answer(r, |c| view! { <Matrix c=c open=open/> }.into_any()))
                }}
            </Suspense>
        </section>
    }
}

fn light(state: &str) -> &'static str {
    match state {
        "met" => "light light-green",
        "due" => "light light-yellow",
        "missed" => "light light-red",
        _ => "light light-grey",
    }
}

#[component]
fn Matrix(c: Compliance, open: bool) -> impl IntoView {
    let suffix = if open { "&open=1" } else { "" };
    let periods = c
        .periods
        .iter()
        .map(|p| {
            let current = (*p == c.period).then_some("page");
            view! { <a href=format!("/party/compliance?period={p}{suffix}") aria-current=current>{p.clone()}</a> }
        })
        .collect_view();
    let here = c.period.clone();
    let filter = view! {
        <nav class="periods" data-testid="compliance-filter">
            <a href=format!("/party/compliance?period={here}") aria-current=(!open).then_some("page")>{tr("party.show_all")}</a>
            <a href=format!("/party/compliance?period={here}&open=1") aria-current=open.then_some("page")>{tr("party.show_open")}</a>
        </nav>
    };
    let head = c
        .columns
        .iter()
        .map(|col| {
            view! {
                <th scope="col">
                    {tr(&format!("party.kind_{}", col.kind))}
                    <br/><span class="muted">{col.period.clone()} " ≥" {col.min_count}</span>
                </th>
            }
        })
        .collect_view();
    let body = c
        .rows
        .iter()
        .map(|r| {
            let cells = r
                .cells
                .iter()
                .zip(c.columns.iter())
                .map(|(x, col)| {
                    let label = match x.state.as_str() {
                        "due" => format!("{} {}", tr("party.cell_due"), tr("party.days_left").replace("%{n}", &x.days_left.to_string())),
                        s => tr(&format!("party.cell_{s}")),
                    };
                    // Those who follow up may ask a branch to make good a miss.
                    let rectify = (c.follows && x.state == "missed").then(|| {
                        let href = format!(
                            "/party/rectify?branch_id={}&kind={}&period={}",
                            r.branch_id, col.kind, col.period
                        );
                        view! { " " <a href=href data-testid="rectify-link">{tr("rectify.ask")}</a> }
                    });
                    view! {
                        <td data-testid="compliance-cell" data-state=x.state.clone() data-kind=col.kind.clone()>
                            <span class=light(&x.state)>{label}</span> " " <span class="muted">{x.held}</span>
                            {rectify}
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr data-testid="compliance-row" data-branch=r.branch_id.to_string()>
                    <th scope="row">{r.branch.clone()} <br/><span class="muted">{r.village.clone()}</span></th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    // A county has about a thousand branches: a hundred at a time, the totals over all.
    let pager = (c.pages > 1).then(|| {
        let links = (1..=c.pages)
            .map(|n| {
                let current = (n == c.page).then_some("page");
                view! { <a href=format!("/party/compliance?period={here}{suffix}&page={n}") aria-current=current>{n}</a> }
            })
            .collect_view();
        view! { <nav class="periods" aria-label=tr("common.pages") data-testid="compliance-pages">{links}</nav> }
    });
    view! {
        <nav class="periods">{periods}</nav>
        {filter}
        {c.follows.then(|| view! { <p class="links"><a href="/party/rectify" data-testid="to-rectify">{tr("rectify.title")} " →"</a> " " <a href="/party/affairs" data-testid="to-affairs">{tr("affairs.title")} " →"</a></p> })}
        {c.edits.then(|| view! { <RequirementsEditor/> })}
        <p class="legend" data-testid="compliance-totals">
            <span class="light light-green">{tr("party.cell_met")} " " {c.met}</span> " "
            <span class="light light-yellow">{tr("party.cell_due")} " " {c.due}</span> " "
            <span class="light light-red">{tr("party.cell_missed")} " " {c.missed}</span>
            " · " <span data-testid="compliance-branches">{tr("party.branches_n").replace("%{n}", &c.branches.to_string())}</span>
        </p>
        <div class="table-wrap">
            <table class="kpi-table compliance" data-testid="compliance">
                <thead>
                    <tr><th scope="col">{tr("party.branch")}</th>{head}</tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        {pager}
    }
}
