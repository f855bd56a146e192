//! 随手拍 / 村民信箱: the resident's report page, phone-first. It is a plain multipart form that
//! posts to `/report` and works without WASM; with WASM it adds the device location or a tap on
//! the map, "already reported?" nearby events, and downscales photos before upload.

use leptos::prelude::*;

use super::api::{get_report_setup, nearby_events};
use super::types::{Category, NearbyEvent, ReportSetup};
use crate::features::auth::api::{PhoneLogin, SendCode};
use crate::features::auth::page::ErrorText;
use crate::i18n::{tr, use_locale};

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
                            Ok(s) => view! { <ResidentSignIn wechat=s.wechat/> }.into_any(),
                            Err(e) => view! { <ErrorText error=e/> }.into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}

/// Phone number and one-time code; WeChat when configured. Plain forms, no WASM needed.
#[component]
fn ResidentSignIn(wechat: bool) -> impl IntoView {
    let send = ServerAction::<SendCode>::new();
    let login = ServerAction::<PhoneLogin>::new();
    let locale = use_locale();
    let err = move |v: Option<Result<(), crate::error::AppError>>| match v {
        Some(Err(e)) => Some(e.message(locale.code())),
        _ => None,
    };
    let sent = move || matches!(send.value().get(), Some(Ok(())));
    Effect::new(move |_| {
        if let Some(Ok(_)) = login.value().get() {
            #[cfg(feature = "hydrate")]
            crate::js::go("/report");
        }
    });
    view! {
        <div class="stack signin">
            <p class="muted">{tr("report.signin_first")}</p>
            {wechat.then(|| view! {
                <a class="button primary" href="/auth/wechat?back=/report" rel="external">
                    {tr("report.wechat")}
                </a>
            })}
            <ActionForm action=send attr:class="stack">
                <label>
                    {tr("fields.phone")}
                    <input type="tel" name="phone" inputmode="numeric" maxlength="11" required data-testid="otp-phone"/>
                </label>
                <button type="submit" data-testid="otp-send">{tr("report.send_code")}</button>
                <p class="error" role="alert">{move || err(send.value().get())}</p>
                <Show when=sent>
                    <p class="ok">{tr("report.code_sent")}</p>
                </Show>
            </ActionForm>
            <ActionForm action=login attr:class="stack">
                <label>
                    {tr("fields.phone")}
                    <input type="tel" name="phone" inputmode="numeric" maxlength="11" required data-testid="otp-phone2"/>
                </label>
                <label>
                    {tr("fields.code")}
                    <input type="text" name="code" inputmode="numeric" maxlength="6" autocomplete="one-time-code" required data-testid="otp-code"/>
                </label>
                <p class="error" role="alert">
                    {move || login.value().get().and_then(|r| r.err()).map(|e| e.message(locale.code()))}
                </p>
                <button type="submit" class="primary" data-testid="otp-login">{tr("nav.login")}</button>
            </ActionForm>
        </div>
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

#[component]
fn ReportForm(setup: ReportSetup) -> impl IntoView {
    let locale = use_locale();
    let category = RwSignal::new(0i64);
    let point = RwSignal::new(None::<(f64, f64)>);
    let error = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let form_ref = NodeRef::<leptos::html::Form>::new();
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
    browser::map_picker(setup.home.clone(), point);
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
                        Ok(id) => crate::js::go(&format!("/events/{id}")),
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
        browser::locate(point, error);
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
                            <a href=format!("/events/{id}")>{no}</a> " · "
                        }
                        .into_any(),
                        _ => ().into_any(),
                    };
                    view! { <li>{label} {category} " · " {state} " · " {within}</li> }
                })
                .collect_view();
            view! {
                <div class="nearby" data-testid="nearby">
                    <strong>{tr("report.already")}</strong>
                    <ul>{items}</ul>
                </div>
            }
        })
    };
    view! {
        <form
            method="post"
            action="/report"
            enctype="multipart/form-data"
            class="stack report-form"
            node_ref=form_ref
            on:submit=on_submit
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
            <label>
                {tr("fields.photo")}
                <input type="file" name="photo" accept="image/*" multiple data-testid="report-photo"/>
            </label>
            <p class="error" role="alert" data-testid="report-error">{move || error.get()}</p>
            <button type="submit" class="primary" disabled=move || busy.get() data-testid="report-submit">
                {tr("report.submit")}
            </button>
        </form>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use js_sys::Object;
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    use super::super::types::HomeGrid;
    use crate::js::{call, circle_marker, geo_json, prop, set};

    pub async fn submit(form: &web_sys::HtmlFormElement) -> Result<i64, String> {
        let data = crate::js::form_with_small_photos(form, "photo")
            .await
            .map_err(|_| crate::i18n::tr("errors.transport"))?;
        let body = crate::js::post_form("/report", &data).await.map_err(|m| {
            if m.is_empty() {
                crate::i18n::tr("errors.transport")
            } else {
                m
            }
        })?;
        prop(&body, &["id"])
            .as_f64()
            .map(|v| v as i64)
            .ok_or_else(|| crate::i18n::tr("errors.internal"))
    }

    pub fn locate(point: RwSignal<Option<(f64, f64)>>, error: RwSignal<String>) {
        let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
            error.set(crate::i18n::tr("report.no_geolocation"));
            return;
        };
        let ok = Closure::once_into_js(move |pos: JsValue| {
            let lng = prop(&pos, &["coords", "longitude"]).as_f64();
            let lat = prop(&pos, &["coords", "latitude"]).as_f64();
            if let (Some(lng), Some(lat)) = (lng, lat) {
                point.set(Some((lng, lat)));
            }
        });
        let msg = crate::i18n::tr("report.no_geolocation");
        let fail = Closure::once_into_js(move |_e: JsValue| error.set(msg));
        let _ = geo.get_current_position_with_error_callback(
            ok.unchecked_ref(),
            Some(fail.unchecked_ref()),
        );
    }

    /// A small map of the reporter's grid; a tap places the point (no tiles needed).
    pub fn map_picker(home: Option<HomeGrid>, point: RwSignal<Option<(f64, f64)>>) {
        let map: StoredValue<Option<leaflet::Map>, LocalStorage> = StoredValue::new_local(None);
        let marker: StoredValue<Option<JsValue>, LocalStorage> = StoredValue::new_local(None);
        Effect::new(move |_| {
            if map.get_value().is_none() {
                let opts = leaflet::MapOptions::new();
                let Ok(m) = leaflet::Map::new("report-map", &opts) else {
                    return;
                };
                let mut fitted = false;
                if let Some(g) = home.as_ref().and_then(|h| h.geometry.clone()) {
                    if let Ok(shape) = js_sys::JSON::parse(&g) {
                        let style = Object::new();
                        set(&style, "color", "#15803d");
                        set(&style, "weight", 2.0);
                        set(&style, "fillOpacity", 0.12);
                        let o = Object::new();
                        set(&o, "style", style);
                        let layer = geo_json(&shape, &o);
                        layer.add_to(&m);
                        let b = call(&layer, "getBounds", &[]);
                        if call(&b, "isValid", &[]).as_bool() == Some(true) {
                            m.fit_bounds(b.unchecked_ref());
                            fitted = true;
                        }
                    }
                }
                if !fitted {
                    m.set_view(&leaflet::LatLng::new(29.03, 119.17), 11.0);
                }
                let on_click = Closure::<dyn Fn(JsValue)>::new(move |e: JsValue| {
                    let lat = prop(&e, &["latlng", "lat"]).as_f64();
                    let lng = prop(&e, &["latlng", "lng"]).as_f64();
                    if let (Some(lat), Some(lng)) = (lat, lng) {
                        point.set(Some((lng, lat)));
                    }
                });
                call(&m, "on", &[&JsValue::from_str("click"), on_click.as_ref()]);
                on_click.forget();
                map.set_value(Some(m));
            }
            if let (Some(m), Some((lng, lat))) = (map.get_value(), point.get()) {
                let ll = js_sys::Array::of2(&JsValue::from_f64(lat), &JsValue::from_f64(lng));
                match marker.get_value() {
                    Some(mk) => {
                        call(&mk, "setLatLng", &[&ll]);
                    }
                    None => {
                        let o = Object::new();
                        set(&o, "radius", 8.0);
                        set(&o, "color", "#b91c1c");
                        let mk = circle_marker(&ll, &o);
                        call(&mk, "addTo", &[m.as_ref()]);
                        marker.set_value(Some(mk));
                    }
                }
            }
        });
    }
}
