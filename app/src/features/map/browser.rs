//! The Leaflet side of the command map, browser only. One `View` per page: the map, the
//! outlines, one circle marker per pin kept for the page's life, and a marker-cluster group.
//! `sync` makes the map match the pins and the filter by touching only what changed, so a live
//! change or a slider step costs the pins that move, not a redraw of 5,000.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use js_sys::{Array, Object};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::api::{get_command_map, get_map_pin};
use super::page::{MapState, Selected};
use crate::domain::calendar::Light;
use crate::domain::map::{grid_lights, worst, Filter, Pin};
use crate::domain::org::path_within;
use crate::features::events::types::LiveChange;
use crate::js::{call, circle_marker, geo_json, prop, set, text_content};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = L, js_name = "markerClusterGroup")]
    fn marker_cluster_group(options: &JsValue) -> JsValue;
    #[wasm_bindgen(js_namespace = L, js_name = "divIcon")]
    fn div_icon(options: &JsValue) -> JsValue;
}

fn light_color(key: &str) -> &'static str {
    match key {
        "red" => "#dc2626",
        "yellow" => "#f59e0b",
        "green" => "#16a34a",
        _ => "#64748b",
    }
}

fn light_of(key: &str) -> Option<Light> {
    match key {
        "red" => Some(Light::Red),
        "yellow" => Some(Light::Yellow),
        "green" => Some(Light::Green),
        _ => None,
    }
}

fn latlng(p: &Pin) -> JsValue {
    let a = Array::new();
    a.push(&JsValue::from_f64(p.lat));
    a.push(&JsValue::from_f64(p.lng));
    a.into()
}

fn grid_style(light: &str, selected: bool) -> Object {
    let s = Object::new();
    let (fill, opacity) = match light {
        "red" => ("#dc2626", 0.5),
        "yellow" => ("#f59e0b", 0.45),
        "green" => ("#16a34a", 0.35),
        _ => ("#16a34a", 0.12),
    };
    set(&s, "fillColor", fill);
    set(&s, "fillOpacity", opacity);
    set(&s, "color", if selected { "#1e3a8a" } else { "#15803d" });
    set(&s, "weight", if selected { 3.0 } else { 0.8 });
    s
}

fn outline_style(level: &str) -> Object {
    let s = Object::new();
    let (color, weight) = match level {
        "county" => ("#b91c1c", 3.0),
        "township" => ("#1d4ed8", 2.0),
        _ => ("#64748b", 1.0),
    };
    set(&s, "color", color);
    set(&s, "weight", weight);
    set(&s, "fill", false);
    set(&s, "interactive", false);
    s
}

/// A cluster shows how many pins it holds and takes the worst light among them.
fn cluster_icon(cluster: JsValue) -> JsValue {
    let children = Array::from(&call(&cluster, "getAllChildMarkers", &[]));
    let light = worst(
        children
            .iter()
            .filter_map(|m| light_of(&prop(&m, &["options", "lxLight"]).as_string()?)),
    )
    .map(|l| l.as_str())
    .unwrap_or("done");
    let n = children.length();
    let size = if n < 10 {
        30.0
    } else if n < 100 {
        38.0
    } else {
        46.0
    };
    let o = Object::new();
    set(&o, "html", format!("<span>{n}</span>"));
    set(&o, "className", format!("lx-cluster lx-cluster-{light}"));
    let s = Array::new();
    s.push(&JsValue::from_f64(size));
    s.push(&JsValue::from_f64(size));
    set(&o, "iconSize", s);
    div_icon(&o)
}

struct Marker {
    layer: JsValue,
    key: &'static str,
}

struct View {
    map: leaflet::Map,
    cluster: JsValue,
    outline_of: Option<i64>,
    outline: Option<leaflet::GeoJson>,
    grids: HashMap<i64, JsValue>,
    grid_key: HashMap<i64, (&'static str, bool)>,
    markers: HashMap<i64, Marker>,
    shown: HashSet<i64>,
}

impl View {
    fn new(m: &super::types::CommandMap, st: MapState) -> Option<View> {
        let opts = leaflet::MapOptions::new();
        opts.set_zoom_snap(0.25);
        // Clustering needs a top zoom, which a tile layer would otherwise give (there may be none).
        opts.set_max_zoom(19.0);
        let map = leaflet::Map::new("command-map", &opts).ok()?;
        if let Some(url) = &m.tile_url {
            leaflet::TileLayer::new(url).add_to(&map);
        }
        let o = Object::new();
        set(&o, "showCoverageOnHover", false);
        set(&o, "chunkedLoading", true);
        set(&o, "maxClusterRadius", 50.0);
        let icon = Closure::<dyn Fn(JsValue) -> JsValue>::new(cluster_icon);
        set(&o, "iconCreateFunction", icon.as_ref().clone());
        icon.forget();
        let cluster = marker_cluster_group(&o);
        let click = Closure::<dyn Fn(JsValue)>::new(move |e: JsValue| {
            if let Some(id) = prop(&e, &["layer", "options", "lxId"]).as_f64() {
                st.selected.set(Some(Selected::Event(id as i64)));
            }
        });
        call(
            &cluster,
            "on",
            &[&JsValue::from_str("click"), click.as_ref()],
        );
        click.forget();
        call(&map, "addLayer", &[&cluster]);
        Some(View {
            map,
            cluster,
            outline_of: None,
            outline: None,
            grids: HashMap::new(),
            grid_key: HashMap::new(),
            markers: HashMap::new(),
            shown: HashSet::new(),
        })
    }

    /// Draws the outlines once per focus unit; grids are the clickable, coloured layer.
    fn outlines(&mut self, m: &super::types::CommandMap, st: MapState) {
        if self.outline_of == Some(m.focus_id) {
            return;
        }
        if let Some(old) = self.outline.take() {
            old.remove();
        }
        self.grids.clear();
        self.grid_key.clear();
        let Ok(geojson) = js_sys::JSON::parse(&m.geojson) else {
            return;
        };
        let options = Object::new();
        let style = Closure::<dyn Fn(JsValue) -> JsValue>::new(move |f: JsValue| {
            let level = prop(&f, &["properties", "level"])
                .as_string()
                .unwrap_or_default();
            if level == "grid" {
                grid_style("none", false).into()
            } else {
                outline_style(&level).into()
            }
        });
        set(&options, "style", style.as_ref().clone());
        style.forget();
        let grids: std::rc::Rc<std::cell::RefCell<Vec<(i64, JsValue)>>> = Default::default();
        let found = grids.clone();
        let each = Closure::<dyn Fn(JsValue, JsValue)>::new(move |f: JsValue, layer: JsValue| {
            let level = prop(&f, &["properties", "level"])
                .as_string()
                .unwrap_or_default();
            if level != "grid" {
                return;
            }
            let id = prop(&f, &["properties", "id"]).as_f64().unwrap_or(0.0) as i64;
            let tip = Object::new();
            set(&tip, "sticky", true);
            call(
                &layer,
                "bindTooltip",
                &[&text_content(&prop(&f, &["properties", "name"])), &tip],
            );
            let click = Closure::<dyn Fn(JsValue)>::new(move |_e: JsValue| {
                st.selected.set(Some(Selected::Grid(id)));
            });
            call(&layer, "on", &[&JsValue::from_str("click"), click.as_ref()]);
            click.forget();
            found.borrow_mut().push((id, layer));
        });
        set(&options, "onEachFeature", each.as_ref().clone());
        each.forget();
        let layer = geo_json(&geojson, &options);
        layer.add_to(&self.map);
        // Pins stay above the outlines whatever the order they were added in.
        call(&layer, "bringToBack", &[]);
        let bounds = call(&layer, "getBounds", &[]);
        if call(&bounds, "isValid", &[]).as_bool() == Some(true) {
            self.map.fit_bounds(bounds.unchecked_ref());
        }
        self.grids = grids.borrow_mut().drain(..).collect();
        self.outline = Some(layer);
        self.outline_of = Some(m.focus_id);
    }

    fn sync(&mut self, pins: &HashMap<i64, Pin>, f: &Filter, now: i64, selected_grid: Option<i64>) {
        let lights = grid_lights(pins.values(), f.category, now);
        for (id, layer) in &self.grids {
            let key = lights.get(id).map(|l| l.as_str()).unwrap_or("none");
            let want = (key, selected_grid == Some(*id));
            if self.grid_key.get(id) != Some(&want) {
                call(layer, "setStyle", &[&grid_style(key, want.1)]);
                if let Some(el) = call(layer, "getElement", &[]).dyn_ref::<web_sys::Element>() {
                    let _ = el.set_attribute("data-light", key);
                    let _ = el.set_attribute("data-grid", &id.to_string());
                }
                self.grid_key.insert(*id, want);
            }
        }
        let w = f.window(now);
        let (add, remove, restyled) = (Array::new(), Array::new(), Array::new());
        self.markers.retain(|id, m| {
            let keep = pins.contains_key(id);
            if !keep && self.shown.remove(id) {
                remove.push(&m.layer);
            }
            keep
        });
        for p in pins.values() {
            let show = f.shows(p, w);
            let key = p.light(now).map(|l| l.as_str()).unwrap_or("done");
            let m = self.markers.entry(p.id).or_insert_with(|| Marker {
                layer: new_marker(p, key),
                key,
            });
            if m.key != key {
                call(&m.layer, "setStyle", &[&marker_style(p.id, key)]);
                if let Ok(options) = prop(&m.layer, &["options"]).dyn_into::<Object>() {
                    set(&options, "lxLight", key);
                }
                m.key = key;
                restyled.push(&m.layer);
            }
            match (show, self.shown.contains(&p.id)) {
                (true, false) => {
                    add.push(&m.layer);
                    self.shown.insert(p.id);
                }
                (false, true) => {
                    remove.push(&m.layer);
                    self.shown.remove(&p.id);
                }
                _ => {}
            }
        }
        if remove.length() > 0 {
            call(&self.cluster, "removeLayers", &[&remove]);
        }
        if add.length() > 0 {
            call(&self.cluster, "addLayers", &[&add]);
        }
        if restyled.length() > 0 {
            call(&self.cluster, "refreshClusters", &[&restyled]);
        }
    }

    /// Zooms until the pin is out of its cluster, then marks it.
    fn focus(&self, id: i64) -> bool {
        let Some(m) = self.markers.get(&id) else {
            return false;
        };
        if !self.shown.contains(&id) {
            return false;
        }
        let noop = Closure::once_into_js(|| {});
        call(&self.cluster, "zoomToShowLayer", &[&m.layer, &noop]);
        true
    }
}

fn marker_style(id: i64, key: &str) -> Object {
    let o = Object::new();
    set(&o, "radius", 7.0);
    set(&o, "color", "#ffffff");
    set(&o, "weight", 1.5);
    set(&o, "fillColor", light_color(key));
    set(&o, "fillOpacity", 0.95);
    set(&o, "className", format!("lx-pin lx-pin-{id}"));
    o
}

fn new_marker(p: &Pin, key: &'static str) -> JsValue {
    let o = marker_style(p.id, key);
    set(&o, "lxId", p.id as f64);
    set(&o, "lxLight", key);
    circle_marker(&latlng(p), &o)
}

/// Loads (or reloads) the whole map; an older answer arriving late is dropped.
fn load(st: MapState, node: Option<i64>, generation: StoredValue<u64, LocalStorage>) {
    let mine = generation.get_value() + 1;
    generation.set_value(mine);
    leptos::task::spawn_local(async move {
        let r = get_command_map(node).await;
        if generation.get_value() != mine {
            return;
        }
        match r {
            Ok(mut m) => {
                st.clock_offset.set(m.now - crate::clock::unix_now());
                let pins = std::mem::take(&mut m.pins)
                    .into_iter()
                    .map(|p| (p.id, p))
                    .collect();
                st.pins.set(pins);
                st.meta.set(Some(m));
                st.error.set(None);
            }
            Err(e) => st.error.set(Some(e)),
        }
    });
}

fn apply_change(st: MapState, ch: LiveChange) {
    let mine = st.meta.with_untracked(|m| {
        m.as_ref()
            .is_some_and(|m| path_within(&ch.grid_path, &m.focus_path))
    });
    if !mine {
        return;
    }
    if st.selected.get_untracked() == Some(Selected::Event(ch.event_id)) {
        st.detail_rev.update(|v| *v += 1);
    }
    leptos::task::spawn_local(async move {
        if let Ok(pin) = get_map_pin(ch.event_id).await {
            st.pins.update(|pins| match pin {
                Some(p) => {
                    pins.insert(p.id, p);
                }
                None => {
                    pins.remove(&ch.event_id);
                }
            });
        }
    });
}

/// Subscribes to `/live`. The server opens every connection with a resync, so the first load
/// happens once the feed is up and nothing falls between the two; if the feed cannot open,
/// the map loads anyway after a moment.
fn listen(st: MapState, node: Option<i64>) {
    let generation = StoredValue::new_local(0u64);
    let Ok(es) = web_sys::EventSource::new("/live") else {
        load(st, node, generation);
        return;
    };
    let resync = Closure::<dyn Fn(JsValue)>::new(move |_e: JsValue| {
        st.live.set(true);
        load(st, node, generation);
    });
    let _ = es.add_event_listener_with_callback("resync", resync.as_ref().unchecked_ref());
    resync.forget();
    let change = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        st.live.set(true);
        let Some(text) = e.data().as_string() else {
            return;
        };
        match serde_json::from_str::<LiveChange>(&text) {
            Ok(ch) => apply_change(st, ch),
            Err(_) => load(st, node, generation),
        }
    });
    let _ = es.add_event_listener_with_callback("change", change.as_ref().unchecked_ref());
    change.forget();
    let down = Closure::<dyn Fn(JsValue)>::new(move |_e: JsValue| st.live.set(false));
    es.set_onerror(Some(down.as_ref().unchecked_ref()));
    down.forget();
    set_timeout(
        move || {
            if generation.get_value() == 0 {
                load(st, node, generation);
            }
        },
        Duration::from_secs(3),
    );
    on_cleanup(move || es.close());
}

pub fn start(st: MapState, node: Option<i64>) {
    let view: StoredValue<Option<View>, LocalStorage> = StoredValue::new_local(None);
    let leaflet = crate::js::leaflet_ready(true);
    Effect::new(move |started: Option<()>| {
        if started.is_none() {
            listen(st, node);
            if let Ok(h) = set_interval_with_handle(
                move || st.tick.update(|t| *t += 1),
                Duration::from_secs(30),
            ) {
                on_cleanup(move || h.clear());
            }
        }
    });
    Effect::new(move |_| {
        if !leaflet.get() {
            return;
        }
        st.tick.track();
        let f = st.filter.get();
        let selected_grid = match st.selected.get() {
            Some(Selected::Grid(g)) => Some(g),
            _ => None,
        };
        let focus = st.focus.get();
        let now = st.now();
        st.meta.with(|m| {
            let Some(m) = m else { return };
            view.update_value(|v| {
                if v.is_none() {
                    *v = View::new(m, st);
                }
                let Some(v) = v else { return };
                v.outlines(m, st);
                st.pins.with(|pins| v.sync(pins, &f, now, selected_grid));
                if let Some(id) = focus {
                    if v.focus(id) {
                        st.focus.set(None);
                    }
                }
            });
        });
        if st.meta.with(|m| m.is_some()) {
            st.ready.set(true);
        }
    });
}
