//! `/party/meetings/{id}`: the meeting, its check-in code in large type for the room (the
//! secretary's view while it is open), who has checked in, absences with their reasons, and
//! closing it with the minutes.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::affairs_api::AskLeave;
use super::api::{get_meeting, CheckIn, CloseMeeting, RecordAbsence};
use super::page::CheckInForm;
use super::types::MeetingDetail;
use crate::i18n::tr;
use crate::ui::answer::{answer, ErrorText};
use crate::ui::time::when;

#[component]
pub fn MeetingPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0))
    });
    let absence = ServerAction::<RecordAbsence>::new();
    let close = ServerAction::<CloseMeeting>::new();
    let check_in = ServerAction::<CheckIn>::new();
    let leave = ServerAction::<AskLeave>::new();
    let data = Resource::new(
        move || {
            (
                id.get(),
                absence.version().get(),
                close.version().get(),
                check_in.version().get(),
                leave.version().get(),
            )
        },
        |(id, ..)| get_meeting(id),
    );
    view! {
        <section class="party-page" data-testid="meeting-page">
            <p><a href="/party">{tr("party.title")}</a></p>
            <Suspense fallback=|| view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || data.get().map(|r| answer(r, |d| view! { <Detail d=d absence=absence close=close check_in=check_in leave=leave/> }.into_any()))}
            </Suspense>
        </section>
    }
}

/// A failed action's message (a success shows in the reloaded meeting).
macro_rules! failure {
    ($a:expr) => {
        move || match $a.value().get() {
            Some(Err(e)) => Some(view! { <ErrorText error=e/> }.into_any()),
            _ => None,
        }
    };
}

#[component]
fn Detail(
    d: MeetingDetail,
    absence: ServerAction<RecordAbsence>,
    close: ServerAction<CloseMeeting>,
    check_in: ServerAction<CheckIn>,
    leave: ServerAction<AskLeave>,
) -> impl IntoView {
    let m = d.meeting.clone();
    let manage = d.access == "manage";
    let open = m.state == "planned";
    let qr = d.qr.clone().map(|q| {
        view! {
            <svg class="qr" viewBox=format!("0 0 {0} {0}", q.size) role="img" aria-label=tr("party.qr")
                shape-rendering="crispEdges" data-testid="meeting-qr">
                <rect width="100%" height="100%" fill="#fff"></rect>
                <path d=q.path fill="#000"></path>
            </svg>
            <p class="muted">{tr("party.qr_hint")}</p>
        }
    });
    let code = d.code.clone().map(|c| {
        view! {
            <div class="checkin-code box" data-testid="meeting-code-card">
                <p>{tr("party.code_hint")}</p>
                <p class="code" data-testid="meeting-code">{c}</p>
                {qr}
                <p class="muted">{tr("party.window")} " " {when(d.window.0)} " – " {when(d.window.1)}</p>
            </div>
        }
    });
    // A member who has not checked in yet can do it here, with the code read out in the room.
    let own =
        (d.access == "attend" && open && d.roster.iter().all(|r| r.mode.is_none())).then(|| {
            view! { <div class="box stack narrow"><CheckInForm action=check_in/></div> }
        });
    // Before the start a member asks for leave instead of being recorded absent afterwards.
    let ask_leave = d.leave_open.then(|| {
        view! {
            <details class="box" data-testid="leave-card">
                <summary>{tr("affairs.ask_leave")}</summary>
                <ActionForm action=leave attr:class="stack narrow" attr:data-testid="leave-form">
                    <input type="hidden" name="meeting_id" value=m.id.to_string()/>
                    <label>
                        {tr("fields.reason")}
                        <input type="text" name="reason" maxlength="200" required data-testid="leave-reason"/>
                    </label>
                    <button type="submit" class="primary" data-testid="leave-submit">{tr("affairs.ask_leave")}</button>
                    {failure!(leave)}
                </ActionForm>
            </details>
        }
    });
    let rows = d
        .roster
        .iter()
        .map(|r| {
            let mode = r.mode.clone();
            let state = if r.on_leave != 0 && mode.as_deref() == Some("absent") {
                tr("party.mode_leave")
            } else {
                mode.as_deref()
                    .map(|x| tr(&format!("party.mode_{x}")))
                    .unwrap_or_else(|| tr("party.mode_none"))
            };
            let migrant = (r.migrant != 0).then(|| view! { <span class="tag">{tr("party.migrant")}</span> });
            let form = (manage && mode.is_none()).then(|| {
                let member = r.member_id.to_string();
                view! {
                    <ActionForm action=absence attr:class="inline" attr:data-testid="absence-form">
                        <input type="hidden" name="meeting_id" value=m.id.to_string()/>
                        <input type="hidden" name="member_id" value=member/>
                        <input type="text" name="reason" maxlength="200" required placeholder=tr("party.absence_reason") data-testid="absence-reason"/>
                        <button type="submit" data-testid="absence-submit">{tr("party.record_absence")}</button>
                    </ActionForm>
                }
            });
            view! {
                <tr data-testid="roster-line" data-mode=mode.clone().unwrap_or_default() data-leave=r.on_leave>
                    <td>{r.name.clone()} " " {migrant}</td>
                    <td>{state}</td>
                    <td>{r.reason.clone().unwrap_or_default()}</td>
                    <td>{r.at.map(when).unwrap_or_default()}</td>
                    <td>{form}</td>
                </tr>
            }
        })
        .collect_view();
    let closing = (manage && open).then(|| {
        view! {
            <h2>{tr("party.close")}</h2>
            <ActionForm action=close attr:class="stack" attr:data-testid="close-form">
                <input type="hidden" name="id" value=m.id.to_string()/>
                <label>
                    {tr("fields.minutes")}
                    <textarea name="minutes" rows="5" maxlength="5000" required data-testid="close-minutes"></textarea>
                </label>
                <button type="submit" class="primary" data-testid="close-submit">{tr("party.close_submit")}</button>
                {failure!(close)}
            </ActionForm>
        }
    });
    let has_photos = !d.photos.is_empty() || manage;
    let photos = d
        .photos
        .iter()
        .map(|p| {
            view! {
                <a href=format!("/party/photos/{p}?size=medium") rel="external" target="_blank">
                    <img src=format!("/party/photos/{p}?size=thumb") alt=tr("fields.photo") width="160" loading="lazy" data-testid="meeting-photo"/>
                </a>
            }
        })
        .collect_view();
    // A plain multipart form: the server stores the photos and comes back here, with or without WASM.
    let upload = manage.then(|| {
        view! {
            <form method="post" action=format!("/party/meetings/{}/photos", m.id) enctype="multipart/form-data"
                class="inline" data-testid="photo-form">
                <input type="file" name="photo" accept="image/jpeg,image/png,image/webp" multiple required data-testid="photo-input"/>
                <button type="submit" data-testid="photo-submit">{tr("party.add_photos")}</button>
            </form>
        }
    });
    let minutes = (!open).then(|| {
        view! {
            <h2>{tr("fields.minutes")}</h2>
            <p class="minutes" data-testid="meeting-minutes">{d.minutes.clone()}</p>
        }
    });
    view! {
        <h1 data-testid="meeting-topic">{m.topic.clone()}</h1>
        <p>
            {tr(&format!("party.kind_{}", m.kind))} " · " {m.branch_name.clone()} " · "
            {when(m.starts_at)} " – " {when(m.ends_at)} " · " {m.place.clone()} " · "
            <strong data-testid="meeting-state">{tr(&format!("party.state_{}", m.state))}</strong>
        </p>
        {code}
        {own}
        {ask_leave}
        <p data-testid="meeting-counts">
            {tr("party.mode_present")} " " {m.present} " · " {tr("party.mode_remote")} " " {m.remote}
            " · " {tr("party.mode_absent")} " " {m.absent}
        </p>
        <div class="table-wrap">
            <table class="kpi-table" data-testid="roster">
                <thead>
                    <tr>
                        <th scope="col">{tr("fields.name")}</th>
                        <th scope="col">{tr("party.state")}</th>
                        <th scope="col">{tr("fields.reason")}</th>
                        <th scope="col">{tr("party.when")}</th>
                        <th scope="col"></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {failure!(absence)}
        {has_photos.then(|| view! { <h2>{tr("party.photos")}</h2> })}
        <div class="photos" data-testid="meeting-photos">{photos}</div>
        {upload}
        {minutes}
        {closing}
    }
}
