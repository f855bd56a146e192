//! `/services/proxy`: a proxy's 代办 tasks (the village's requests nobody holds, and their own
//! with the next step), or for the command roles every request under their unit with its light.
//! `ProxyCard` is also the resident's view of their own requests on `/services`.

use leptos::prelude::*;

use super::proxy_api::{get_proxy_tasks, ProxyAct};
use super::types::{ProxyTasks, ProxyView};
use crate::i18n::{tr, use_locale};
use crate::ui::answer::{answer, ErrorText};
use crate::ui::time::when;

/// Who is looking at a card, which decides its buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    Requester,
    /// A proxy; `me` is their account.
    Proxy(i64),
    Overseer,
}

#[component]
pub fn ProxyPage() -> impl IntoView {
    let act = ServerAction::<ProxyAct>::new();
    let data = Resource::new(move || act.version().get(), |_| get_proxy_tasks());
    let failure = move || {
        act.value()
            .get()
            .and_then(|r| r.err())
            .map(|e| view! { <div data-testid="proxy-error"><ErrorText error=e/></div> })
    };
    view! {
        <section class="services-page proxy-page" data-testid="proxy-page">
            <p><a href="/services">{tr("services.title")}</a></p>
            <h1>{tr("services.proxy_tasks")}</h1>
            {failure}
            <Suspense fallback=|| view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || data.get().map(|r| answer(r, |t| view! { <Tasks t=t act=act/> }.into_any()))}
            </Suspense>
        </section>
    }
}

#[component]
fn Tasks(t: ProxyTasks, act: ServerAction<ProxyAct>) -> impl IntoView {
    let intro = if t.proxy {
        tr("services.proxy_intro")
    } else {
        tr("services.proxy_oversee")
    };
    let viewer = if t.proxy {
        Viewer::Proxy(t.me)
    } else {
        Viewer::Overseer
    };
    let cards = if t.requests.is_empty() {
        view! { <p class="muted">{tr("services.proxy_none")}</p> }.into_any()
    } else {
        t.requests
            .into_iter()
            .map(|p| view! { <ProxyCard p=p viewer=viewer act=act/> })
            .collect_view()
            .into_any()
    };
    view! {
        <p class="muted">{intro}</p>
        <div class="service-items">{cards}</div>
    }
}

fn step_form(
    act: ServerAction<ProxyAct>,
    id: i64,
    action: &'static str,
    label: String,
    note: bool,
) -> AnyView {
    let note_field = note.then(|| {
        view! { <input type="text" name="note" maxlength="300" placeholder=tr("fields.note") data-testid="proxy-note"/> }
    });
    view! {
        <ActionForm action=act attr:class="inline">
            <input type="hidden" name="id" value=id.to_string()/>
            <input type="hidden" name="action" value=action/>
            {note_field}
            <button type="submit" class="primary" data-testid=format!("proxy-{action}")>{label}</button>
        </ActionForm>
    }
    .into_any()
}

#[component]
pub fn ProxyCard(p: ProxyView, viewer: Viewer, act: ServerAction<ProxyAct>) -> impl IntoView {
    let name = if use_locale().code() == "en" {
        p.item_en.clone()
    } else {
        p.item_zh.clone()
    };
    let light = p.light.clone().map(|l| {
        view! { <span class=format!("chip light-{l}") data-testid="proxy-light">{tr(&format!("services.light_{l}"))}</span> }
    });
    let state = p.state.as_str();
    let actions = match viewer {
        Viewer::Proxy(me) => match (state, p.proxy_user) {
            ("requested", None) => Some(step_form(
                act,
                p.id,
                "take",
                tr("services.proxy_take"),
                false,
            )),
            ("taken" | "collected" | "submitted", Some(u)) if u == me => Some(step_form(
                act,
                p.id,
                "advance",
                tr(&format!("services.proxy_next_{state}")),
                true,
            )),
            _ => None,
        },
        Viewer::Requester => match state {
            "returned" => {
                let stars = (1..=5u8)
                    .rev()
                    .map(|n| {
                        view! {
                            <label class="star"><input type="radio" name="stars" value=n.to_string() required data-testid=format!("proxy-stars-{n}")/> {n} "★"</label>
                        }
                    })
                    .collect_view();
                Some(
                    view! {
                        <ActionForm action=act attr:class="inline" attr:data-testid="proxy-rate-form">
                            <input type="hidden" name="id" value=p.id.to_string()/>
                            <input type="hidden" name="action" value="rate"/>
                            {stars}
                            <button type="submit" class="primary" data-testid="proxy-rate">{tr("services.proxy_rate")}</button>
                        </ActionForm>
                    }
                    .into_any(),
                )
            }
            "requested" | "taken" | "collected" => Some(step_form(
                act,
                p.id,
                "withdraw",
                tr("services.proxy_withdraw"),
                false,
            )),
            _ => None,
        },
        Viewer::Overseer => None,
    };
    let steps = p
        .steps
        .iter()
        .map(|s| {
            view! {
                <li data-testid="proxy-step" data-state=s.state.clone()>
                    <span class="muted">{when(s.at)}</span> " " <strong>{tr(&format!("services.proxy_states_{}", s.state))}</strong>
                    {(!s.note.is_empty()).then(|| view! { " · " <span>{s.note.clone()}</span> })}
                </li>
            }
        })
        .collect_view();
    let by = p.proxy_name.clone().map(|n| {
        view! { <dt>{tr("services.proxy_by")}</dt><dd data-testid="proxy-by">{n}</dd> }
    });
    let rated = p
        .stars
        .map(|n| view! { <dt>{tr("fields.stars")}</dt><dd>{n} "★"</dd> });
    view! {
        <article class="service-item proxy" data-testid="proxy-card" data-state=p.state.clone()>
            <h3><span data-testid="proxy-state">{tr(&format!("services.proxy_states_{state}"))}</span> " · " {name} " " {light}</h3>
            <dl class="facts">
                {(!p.note.is_empty()).then(|| view! { <dt>{tr("fields.note")}</dt><dd>{p.note.clone()}</dd> })}
                {by}
                <dt>{tr("services.proxy_due")}</dt><dd>{when(p.due_at)}</dd>
                {rated}
            </dl>
            <ol class="plain steps">{steps}</ol>
            {actions}
        </article>
    }
}
