//! The Leaflet map of the org network. The map object exists only in the browser: it is created
//! in an Effect and kept in a local StoredValue. Without tiles it still shows every boundary.

use leptos::prelude::*;

use super::api::map_layers;
use crate::i18n::tr;

#[component]
pub fn OrgMap(node: Memo<Option<i64>>) -> impl IntoView {
    let data = LocalResource::new(move || map_layers(node.get()));
    let status = move || {
        data.get().map(|r| match r {
            Ok(d) => format!("{} {}", tr("map.features"), d.feature_count),
            Err(e) => e.message(crate::i18n::use_locale().code()),
        })
    };
    #[cfg(feature = "hydrate")]
    {
        let navigate = leptos_router::hooks::use_navigate();
        let map: StoredValue<Option<leaflet::Map>, LocalStorage> = StoredValue::new_local(None);
        let layer: StoredValue<Option<leaflet::GeoJson>, LocalStorage> =
            StoredValue::new_local(None);
        let leaflet = crate::js::leaflet_ready(false);
        Effect::new(move |_| {
            if !leaflet.get() {
                return;
            }
            if let Some(Ok(d)) = data.get() {
                let navigate = navigate.clone();
                browser::draw(map, layer, &d, move |id| {
                    navigate(&format!("/org?node={id}"), Default::default())
                });
            }
        });
    }
    view! {
        <section class="org-map-wrap">
            <div id="org-map" class="org-map" data-testid="org-map"></div>
            <p class="muted map-status" data-testid="map-status">{status}</p>
            <noscript>{tr("map.needs_js")}</noscript>
        </section>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use js_sys::Object;
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    use crate::features::org::types::MapData;
    use crate::js::{call, geo_json, prop, set, text_content};

    fn style_for(feature: &JsValue, focus: i64) -> Object {
        let level = prop(feature, &["properties", "level"])
            .as_string()
            .unwrap_or_default();
        let code = prop(feature, &["properties", "code"])
            .as_string()
            .unwrap_or_default();
        let id = prop(feature, &["properties", "id"]).as_f64().unwrap_or(0.0) as i64;
        let s = Object::new();
        let (color, weight, fill, opacity) = match level.as_str() {
            "county" => ("#b91c1c", 3.0, "#fef2f2", 0.25),
            "township" => ("#1d4ed8", 2.0, "#dbeafe", 0.0),
            "village" => ("#64748b", 1.0, "#f1f5f9", 0.0),
            _ => ("#15803d", 0.8, "#22c55e", 0.18),
        };
        set(&s, "color", color);
        set(&s, "weight", weight);
        set(&s, "fillColor", fill);
        set(
            &s,
            "fillOpacity",
            if id == focus && level == "grid" {
                0.5
            } else {
                opacity
            },
        );
        set(&s, "className", format!("lx-{level} lx-code-{code}"));
        s
    }

    pub fn draw(
        map_store: StoredValue<Option<leaflet::Map>, LocalStorage>,
        layer_store: StoredValue<Option<leaflet::GeoJson>, LocalStorage>,
        data: &MapData,
        on_select: impl Fn(i64) + 'static,
    ) {
        let map = match map_store.get_value() {
            Some(m) => m,
            None => {
                let opts = leaflet::MapOptions::new();
                opts.set_zoom_snap(0.25);
                let Ok(m) = leaflet::Map::new("org-map", &opts) else {
                    return;
                };
                if let Some(url) = &data.tile_url {
                    leaflet::TileLayer::new(url).add_to(&m);
                }
                map_store.set_value(Some(m.clone()));
                m
            }
        };
        if let Some(old) = layer_store.get_value() {
            old.remove();
        }
        let Ok(geojson) = js_sys::JSON::parse(&data.geojson) else {
            return;
        };
        let focus = data.focus_id;
        let options = Object::new();
        let style = Closure::<dyn Fn(JsValue) -> JsValue>::new(move |f: JsValue| {
            style_for(&f, focus).into()
        });
        set(&options, "style", style.as_ref().clone());
        style.forget();
        let on_select = std::rc::Rc::new(on_select);
        let each = Closure::<dyn Fn(JsValue, JsValue)>::new(move |f: JsValue, layer: JsValue| {
            let name = prop(&f, &["properties", "name"]);
            let level = prop(&f, &["properties", "level"])
                .as_string()
                .unwrap_or_default();
            let id = prop(&f, &["properties", "id"]).as_f64().unwrap_or(0.0) as i64;
            let tip = Object::new();
            set(&tip, "sticky", true);
            call(&layer, "bindTooltip", &[&text_content(&name), &tip]);
            if level != "county" {
                let on_select = on_select.clone();
                let click = Closure::<dyn Fn(JsValue)>::new(move |e: JsValue| {
                    if let Some(orig) = prop(&e, &["originalEvent"]).dyn_ref::<web_sys::Event>() {
                        orig.stop_propagation();
                    }
                    on_select(id)
                });
                call(&layer, "on", &[&JsValue::from_str("click"), click.as_ref()]);
                click.forget();
            }
        });
        set(&options, "onEachFeature", each.as_ref().clone());
        each.forget();
        let layer = geo_json(&geojson, &options);
        layer.add_to(&map);
        let bounds = call(&layer, "getBounds", &[]);
        if call(&bounds, "isValid", &[]).as_bool() == Some(true) {
            map.fit_bounds(bounds.unchecked_ref());
        }
        layer_store.set_value(Some(layer));
    }
}
