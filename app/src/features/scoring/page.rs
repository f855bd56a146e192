//! /scores: the scoreboards, one tab each, and /scores/ledger: the entries behind one score.
//! Plain links and forms, so both work before WASM arrives; every score links to its ledger.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{
    get_awards, get_board, get_branches, get_ledger, get_satisfaction, get_village_lists,
    DecideAward, ProposeAward,
};
use super::types::{
    Board, BranchRow, Ledger, ManualRule, PendingAward, SatisfactionRow, VillageLists,
};
use crate::domain::kpi::percent;
use crate::domain::scoring::Subject;
use crate::error::AppError;
use crate::i18n::{tr, use_locale, Locale};
use crate::ui::answer::{answer, ErrorText};
use crate::ui::scores::{ledger_href, star_text};
use crate::ui::time::when;

const TABS: [&str; 7] = [
    "members",
    "branches",
    "workers",
    "households",
    "satisfaction",
    "villages",
    "awards",
];

fn subject_of_tab(tab: &str) -> Option<Subject> {
    match tab {
        "members" => Some(Subject::Member),
        "workers" => Some(Subject::GridWorker),
        "households" => Some(Subject::Household),
        _ => None,
    }
}

fn loading() -> impl IntoView {
    view! { <p class="muted">{tr("common.loading")}</p> }
}

#[component]
pub fn ScoresPage() -> impl IntoView {
    let query = use_query_map();
    let tab = Memo::new(move |_| {
        query.with(|q| {
            q.get("tab")
                .filter(|t| TABS.contains(&t.as_str()))
                .unwrap_or_else(|| "members".into())
        })
    });
    let period = Memo::new(move |_| query.with(|q| q.get("period")));
    let tabs = TABS
        .into_iter()
        .map(|t| {
            let class = move || if tab.get() == t { "period on" } else { "period" };
            view! { <a href=format!("/scores?tab={t}") class=class data-testid=format!("tab-{t}")>{tr(&format!("points.tab_{t}"))}</a> }
        })
        .collect_view();
    view! {
        <section class="scores-page" data-testid="scores-page">
            <h1>{tr("points.title")}</h1>
            <nav class="periods">{tabs}</nav>
            {move || {
                let t = tab.get();
                match (subject_of_tab(&t), t.as_str()) {
                    (Some(s), _) => view! { <BoardTab subject=s period=period/> }.into_any(),
                    (None, "branches") => view! { <BranchTab period=period/> }.into_any(),
                    (None, "satisfaction") => view! { <SatisfactionTab/> }.into_any(),
                    (None, "villages") => view! { <VillagesTab/> }.into_any(),
                    _ => view! { <AwardsTab/> }.into_any(),
                }
            }}
            <p class="muted">{tr("points.zero_based")}</p>
        </section>
    }
}

#[component]
fn BoardTab(subject: Subject, period: Memo<Option<String>>) -> impl IntoView {
    let board = Resource::new(
        move || period.get(),
        move |p| get_board(subject.as_str().to_string(), p),
    );
    view! {
        <Suspense fallback=loading>
            {move || board.get().map(|r| answer(r, |b| view! { <BoardTable b=b/> }.into_any()))}
        </Suspense>
    }
}

fn period_links(tab: &str, current: &str, periods: &[String]) -> impl IntoView {
    periods
        .iter()
        .take(12)
        .map(|p| {
            let class = if p == current { "period on" } else { "period" };
            view! { <a href=format!("/scores?tab={tab}&period={p}") class=class>{p.clone()}</a> }
        })
        .collect_view()
}

#[component]
fn BoardTable(b: Board) -> impl IntoView {
    let tab = match b.subject {
        Subject::Member => "members",
        Subject::GridWorker => "workers",
        Subject::Household => "households",
    };
    let members = b.subject == Subject::Member;
    let max = b
        .rows
        .iter()
        .map(|r| r.score.abs())
        .max()
        .unwrap_or(1)
        .max(1);
    let rows = b
        .rows
        .iter()
        .map(|r| {
            let href = ledger_href(b.subject, r.subject_id, &b.period);
            let width = format!("width: {:.1}%", r.score.max(0) as f64 * 100.0 / max as f64);
            view! {
                <tr data-testid="board-row">
                    <td class="num">{r.rank}</td>
                    <th scope="row">{r.name.clone()}</th>
                    <td>{r.unit.clone()}</td>
                    <td>
                        <span class="kbar">
                            <span class="kfill" style=width></span>
                            <a class="kval" href=href data-testid="board-score">{r.score}</a>
                        </span>
                    </td>
                    {members.then(|| view! { <td class="stars">{star_text(r.stars.unwrap_or(1))}</td> })}
                </tr>
            }
        })
        .collect_view();
    let empty = b
        .rows
        .is_empty()
        .then(|| view! { <p class="muted">{tr("points.empty")}</p> });
    view! {
        <nav class="periods">{period_links(tab, &b.period, &b.periods)}</nav>
        {empty}
        <table class="kpi-table" data-testid="board">
            <thead>
                <tr>
                    <th scope="col">{tr("points.rank")}</th>
                    <th scope="col">{tr(&format!("points.who_{tab}"))}</th>
                    <th scope="col">{tr("kpi.unit")}</th>
                    <th scope="col">{tr(&format!("points.score_{tab}"))}</th>
                    {members.then(|| view! { <th scope="col">{tr("points.stars")}</th> })}
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
fn BranchTab(period: Memo<Option<String>>) -> impl IntoView {
    let data = Resource::new(move || period.get(), get_branches);
    view! {
        <Suspense fallback=loading>
            {move || data.get().map(|r| answer(r, |(p, rows)| view! { <BranchTable period=p rows=rows/> }.into_any()))}
        </Suspense>
    }
}

#[component]
fn BranchTable(period: String, rows: Vec<BranchRow>) -> impl IntoView {
    let max = rows.iter().map(|r| r.index).fold(1.0, f64::max);
    let body = rows
        .into_iter()
        .map(|r| {
            let width = format!("width: {:.1}%", r.index.max(0.0) * 100.0 / max);
            view! {
                <tr data-testid="branch-row">
                    <td class="num">{r.rank}</td>
                    <th scope="row">{r.name}</th>
                    <td class="num">{r.members}</td>
                    <td class="num">{r.total}</td>
                    <td class="num" data-testid="branch-meetings" data-missed=r.meetings_missed>
                        {r.meetings_met}
                        {(r.meetings_missed > 0).then(|| view! { " " <span class="light light-red">{tr("party.cell_missed")} " " {r.meetings_missed}</span> })}
                    </td>
                    <td>
                        <span class="kbar">
                            <span class="kfill" style=width></span>
                            <span class="kval">{format!("{:.1}", r.index)}</span>
                        </span>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="muted">{period} " · " {tr("points.bastion_note")}</p>
        <table class="kpi-table" data-testid="branches">
            <thead>
                <tr>
                    <th scope="col">{tr("points.rank")}</th>
                    <th scope="col">{tr("points.branch")}</th>
                    <th scope="col">{tr("points.members")}</th>
                    <th scope="col">{tr("points.total")}</th>
                    <th scope="col">{tr("points.meetings")}</th>
                    <th scope="col">{tr("points.bastion")}</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </table>
    }
}

#[component]
fn SatisfactionTab() -> impl IntoView {
    let section = |by: &'static str| {
        let data = Resource::new(|| (), move |_| get_satisfaction(by.to_string(), 30));
        view! {
            <div class="panel">
                <h2>{tr(&format!("points.by_{by}"))}</h2>
                <Suspense fallback=loading>
                    {move || data.get().map(|r| answer(r, |rows| satisfaction_table(rows).into_any()))}
                </Suspense>
            </div>
        }
    };
    view! {
        <p class="muted">{tr("points.satisfaction_note")}</p>
        <div class="grid2">{section("township")} {section("village")} {section("department")} {section("person")}</div>
    }
}

pub fn satisfaction_table(rows: Vec<SatisfactionRow>) -> impl IntoView {
    let body = rows
        .into_iter()
        .take(10)
        .map(|r| {
            let rate = r.rate();
            let width = format!("width: {:.1}%", rate.unwrap_or(0.0) * 100.0);
            view! {
                <tr data-testid="satisfaction-row">
                    <td class="num">{r.rank}</td>
                    <th scope="row">{r.name}</th>
                    <td>
                        <span class="kbar">
                            <span class="kfill" style=width></span>
                            <span class="kval">{percent(rate)}</span>
                        </span>
                    </td>
                    <td class="num">{format!("{:.2}", r.mean)}</td>
                    <td class="num">{r.rated}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="kpi-table">
            <thead>
                <tr>
                    <th scope="col">{tr("points.rank")}</th>
                    <th scope="col">{tr("kpi.unit")}</th>
                    <th scope="col">{tr("kpi.satisfied")}</th>
                    <th scope="col">{tr("points.mean")}</th>
                    <th scope="col">{tr("points.rated")}</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </table>
    }
}

#[component]
fn VillagesTab() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_village_lists());
    view! {
        <Suspense fallback=loading>
            {move || data.get().map(|r| answer(r, |l| view! { <Lists l=l/> }.into_any()))}
        </Suspense>
    }
}

#[component]
pub fn Lists(l: VillageLists) -> impl IntoView {
    let list = |items: Vec<super::types::ListedVillage>, class: &'static str, id: &'static str| {
        let rows = items
            .into_iter()
            .enumerate()
            .map(|(i, v)| view! { <li><span class="num">{i + 1}</span> {v.name} <span class="num">{format!("{:.1}", v.score)}</span></li> })
            .collect_view();
        view! { <ol class=class data-testid=id>{rows}</ol> }
    };
    view! {
        <p class="muted">{tr("points.week_of")} " " {l.week.clone()} " · " {tr("points.lists_note")}</p>
        <div class="grid2">
            <div class="panel">
                <h2 class="red-list">{tr("points.red_list")}</h2>
                {list(l.red, "vlist red", "red-list")}
            </div>
            <div class="panel">
                <h2 class="black-list">{tr("points.black_list")}</h2>
                {list(l.black, "vlist black", "black-list")}
            </div>
        </div>
    }
}

#[component]
fn AwardsTab() -> impl IntoView {
    let decide = ServerAction::<DecideAward>::new();
    let data = Resource::new(move || decide.version().get(), |_| get_awards());
    let locale = use_locale();
    let error = move || {
        decide
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| view! { <ErrorText error=e/> })
    };
    view! {
        <p class="muted">{tr("points.awards_note")}</p>
        {error}
        <Suspense fallback=loading>
            {move || {
                data.get()
                    .map(|r| {
                        answer(
                            r,
                            |(pending, _)| {
                                if pending.is_empty() {
                                    return view! { <p class="muted" data-testid="no-pending">{tr("points.no_pending")}</p> }.into_any();
                                }
                                let rows = pending
                                    .into_iter()
                                    .map(|a| {
                                        let rule = if locale == Locale::En { a.rule_en } else { a.rule_zh };
                                        let buttons = (!a.mine).then(|| view! {
                                            <ActionForm action=decide attr:class="inline">
                                                <input type="hidden" name="id" value=a.id/>
                                                <button type="submit" name="decision" value="approve" class="primary" data-testid="approve">{tr("points.approve")}</button>
                                                <button type="submit" name="decision" value="reject" data-testid="reject">{tr("points.reject")}</button>
                                            </ActionForm>
                                        });
                                        view! {
                                            <tr data-testid="pending-row">
                                                <th scope="row">{a.name}</th>
                                                <td>{rule}</td>
                                                <td class="num">{a.amount}</td>
                                                <td>{a.reason}</td>
                                                <td>{a.proposed_by}</td>
                                                <td>{buttons}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view();
                                view! {
                                    <table class="kpi-table" data-testid="pending">
                                        <thead>
                                            <tr>
                                                <th scope="col">{tr("points.who")}</th>
                                                <th scope="col">{tr("points.rule")}</th>
                                                <th scope="col">{tr("points.amount")}</th>
                                                <th scope="col">{tr("fields.reason")}</th>
                                                <th scope="col">{tr("points.proposed_by")}</th>
                                                <th scope="col"></th>
                                            </tr>
                                        </thead>
                                        <tbody>{rows}</tbody>
                                    </table>
                                }
                                .into_any()
                            },
                        )
                    })
            }}
        </Suspense>
    }
}

#[component]
pub fn LedgerPage() -> impl IntoView {
    let query = use_query_map();
    let key = Memo::new(move |_| {
        query.with(|q| {
            (
                q.get("subject").unwrap_or_default(),
                q.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0),
                q.get("period"),
            )
        })
    });
    let propose = ServerAction::<ProposeAward>::new();
    let data = Resource::new(
        move || (key.get(), propose.version().get()),
        |((s, id, p), _)| get_ledger(s, id, p),
    );
    // Created with the page, not inside the ledger's view: a resource first made while another
    // resolves is not in the order the server rendered, and hydration fails.
    let rules = Resource::new(|| (), |_| get_awards());
    view! {
        <section class="scores-page" data-testid="ledger-page">
            <h1>{tr("points.ledger")}</h1>
            <Suspense fallback=loading>
                {move || data.get().map(|r| answer(r, |l| view! { <LedgerView l=l propose=propose rules=rules/> }.into_any()))}
            </Suspense>
        </section>
    }
}

/// The pending awards and the manual rules, loaded once for the ledger page.
type AwardsAndRules = Result<(Vec<PendingAward>, Vec<ManualRule>), AppError>;

#[component]
fn LedgerView(
    l: Ledger,
    propose: ServerAction<ProposeAward>,
    rules: Resource<AwardsAndRules>,
) -> impl IntoView {
    let locale = use_locale();
    let lines = l
        .lines
        .iter()
        .map(|x| {
            let rule = if locale == Locale::En { x.rule_en.clone() } else { x.rule_zh.clone() };
            let source = match x.source.split_once(':') {
                Some(("event", id)) => view! { <a href=format!("/events/{id}")>{tr("points.src_event")} " #" {id.to_string()}</a> }.into_any(),
                Some(("wish", id)) => view! { <a href=format!("/wishes/{id}")>{tr("points.src_wish")} " #" {id.to_string()}</a> }.into_any(),
                Some((kind, id)) => view! { <span>{tr(&format!("points.src_{kind}"))} " #" {id.chars().take(8).collect::<String>()}</span> }.into_any(),
                None => view! { <span>{x.source.clone()}</span> }.into_any(),
            };
            let class = format!("status-{}", x.status);
            view! {
                <tr class=class data-testid="ledger-line">
                    <td>{when(x.at)}</td>
                    <td>{rule}</td>
                    <td>{source}</td>
                    <td class="num" data-testid="ledger-amount" data-status=x.status.clone()>{x.amount}</td>
                    <td>{tr(&format!("points.status_{}", x.status))}</td>
                    <td>{x.reason.clone()}</td>
                    <td>{x.approved_by.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    let target = format!("{}:{}", l.subject.as_str(), l.subject_id);
    let subject = l.subject;
    // Only those who may award get the form (the awards call refuses everyone else).
    let result = move || match propose.value().get() {
        Some(Ok(_)) => Some(
            view! { <p class="ok" data-testid="proposed">{tr("points.proposed")}</p> }.into_any(),
        ),
        Some(Err(e)) => Some(view! { <ErrorText error=e/> }.into_any()),
        None => None,
    };
    let form = move || {
        let target = target.clone();
        let options: Vec<_> = rules
            .get()
            .and_then(|r| r.ok())
            .map(|(_, rules)| rules.into_iter().filter(|r| r.subject == subject).collect())
            .unwrap_or_default();
        (!options.is_empty()).then(|| {
            let options = options
                .into_iter()
                .map(|r| {
                    let name = if locale == Locale::En { r.name_en } else { r.name_zh };
                    view! { <option value=r.code>{format!("{name} ({:+})", r.points)}</option> }
                })
                .collect_view();
            view! {
                <h3>{tr("points.propose")}</h3>
                <ActionForm action=propose attr:class="stack narrow">
                    <input type="hidden" name="target" value=target/>
                    <label>
                        {tr("points.rule")}
                        <select name="rule" data-testid="award-rule">{options}</select>
                    </label>
                    <label>
                        {tr("fields.reason")}
                        <input type="text" name="reason" maxlength="200" data-testid="award-reason"/>
                    </label>
                    <button type="submit" class="primary" data-testid="award-submit">{tr("points.propose_submit")}</button>
                    {result}
                </ActionForm>
            }
        })
    };
    view! {
        <h2>
            {l.name.clone()} " · " {l.unit.clone()} " · " {l.period.clone()}
        </h2>
        <p class="total">
            {tr("points.total")} " " <strong data-testid="ledger-total">{l.total}</strong>
        </p>
        <table class="kpi-table" data-testid="ledger">
            <thead>
                <tr>
                    <th scope="col">{tr("points.when")}</th>
                    <th scope="col">{tr("points.rule")}</th>
                    <th scope="col">{tr("points.source")}</th>
                    <th scope="col">{tr("points.amount")}</th>
                    <th scope="col">{tr("points.status")}</th>
                    <th scope="col">{tr("fields.reason")}</th>
                    <th scope="col">{tr("points.approved_by")}</th>
                </tr>
            </thead>
            <tbody>{lines}</tbody>
        </table>
        <Suspense>{form}</Suspense>
    }
}
