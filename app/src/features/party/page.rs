//! `/party`: a member checks in with the code shown in the room and sees their own record; a
//! secretary plans a meeting; everyone in branch life sees the meetings in their scope.
//! Forms post without WASM too.

use leptos::prelude::*;

use super::api::{get_party_home, CheckIn, PlanMeeting};
use super::links_api::RecordVisit;
use super::rectify_api::AnswerRectification;
use super::types::{MeetingRow, PartyHome};
use crate::domain::party::{is_code_shape, MeetingKind, MAX_DURATION_MIN, MIN_DURATION_MIN};
use crate::i18n::tr;
use crate::ui::answer::{answer, ErrorText};
use crate::ui::time::when;
use leptos_router::hooks::use_query_map;

fn loading() -> impl IntoView {
    view! { <p class="muted">{tr("common.loading")}</p> }
}

#[component]
pub fn PartyPage() -> impl IntoView {
    let check_in = ServerAction::<CheckIn>::new();
    let plan = ServerAction::<PlanMeeting>::new();
    let visit = ServerAction::<RecordVisit>::new();
    let answer_r = ServerAction::<AnswerRectification>::new();
    let data = Resource::new(
        move || {
            (
                check_in.version().get(),
                plan.version().get(),
                visit.version().get(),
                answer_r.version().get(),
            )
        },
        |_| get_party_home(),
    );
    view! {
        <section class="party-page" data-testid="party-page">
            <h1>{tr("party.title")}</h1>
            <Suspense fallback=loading>
                {move || data.get().map(|r| answer(r, |h| view! { <Home h=h check_in=check_in plan=plan visit=visit answer_r=answer_r/> }.into_any()))}
            </Suspense>
        </section>
    }
}

/// The code a QR scan brought (six digits, else nothing: the link is the world's to edit).
fn qr_code() -> Option<String> {
    use_query_map()
        .with_untracked(|q| q.get("code"))
        .filter(|c| is_code_shape(c))
}

#[component]
fn Home(
    h: PartyHome,
    check_in: ServerAction<CheckIn>,
    plan: ServerAction<PlanMeeting>,
    visit: ServerAction<RecordVisit>,
    answer_r: ServerAction<AnswerRectification>,
) -> impl IntoView {
    let rectify = (!h.rectify.is_empty())
        .then(|| view! { <RectifyAnswers rows=h.rectify.clone() action=answer_r/> });
    let households =
        (h.member.is_some()).then(|| view! { <Households rows=h.households.clone() visit=visit/> });
    let member =
        h.member.clone().map(|(branch, name, id)| {
            let mine = h.mine.iter().map(|a| {
            view! {
                <li data-testid="my-attendance">
                    <a href=format!("/party/meetings/{}", a.meeting_id)>{a.topic.clone()}</a>
                    " · " {tr(&format!("party.kind_{}", a.kind))}
                    " · " {when(a.starts_at)}
                    " · " <strong>{tr(&format!("party.mode_{}", a.mode))}</strong>
                </li>
            }
        }).collect_view();
            view! {
                <div class="box stack narrow" data-testid="checkin-card">
                    <h2>{tr("party.check_in")}</h2>
                    <p class="muted">{name} " · " {branch}</p>
                    <CheckInForm action=check_in code=qr_code()/>
                </div>
                <h2>{tr("party.my_record")}</h2>
            <p class="links"><a href=format!("/scores/ledger?subject=member&id={id}") data-testid="my-points">{tr("party.my_points")}</a> <a href="/party/posts" data-testid="to-my-posts">{tr("posts.mine")} " →"</a> <a href="/party/affairs" data-testid="to-my-affairs">{tr("affairs.mine")} " →"</a></p>
                <ul class="plain">{mine}</ul>
            }
        });
    let terms = h
        .terms
        .iter()
        .map(|t| {
            let (class, text) = if t.status == "overdue" {
                ("light light-red", tr("affairs.term_overdue_n").replace("%{n}", &(-t.days_left).to_string()))
            } else {
                ("light light-yellow", tr("affairs.term_soon_n").replace("%{n}", &t.days_left.to_string()))
            };
            view! {
                <li data-testid="term-alert" data-state=t.status.clone()>
                    <span class=class>{text}</span> " "
                    <a href=format!("/party/affairs?branch_id={}", t.branch_id)>{t.branch.clone()}</a>
                </li>
            }
        })
        .collect_view();
    let waiting = (h.transfers_waiting > 0).then(|| {
        view! {
            <li data-testid="transfer-alert">
                <span class="light light-yellow">{tr("affairs.transfers_waiting")} " " {h.transfers_waiting}</span> " "
                <a href="/party/affairs">{tr("affairs.title")} " →"</a>
            </li>
        }
    });
    let any_alert = !h.alerts.is_empty() || !h.terms.is_empty() || h.transfers_waiting > 0;
    let alerts = any_alert.then(|| {
        let items = h
            .alerts
            .iter()
            .map(|a| {
                let when = if a.state == "due" {
                    tr("party.days_left").replace("%{n}", &a.days_left.to_string())
                } else {
                    tr("party.cell_missed")
                };
                let class = if a.state == "due" {
                    "light light-yellow"
                } else {
                    "light light-red"
                };
                view! {
                    <li data-testid="party-alert" data-state=a.state.clone()>
                        <span class=class>{when}</span> " " {a.branch.clone()} " · "
                        {tr(&format!("party.kind_{}", a.kind))} " · " {a.period.clone()}
                    </li>
                }
            })
            .collect_view();
        view! {
            <div class="box" role="status">
                <h2>{tr("party.alerts")}</h2>
                <ul class="plain">{items} {terms} {waiting}</ul>
            </div>
        }
    });
    let planner = (!h.branches.is_empty())
        .then(|| view! { <PlanForm branches=h.branches.clone() action=plan/> });
    let compliance = h.oversees.then(|| {
        view! {
            <p class="links">
                <a href="/party/compliance" data-testid="to-compliance">{tr("party.compliance")} " →"</a>
                " " <a href="/party/development" data-testid="to-development">{tr("development.title")} " →"</a>
                " " <a href="/wishes" data-testid="to-wishes">{tr("wish.title")} " →"</a>
                {(!h.branches.is_empty()).then(|| view! { " " <a href="/party/links" data-testid="to-links">{tr("links.title")} " →"</a> })}
                " " <a href="/party/posts" data-testid="to-posts">{tr("posts.title")} " →"</a>
                " " <a href="/party/affairs" data-testid="to-affairs">{tr("affairs.title")} " →"</a>
            </p>
        }
    });
    view! {
        {member}
        {households}
        {rectify}
        {alerts}
        {compliance}
        {planner}
        <h2>{tr("party.meetings")}</h2>
        <MeetingList rows=h.meetings/>
    }
}

/// `code`: filled in when the member came from the room's QR code (`/party?code=…`); they
/// still press 签到, so opening a link never checks anyone in.
#[component]
pub fn CheckInForm(
    action: ServerAction<CheckIn>,
    #[prop(optional_no_strip)] code: Option<String>,
) -> impl IntoView {
    let from_qr = code
        .is_some()
        .then(|| view! { <p class="ok" role="status" data-testid="code-from-qr">{tr("party.code_from_qr")}</p> });
    let result = move || match action.value().get() {
        Some(Ok(c)) => {
            let key = if c.new {
                "party.checked_in"
            } else {
                "party.already_in"
            };
            Some(view! {
                <p class="ok" role="status" data-testid="checked-in">
                    {tr(key)} " · " <a href=format!("/party/meetings/{}", c.meeting_id)>{c.topic}</a>
                </p>
            }.into_any())
        }
        Some(Err(e)) => Some(view! { <ErrorText error=e/> }.into_any()),
        None => None,
    };
    view! {
        <ActionForm action=action attr:class="stack" attr:data-testid="checkin-form">
            <label>
                {tr("fields.checkin_code")}
                <input type="text" name="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6"
                    autocomplete="one-time-code" required data-testid="checkin-code" value=code/>
            </label>
            {from_qr}
            <label class="check">
                <input type="checkbox" name="remote" value="1" data-testid="checkin-remote"/>
                {tr("party.remote")}
            </label>
            <button type="submit" class="primary" data-testid="checkin-submit">{tr("party.check_in")}</button>
            {result}
        </ActionForm>
    }
}

#[component]
fn PlanForm(
    branches: Vec<super::types::BranchChoice>,
    action: ServerAction<PlanMeeting>,
) -> impl IntoView {
    let options = branches
        .into_iter()
        .map(|b| view! { <option value=b.id.to_string()>{b.name}</option> })
        .collect_view();
    let kinds = MeetingKind::ALL
        .into_iter()
        .map(|k| view! { <option value=k.as_str()>{tr(&format!("party.kind_{}", k.as_str()))}</option> })
        .collect_view();
    let result = move || {
        match action.value().get() {
        Some(Ok(id)) => Some(view! {
            <p class="ok" role="status" data-testid="planned">
                {tr("party.planned")} " " <a href=format!("/party/meetings/{id}") data-testid="planned-link">{tr("party.open_meeting")}</a>
            </p>
        }.into_any()),
        Some(Err(e)) => Some(view! { <ErrorText error=e/> }.into_any()),
        None => None,
    }
    };
    view! {
        // Stays open once a meeting is planned: the page reloads its lists, and the link to the
        // new meeting must not fold away with them.
        <details class="box" data-testid="plan-card" open=move || action.value().get().is_some()>
            <summary>{tr("party.plan")}</summary>
            <ActionForm action=action attr:class="stack narrow" attr:data-testid="plan-form">
                <label>{tr("party.branch")} <select name="branch_id" data-testid="plan-branch">{options}</select></label>
                <label>{tr("fields.kind")} <select name="kind" data-testid="plan-kind">{kinds}</select></label>
                <label>{tr("fields.topic")} <input type="text" name="topic" maxlength="100" required data-testid="plan-topic"/></label>
                <label>{tr("fields.place")} <input type="text" name="place" maxlength="100" data-testid="plan-place"/></label>
                <div class="row">
                    <label>{tr("fields.day")} <input type="date" name="day" required data-testid="plan-day"/></label>
                    <label>{tr("fields.time")} <input type="time" name="time" required data-testid="plan-time"/></label>
                    <label>
                        {tr("fields.duration")}
                        <input type="number" name="duration" value="90" min=MIN_DURATION_MIN max=MAX_DURATION_MIN step="5" required data-testid="plan-duration"/>
                    </label>
                </div>
                <button type="submit" class="primary" data-testid="plan-submit">{tr("party.plan_submit")}</button>
                {result}
            </ActionForm>
        </details>
    }
}

#[component]
pub fn MeetingList(rows: Vec<MeetingRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted" data-testid="no-meetings">{tr("party.none")}</p> }
            .into_any();
    }
    let body = rows
        .into_iter()
        .map(|m| {
            view! {
                <tr data-testid="meeting-row">
                    <td>{when(m.starts_at)}</td>
                    <td class="branch-col">{m.branch_name}</td>
                    <td>{tr(&format!("party.kind_{}", m.kind))}</td>
                    <td><a href=format!("/party/meetings/{}", m.id)>{m.topic}</a></td>
                    <td>{tr(&format!("party.state_{}", m.state))}</td>
                    <td class="num">{m.present + m.remote}</td>
                    <td class="num">{m.absent}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="kpi-table" data-testid="meetings">
                <thead>
                    <tr>
                        <th scope="col">{tr("party.when")}</th>
                        <th scope="col" class="branch-col">{tr("party.branch")}</th>
                        <th scope="col">{tr("fields.kind")}</th>
                        <th scope="col">{tr("fields.topic")}</th>
                        <th scope="col">{tr("party.state")}</th>
                        <th scope="col">{tr("party.attended")}</th>
                        <th scope="col">{tr("party.absent")}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// 党员联户: the households a member serves, each with its last visit and a form to record one.
#[component]
fn Households(
    rows: Vec<super::types::LinkedHousehold>,
    visit: ServerAction<RecordVisit>,
) -> impl IntoView {
    let result = move || {
        match visit.value().get() {
        Some(Ok(())) => Some(view! { <p class="ok" role="status" data-testid="visit-recorded">{tr("links.visit_recorded")}</p> }.into_any()),
        Some(Err(e)) => Some(view! { <ErrorText error=e/> }.into_any()),
        None => None,
    }
    };
    let items = rows
        .into_iter()
        .map(|h| {
            let last = h
                .last_visit
                .map(|t| format!("{} {}", tr("links.last_visit"), when(t)))
                .unwrap_or_else(|| tr("links.never_visited"));
            view! {
                <li data-testid="my-household">
                    <strong>{h.head_name}</strong> " · " {h.address} " · " <span class="muted">{last}</span>
                    <details>
                        <summary data-testid="visit-open">{tr("links.record_visit")}</summary>
                        <ActionForm action=visit attr:class="stack narrow" attr:data-testid="visit-form">
                            <input type="hidden" name="household_id" value=h.household_id.to_string()/>
                            <label>{tr("fields.place")} <input type="text" name="place" maxlength="100" data-testid="visit-place"/></label>
                            <label>{tr("fields.visit_notes")} <textarea name="notes" rows="2" maxlength="500" required data-testid="visit-notes"></textarea></label>
                            <button type="submit" class="primary" data-testid="visit-submit">{tr("links.record_visit")}</button>
                        </ActionForm>
                    </details>
                </li>
            }
        })
        .collect_view();
    view! {
        <h2>{tr("links.mine")}</h2>
        {result}
        <ul class="plain" data-testid="my-households">{items}</ul>
    }
}

/// The secretary's open rectification requests, each answered with what was done.
#[component]
fn RectifyAnswers(
    rows: Vec<super::types::RectifyRow>,
    action: ServerAction<AnswerRectification>,
) -> impl IntoView {
    let failure = move || match action.value().get() {
        Some(Err(e)) => Some(view! { <ErrorText error=e/> }.into_any()),
        _ => None,
    };
    let items = rows
        .into_iter()
        .map(|r| {
            view! {
                <li data-testid="rectify-item" data-state=r.state.clone()>
                    <span class=super::rectify_page::state_light(&r.state)>{tr(&format!("rectify.state_{}", r.state))}</span> " "
                    {r.branch.clone()} " · " {tr(&format!("party.kind_{}", r.kind))} " · " {r.period.clone()}
                    " · " {tr("rectify.due")} " " {r.due_day.clone()}
                    {(!r.note.is_empty()).then(|| view! { <br/><span class="muted">{r.note.clone()}</span> })}
                    <ActionForm action=action attr:class="inline" attr:data-testid="rectify-answer-form">
                        <input type="hidden" name="id" value=r.id.to_string()/>
                        <input type="text" name="note" maxlength="300" required placeholder=tr("rectify.answer_hint") data-testid="rectify-answer"/>
                        <button type="submit" data-testid="rectify-answer-submit">{tr("rectify.answer_submit")}</button>
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="box" role="status">
            <h2>{tr("rectify.to_answer")}</h2>
            <ul class="plain">{items}</ul>
            {failure}
        </div>
    }
}
