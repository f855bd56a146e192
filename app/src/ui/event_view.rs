//! One event as the event page and the command map's side panel show it: its card, who holds
//! and handles it, its deadline light, photos, the timeline in words, and the actions this user
//! may take now (exactly the domain's `allowed`, which the server enforces again).

use leptos::prelude::*;

use crate::domain::event::{Action, ActionKind};
use crate::error::AppError;
use crate::features::events::api::event_act;
use crate::features::events::types::{EventCard, EventDetail, Step};
use crate::i18n::{tr, use_locale};
use crate::ui::action_panel::ActionPanel;
use crate::ui::time::when;

pub fn action_label(k: ActionKind) -> String {
    tr(&format!("actions.{}", k.as_str()))
}

#[component]
pub fn CardHead(card: EventCard, #[prop(optional)] light: String) -> impl IntoView {
    let locale = use_locale();
    let cat = if locale.code() == "en" {
        card.category_en.clone()
    } else {
        card.category_zh.clone()
    };
    let state = tr(&format!("states.{}", card.state));
    let light_label = (!light.is_empty()).then(|| tr(&format!("lights.{light}")));
    let urgency = (card.urgency != "normal").then(|| {
        view! {
            <span class=format!("urgency urgency-{}", card.urgency) data-testid="urgency">
                {tr(&format!("urgency.{}", card.urgency))}
            </span>
        }
    });
    let reopened = (card.reopened > 0).then(|| {
        view! { <span class="reopened" data-testid="reopened-mark">{tr("event.reopened_mark")}</span> }
    });
    let reporters = (card.reporters > 1).then(|| {
        let n = rust_i18n::t!(
            "event.reporters",
            locale = locale.code(),
            n = card.reporters
        )
        .into_owned();
        view! { <span class="reporters" data-testid="reporters">{n}</span> }
    });
    view! {
        <header class="event-head">
            <span class="tracking" data-testid="tracking-no">{card.tracking_no.clone()}</span>
            <span class=format!("state state-{}", card.state) data-testid="event-state">{state}</span>
            {urgency}
            {reopened}
            {light_label.map(|l| view! { <span class=format!("light light-{light}")>{l}</span> })}
            <span class="cat">{cat}</span>
            <span class="muted">{card.grid_name.clone()}</span>
            {reporters}
        </header>
    }
}

/// A timeline step in words: who did what, with what it named (the department, the hours, the
/// scores), and the note typed with it.
fn step_line(s: &Step) -> impl IntoView {
    let locale = use_locale();
    let action = tr(&format!("actions.{}", s.action));
    let to = (s.from_state.as_deref() != Some(s.to_state.as_str()))
        .then(|| format!(" → {}", tr(&format!("states.{}", s.to_state))));
    let d = s.details();
    let mut bits: Vec<String> = Vec::new();
    if let Some(x) = &d.department {
        bits.push(x.clone());
    }
    if let Some(x) = &d.person {
        bits.push(x.clone());
    }
    if s.action == "escalate" || s.action == "send_down" || s.action == "recall" {
        bits.push(tr(&format!("levels.{}", s.to_level)));
    }
    if let Some(h) = d.hours {
        bits.push(rust_i18n::t!("event.hours", locale = locale.code(), n = h).into_owned());
    }
    if let Some(a) = d.approved {
        bits.push(tr(if a { "event.approved" } else { "event.denied" }));
    }
    if let Some([a, b, c, r]) = d.scores {
        bits.push(format!(
            "{} {a}★ {} {b}★ {} {c}★ {} {r}★",
            tr("scores.attitude"),
            tr("scores.ability"),
            tr("scores.conduct"),
            tr("scores.result")
        ));
    }
    if let Some(u) = &d.urgency {
        bits.push(tr(&format!("urgency.{u}")));
    }
    if let Some(o) = &d.outcome {
        bits.push(tr(&format!("outcome.{o}")));
    }
    if let Some(x) = &d.referred_to {
        bits.push(format!("{} {x}", tr("outcome.to")));
    }
    if let Some(x) = &d.event {
        bits.push(x.clone());
    }
    if let Some(solved) = d.solved {
        bits.push(tr(if solved {
            "mine.answer_yes"
        } else {
            "mine.answer_no"
        }));
    }
    let detail =
        (!bits.is_empty()).then(|| view! { <span class="detail">{bits.join(" · ")}</span> });
    view! {
        <li data-action=s.action.clone()>
            <time>{when(s.at)}</time>
            " " <strong>{s.actor_name.clone()}</strong>
            " " {action} {to} " " {detail}
            {(!s.note.is_empty()).then(|| view! { <q data-testid="step-note">{s.note.clone()}</q> })}
        </li>
    }
}

#[component]
pub fn EventView(
    d: EventDetail,
    on_done: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let card = d.card.clone();
    let photos = d
        .photos
        .iter()
        .map(|p| {
            // Shown 240 px wide: the thumbnail on a 1× screen, the medium size on a phone's
            // 2–3×; the original only when opened.
            use crate::domain::photo::PhotoSize;
            let (tw, _) = PhotoSize::Thumb.fit(p.width as u32, p.height as u32);
            let (mw, _) = PhotoSize::Medium.fit(p.width as u32, p.height as u32);
            let srcset = format!(
                "{} {tw}w, {} {mw}w",
                PhotoSize::Thumb.url(p.id),
                PhotoSize::Medium.url(p.id)
            );
            let href = PhotoSize::Full.url(p.id);
            let width = p.width.min(240);
            let height = if p.width > 0 { p.height * width / p.width } else { 0 };
            view! {
                <a href=href rel="external">
                    <img src=PhotoSize::Medium.url(p.id) srcset=srcset sizes="240px" loading="lazy" alt=""
                        width=width height=height data-testid="event-photo"/>
                </a>
            }
        })
        .collect_view();
    let steps = d.steps.iter().map(step_line).collect_view();
    let reject = (!d.reject_reason.is_empty()).then(|| {
        view! { <p class="error">{tr("fields.reason")} ": " {d.reject_reason.clone()}</p> }
    });
    // Sent back by a dissatisfied resident: say so, and show the earlier result as earlier.
    let reopened_open =
        card.reopened > 0 && matches!(card.state.as_str(), "verified" | "dispatched" | "handling");
    let result = (!d.result_note.is_empty()).then(|| {
        let label = if reopened_open { tr("event.previous_result") } else { tr("event.result") };
        view! { <p class=if reopened_open { "muted previous" } else { "ok" } data-testid="result-note">{label} ": " {d.result_note.clone()}</p> }
    });
    let banner = reopened_open.then(|| {
        view! { <p class="warn banner" role="status" data-testid="reopened-banner">{tr("event.reopened_banner")}</p> }
    });
    let outcome = (!d.outcome.is_empty() && d.outcome != "solved").then(|| {
        let extra = (!d.outcome_ref.is_empty()).then(|| format!(" · {}", d.outcome_ref));
        view! { <p class="warn" data-testid="outcome">{tr(&format!("outcome.{}", d.outcome))} {extra}</p> }
    });
    let assignee = card.assignee_name.clone().unwrap_or_else(|| "—".into());
    let co = if d.co_handler_names.is_empty() {
        "—".to_string()
    } else {
        d.co_handler_names.join("、")
    };
    let holder = format!(
        "{} · {}",
        d.holder_name,
        tr(&format!("levels.{}", card.level))
    );
    let follow_up = d.allowed.contains(&ActionKind::FollowUp).then(|| {
        view! { <FollowUpAsk id=card.id version=card.version on_done=on_done.clone()/> }
    });
    view! {
        <CardHead card=card.clone() light=d.light.clone()/>
        {banner}
        <p class="description" data-testid="event-description">{card.description.clone()}</p>
        <dl class="facts">
            <dt>{tr("event.channel")}</dt><dd data-testid="event-channel">{tr(&format!("channels.{}", card.channel))}</dd>
            <dt>{tr("event.reporter")}</dt><dd>{d.reporter_name.clone()} " " {d.reporter_phone.clone()}</dd>
            <dt>{tr("event.holder")}</dt><dd data-testid="event-holder">{holder}</dd>
            <dt>{tr("event.assignee")}</dt><dd data-testid="event-assignee">{assignee}</dd>
            <dt>{tr("event.co_handlers")}</dt><dd data-testid="event-co-handlers">{co}</dd>
            <dt>{tr("event.due")}</dt><dd>{when(card.due_at)}</dd>
            {(!card.address.is_empty()).then(|| view! { <dt>{tr("fields.address")}</dt><dd>{card.address.clone()}</dd> })}
        </dl>
        {reject}
        {outcome}
        {result}
        {follow_up}
        <div class="photos">{photos}</div>
        <ActionPanel d=d.clone() on_done=on_done/>
        <h2>{tr("event.timeline")}</h2>
        <ol class="timeline" data-testid="timeline">{steps}</ol>
    }
}

/// The reporter's "解决了吗？": yes keeps it closed, no sends it back to the command room.
#[component]
pub fn FollowUpAsk(
    id: i64,
    version: i64,
    on_done: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let message = RwSignal::new(String::new());
    let locale = use_locale();
    let answer = move |solved: bool| {
        let on_done = on_done.clone();
        leptos::task::spawn_local(async move {
            match event_act(
                id,
                version,
                Action::FollowUp { solved },
                vec![],
                String::new(),
            )
            .await
            {
                Ok(_) => on_done(),
                Err(e) => message.set(e.message(locale.code())),
            }
        });
    };
    let (yes, no) = (answer.clone(), answer);
    view! {
        <div class="follow-up" data-testid="follow-up">
            <strong>{tr("mine.still_solved")}</strong>
            <button type="button" data-testid="follow-up-yes" on:click=move |_| yes(true)>{tr("mine.answer_yes")}</button>
            <button type="button" data-testid="follow-up-no" on:click=move |_| no(false)>{tr("mine.answer_no")}</button>
            <span class="error">{move || message.get()}</span>
        </div>
    }
}

/// Runs one action with a note; a conflict or refusal comes back in the user's language.
pub async fn run(
    card: &EventCard,
    action: Action,
    photos: Vec<i64>,
    note: String,
) -> Result<EventCard, AppError> {
    event_act(card.id, card.version, action, photos, note).await
}
