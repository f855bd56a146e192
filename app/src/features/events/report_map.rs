//! The report page's map (browser only): the reporter's grid, the grids and villages around it
//! with their names (something to find one's way by when there are no tiles), and the point,
//! placed by a tap or by the device and always brought into view.

use js_sys::Object;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::types::{AreaShape, HomeGrid};
use crate::js::{call, circle_marker, geo_json, prop, set, text_content};

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
    let _ = geo
        .get_current_position_with_error_callback(ok.unchecked_ref(), Some(fail.unchecked_ref()));
}

fn style(color: &str, weight: f64, fill: f64, dashed: bool) -> Object {
    let s = Object::new();
    set(&s, "color", color);
    set(&s, "weight", weight);
    set(&s, "fillOpacity", fill);
    if dashed {
        set(&s, "dashArray", "4 4");
    }
    s
}

/// Draws one named outline; villages get their name as a label that stays on the map.
fn outline(map: &leaflet::Map, area: &AreaShape) {
    let Some(Ok(shape)) = area.geometry.as_deref().map(js_sys::JSON::parse) else {
        return;
    };
    let village = area.level == "village";
    let o = Object::new();
    let s = if village {
        style("#64748b", 1.5, 0.0, false)
    } else {
        style("#94a3b8", 1.0, 0.04, true)
    };
    set(&o, "style", s);
    set(&o, "interactive", false);
    let layer = geo_json(&shape, &o);
    let tip = Object::new();
    set(&tip, "permanent", village);
    set(&tip, "direction", "center");
    set(
        &tip,
        "className",
        if village {
            "lx-label"
        } else {
            "lx-label lx-label-grid"
        },
    );
    call(
        &layer,
        "bindTooltip",
        &[&text_content(&JsValue::from_str(&area.name)), &tip],
    );
    layer.add_to(map);
    call(&layer, "bringToBack", &[]);
}

/// The map picker: a tap places the point; a point from the device moves the map there.
pub fn map_picker(
    home: Option<HomeGrid>,
    around: Vec<AreaShape>,
    point: RwSignal<Option<(f64, f64)>>,
) {
    let map: StoredValue<Option<leaflet::Map>, LocalStorage> = StoredValue::new_local(None);
    let marker: StoredValue<Option<JsValue>, LocalStorage> = StoredValue::new_local(None);
    // Below the fold on a phone: Leaflet is fetched when the map comes near the screen.
    let leaflet = crate::js::leaflet_when(false, crate::js::when_near("report-map"));
    Effect::new(move |_| {
        if !leaflet.get() {
            return;
        }
        if map.get_value().is_none() {
            let opts = leaflet::MapOptions::new();
            let Ok(m) = leaflet::Map::new("report-map", &opts) else {
                return;
            };
            // Without tiles Leaflet has no zoom range of its own.
            call(&m, "setMaxZoom", &[&JsValue::from_f64(19.0)]);
            for a in &around {
                outline(&m, a);
            }
            let mut fitted = false;
            if let Some(g) = home.as_ref().and_then(|h| h.geometry.clone()) {
                if let Ok(shape) = js_sys::JSON::parse(&g) {
                    let o = Object::new();
                    set(&o, "style", style("#15803d", 2.0, 0.12, false));
                    let layer = geo_json(&shape, &o);
                    if let Some(h) = &home {
                        let tip = Object::new();
                        set(&tip, "permanent", true);
                        set(&tip, "direction", "center");
                        set(&tip, "className", "lx-label lx-label-home");
                        call(
                            &layer,
                            "bindTooltip",
                            &[&text_content(&JsValue::from_str(&h.name)), &tip],
                        );
                    }
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
                    set(&o, "radius", 9.0);
                    set(&o, "color", "#b91c1c");
                    set(&o, "fillOpacity", 0.6);
                    set(&o, "className", "lx-point");
                    let mk = circle_marker(&ll, &o);
                    call(&mk, "addTo", &[m.as_ref()]);
                    marker.set_value(Some(mk));
                }
            }
            // A point off the visible part (the device's position) brings the map to it.
            let inside = call(&call(&m, "getBounds", &[]), "contains", &[&ll]).as_bool();
            if inside != Some(true) {
                call(&m, "setView", &[&ll, &JsValue::from_f64(16.0)]);
            }
        }
    });
}
