//! The actions this user may take on an event now, with what each needs: a note for every one
//! (kept in the timeline; the text itself for a rejection, a result, a supervision), a target, a
//! number to merge into, the hours of an extension, how it ended, its urgency, the rating.

use leptos::prelude::*;

use super::event_view::action_label;
use crate::domain::event::notes::NoteUse;
use crate::domain::event::{Action, ActionKind, Assignee, Resolution, Scores, Urgency};
use crate::features::events::api::{event_act, get_dispatch_targets, get_reply_templates};
use crate::features::events::report_api::find_report;
use crate::features::events::types::{DispatchTargets, EventDetail};
use crate::i18n::{tr, use_locale};

/// Builds the action of `kind` from what the panel holds; Err is a message for the user.
struct Inputs {
    note: String,
    target: String,
    merge_into: Option<i64>,
    hours: String,
    outcome: String,
    outcome_ref: String,
    urgency: String,
    scores: [u8; 4],
    deny: bool,
}

fn build(kind: ActionKind, i: &Inputs) -> Result<Action, String> {
    let note = i.note.trim().to_string();
    Ok(match kind {
        ActionKind::Verify => Action::Verify,
        ActionKind::Reject => Action::Reject { reason: note },
        ActionKind::Merge => Action::Merge {
            into: i.merge_into.ok_or_else(|| tr("event.merge_unknown"))?,
        },
        ActionKind::Dispatch => Action::Dispatch {
            to: match i.target.split_once(':') {
                Some(("u", v)) => Assignee::User(v.parse().unwrap_or(0)),
                Some((_, v)) => Assignee::Department(v.parse().unwrap_or(0)),
                None => return Err(tr("event.choose_target")),
            },
        },
        ActionKind::TakeOn => Action::TakeOn,
        ActionKind::Escalate => Action::Escalate,
        ActionKind::SendDown => Action::SendDown,
        ActionKind::Accept => Action::Accept,
        ActionKind::Progress => Action::Progress { note },
        ActionKind::Resolve => Action::Resolve {
            note,
            outcome: match i.outcome.as_str() {
                "referred" => Resolution::Referred {
                    to: i.outcome_ref.clone(),
                },
                "cannot_fix" => Resolution::CannotFix,
                "duplicate" => Resolution::Duplicate {
                    of: i.outcome_ref.trim().to_ascii_uppercase(),
                },
                _ => Resolution::Solved,
            },
        },
        ActionKind::ResolveOnSpot => Action::ResolveOnSpot { note },
        ActionKind::Return => Action::Return { reason: note },
        ActionKind::RequestExtension => Action::RequestExtension {
            hours: i.hours.trim().parse().unwrap_or(0),
        },
        ActionKind::DecideExtension => Action::DecideExtension { approve: !i.deny },
        ActionKind::AddCoHandler => Action::AddCoHandler {
            department: i
                .target
                .split_once(':')
                .and_then(|(_, v)| v.parse().ok())
                .ok_or_else(|| tr("event.choose_target"))?,
        },
        ActionKind::Supervise => Action::Supervise { note },
        ActionKind::Rate => {
            let [attitude, ability, conduct, result] = i.scores;
            if i.scores.contains(&0) {
                return Err(tr("rating.incomplete"));
            }
            Action::Rate {
                scores: Scores {
                    attitude,
                    ability,
                    conduct,
                    result,
                },
            }
        }
        ActionKind::Recall => Action::Recall,
        ActionKind::SetUrgency => Action::SetUrgency {
            urgency: Urgency::parse(&i.urgency).unwrap_or_default(),
        },
        ActionKind::FollowUp | ActionKind::AutoClose => return Err(String::new()),
    })
}

/// The note being typed on an event, held by the page around the event's view: a live change or
/// the feed's hello on connect reloads the event and rebuilds the panel, and what the user had
/// typed must survive that. Kept per event, so another event's panel starts empty.
#[derive(Clone, Copy)]
pub struct NoteDraft(RwSignal<(i64, String)>);

impl NoteDraft {
    /// Provides one for the views below the calling page.
    pub fn provide() {
        provide_context(NoteDraft(RwSignal::new((0, String::new()))));
    }

    fn text(self, id: i64) -> String {
        self.0
            .with(|(on, t)| if *on == id { t.clone() } else { String::new() })
    }

    fn text_untracked(self, id: i64) -> String {
        self.0
            .with_untracked(|(on, t)| if *on == id { t.clone() } else { String::new() })
    }

    fn set(self, id: i64, text: String) {
        self.0.set((id, text));
    }
}

#[component]
pub fn ActionPanel(
    d: EventDetail,
    on_done: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let locale = use_locale();
    let message = RwSignal::new(String::new());
    let card = StoredValue::new(d.card.clone());
    let id = d.card.id;
    let note =
        use_context::<NoteDraft>().unwrap_or_else(|| NoteDraft(RwSignal::new((id, String::new()))));
    let target = RwSignal::new(String::new());
    let merge_no = RwSignal::new(String::new());
    let hours = RwSignal::new(String::new());
    let outcome = RwSignal::new("solved".to_string());
    let outcome_ref = RwSignal::new(String::new());
    let urgency = RwSignal::new(d.card.urgency.clone());
    let scores = RwSignal::new([0u8; 4]);
    let photo_ids = RwSignal::new(Vec::<i64>::new());
    let deny = RwSignal::new(false);
    let allowed: Vec<ActionKind> = d
        .allowed
        .iter()
        .copied()
        .filter(|k| !matches!(k, ActionKind::AutoClose | ActionKind::FollowUp))
        .collect();
    let has = |k: ActionKind| allowed.contains(&k);
    let needs_targets = has(ActionKind::Dispatch) || has(ActionKind::AddCoHandler);
    // Fetched in the browser only, so the server render never waits on them.
    let targets = RwSignal::new(None::<DispatchTargets>);
    let templates = RwSignal::new(Vec::new());
    let any_note = allowed.iter().any(|k| k.note_use() != NoteUse::Never);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            if needs_targets {
                targets.set(get_dispatch_targets(id).await.ok());
            }
            if any_note {
                templates.set(get_reply_templates(id).await.unwrap_or_default());
            }
        });
    });
    // What is typed or chosen is read from the fields themselves when acting: text typed before
    // the page finished hydrating has no input event behind it, and must not be lost.
    let note_ref = NodeRef::<leptos::html::Textarea>::new();
    let target_ref = NodeRef::<leptos::html::Select>::new();
    let field =
        |r: Option<String>, fallback: String| r.filter(|v| !v.is_empty()).unwrap_or(fallback);
    let act = move |kind: ActionKind| {
        let on_done = on_done.clone();
        let typed_note = field(
            note_ref.get_untracked().map(|t| t.value()),
            note.text_untracked(id),
        );
        let chosen_target = field(
            target_ref.get_untracked().map(|t| t.value()),
            target.get_untracked(),
        );
        leptos::task::spawn_local(async move {
            // A merge names the other event by its tracking number.
            let merge_into = if kind == ActionKind::Merge {
                find_report(merge_no.get_untracked()).await.ok()
            } else {
                None
            };
            let inputs = Inputs {
                note: typed_note,
                target: chosen_target,
                merge_into,
                hours: hours.get_untracked(),
                outcome: outcome.get_untracked(),
                outcome_ref: outcome_ref.get_untracked(),
                urgency: urgency.get_untracked(),
                scores: scores.get_untracked(),
                deny: deny.get_untracked(),
            };
            let action = match build(kind, &inputs) {
                Ok(a) => a,
                Err(m) => {
                    message.set(m);
                    return;
                }
            };
            let c = card.get_value();
            let photos = photo_ids.get_untracked();
            match event_act(c.id, c.version, action, photos, inputs.note).await {
                Ok(_) => {
                    message.set(String::new());
                    note.set(id, String::new());
                    on_done();
                }
                Err(e) => message.set(e.message(locale.code())),
            }
        });
    };
    let target_options = move || {
        targets.get().map(|t| {
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
    let buttons = allowed
        .iter()
        .copied()
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
    let template_options = move || {
        let list = templates.get();
        (!list.is_empty()).then(|| {
            let en = locale.code() == "en";
            let opts = list
                .into_iter()
                .map(|t| {
                    let text = if en { t.text_en } else { t.text_zh };
                    let value = text.clone();
                    view! { <option value=value>{text}</option> }
                })
                .collect_view();
            view! {
                <label>
                    {tr("event.templates")}
                    <select data-testid="act-template" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if !v.is_empty() {
                            note.set(id, v);
                        }
                    }>
                        <option value="">{tr("event.choose_template")}</option>
                        {opts}
                    </select>
                </label>
            }
        })
    };
    let photo_needed = has(ActionKind::Resolve) || has(ActionKind::ResolveOnSpot);
    (!allowed.is_empty()).then(|| {
        view! {
            <div class="actions stack" data-testid="actions">
                {needs_targets.then(|| view! {
                    <label>
                        {tr("fields.target")}
                        <select data-testid="act-target" node_ref=target_ref on:change=move |ev| target.set(event_target_value(&ev))>
                            {target_options}
                        </select>
                    </label>
                })}
                {has(ActionKind::Merge).then(|| view! {
                    <label>
                        {tr("event.merge_into")}
                        <input type="text" maxlength="24" placeholder="LX…" data-testid="act-merge"
                            on:input=move |ev| merge_no.set(event_target_value(&ev))/>
                    </label>
                })}
                {has(ActionKind::RequestExtension).then(|| view! {
                    <label>
                        {tr("fields.hours")}
                        <input type="number" min="1" max="720" inputmode="numeric" data-testid="act-hours"
                            on:input=move |ev| hours.set(event_target_value(&ev))/>
                    </label>
                })}
                {has(ActionKind::SetUrgency).then(|| {
                    let current = d.card.urgency.clone();
                    view! {
                        <label>
                            {tr("fields.urgency")}
                            <select data-testid="act-urgency" on:change=move |ev| urgency.set(event_target_value(&ev))>
                                {Urgency::ALL.into_iter().map(|u| view! {
                                    <option value=u.as_str() selected=u.as_str() == current>{tr(&format!("urgency.{}", u.as_str()))}</option>
                                }).collect_view()}
                            </select>
                        </label>
                    }
                })}
                {has(ActionKind::Resolve).then(|| view! {
                    <fieldset class="outcome">
                        <legend>{tr("outcome.title")}</legend>
                        <select data-testid="act-outcome" on:change=move |ev| outcome.set(event_target_value(&ev))>
                            {["solved", "referred", "cannot_fix", "duplicate"].into_iter().map(|o| view! {
                                <option value=o>{tr(&format!("outcome.{o}"))}</option>
                            }).collect_view()}
                        </select>
                        <Show when=move || matches!(outcome.get().as_str(), "referred" | "duplicate")>
                            <input type="text" maxlength="100" data-testid="act-outcome-ref"
                                placeholder=move || if outcome.get() == "duplicate" { "LX…".to_string() } else { tr("outcome.to") }
                                on:input=move |ev| outcome_ref.set(event_target_value(&ev))/>
                        </Show>
                    </fieldset>
                })}
                {has(ActionKind::Rate).then(|| view! { <Rating scores=scores/> })}
                {any_note.then(|| view! {
                    {template_options}
                    <label>
                        {tr("fields.note")}
                        <textarea rows="2" maxlength="2000" data-testid="act-note" node_ref=note_ref
                            prop:value=move || note.text(id)
                            on:input=move |ev| note.set(id, event_target_value(&ev))></textarea>
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

/// Four labelled rows of five stars (radio buttons, so a keyboard and a screen reader can use
/// them); nothing is chosen for the resident, and the form says what counts as dissatisfied.
#[component]
fn Rating(scores: RwSignal<[u8; 4]>) -> impl IntoView {
    let locale = use_locale();
    let rows = ["attitude", "ability", "conduct", "result"]
        .into_iter()
        .enumerate()
        .map(|(i, key)| {
            let stars = (1..=5u8)
                .map(|n| {
                    let label =
                        rust_i18n::t!("rating.stars", locale = locale.code(), n = n).into_owned();
                    let title = label.clone();
                    view! {
                        <label class="star" title=title>
                            <input type="radio" name=format!("score-{key}") value=n.to_string()
                                data-testid=format!("score-{i}-{n}")
                                on:change=move |_| scores.update(|s| s[i] = n)/>
                            <span aria-hidden="true">{move || if scores.get()[i] >= n { "★" } else { "☆" }}</span>
                            <span class="sr-only">{label}</span>
                        </label>
                    }
                })
                .collect_view();
            view! {
                <div class="star-row" role="radiogroup" aria-label=tr(&format!("scores.{key}"))>
                    <span class="dim">{tr(&format!("scores.{key}"))}</span>
                    {stars}
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="rating" data-testid="rating">
            <legend>{tr("rating.title")}</legend>
            {rows}
            <p class="muted">{tr("rating.hint")}</p>
        </fieldset>
    }
}
