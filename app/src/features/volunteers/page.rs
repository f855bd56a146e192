//! `/volunteer`: a volunteer's phone page — the activities of the teams serving their area
//! (sign up, withdraw, check in with the code shown on the spot), their own hours, and this
//! year's rankings of teams and volunteers in the township as bars. Plain forms: it works
//! without WASM.

use leptos::prelude::*;

use super::api::{get_volunteer, VolunteerCheckIn, VolunteerSignUp, VolunteerWithdraw};
use super::types::{Activity, Ranked, VolunteerHome};
use crate::domain::volunteers::hours_text;
use crate::i18n::tr;
use crate::ui::answer::{answer, ErrorText};
use crate::ui::time::when;

#[component]
pub fn VolunteerPage() -> impl IntoView {
    let join = ServerAction::<VolunteerSignUp>::new();
    let leave = ServerAction::<VolunteerWithdraw>::new();
    let check = ServerAction::<VolunteerCheckIn>::new();
    let data = Resource::new(
        move || {
            (
                join.version().get(),
                leave.version().get(),
                check.version().get(),
            )
        },
        |_| get_volunteer(),
    );
    let failure = move || {
        [
            join.value().get().and_then(|r| r.err()),
            leave.value().get().and_then(|r| r.err()),
            check.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|e| view! { <div data-testid="volunteer-error"><ErrorText error=e/></div> })
    };
    let checked = move || {
        matches!(check.value().get(), Some(Ok(_))).then(|| {
            view! { <p class="ok" role="status" data-testid="checked-in-ok">{tr("volunteer.checked_in_ok")}</p> }
        })
    };
    view! {
        <section class="services-page volunteer-page" data-testid="volunteer-page">
            <p><a href="/services">{tr("services.title")}</a></p>
            <h1>{tr("volunteer.title")}</h1>
            <p class="muted">{tr("volunteer.intro")}</p>
            {failure}
            {checked}
            <Suspense fallback=|| view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || data.get().map(|r| answer(r, |h| view! { <Home h=h join=join leave=leave check=check/> }.into_any()))}
            </Suspense>
        </section>
    }
}

#[component]
fn Home(
    h: VolunteerHome,
    join: ServerAction<VolunteerSignUp>,
    leave: ServerAction<VolunteerWithdraw>,
    check: ServerAction<VolunteerCheckIn>,
) -> impl IntoView {
    let desk = h.desk.then(|| {
        view! { <p><a href="/volunteer/desk" data-testid="volunteer-desk-link">{tr("volunteer.desk")}</a></p> }
    });
    let activities = if h.activities.is_empty() {
        view! { <p class="muted">{tr("volunteer.none")}</p> }.into_any()
    } else {
        h.activities
            .into_iter()
            .map(|a| view! { <ActivityCard a=a join=join leave=leave check=check/> })
            .collect_view()
            .into_any()
    };
    let ledger = if h.ledger.is_empty() {
        view! { <p class="muted">{tr("volunteer.no_hours")}</p> }.into_any()
    } else {
        let lines = h
            .ledger
            .into_iter()
            .map(|l| {
                view! {
                    <li data-testid="hours-line">
                        <span>{l.title}</span> " · " <span class="muted">{l.team} " · " {when(l.at)}</span>
                        <span class="num">"+" {hours_text(l.tenths)} " " {tr("volunteer.hours_unit")}</span>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="plain hours">{lines}</ul> }.into_any()
    };
    view! {
        {desk}
        <div class="hours-sum" data-testid="my-hours">
            <div><span class="big" data-testid="year-hours">{hours_text(h.year_tenths)}</span><span class="muted">{tr("volunteer.this_year")}</span></div>
            <div><span class="big" data-testid="total-hours">{hours_text(h.total_tenths)}</span><span class="muted">{tr("volunteer.all_time")}</span></div>
        </div>
        <h2>{tr("volunteer.activities")}</h2>
        <div class="service-items">{activities}</div>
        <h2>{tr("volunteer.my_hours")}</h2>
        {ledger}
        <Ranking caption=tr("volunteer.team_ranking") rows=h.teams test="team-ranking"/>
        <Ranking caption=tr("volunteer.volunteer_ranking") rows=h.volunteers test="volunteer-ranking"/>
    }
}

/// Hours as bars, scaled to the most.
#[component]
fn Ranking(caption: String, rows: Vec<Ranked>, test: &'static str) -> impl IntoView {
    if rows.is_empty() {
        return ().into_any();
    }
    let max = rows.iter().map(|r| r.tenths).max().unwrap_or(1).max(1) as f64;
    let bars = rows
        .into_iter()
        .map(|r| {
            let width = format!("width: {:.1}%", r.tenths as f64 / max * 100.0);
            view! {
                <div class="ubar" class:me=r.me data-testid="rank-row">
                    <span class="uname">{r.rank} ". " {r.name}</span>
                    <span class="utrack"><span class="ugreen" style=width></span></span>
                    <span class="num">{hours_text(r.tenths)}</span>
                </div>
            }
        })
        .collect_view();
    view! {
        <figure class="unit-bars" data-testid=test>
            <figcaption>{caption}</figcaption>
            {bars}
        </figure>
    }
    .into_any()
}

#[component]
fn ActivityCard(
    a: Activity,
    join: ServerAction<VolunteerSignUp>,
    leave: ServerAction<VolunteerWithdraw>,
    check: ServerAction<VolunteerCheckIn>,
) -> impl IntoView {
    let id = a.id;
    let upcoming = a.upcoming;
    let action = match a.mine.as_deref() {
        Some("checked_in") => {
            view! { <p class="ok" data-testid="activity-mine">{tr("volunteer.states_checked_in")}</p> }
                .into_any()
        }
        Some("signed") => {
            let check_form = a.can_check_in.then(|| {
                view! {
                    <ActionForm action=check attr:class="inline" attr:data-testid="checkin-form">
                        <input type="hidden" name="activity_id" value=id.to_string()/>
                        <label>{tr("volunteer.code")} " "
                            <input type="text" name="code" inputmode="numeric" autocomplete="off" maxlength="6" size="7" required data-testid="checkin-code"/>
                        </label>
                        <button type="submit" class="primary" data-testid="checkin-submit">{tr("volunteer.check_in")}</button>
                    </ActionForm>
                }
            });
            let withdraw = upcoming.then(|| {
                view! {
                    <ActionForm action=leave attr:class="inline">
                        <input type="hidden" name="activity_id" value=id.to_string()/>
                        <button type="submit" class="link" data-testid="withdraw">{tr("volunteer.withdraw")}</button>
                    </ActionForm>
                }
            });
            view! {
                <p data-testid="activity-mine"><strong>{tr("volunteer.states_signed")}</strong></p>
                {check_form}
                {withdraw}
            }
            .into_any()
        }
        _ if a.joinable && a.left > 0 => view! {
            <ActionForm action=join attr:class="inline">
                <input type="hidden" name="activity_id" value=id.to_string()/>
                <button type="submit" class="primary" data-testid="sign-up">{tr("volunteer.sign_up")}</button>
            </ActionForm>
        }
        .into_any(),
        _ if a.joinable => {
            view! { <span class="muted" data-testid="activity-full">{tr("services.full")}</span> }
                .into_any()
        }
        _ => ().into_any(),
    };
    view! {
        <article class="service-item" data-testid="activity" data-id=id.to_string()>
            <h3>{a.title.clone()}</h3>
            <dl class="facts">
                <dt>{tr("volunteer.team")}</dt><dd>{a.team.clone()}</dd>
                <dt>{tr("fields.start")}</dt><dd>{when(a.starts_at)}</dd>
                <dt>{tr("volunteer.place")}</dt><dd>{a.place.clone()}</dd>
                <dt>{tr("volunteer.hours")}</dt><dd>{hours_text(a.tenths)} " " {tr("volunteer.hours_unit")}</dd>
                <dt>{tr("services.left")}</dt><dd data-testid="activity-left">{a.left} "/" {a.limit}</dd>
            </dl>
            {action}
        </article>
    }
}
