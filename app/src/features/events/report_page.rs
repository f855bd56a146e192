//! 随手拍 / 村民信箱: the resident's report page, phone-first. It is a plain multipart form that
//! posts to `/report` and works without WASM; with WASM it adds the device location or a tap on
//! the map, "already reported?" nearby events, downscales photos before upload, keeps a draft
//! as it is typed, and keeps a report made without a network until it can be sent (`outbox`).

use leptos::prelude::*;

use super::report_api::{get_report_setup, join_report, nearby_events};
use super::report_signin::ResidentSignIn;
use super::types::{Category, NearbyEvent, ReportSetup};
use crate::domain::event::Urgency;
use crate::i18n::{tr, use_locale};
use crate::ui::answer::ErrorText;

#[component]
pub fn ReportPage() -> impl IntoView {
    let setup = Resource::new(|| (), |_| get_report_setup());
    view! {
        <section class="report" data-testid="report-page">
            <h1>{tr("report.title")}</h1>
            <Suspense fallback=move || view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || {
                    setup
                        .get()
                        .map(|r| match r {
                            Ok(s) if s.signed_in => view! { <ReportForm setup=s/> }.into_any(),
                            Ok(s) => view! { <ResidentSignIn wechat=s.wechat code_phone=s.code_phone/> }.into_any(),
                            Err(e) => view! { <ErrorText error=e/> }.into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}

fn boards(categories: &[Category], locale: &str) -> Vec<(String, Vec<(i64, String)>)> {
    let mut out: Vec<(String, Vec<(i64, String)>)> = Vec::new();
    for c in categories {
        let name = (c.id, c.name(locale).to_string());
        match out.iter_mut().find(|(b, _)| *b == c.board) {
            Some((_, v)) => v.push(name),
            None => out.push((c.board.clone(), vec![name])),
        }
    }
    out
}

/// An island: the villagers' build hydrates this form and nothing else of the page (the
/// frame, the menu and the sign-in forms are plain HTML that works without it). In the split
/// build the island's entry point is lazy, so the form stays in its page's chunk rather than
/// in the main module every staff page loads; both render the same HTML.
#[cfg_attr(all(feature = "villager", not(feature = "tracker")), island)]
#[cfg_attr(not(feature = "villager"), island(lazy))]
#[cfg_attr(feature = "tracker", component)]
pub fn ReportForm(setup: ReportSetup) -> impl IntoView {
    let locale = use_locale();
    let category = RwSignal::new(0i64);
    let point = RwSignal::new(None::<(f64, f64)>);
    let error = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let form_ref = NodeRef::<leptos::html::Form>::new();
    // Where a report made without a network stands: kept on the phone, sending, received.
    let sending = RwSignal::new(Sending::Idle);
    #[cfg(feature = "hydrate")]
    browser::keep_alive(form_ref, category, sending);
    // Fetched in the browser only (an Effect), so the server render never waits on it.
    let nearby = RwSignal::new(Vec::<NearbyEvent>::new());
    Effect::new(move |_| {
        let (c, p) = (category.get(), point.get());
        leptos::task::spawn_local(async move {
            let found = match p {
                Some((lng, lat)) if c > 0 => nearby_events(c, lng, lat).await.unwrap_or_default(),
                _ => Vec::new(),
            };
            nearby.set(found);
        });
    });
    let groups = boards(&setup.categories, locale.code())
        .into_iter()
        .map(|(board, cats)| {
            let label = tr(&format!("boards.{board}"));
            let options = cats
                .into_iter()
                .map(|(id, name)| view! { <option value=id.to_string()>{name}</option> })
                .collect_view();
            view! { <optgroup label=label>{options}</optgroup> }
        })
        .collect_view();
    let home_name = setup.home.as_ref().map(|h| h.name.clone());
    let channels = setup
        .channels
        .iter()
        .enumerate()
        .map(|(i, ch)| {
            view! {
                <label>
                    <input type="radio" name="channel" value=ch.clone() checked=i == 0 data-testid=format!("channel-{ch}")/>
                    {tr(&format!("report.channel_{ch}"))}
                </label>
            }
        })
        .collect_view();
    // Staff channels: the caller on the line (hotline) and the grid, named rather than tapped.
    let staff = (!setup.grids.is_empty()).then(|| {
        let hotline = setup.channels.iter().any(|c| c == "hotline");
        let grids = setup
            .grids
            .iter()
            .map(|g| view! { <option value=g.id.to_string()>{g.name.clone()}</option> })
            .collect_view();
        view! {
            <div class="staff-fields">
                <label>
                    {tr("report.grid")}
                    <select name="grid" data-testid="report-grid">
                        <option value="">{tr("report.choose")}</option>
                        {grids}
                    </select>
                </label>
                {hotline.then(|| view! {
                    <label>
                        {tr("report.caller_name")}
                        <input type="text" name="reporter_name" maxlength="40"/>
                    </label>
                    <label>
                        {tr("report.caller_phone")}
                        <input type="tel" name="reporter_phone" maxlength="11" inputmode="numeric"/>
                    </label>
                })}
            </div>
        }
    });
    #[cfg(feature = "hydrate")]
    super::report_map::map_picker(setup.home.clone(), setup.around.clone(), point);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            ev.prevent_default();
            if busy.get_untracked() {
                return;
            }
            if let Some(form) = form_ref.get_untracked() {
                busy.set(true);
                error.set(String::new());
                leptos::task::spawn_local(async move {
                    match browser::submit(&form).await {
                        Ok(browser::Outcome::Sent(id)) => crate::js::go(&format!("/events/{id}")),
                        Ok(browser::Outcome::Kept) => {
                            sending.set(Sending::Kept);
                            busy.set(false);
                        }
                        Err(msg) => {
                            error.set(msg);
                            busy.set(false);
                        }
                    }
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, form_ref);
    };
    let locate = move |_| {
        #[cfg(feature = "hydrate")]
        super::report_map::locate(point, error);
    };
    let point_text = move || match point.get() {
        Some((lng, lat)) => format!("{lat:.5}, {lng:.5}"),
        None => match &home_name {
            Some(n) => format!("{} {n}", tr("report.default_grid")),
            None => tr("report.no_location"),
        },
    };
    let lng = move || {
        point
            .get()
            .map(|p| format!("{:.6}", p.0))
            .unwrap_or_default()
    };
    let lat = move || {
        point
            .get()
            .map(|p| format!("{:.6}", p.1))
            .unwrap_or_default()
    };
    let joined = RwSignal::new(None::<i64>);
    let me_too = move |token: String| {
        leptos::task::spawn_local(async move {
            match join_report(token, String::new()).await {
                Ok(id) => {
                    joined.set(Some(id));
                    #[cfg(feature = "hydrate")]
                    crate::js::go(&format!("/events/{id}"));
                }
                Err(e) => error.set(e.message(locale.code())),
            }
        });
    };
    let nearby_view = move || {
        Some(nearby.get()).filter(|v| !v.is_empty()).map(|list| {
            let items = list
                .into_iter()
                .map(|n| {
                    let state = tr(&format!("states.{}", n.state));
                    let category = if locale.code() == "en" {
                        n.category_en.clone()
                    } else {
                        n.category_zh.clone()
                    };
                    let within =
                        rust_i18n::t!("report.within", locale = locale.code(), m = n.within_m)
                            .into_owned();
                    let label = match (n.id, n.tracking_no) {
                        (Some(id), Some(no)) => view! {
                            <a href=format!("/events/{id}") data-testid="nearby-open">{no}</a> " · "
                        }
                        .into_any(),
                        _ => ().into_any(),
                    };
                    let join = n.join.map(|token| {
                        view! {
                            <button type="button" class="me-too" data-testid="me-too"
                                on:click=move |_| me_too(token.clone())>
                                {tr("report.me_too")}
                            </button>
                        }
                    });
                    view! { <li>{label} {category} " · " {state} " · " {within} " " {join}</li> }
                })
                .collect_view();
            view! {
                <div class="nearby" data-testid="nearby">
                    <strong>{tr("report.already")}</strong>
                    <p class="muted">{tr("report.me_too_hint")}</p>
                    <ul>{items}</ul>
                </div>
            }
        })
    };
    let urgencies = Urgency::ALL
        .into_iter()
        .map(|u| {
            view! {
                <label>
                    <input type="radio" name="urgency" value=u.as_str() checked=u == Urgency::Normal
                        data-testid=format!("urgency-{}", u.as_str())/>
                    {tr(&format!("urgency.{}", u.as_str()))}
                </label>
            }
        })
        .collect_view();
    view! {
        <form
            method="post"
            action="/report"
            enctype="multipart/form-data"
            class="stack report-form"
            node_ref=form_ref
            on:submit=on_submit
            on:input=move |_| {
                #[cfg(feature = "hydrate")]
                if let Some(f) = form_ref.get_untracked() {
                    super::outbox::save_draft(&f);
                }
            }
            data-testid="report-form"
        >
            <input type="hidden" name="idem_key" value=setup.idem_key.clone()/>
            <fieldset class="channel">{channels}</fieldset>
            {staff}
            <label>
                {tr("fields.category")}
                <select
                    name="category"
                    required
                    data-testid="report-category"
                    on:change=move |ev| category.set(event_target_value(&ev).parse().unwrap_or(0))
                >
                    <option value="">{tr("report.choose")}</option>
                    {groups}
                </select>
            </label>
            <label>
                {tr("fields.description")}
                <textarea name="description" required minlength="5" maxlength="1000" rows="4" data-testid="report-description"></textarea>
            </label>
            <label>
                {tr("fields.address")}
                <input type="text" name="address" maxlength="200"/>
            </label>
            <div class="locate">
                <button type="button" on:click=locate data-testid="report-locate">{tr("report.use_location")}</button>
                <span class="muted" data-testid="report-point">{point_text}</span>
            </div>
            <div id="report-map" class="report-map" data-testid="report-map"></div>
            <input type="hidden" name="lng" prop:value=lng/>
            <input type="hidden" name="lat" prop:value=lat/>
            {nearby_view}
            <fieldset class="urgency">
                <legend>{tr("fields.urgency")}</legend>
                {urgencies}
                <p class="muted">{tr("report.urgency_hint")}</p>
            </fieldset>
            <label>
                {tr("fields.photo")}
                <input type="file" name="photo" accept="image/*" multiple data-testid="report-photo"/>
            </label>
            <p class="error" role="alert" data-testid="report-error">{move || error.get()}</p>
            <SendingStatus sending/>
            <button type="submit" class="primary" disabled=move || busy.get() data-testid="report-submit">
                {tr("report.submit")}
            </button>
        </form>
    }
}

/// Where a report made without a network stands (set by the browser side only).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Sending {
    Idle,
    /// Kept on the phone; sent when the network returns.
    Kept,
    InFlight,
    /// Received by the server: its id and tracking number.
    Received(i64, String),
}

#[component]
fn SendingStatus(sending: RwSignal<Sending>) -> impl IntoView {
    move || {
        let (class, text, link) = match sending.get() {
            Sending::Idle => return ().into_any(),
            Sending::Kept => ("warn banner", tr("report.kept"), None),
            Sending::InFlight => ("muted", tr("report.sending"), None),
            Sending::Received(id, no) => (
                "ok banner",
                format!("{} {no}", tr("report.received")),
                Some(id),
            ),
        };
        view! {
            <p class=class role="status" data-testid="report-status">
                {text}
                {link.map(|id| view! { " " <a href=format!("/events/{id}") data-testid="report-status-open">{tr("report.open")}</a> })}
            </p>
        }
        .into_any()
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;

    use wasm_bindgen::JsCast;

    use super::super::outbox;
    use super::Sending;
    use crate::js::prop;

    pub enum Outcome {
        Sent(i64),
        /// No network: kept on the phone.
        Kept,
    }

    fn message(status: u16, m: String) -> String {
        if m.is_empty() {
            crate::i18n::tr(if status == 0 {
                "errors.transport"
            } else {
                "errors.internal"
            })
        } else {
            m
        }
    }

    pub async fn submit(form: &web_sys::HtmlFormElement) -> Result<Outcome, String> {
        let data = crate::js::form_with_small_photos(form, "photo")
            .await
            .map_err(|_| crate::i18n::tr("errors.transport"))?;
        let key = data.get("idem_key").as_string().unwrap_or_default();
        match crate::js::post_form_status("/report", &data).await {
            Ok(body) => {
                outbox::clear_draft();
                prop(&body, &["id"])
                    .as_f64()
                    .map(|v| Outcome::Sent(v as i64))
                    .ok_or_else(|| crate::i18n::tr("errors.internal"))
            }
            Err((0, _)) if !key.is_empty() => {
                outbox::keep(&key, &data)
                    .await
                    .map_err(|_| crate::i18n::tr("errors.transport"))?;
                outbox::clear_draft();
                form.reset();
                // The next report typed on this page is another event: a key of its own.
                let fresh: String = (0..24)
                    .map(|_| format!("{:x}", (js_sys::Math::random() * 16.0) as u8))
                    .collect();
                crate::js::set(
                    prop(form, &["elements", "idem_key"]).unchecked_ref(),
                    "value",
                    fresh,
                );
                Ok(Outcome::Kept)
            }
            Err((status, m)) => Err(message(status, m)),
        }
    }

    /// Sends what the outbox holds, oldest first; stops at the first that meets no network.
    async fn flush(sending: RwSignal<Sending>) {
        for rec in outbox::kept().await {
            let key = outbox::key_of(&rec);
            let Ok(data) = outbox::form_data(&rec) else {
                outbox::forget(&key).await;
                continue;
            };
            sending.set(Sending::InFlight);
            match crate::js::post_form_status("/report", &data).await {
                Ok(body) => {
                    outbox::forget(&key).await;
                    let id = prop(&body, &["id"]).as_f64().unwrap_or(0.0) as i64;
                    let no = prop(&body, &["tracking_no"])
                        .as_string()
                        .unwrap_or_default();
                    sending.set(Sending::Received(id, no));
                }
                // Not signed in any more, too many at once, the server busy: kept for later.
                Err((0 | 401 | 429 | 500..=599, _)) => {
                    sending.set(Sending::Kept);
                    return;
                }
                // Refused for what it says: nothing later would change that.
                Err(_) => outbox::forget(&key).await,
            }
        }
    }

    /// On the page's first run: the draft back into the form, the outbox sent, and again
    /// whenever the browser says the network is back (and every 20 s while anything waits).
    pub fn keep_alive(
        form_ref: NodeRef<leptos::html::Form>,
        category: RwSignal<i64>,
        sending: RwSignal<Sending>,
    ) {
        let running = StoredValue::new(false);
        let run = move || {
            if running.get_value() {
                return;
            }
            running.set_value(true);
            leptos::task::spawn_local(async move {
                flush(sending).await;
                running.set_value(false);
            });
        };
        Effect::new(move |done: Option<()>| {
            if done.is_some() {
                return;
            }
            if let Some(f) = form_ref.get() {
                if let Some(c) = outbox::restore_draft(&f) {
                    category.set(c.parse().unwrap_or(0));
                }
            }
            run();
        });
        let handle = window_event_listener(leptos::ev::online, move |_| run());
        on_cleanup(move || handle.remove());
        if let Ok(h) = set_interval_with_handle(
            move || {
                if sending.get_untracked() == Sending::Kept && outbox::online() {
                    run();
                }
            },
            std::time::Duration::from_secs(20),
        ) {
            on_cleanup(move || h.clear());
        }
    }
}
