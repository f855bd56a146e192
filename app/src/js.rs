//! Browser-only glue: small reflective helpers over Leaflet and the DOM, photo downscaling, and
//! posting forms with fetch. Compiled into the WASM build only.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

// leaflet 0.5 declares `L.geoJSON` in a private module; bind it here to its public type.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = L, js_name = "geoJSON")]
    pub fn geo_json(geojson: &JsValue, options: &JsValue) -> leaflet::GeoJson;
    #[wasm_bindgen(js_namespace = L, js_name = "circleMarker")]
    pub fn circle_marker(latlng: &JsValue, options: &JsValue) -> JsValue;
}

pub fn set(obj: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value.into());
}

pub fn prop(obj: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(obj.clone(), |o, k| {
        Reflect::get(&o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
    })
}

pub fn call(obj: &JsValue, method: &str, args: &[&JsValue]) -> JsValue {
    let f: Function = match prop(obj, &[method]).dyn_into() {
        Ok(f) => f,
        Err(_) => return JsValue::UNDEFINED,
    };
    let arr = js_sys::Array::new();
    for a in args {
        arr.push(a);
    }
    f.apply(obj, &arr).unwrap_or(JsValue::UNDEFINED)
}

/// Content for a Leaflet tooltip or popup that is text whatever it holds: Leaflet inserts a
/// string as HTML, so data (a unit's name, anything a user typed) goes in as an element whose
/// text is set, never as a string.
pub fn text_content(value: &JsValue) -> JsValue {
    let text = value.as_string().unwrap_or_default();
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return JsValue::UNDEFINED;
    };
    match doc.create_element("span") {
        Ok(el) => {
            el.set_text_content(Some(&text));
            el.into()
        }
        Err(_) => JsValue::UNDEFINED,
    }
}

/// Photos leave the phone at most this many pixels on the long side.
pub const UPLOAD_SIDE: f64 = 1600.0;

/// Re-draws a picked photo on a canvas, at most `UPLOAD_SIDE` px, as JPEG.
pub async fn downscale(file: &web_sys::File) -> Result<web_sys::Blob, JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let bitmap: web_sys::ImageBitmap = JsFuture::from(window.create_image_bitmap_with_blob(file)?)
        .await?
        .dyn_into()?;
    let (w, h) = (bitmap.width() as f64, bitmap.height() as f64);
    let scale = (UPLOAD_SIDE / w.max(h)).min(1.0);
    let (tw, th) = ((w * scale).round(), (h * scale).round());
    let document = window.document().ok_or(JsValue::NULL)?;
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
    canvas.set_width(tw as u32);
    canvas.set_height(th as u32);
    let ctx: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d")?.ok_or(JsValue::NULL)?.dyn_into()?;
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, tw, th)?;
    let promise = Promise::new(&mut |resolve, reject| {
        let done = Closure::once_into_js(move |blob: JsValue| {
            if blob.is_null() {
                let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("toBlob failed"));
            } else {
                let _ = resolve.call1(&JsValue::NULL, &blob);
            }
        });
        let _ = canvas.to_blob_with_type_and_encoder_options(
            done.unchecked_ref(),
            "image/jpeg",
            &JsValue::from_f64(0.85),
        );
    });
    JsFuture::from(promise).await?.dyn_into()
}

/// A form's fields with its photos downscaled; `photo_field` names the file inputs.
pub async fn form_with_small_photos(
    form: &web_sys::HtmlFormElement,
    photo_field: &str,
) -> Result<web_sys::FormData, JsValue> {
    let data = web_sys::FormData::new_with_form(form)?;
    let files = data.get_all(photo_field);
    data.delete(photo_field);
    for f in files.iter() {
        let Ok(file) = f.dyn_into::<web_sys::File>() else {
            continue;
        };
        if file.size() == 0.0 {
            continue;
        }
        match downscale(&file).await {
            Ok(blob) => data.append_with_blob_and_filename(photo_field, &blob, "photo.jpg")?,
            // A format the browser cannot draw goes as it is; the server decides.
            Err(_) => data.append_with_blob_and_filename(photo_field, &file, &file.name())?,
        }
    }
    Ok(data)
}

/// POSTs multipart data and reads JSON back: Ok(body) on 2xx, Err(message) otherwise (empty
/// when the request never got an answer).
pub async fn post_form(url: &str, data: &web_sys::FormData) -> Result<JsValue, String> {
    post_form_status(url, data).await.map_err(|(_, m)| m)
}

/// As `post_form`, with the status of a refusal (0: no answer, the network is down).
pub async fn post_form_status(
    url: &str,
    data: &web_sys::FormData,
) -> Result<JsValue, (u16, String)> {
    let run = async {
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(data);
        let headers = web_sys::Headers::new()?;
        headers.set("Accept", "application/json")?;
        init.set_headers(&headers);
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let resp: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
            .await?
            .dyn_into()?;
        let status = resp.status();
        let body = match resp.json() {
            Ok(p) => JsFuture::from(p).await.unwrap_or(JsValue::UNDEFINED),
            Err(_) => JsValue::UNDEFINED,
        };
        Ok::<_, JsValue>((resp.ok(), status, body))
    };
    match run.await {
        Ok((true, _, body)) => Ok(body),
        Ok((false, status, body)) => Err((
            status,
            prop(&body, &["message"]).as_string().unwrap_or_default(),
        )),
        Err(_) => Err((0, String::new())),
    }
}

pub fn go(href: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_href(href);
    }
}

/// Leaflet (and with `cluster` its marker clustering) loaded into the page on first use: pages
/// without a map never fetch it, and pages with one paint before it arrives. The signal turns
/// true once `L` is there; a map's Effect reads it first.
pub fn leaflet_ready(
    cluster: bool,
) -> leptos::prelude::ReadSignal<bool, leptos::prelude::LocalStorage> {
    use leptos::prelude::*;
    let (ready, set_ready) = signal_local(loaded(cluster));
    if !ready.get_untracked() {
        leptos::task::spawn_local(async move {
            if load_leaflet(cluster).await {
                set_ready.set(true);
            }
        });
    }
    ready
}

/// As [`leaflet_ready`], but nothing is fetched before `gate` turns true: a map below the fold
/// of a phone costs the first load nothing (Leaflet's script and its parsing on a slow CPU).
pub fn leaflet_when(
    cluster: bool,
    gate: leptos::prelude::ReadSignal<bool, leptos::prelude::LocalStorage>,
) -> leptos::prelude::ReadSignal<bool, leptos::prelude::LocalStorage> {
    use leptos::prelude::*;
    let (ready, set_ready) = signal_local(loaded(cluster));
    Effect::new(move |started: Option<bool>| {
        if started == Some(true) || ready.get_untracked() {
            return true;
        }
        if !gate.get() {
            return false;
        }
        leptos::task::spawn_local(async move {
            if load_leaflet(cluster).await {
                set_ready.set(true);
            }
        });
        true
    });
    ready
}

async fn load_leaflet(cluster: bool) -> bool {
    let mut files = vec![
        ("/leaflet/leaflet.css", false),
        ("/leaflet/leaflet.js", true),
    ];
    if cluster {
        files.push(("/leaflet/markercluster/MarkerCluster.css", false));
        files.push(("/leaflet/markercluster/leaflet.markercluster.js", true));
    }
    for (href, script) in files {
        if JsFuture::from(load_once(href, script)).await.is_err() {
            return false;
        }
    }
    true
}

/// Turns true once the element with this id comes into the viewport (or at once where the
/// browser has no IntersectionObserver), and stays true.
pub fn when_near(
    id: &'static str,
) -> leptos::prelude::ReadSignal<bool, leptos::prelude::LocalStorage> {
    use leptos::prelude::*;
    let (near, set_near) = signal_local(false);
    // An Effect: the element exists once the view is mounted or hydrated.
    Effect::new(move |_| {
        let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
        else {
            return;
        };
        let seen = Closure::<dyn Fn(js_sys::Array, web_sys::IntersectionObserver)>::new(
            move |entries: js_sys::Array, obs: web_sys::IntersectionObserver| {
                let hit = entries.iter().any(|e| {
                    e.unchecked_into::<web_sys::IntersectionObserverEntry>()
                        .is_intersecting()
                });
                if hit {
                    set_near.set(true);
                    obs.disconnect();
                }
            },
        );
        let opts = web_sys::IntersectionObserverInit::new();
        opts.set_root_margin("0px");
        match web_sys::IntersectionObserver::new_with_options(seen.as_ref().unchecked_ref(), &opts)
        {
            Ok(obs) => {
                obs.observe(&el);
                seen.forget();
            }
            Err(_) => set_near.set(true),
        }
    });
    near
}

fn loaded(cluster: bool) -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    let l = prop(&w, &["L"]);
    !l.is_undefined() && (!cluster || !prop(&l, &["markerClusterGroup"]).is_undefined())
}

/// One `<script>` or stylesheet `<link>` per address, whoever asks: the promise is kept on the
/// window under the address, so a second map on the page waits for the same load.
fn load_once(href: &str, script: bool) -> Promise {
    let Some(w) = web_sys::window() else {
        return Promise::reject(&JsValue::NULL);
    };
    let cache = match prop(&w, &["__lxLoads"]).dyn_into::<Object>() {
        Ok(o) => o,
        Err(_) => {
            let o = Object::new();
            set(w.unchecked_ref(), "__lxLoads", &o);
            o
        }
    };
    if let Ok(p) = prop(&cache, &[href]).dyn_into::<Promise>() {
        return p;
    }
    let href = href.to_string();
    let p = Promise::new(&mut |resolve, reject| {
        let Some(doc) = w.document() else {
            let _ = reject.call0(&JsValue::NULL);
            return;
        };
        let el = if script {
            doc.create_element("script").inspect(|e| {
                let _ = e.set_attribute("src", &href);
            })
        } else {
            doc.create_element("link").inspect(|e| {
                let _ = e.set_attribute("rel", "stylesheet");
                let _ = e.set_attribute("href", &href);
            })
        };
        let Ok(el) = el else {
            let _ = reject.call0(&JsValue::NULL);
            return;
        };
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let failed = Closure::once_into_js(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        set(el.unchecked_ref(), "onload", ok);
        set(el.unchecked_ref(), "onerror", failed);
        if let Some(head) = doc.head() {
            let _ = head.append_child(&el);
        }
    });
    set(&cache, &href, &p);
    p
}
