//! One event: its card, deadline light, photos, timeline, and the actions this user may take now
//! (exactly the domain's `allowed`, which the server enforces again).

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::{event_act, get_dispatch_targets, get_event_detail};
use super::types::{EventCard, EventDetail};
use crate::domain::event::{Action, ActionKind, Assignee, Scores};
use crate::error::AppError;
use crate::features::auth::page::answer;
use crate::i18n::{tr, use_locale};

pub fn when(at: i64) -> String {
    let day = crate::domain::calendar::local_day(at);
    let secs = (at + 8 * 3600).rem_euclid(86_400);
    format!("{day} {:02}:{:02}", secs / 3600, (secs % 3600) / 60)
}

pub fn action_label(k: ActionKind) -> String {
    tr(&format!("actions.{}", k.as_str()))
}

#[component]
pub fn EventPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0))
    });
    let detail = Resource::new(move || id.get(), get_event_detail);
    view! {
        <section class="event-page" data-testid="event-page">
            <Suspense fallback=move || view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || {
                    detail
                        .get()
                        .map(|r| answer(r, |d| view! { <EventView d=d on_done=move || detail.refetch()/> }.into_any()))
                }}
            </Suspense>
        </section>
    }
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
    view! {
        <header class="event-head">
            <span class="tracking" data-testid="tracking-no">{card.tracking_no.clone()}</span>
            <span class=format!("state state-{}", card.state) data-testid="event-state">{state}</span>
            {light_label.map(|l| view! { <span class=format!("light light-{light}")>{l}</span> })}
            <span class="cat">{cat}</span>
            <span class="muted">{card.grid_name.clone()}</span>
        </header>
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
            let src = format!("/photos/{}", p.id);
            let href = src.clone();
            view! {
                <a href=href rel="external">
                    <img src=src loading="lazy" alt="" width=p.width.min(240) data-testid="event-photo"/>
                </a>
            }
        })
        .collect_view();
    let steps = d
        .steps
        .iter()
        .map(|s| {
            let action = tr(&format!("actions.{}", s.action));
            let to = tr(&format!("states.{}", s.to_state));
            view! {
                <li>
                    <time>{when(s.at)}</time>
                    " " <strong>{s.actor_name.clone()}</strong>
                    " " {action} " → " {to}
                    {(!s.note.is_empty()).then(|| view! { <q>{s.note.clone()}</q> })}
                </li>
            }
        })
        .collect_view();
    let reject = (!d.reject_reason.is_empty()).then(|| {
        view! { <p class="error">{tr("fields.reason")} ": " {d.reject_reason.clone()}</p> }
    });
    let result = (!d.result_note.is_empty())
        .then(|| view! { <p class="ok">{tr("event.result")} ": " {d.result_note.clone()}</p> });
    view! {
        <CardHead card=card.clone() light=d.light.clone()/>
        <p class="description" data-testid="event-description">{card.description.clone()}</p>
        <p class="muted">
            {card.address.clone()} " · " {d.reporter_name.clone()} " " {d.reporter_phone.clone()}
            " · " {tr("event.due")} " " {when(card.due_at)}
        </p>
        {reject}
        {result}
        <div class="photos">{photos}</div>
        <ActionPanel d=d.clone() on_done=on_done/>
        <h2>{tr("event.timeline")}</h2>
        <ol class="timeline" data-testid="timeline">{steps}</ol>
    }
}

/// Runs one action; a conflict or refusal is shown in the user's language.
pub async fn run(
    card: &EventCard,
    action: Action,
    photos: Vec<i64>,
) -> Result<EventCard, AppError> {
    event_act(card.id, card.version, action, photos, String::new()).await
}

#[component]
fn ActionPanel(
    d: EventDetail,
    on_done: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let locale = use_locale();
    let message = RwSignal::new(String::new());
    let card = StoredValue::new(d.card.clone());
    let note = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());
    let scores = RwSignal::new([5u8; 4]);
    let photo_ids = RwSignal::new(Vec::<i64>::new());
    let deny = RwSignal::new(false);
    let needs_targets = d
        .allowed
        .iter()
        .any(|k| matches!(k, ActionKind::Dispatch | ActionKind::AddCoHandler));
    let id = d.card.id;
    // Fetched in the browser only, so the server render never waits on it.
    let targets = RwSignal::new(None);
    Effect::new(move |_| {
        if needs_targets {
            leptos::task::spawn_local(async move {
                targets.set(get_dispatch_targets(id).await.ok());
            });
        }
    });
    let act = move |kind: ActionKind| {
        let text = note.get_untracked().trim().to_string();
        let t = target.get_untracked();
        let action = match kind {
            ActionKind::Verify => Action::Verify,
            ActionKind::Reject => Action::Reject { reason: text },
            ActionKind::Merge => Action::Merge {
                into: text.trim_start_matches('#').parse().unwrap_or(0),
            },
            ActionKind::Dispatch => {
                let to = match t.split_once(':') {
                    Some(("u", v)) => Assignee::User(v.parse().unwrap_or(0)),
                    Some((_, v)) => Assignee::Department(v.parse().unwrap_or(0)),
                    None => Assignee::Department(0),
                };
                Action::Dispatch { to }
            }
            ActionKind::TakeOn => Action::TakeOn,
            ActionKind::Escalate => Action::Escalate,
            ActionKind::SendDown => Action::SendDown,
            ActionKind::Accept => Action::Accept,
            ActionKind::Progress => Action::Progress { note: text },
            ActionKind::Resolve => Action::Resolve { note: text },
            ActionKind::ResolveOnSpot => Action::ResolveOnSpot { note: text },
            ActionKind::Return => Action::Return { reason: text },
            ActionKind::RequestExtension => Action::RequestExtension {
                hours: text.parse().unwrap_or(0),
            },
            ActionKind::DecideExtension => Action::DecideExtension {
                approve: !deny.get_untracked(),
            },
            ActionKind::AddCoHandler => Action::AddCoHandler {
                department: t
                    .split_once(':')
                    .and_then(|(_, v)| v.parse().ok())
                    .unwrap_or(0),
            },
            ActionKind::Supervise => Action::Supervise { note: text },
            ActionKind::Rate => {
                let [attitude, ability, conduct, result] = scores.get_untracked();
                Action::Rate {
                    scores: Scores {
                        attitude,
                        ability,
                        conduct,
                        result,
                    },
                }
            }
            ActionKind::AutoClose => return,
        };
        let photos = photo_ids.get_untracked();
        let on_done = on_done.clone();
        leptos::task::spawn_local(async move {
            let c = card.get_value();
            let r = if kind == ActionKind::Rate {
                event_act(c.id, c.version, action, photos, note.get_untracked()).await
            } else {
                run(&c, action, photos).await
            };
            match r {
                Ok(_) => {
                    message.set(String::new());
                    on_done();
                }
                Err(e) => message.set(e.message(locale.code())),
            }
        });
    };
    let allowed = d.allowed.clone();
    let has = move |k: ActionKind| allowed.contains(&k);
    let text_needed = d.allowed.iter().any(|k| {
        matches!(
            k,
            ActionKind::Reject
                | ActionKind::Merge
                | ActionKind::Progress
                | ActionKind::Resolve
                | ActionKind::ResolveOnSpot
                | ActionKind::Return
                | ActionKind::RequestExtension
                | ActionKind::Supervise
                | ActionKind::Rate
        )
    });
    let photo_needed = has(ActionKind::Resolve) || has(ActionKind::ResolveOnSpot);
    let rating = has(ActionKind::Rate);
    let target_options = move || {
        targets.get().map(|t: super::types::DispatchTargets| {
            let suggested = t.suggested_department;
            let depts = t
                .departments
                .into_iter()
                .map(|d| {
                    let mark = if Some(d.id) == suggested { " ★" } else { "" };
                    view! { <option value=format!("d:{}", d.id)>{d.name}{mark}</option> }
                })
                .collect_view();
            let workers = t
                .workers
                .into_iter()
                .map(|w| view! { <option value=format!("u:{}", w.id)>{w.name}</option> })
                .collect_view();
            view! {
                <option value="">{tr("event.choose_target")}</option>
                {depts}
                {workers}
            }
        })
    };
    let buttons = d
        .allowed
        .iter()
        .copied()
        .filter(|k| *k != ActionKind::AutoClose)
        .map(|k| {
            let (act, act2) = (act.clone(), act.clone());
            // An extension request is answered yes or no: two buttons for the one action.
            let no = (k == ActionKind::DecideExtension).then(|| {
                view! {
                    <button type="button" data-testid="act-deny_extension" on:click=move |_| {
                        deny.set(true);
                        act2(k)
                    }>{tr("actions.deny_extension")}</button>
                }
            });
            view! {
                <button type="button" data-testid=format!("act-{}", k.as_str()) on:click=move |_| {
                    deny.set(false);
                    act(k)
                }>
                    {action_label(k)}
                </button>
                {no}
            }
        })
        .collect_view();
    let on_photo = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            leptos::task::spawn_local(async move {
                let Some(files) = input.files() else { return };
                let Ok(data) = web_sys::FormData::new() else {
                    return;
                };
                for i in 0..files.length() {
                    if let Some(f) = files.get(i) {
                        let blob = crate::js::downscale(&f)
                            .await
                            .unwrap_or_else(|_| f.clone().into());
                        let _ = data.append_with_blob_and_filename("photo", &blob, "photo.jpg");
                    }
                }
                match crate::js::post_form(&format!("/events/{id}/photos"), &data).await {
                    Ok(list) => {
                        let ids: Vec<i64> = js_sys::Array::from(&list)
                            .iter()
                            .filter_map(|p| crate::js::prop(&p, &["id"]).as_f64())
                            .map(|v| v as i64)
                            .collect();
                        photo_ids.update(|v| v.extend(ids));
                    }
                    Err(m) => message.set(m),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let score_select = move |i: usize, key: &'static str| {
        view! {
            <label>
                {tr(key)}
                <select
                    data-testid=format!("score-{i}")
                    on:change=move |ev| {
                        let v = event_target_value(&ev).parse().unwrap_or(5);
                        scores.update(|s| s[i] = v);
                    }
                >
                    {(1..=5u8).rev().map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}
                </select>
            </label>
        }
    };
    (!d.allowed.is_empty()).then(|| {
        view! {
            <div class="actions stack" data-testid="actions">
                {needs_targets.then(|| view! {
                    <label>
                        {tr("fields.target")}
                        <select data-testid="act-target" on:change=move |ev| target.set(event_target_value(&ev))>
                            {target_options}
                        </select>
                    </label>
                })}
                {rating.then(|| view! {
                    <div class="scores">
                        {score_select(0, "scores.attitude")}
                        {score_select(1, "scores.ability")}
                        {score_select(2, "scores.conduct")}
                        {score_select(3, "scores.result")}
                    </div>
                })}
                {text_needed.then(|| view! {
                    <label>
                        {tr("fields.note")}
                        <textarea rows="2" data-testid="act-note" on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                    </label>
                })}
                {photo_needed.then(|| view! {
                    <label>
                        {tr("fields.photo")}
                        <input type="file" accept="image/*" multiple data-testid="act-photo" on:change=on_photo/>
                        <span class="muted" data-testid="act-photo-count">{move || photo_ids.get().len()}</span>
                    </label>
                })}
                <div class="buttons">{buttons}</div>
                <p class="error" role="alert" data-testid="act-error">{move || message.get()}</p>
            </div>
        }
    })
}
