//! `/volunteer/desk`: the teams a village or township runs (and, for the county, those it
//! oversees): found a team, publish activities with a sign-up limit, show the check-in code on
//! the spot, see who signed up (names masked) and close an activity to credit the hours.

use leptos::prelude::*;

use super::api::{
    get_volunteer_desk, AddVolunteerActivity, AddVolunteerTeam, CloseVolunteerActivity,
};
use super::types::{DeskTeam, VolunteerDesk};
use crate::domain::volunteers::{hours_text, MAX_LIMIT, MAX_MINUTES, MIN_MINUTES};
use crate::i18n::tr;
use crate::ui::answer::{answer, ErrorText};
use crate::ui::time::when;

#[component]
pub fn VolunteerDeskPage() -> impl IntoView {
    let team = ServerAction::<AddVolunteerTeam>::new();
    let add = ServerAction::<AddVolunteerActivity>::new();
    let close = ServerAction::<CloseVolunteerActivity>::new();
    let data = Resource::new(
        move || {
            (
                team.version().get(),
                add.version().get(),
                close.version().get(),
            )
        },
        |_| get_volunteer_desk(),
    );
    let failure = move || {
        [
            team.value().get().and_then(|r| r.err()),
            add.value().get().and_then(|r| r.err()),
            close.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|e| view! { <div data-testid="volunteer-desk-error"><ErrorText error=e/></div> })
    };
    view! {
        <section class="services-page desk" data-testid="volunteer-desk">
            <p><a href="/volunteer">{tr("volunteer.title")}</a></p>
            <h1>{tr("volunteer.desk")}</h1>
            <p class="muted">{tr("volunteer.desk_intro")}</p>
            {failure}
            <Suspense fallback=|| view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || data.get().map(|r| answer(r, |d| view! { <DeskView d=d team=team add=add close=close/> }.into_any()))}
            </Suspense>
        </section>
    }
}

#[component]
fn DeskView(
    d: VolunteerDesk,
    team: ServerAction<AddVolunteerTeam>,
    add: ServerAction<AddVolunteerActivity>,
    close: ServerAction<CloseVolunteerActivity>,
) -> impl IntoView {
    let found = d.may_add_team.then(|| {
        view! {
            <ActionForm action=team attr:class="slot-form" attr:data-testid="team-form">
                <label>{tr("volunteer.team_name")} <input type="text" name="name" maxlength="60" required data-testid="team-name"/></label>
                <button type="submit" data-testid="team-submit">{tr("volunteer.add_team")}</button>
            </ActionForm>
        }
    });
    let teams = if d.teams.is_empty() {
        view! { <p class="muted">{tr("volunteer.no_teams")}</p> }.into_any()
    } else {
        d.teams
            .into_iter()
            .map(|t| view! { <Team t=t add=add close=close/> })
            .collect_view()
            .into_any()
    };
    view! { {found} {teams} }
}

#[component]
fn Team(
    t: DeskTeam,
    add: ServerAction<AddVolunteerActivity>,
    close: ServerAction<CloseVolunteerActivity>,
) -> impl IntoView {
    let form = t.manage.then(|| {
        let tomorrow = crate::domain::calendar::local_day(crate::clock::unix_now() + 86_400);
        view! {
            <ActionForm action=add attr:class="slot-form" attr:data-testid="activity-form">
                <input type="hidden" name="team_id" value=t.id.to_string()/>
                <label>{tr("volunteer.activity_title")} <input type="text" name="title" maxlength="80" required data-testid="activity-title"/></label>
                <label>{tr("volunteer.place")} <input type="text" name="place" maxlength="120" data-testid="activity-place"/></label>
                <label>{tr("services.day")} <input type="date" name="day" value=tomorrow required data-testid="activity-day"/></label>
                <label>{tr("fields.start")} <input type="time" name="start" value="09:00" required data-testid="activity-start"/></label>
                <label>{tr("services.minutes")} <input type="number" name="minutes" value="120" min=MIN_MINUTES max=MAX_MINUTES required data-testid="activity-minutes"/></label>
                <label>{tr("volunteer.limit")} <input type="number" name="limit" value="20" min="1" max=MAX_LIMIT required data-testid="activity-limit"/></label>
                <button type="submit" class="primary" data-testid="activity-submit">{tr("volunteer.add_activity")}</button>
            </ActionForm>
        }
    });
    let rows = t
        .activities
        .into_iter()
        .map(|a| {
            let code = a.code.clone().map(|c| {
                view! { <span class="code" data-testid="activity-code">{c}</span> }
            });
            let who = a
                .volunteers
                .iter()
                .map(|(name, state)| {
                    view! { <li>{name.clone()} " · " {tr(&format!("volunteer.states_{state}"))}</li> }
                })
                .collect_view();
            let closer = a.may_close.then(|| {
                view! {
                    <ActionForm action=close attr:class="inline">
                        <input type="hidden" name="activity_id" value=a.id.to_string()/>
                        <button type="submit" data-testid="close-activity">{tr("volunteer.close")}</button>
                    </ActionForm>
                }
            });
            view! {
                <tr data-testid="desk-activity" data-state=a.state.clone()>
                    <td>{when(a.starts_at)}</td>
                    <td>{a.title.clone()} <br/><span class="muted">{a.place.clone()}</span></td>
                    <td data-testid="desk-signed">{a.signed} "/" {a.limit} <br/><span class="muted">{tr("volunteer.checked")} " " {a.checked}</span></td>
                    <td>{code} {closer} <span class="muted">{tr(&format!("volunteer.activity_{}", a.state))}</span></td>
                    <td><ul class="plain">{who}</ul></td>
                </tr>
            }
        })
        .collect_view();
    let oversee =
        (!t.manage).then(|| view! { <span class="muted">" · " {tr("services.oversee")}</span> });
    view! {
        <article class="desk-point" data-testid="desk-team">
            <h2>{t.name.clone()} <span class="muted">" · " {t.unit_name.clone()}</span> {oversee}</h2>
            <p class="muted">{tr("volunteer.this_year")} " " {hours_text(t.year_tenths)} " " {tr("volunteer.hours_unit")}</p>
            {form}
            <div class="table-wrap">
                <table class="desk-slots">
                    <thead><tr><th>{tr("fields.start")}</th><th>{tr("volunteer.activity_title")}</th><th>{tr("volunteer.signed")}</th><th>{tr("volunteer.code")}</th><th></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </article>
    }
}
