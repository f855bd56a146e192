//! `/map`: the command map page. The controls and the side panel are ordinary Leptos views;
//! the Leaflet map itself lives in `browser` and follows the same signals.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::types::CommandMap;
use crate::domain::event::State;
use crate::domain::map::{grid_lights, Filter, Pin, StateFilter};
use crate::error::AppError;
use crate::features::events::api::get_event_detail;
use crate::features::org::api::get_grid_ledger;
use crate::i18n::{tr, use_locale};
use crate::ui::action_panel::NoteDraft;
use crate::ui::answer::{answer, ErrorText};
use crate::ui::event_view::EventView;
use crate::ui::ledger_card::LedgerCard;
use crate::ui::time::when;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selected {
    Grid(i64),
    Event(i64),
}

/// The page's state, shared by the controls, the panel and the Leaflet glue.
#[derive(Clone, Copy)]
pub struct MapState {
    /// The loaded map without its pins (they live in `pins`, updated one by one).
    pub meta: RwSignal<Option<CommandMap>>,
    pub pins: RwSignal<HashMap<i64, Pin>>,
    pub filter: RwSignal<Filter>,
    pub selected: RwSignal<Option<Selected>>,
    /// A pin the map should bring into view (a pick from the panel or `?event=`).
    pub focus: RwSignal<Option<i64>>,
    /// Bumped every 30 s: lights change with time alone.
    pub tick: RwSignal<u64>,
    /// Server clock minus this browser's, in seconds.
    pub clock_offset: RwSignal<i64>,
    pub error: RwSignal<Option<AppError>>,
    pub live: RwSignal<bool>,
    /// Bumped when the selected event changed elsewhere, so its card reloads.
    pub detail_rev: RwSignal<u64>,
    pub ready: RwSignal<bool>,
}

impl MapState {
    fn new() -> MapState {
        MapState {
            meta: RwSignal::new(None),
            pins: RwSignal::new(HashMap::new()),
            filter: RwSignal::new(Filter::default()),
            selected: RwSignal::new(None),
            focus: RwSignal::new(None),
            tick: RwSignal::new(0),
            clock_offset: RwSignal::new(0),
            error: RwSignal::new(None),
            live: RwSignal::new(false),
            detail_rev: RwSignal::new(0),
            ready: RwSignal::new(false),
        }
    }

    /// Now, on the server's clock.
    pub fn now(&self) -> i64 {
        crate::clock::unix_now() + self.clock_offset.get_untracked()
    }

    fn category_name(&self, id: i64) -> String {
        let en = use_locale().code() == "en";
        self.meta
            .with_untracked(|m| {
                m.as_ref().and_then(|m| {
                    m.categories
                        .iter()
                        .find(|c| c.id == id)
                        .map(|c| if en { &c.name_en } else { &c.name_zh }.clone())
                })
            })
            .unwrap_or_else(|| format!("#{id}"))
    }

    fn grid_name(&self, id: i64) -> String {
        self.meta
            .with(|m| {
                m.as_ref()
                    .and_then(|m| m.grids.iter().find(|g| g.id == id).map(|g| g.name.clone()))
            })
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Summary {
    shown: usize,
    red: usize,
    yellow: usize,
    green: usize,
    grids: usize,
}

#[component]
pub fn MapPage() -> impl IntoView {
    NoteDraft::provide();
    let st = MapState::new();
    let query = use_query_map();
    let (node, event) = query.with_untracked(|q| {
        (
            q.get("node").and_then(|s| s.parse::<i64>().ok()),
            q.get("event").and_then(|s| s.parse::<i64>().ok()),
        )
    });
    if let Some(id) = event {
        st.selected.set(Some(Selected::Event(id)));
        st.focus.set(Some(id));
    }
    #[cfg(feature = "hydrate")]
    super::browser::start(st, node);
    #[cfg(not(feature = "hydrate"))]
    let _ = node;
    let summary = Memo::new(move |_| {
        st.tick.track();
        let f = st.filter.get();
        let now = st.now();
        let grids = st
            .meta
            .with(|m| m.as_ref().map(|m| m.grids.len()).unwrap_or(0));
        st.pins.with(|pins| {
            let w = f.window(now);
            let lights = grid_lights(pins.values(), f.category, now);
            let count = |name: &str| lights.values().filter(|l| l.as_str() == name).count();
            Summary {
                shown: pins.values().filter(|p| f.shows(p, w)).count(),
                red: count("red"),
                yellow: count("yellow"),
                green: grids.saturating_sub(count("red") + count("yellow")),
                grids,
            }
        })
    });
    view! {
        <div class="cmap" data-testid="command-map">
            <Controls st summary/>
            <div class="cmap-body">
                <div
                    id="command-map"
                    class="cmap-canvas"
                    data-testid="cmap-canvas"
                    data-ready=move || st.ready.get().to_string()
                    data-shown=move || summary.get().shown.to_string()
                ></div>
                <aside class="cmap-panel" data-testid="cmap-panel">
                    <Panel st/>
                </aside>
            </div>
            <noscript>{tr("map.cmap_needs_js")}</noscript>
        </div>
    }
}

fn option(value: &str, label: String, current: &str) -> impl IntoView {
    view! {
        <option value=value.to_string() selected=value == current>
            {label}
        </option>
    }
}

#[component]
fn Controls(st: MapState, summary: Memo<Summary>) -> impl IntoView {
    let categories = move || {
        let en = use_locale().code() == "en";
        let current = st
            .filter
            .with(|f| f.category.map(|c| c.to_string()).unwrap_or_default());
        st.meta.with(|m| {
            m.as_ref()
                .map(|m| {
                    m.categories
                        .iter()
                        .map(|c| {
                            let name = if en { &c.name_en } else { &c.name_zh };
                            option(&c.id.to_string(), name.clone(), &current)
                        })
                        .collect_view()
                })
                .unwrap_or_default()
        })
    };
    let states = move || {
        let current = st.filter.with(|f| f.state.as_str());
        let mut out = vec![
            option("open", tr("map.state_open"), current),
            option("done", tr("map.state_done"), current),
            option("all", tr("map.state_all"), current),
        ];
        out.extend(
            State::ALL
                .iter()
                .map(|s| option(s.as_str(), tr(&format!("states.{}", s.as_str())), current)),
        );
        out.collect_view()
    };
    let periods = move || {
        let current = st.filter.with(|f| f.days.to_string());
        [
            ("0", "map.period_all"),
            ("1", "map.period_1"),
            ("7", "map.period_7"),
            ("30", "map.period_30"),
        ]
        .into_iter()
        .map(|(v, k)| option(v, tr(k), &current))
        .collect_view()
    };
    let window_label = move || {
        st.tick.track();
        let f = st.filter.get();
        match f.window(st.now()) {
            Some((from, to)) => {
                let a = crate::domain::calendar::local_day(from);
                let b = crate::domain::calendar::local_day(to - 1);
                if a == b {
                    a
                } else {
                    format!("{a} — {b}")
                }
            }
            None => tr("map.period_all"),
        }
    };
    let truncated = move || {
        st.meta
            .with(|m| m.as_ref().is_some_and(|m| m.truncated))
            .then(|| view! { <p class="warn">{tr("map.truncated")}</p> })
    };
    view! {
        <form class="cmap-controls" on:submit=|ev| ev.prevent_default()>
            <h1>{tr("map.title")}</h1>
            <label>
                {tr("map.category")}
                <select
                    data-testid="map-category"
                    on:change=move |ev| {
                        let v = event_target_value(&ev).parse::<i64>().ok();
                        st.filter.update(|f| f.category = v);
                    }
                >
                    <option value="">{tr("map.all_categories")}</option>
                    {categories}
                </select>
            </label>
            <label>
                {tr("map.state")}
                <select
                    data-testid="map-state"
                    on:change=move |ev| {
                        let v = StateFilter::parse(&event_target_value(&ev));
                        st.filter.update(|f| f.state = v);
                    }
                >
                    {states}
                </select>
            </label>
            <label>
                {tr("map.period")}
                <select
                    data-testid="map-period"
                    on:change=move |ev| {
                        let v = event_target_value(&ev).parse::<i64>().unwrap_or(0);
                        st.filter.update(|f| f.days = v);
                    }
                >
                    {periods}
                </select>
            </label>
            <label class="slider">
                {tr("map.day")} " " <output data-testid="map-window">{window_label}</output>
                <input
                    type="range"
                    min="0"
                    max="29"
                    step="1"
                    data-testid="map-slider"
                    prop:value=move || (29 - st.filter.with(|f| f.back)).to_string()
                    disabled=move || st.filter.with(|f| f.days == 0)
                    on:input=move |ev| {
                        let v = event_target_value(&ev).parse::<i64>().unwrap_or(29);
                        st.filter.update(|f| f.back = (29 - v).clamp(0, 29));
                    }
                />
            </label>
            <p class="cmap-summary" data-testid="map-summary">
                {tr("map.shown")} " "
                <strong data-testid="map-shown">{move || summary.get().shown}</strong>
                " · " {tr("map.grids")} " "
                <span class="light light-red" data-testid="map-red">{move || summary.get().red}</span>
                <span class="light light-yellow" data-testid="map-yellow">{move || summary.get().yellow}</span>
                <span class="light light-green" data-testid="map-green">{move || summary.get().green}</span>
                " / " {move || summary.get().grids}
            </p>
            <span class=move || if st.live.get() { "live on" } else { "live" } data-testid="live-status">
                {move || if st.live.get() { tr("console.live") } else { tr("console.offline") }}
            </span>
            {truncated}
            {move || st.error.get().map(|e| view! { <ErrorText error=e/> })}
        </form>
    }
}

#[component]
fn Panel(st: MapState) -> impl IntoView {
    move || match st.selected.get() {
        None => view! { <p class="muted">{tr("map.pick")}</p> }.into_any(),
        Some(Selected::Grid(id)) => view! { <GridPanel st id/> }.into_any(),
        Some(Selected::Event(id)) => view! { <EventPanel st id/> }.into_any(),
    }
}

#[component]
fn GridPanel(st: MapState, id: i64) -> impl IntoView {
    let ledger = LocalResource::new(move || get_grid_ledger(id));
    let open = move || {
        st.tick.track();
        let now = st.now();
        let mut rows: Vec<Pin> = st.pins.with(|p| {
            p.values()
                .filter(|p| p.grid_id == id && p.state.is_open())
                .cloned()
                .collect()
        });
        rows.sort_by_key(|p| (p.due_at, p.id));
        if rows.is_empty() {
            return view! { <p class="muted" data-testid="grid-none-open">{tr("map.none_open")}</p> }
                .into_any();
        }
        rows.into_iter()
            .map(|p| {
                let light = p.light(now).map(|l| l.as_str()).unwrap_or("none");
                let pid = p.id;
                view! {
                    <li>
                        <button
                            type="button"
                            class="link"
                            data-testid=format!("grid-event-{pid}")
                            on:click=move |_| {
                                st.selected.set(Some(Selected::Event(pid)));
                                st.focus.set(Some(pid));
                            }
                        >
                            <span class=format!("dot dot-{light}")></span>
                            {st.category_name(p.category_id)}
                            " · "
                            {tr(&format!("states.{}", p.state.as_str()))}
                            " · "
                            <span class="muted">{when(p.created_at)}</span>
                        </button>
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section data-testid="grid-panel">
            <h2 data-testid="grid-panel-name">{move || st.grid_name(id)}</h2>
            <p>
                <a href=format!("/org?node={id}")>{tr("map.open_in_org")}</a>
            </p>
            <h3>{tr("map.open_events")}</h3>
            <ul class="cmap-events" data-testid="grid-open-events">{open}</ul>
            <Suspense fallback=move || view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || ledger.get().map(|r| answer(r, |l| view! { <LedgerCard ledger=l/> }.into_any()))}
            </Suspense>
        </section>
    }
}

#[component]
fn EventPanel(st: MapState, id: i64) -> impl IntoView {
    let detail = LocalResource::new(move || {
        st.detail_rev.track();
        get_event_detail(id)
    });
    let grid = move || st.pins.with(|p| p.get(&id).map(|p| p.grid_id));
    let unlocated = move || {
        st.pins
            .with(|p| p.get(&id).is_some_and(|p| !p.located))
            .then(|| view! { <p class="muted">{tr("map.unlocated")}</p> })
    };
    view! {
        <section class="event-page" data-testid="event-panel">
            <p class="cmap-nav">
                {move || {
                    grid()
                        .map(|g| {
                            view! {
                                <button
                                    type="button"
                                    class="link"
                                    data-testid="back-to-grid"
                                    on:click=move |_| st.selected.set(Some(Selected::Grid(g)))
                                >
                                    {tr("map.back_to_grid")}
                                </button>
                                " · "
                            }
                        })
                }}
                <a href=format!("/events/{id}")>{tr("map.open_page")}</a>
            </p>
            {unlocated}
            <Suspense fallback=move || view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || {
                    detail
                        .get()
                        .map(|r| {
                            answer(
                                r,
                                |d| {
                                    view! {
                                        <EventView d=d on_done=move || st.detail_rev.update(|v| *v += 1)/>
                                    }
                                        .into_any()
                                },
                            )
                        })
                }}
            </Suspense>
        </section>
    }
}
