//! The live feed (`/live`) for a page: one EventSource, created in an Effect and kept in a local
//! stored value (browser only), closed when the page goes. `on_change` gets the event id of a
//! change, or None for a resync (the first message of every connection, and after a gap).

use leptos::prelude::*;

/// Whether the feed is connected; stays false on the server.
#[derive(Clone, Copy)]
pub struct LiveStatus(pub RwSignal<bool>);

pub fn on_live_change(on_change: impl Fn(Option<i64>) + 'static) -> LiveStatus {
    let live = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    browser::listen(on_change, live);
    #[cfg(not(feature = "hydrate"))]
    let _ = on_change;
    LiveStatus(live)
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    use crate::js::prop;

    pub fn listen(on_change: impl Fn(Option<i64>) + 'static, live: RwSignal<bool>) {
        let source: StoredValue<Option<web_sys::EventSource>, LocalStorage> =
            StoredValue::new_local(None);
        let on_change = std::rc::Rc::new(on_change);
        Effect::new(move |_| {
            if source.get_value().is_some() {
                return;
            }
            let Ok(es) = web_sys::EventSource::new("/live") else {
                return;
            };
            let f = on_change.clone();
            let change = Closure::<dyn Fn(JsValue)>::new(move |e: JsValue| {
                live.set(true);
                let id = prop(&e, &["data"])
                    .as_string()
                    .and_then(|d| js_sys::JSON::parse(&d).ok())
                    .and_then(|v| prop(&v, &["event_id"]).as_f64())
                    .map(|v| v as i64);
                f(id);
            });
            let f = on_change.clone();
            let resync = Closure::<dyn Fn(JsValue)>::new(move |_e: JsValue| {
                live.set(true);
                f(None);
            });
            let _ = es.add_event_listener_with_callback("change", change.as_ref().unchecked_ref());
            let _ = es.add_event_listener_with_callback("resync", resync.as_ref().unchecked_ref());
            change.forget();
            resync.forget();
            let down = Closure::<dyn Fn(JsValue)>::new(move |_e: JsValue| live.set(false));
            es.set_onerror(Some(down.as_ref().unchecked_ref()));
            down.forget();
            source.set_value(Some(es));
        });
        on_cleanup(move || {
            if let Some(es) = source.get_value() {
                es.close();
            }
        });
    }
}
