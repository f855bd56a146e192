//! The report form's life on the phone, for a villager with a weak or no signal:
//! - a *draft*: what is typed is kept in `localStorage` as it is typed, and put back when the
//!   page is opened again;
//! - an *outbox*: a report that could not be sent (no network) is kept in IndexedDB with its
//!   photos (already downscaled) and its idempotency key, and sent when the network returns
//!   (`online`, and every 20 s while the page is open). The server answers a key it has seen
//!   with the event it made, so a report sent twice is one event.

use js_sys::{Array, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::js::{call, prop, set};

const DRAFT_KEY: &str = "lx.report.draft";
const DB: &str = "lianxin";
const STORE: &str = "outbox";
/// The form fields a draft keeps (the photos are kept only by the outbox).
const FIELDS: [&str; 6] = [
    "category",
    "description",
    "address",
    "urgency",
    "reporter_name",
    "reporter_phone",
];

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn field(form: &web_sys::HtmlFormElement, name: &str) -> JsValue {
    prop(form, &["elements", name])
}

/// Keeps the typed fields (called on every input).
pub fn save_draft(form: &web_sys::HtmlFormElement) {
    let o = Object::new();
    for name in FIELDS {
        let v = prop(&field(form, name), &["value"]);
        if let Some(s) = v.as_string().filter(|s| !s.is_empty()) {
            set(&o, name, s);
        }
    }
    if let (Some(st), Ok(json)) = (storage(), js_sys::JSON::stringify(&o)) {
        let _ = st.set_item(DRAFT_KEY, &String::from(json));
    }
}

/// Puts a kept draft back into empty fields. When something was restored, returns the form's
/// category now, for the page's own state.
pub fn restore_draft(form: &web_sys::HtmlFormElement) -> Option<String> {
    let json = storage()?.get_item(DRAFT_KEY).ok().flatten()?;
    let o = js_sys::JSON::parse(&json).ok()?;
    let mut any = false;
    for name in FIELDS {
        let Some(saved) = prop(&o, &[name]).as_string() else {
            continue;
        };
        let el = field(form, name);
        if el.is_undefined() {
            continue;
        }
        // A radio group is a list: the draft picks its value. A field the person already
        // typed into (before the page came alive) keeps what they typed.
        let current = prop(&el, &["value"]).as_string().unwrap_or_default();
        if name == "urgency" || current.is_empty() {
            set(el.unchecked_ref(), "value", saved);
            any = true;
        }
    }
    any.then(|| {
        prop(&field(form, "category"), &["value"])
            .as_string()
            .unwrap_or_default()
    })
}

pub fn clear_draft() {
    if let Some(st) = storage() {
        let _ = st.remove_item(DRAFT_KEY);
    }
}

/// An IndexedDB request as a promise of its result.
fn request(req: JsValue) -> Promise {
    Promise::new(&mut |resolve, reject| {
        let r = req.clone();
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &prop(&r, &["result"]));
        });
        let failed = Closure::once_into_js(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        set(req.unchecked_ref(), "onsuccess", ok);
        set(req.unchecked_ref(), "onerror", failed);
    })
}

async fn open() -> Result<JsValue, JsValue> {
    let w = web_sys::window().ok_or(JsValue::NULL)?;
    let idb = prop(&w, &["indexedDB"]);
    if idb.is_undefined() || idb.is_null() {
        return Err(JsValue::NULL);
    }
    let req = call(
        &idb,
        "open",
        &[&JsValue::from_str(DB), &JsValue::from_f64(1.0)],
    );
    let upgrade = Closure::once_into_js({
        let req = req.clone();
        move || {
            let db = prop(&req, &["result"]);
            let opts = Object::new();
            set(&opts, "keyPath", "key");
            call(
                &db,
                "createObjectStore",
                &[&JsValue::from_str(STORE), &opts],
            );
        }
    });
    set(req.unchecked_ref(), "onupgradeneeded", upgrade);
    JsFuture::from(request(req)).await
}

async fn store(mode: &str) -> Result<JsValue, JsValue> {
    let db = open().await?;
    let tx = call(
        &db,
        "transaction",
        &[&JsValue::from_str(STORE), &JsValue::from_str(mode)],
    );
    Ok(call(&tx, "objectStore", &[&JsValue::from_str(STORE)]))
}

/// Keeps a report that could not be sent: its fields and photos (strings and blobs) under its
/// idempotency key.
pub async fn keep(key: &str, data: &web_sys::FormData) -> Result<(), JsValue> {
    let entries = Array::new();
    let iter = js_sys::try_iter(data)?.ok_or(JsValue::NULL)?;
    for pair in iter {
        entries.push(&pair?);
    }
    let rec = Object::new();
    set(&rec, "key", key);
    set(&rec, "entries", &entries);
    set(&rec, "saved", js_sys::Date::now());
    let st = store("readwrite").await?;
    JsFuture::from(request(call(&st, "put", &[&rec]))).await?;
    Ok(())
}

/// The kept reports, oldest first.
pub async fn kept() -> Vec<JsValue> {
    let Ok(st) = store("readonly").await else {
        return Vec::new();
    };
    match JsFuture::from(request(call(&st, "getAll", &[]))).await {
        Ok(all) => {
            let mut v: Vec<JsValue> = Array::from(&all).iter().collect();
            v.sort_by(|a, b| {
                let t = |x: &JsValue| prop(x, &["saved"]).as_f64().unwrap_or(0.0);
                t(a).total_cmp(&t(b))
            });
            v
        }
        Err(_) => Vec::new(),
    }
}

pub async fn forget(key: &str) {
    if let Ok(st) = store("readwrite").await {
        let _ = JsFuture::from(request(call(&st, "delete", &[&JsValue::from_str(key)]))).await;
    }
}

/// A kept record as the form data it was.
pub fn form_data(rec: &JsValue) -> Result<web_sys::FormData, JsValue> {
    let data = web_sys::FormData::new()?;
    for pair in Array::from(&prop(rec, &["entries"])).iter() {
        let pair = Array::from(&pair);
        let name = pair.get(0).as_string().unwrap_or_default();
        let value = pair.get(1);
        match value.dyn_into::<web_sys::Blob>() {
            Ok(blob) => data.append_with_blob_and_filename(&name, &blob, "photo.jpg")?,
            Err(v) => data.append_with_str(&name, &v.as_string().unwrap_or_default())?,
        }
    }
    Ok(data)
}

pub fn key_of(rec: &JsValue) -> String {
    prop(rec, &["key"]).as_string().unwrap_or_default()
}

/// Whether the browser believes it has a network (a hint: a send can still fail).
pub fn online() -> bool {
    web_sys::window()
        .map(|w| w.navigator().on_line())
        .unwrap_or(true)
}
