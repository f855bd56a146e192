//! `/screen`: the command room's wall, dark, laid out on a 16:9 grid in viewport units so it fills
//! 1920×1080 and 3840×2160 alike without scrollbars, needing no mouse. `/summary`: the same KPIs
//! stacked for a phone. Both render on the server first; with WASM the screen listens to
//! `/screen/live`: a snapshot on every (re)connect, then patches; a patch for another version
//! makes it reconnect for a fresh snapshot. A heartbeat every five seconds tells it the data is
//! current; without one for fifteen it says the data is stale.

use leptos::prelude::*;

use super::api::get_screen;
use super::charts::{BarChart, Ring, TrendChart};
use super::types::{MapShapes, ScreenFrame, ScreenLive};
use crate::domain::kpi::percent;
use crate::domain::scoring::Subject;
use crate::features::scoring::types::{BoardRow, SatisfactionRow};
use crate::i18n::{tr, use_locale, Locale};
use crate::ui::answer::answer;
use crate::ui::charts::DayColumns;
use crate::ui::scores::{ledger_href, star_text};

pub fn clock(at: i64) -> String {
    let secs = (at + 8 * 3600).rem_euclid(86_400);
    format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    )
}

#[component]
pub fn ScreenPage() -> impl IntoView {
    let frame = Resource::new(|| (), |_| get_screen());
    view! {
        <div class="screen" data-testid="screen">
            <Suspense fallback=move || view! { <p class="s-wait">{tr("common.loading")}</p> }>
                {move || frame.get().map(|r| answer(r, |f| view! { <Wall f=f/> }.into_any()))}
            </Suspense>
        </div>
    }
}

#[component]
fn Wall(f: ScreenFrame) -> impl IntoView {
    let live = RwSignal::new(f.live);
    let stale = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    browser::listen(live, stale);
    let sec = move |f: fn(&ScreenLive) -> String| Signal::derive(move || live.with(f));
    let name = sec(|l| l.scope_name.clone());
    let at = sec(|l| clock(l.at));
    view! {
        <header class="s-head">
            <h1>{name} " · " {tr("screen.title")}</h1>
            <span class="s-clock" data-testid="screen-clock">{tr("screen.updated")} " " {at}</span>
            <span
                class=move || if stale.get() { "s-state stale" } else { "s-state" }
                data-testid="screen-state"
                data-stale=move || stale.get().to_string()
                data-version=move || live.with(|l| l.version).to_string()
            >
                {move || if stale.get() { tr("screen.stale") } else { tr("screen.live") }}
            </span>
        </header>
        <div class="s-body">
            <LeftColumn live=live/>
            <CenterColumn shapes=f.shapes live=live/>
            <RightColumn live=live/>
        </div>
    }
    .into_any()
}

#[component]
fn LeftColumn(live: RwSignal<ScreenLive>) -> impl IntoView {
    let en = use_locale() == Locale::En;
    let tiles = Memo::new(move |_| live.with(|l| l.tiles));
    let trend = Memo::new(move |_| live.with(|l| l.trend.clone()));
    let categories = Memo::new(move |_| live.with(|l| l.categories.clone()));
    let kpi = move |key: &'static str, pick: fn(&crate::domain::kpi::Kpis) -> Option<f64>| {
        let rate = Signal::derive(move || pick(&tiles.get().kpis()));
        view! {
            <div class="s-tile" data-testid="screen-tile">
                <Ring rate=rate/>
                <span class="s-label">{tr(key)}</span>
            </div>
        }
        .into_any()
    };
    view! {
            <section class="s-col">
                <div class="s-panel s-counts">
                    <div class="s-big">
                        <strong data-testid="screen-received">{move || tiles.get().reported}</strong>
                        <span>{tr("screen.received_n")}</span>
                    </div>
                    <div class="s-big">
                        <strong data-testid="screen-open">{move || live.with(|l| l.open)}</strong>
                        <span>{tr("screen.open_n")}</span>
                    </div>
                    <div class="s-big">
                        <strong data-testid="screen-today">{move || live.with(|l| l.today)}</strong>
                        <span>{tr("screen.today_n")}</span>
                    </div>
                </div>
                <div class="s-panel s-tiles">
                    {kpi("kpi.received", |k| k.received)}
                    {kpi("kpi.closed", |k| k.closed)}
                    {kpi("kpi.on_time", |k| k.on_time)}
                    {kpi("kpi.fed_back", |k| k.fed_back)}
                    {kpi("kpi.satisfied", |k| k.satisfied)}
                    {kpi("kpi.in_village", |k| k.in_village)}
                </div>
                <div class="s-panel">
                    <h2>{tr("screen.trend")}</h2>
                    <TrendChart days=trend received=tr("screen.received") closed=tr("screen.closed")/>
                </div>
                <div class="s-panel s-branch-life" data-testid="screen-branch-life">
                    <h2>{tr("screen.branch_life")}</h2>
                    {move || live.with(|l| branch_life(l.branch_life))}
                </div>
                <div class="s-panel grow">
                    <h2>{tr("screen.categories")}</h2>
                    <BarChart rows=categories english=en/>
                </div>
            </section>
    }
    .into_any()
}

#[component]
fn CenterColumn(shapes: MapShapes, live: RwSignal<ScreenLive>) -> impl IntoView {
    let en = use_locale() == Locale::En;
    view! {
            <section class="s-col wide">
                <div class="s-panel s-map-panel">
                    <ScreenMap shapes=shapes live=live/>
                    <div class="s-legend">
                        <span class="light light-green">{tr("lights.green")}</span>
                        <span class="light light-yellow">{tr("lights.yellow")}</span>
                        <span class="light light-red">{tr("lights.red")}</span>
                    </div>
                </div>
                <div class="s-panel s-jobs" data-testid="screen-jobs">
                    {move || live.with(|l| job_heat(&l.jobs))}
                </div>
                <div class="s-panel s-ticker">
                    <h2>{tr("screen.ticker")}</h2>
                    <ul data-testid="screen-ticker">
                        <For
                            each=move || live.with(|l| l.ticker.clone())
                            key=|t| (t.id, t.state.clone(), t.at)
                            let:t
                        >
                            <li data-event=t.id>
                                <span class="s-time">{clock(t.at)}</span>
                                <span>{t.grid.clone()}</span>
                                <span>{if en { t.category_en.clone() } else { t.category_zh.clone() }}</span>
                                <span class=format!("s-st st-{}", t.state)>{tr(&format!("states.{}", t.state))}</span>
                            </li>
                        </For>
                    </ul>
                </div>
            </section>
    }
    .into_any()
}

#[component]
fn RightColumn(live: RwSignal<ScreenLive>) -> impl IntoView {
    view! {
            <section class="s-col">
                <div class="s-panel">
                    <h2>{tr("screen.units")}</h2>
                    <ol class="s-rank" data-testid="screen-units">
                        {move || live.with(|l| {
                            l.units.iter().take(8).map(|u| {
                                let w = format!("width: {:.1}%", u.satisfied.unwrap_or(0.0) * 100.0);
                                view! {
                                    <li>
                                        <span class="s-name">{u.name.clone()}</span>
                                        <span class="s-bar"><span class="s-fill" style=w></span></span>
                                        <span class="s-val">{percent(u.satisfied)}</span>
                                        <span class="s-val dim">{percent(u.on_time)}</span>
                                    </li>
                                }
                            }).collect_view()
                        })}
                    </ol>
                    <p class="s-note">{tr("screen.units_note")}</p>
                </div>
                <div class="s-panel s-two">
                    <div>
                        <h2>{tr("screen.villages")}</h2>
                        {move || live.with(|l| satisfaction_list(&l.villages))}
                    </div>
                    <div>
                        <h2>{tr("screen.departments")}</h2>
                        {move || live.with(|l| satisfaction_list(&l.departments))}
                    </div>
                </div>
                <div class="s-panel s-two">
                    <div>
                        <h2>{tr("screen.members")}</h2>
                        {move || live.with(|l| board_list(Subject::Member, &l.members))}
                    </div>
                    <div>
                        <h2>{tr("screen.workers")}</h2>
                        {move || live.with(|l| board_list(Subject::GridWorker, &l.workers))}
                    </div>
                </div>
                <div class="s-panel s-two grow">
                    <div>
                        <h2 class="red-list">{tr("points.red_list")}</h2>
                        <ol class="s-list" data-testid="screen-red">
                            {move || live.with(|l| l.lists.red.iter().map(|v| view! { <li><span class="s-name">{v.name.clone()}</span> <span class="s-val">{format!("{:.0}", v.score)}</span></li> }).collect_view())}
                        </ol>
                    </div>
                    <div>
                        <h2 class="black-list">{tr("points.black_list")}</h2>
                        <ol class="s-list" data-testid="screen-black">
                            {move || live.with(|l| l.lists.black.iter().map(|v| view! { <li><span class="s-name">{v.name.clone()}</span> <span class="s-val">{format!("{:.0}", v.score)}</span></li> }).collect_view())}
                        </ol>
                    </div>
                </div>
            </section>
    }
    .into_any()
}

/// The seasonal spike: the ratio large beside the days' columns, the last week's in red when hot.
fn job_heat(j: &super::types::JobHeat) -> impl IntoView {
    let hot = crate::domain::jobs::is_hot(j.spike);
    let ratio = match j.spike {
        Some(s) => view! { <span>{tr("screen.jobs_spike")}</span> <strong data-testid="screen-jobs-spike">{format!("{s:.1}×")}</strong> }.into_any(),
        None => view! { <span>{tr("screen.jobs_no_spike")}</span> }.into_any(),
    };
    // A wall is read from across the room: month and day only.
    let rows = j
        .days
        .iter()
        .map(|(d, v, i)| (d.get(5..).unwrap_or(d).to_string(), *v, *i))
        .collect();
    view! {
        <h2>{tr("screen.jobs")} " · " {j.area.clone()}</h2>
        <div class="s-jobs-row">
            <p class="s-spike" class:hot=hot>{ratio}</p>
            <DayColumns rows=rows first=tr("jobs.views") second=tr("jobs.interested") test="screen-jobs-days"/>
        </div>
    }
    .into_any()
}

/// This month's compliance cells as one stacked bar: met, due, missed.
fn branch_life(t: super::types::BranchLifeTally) -> impl IntoView {
    let total = f64::from((t.met + t.due + t.missed).max(1));
    let w = |n: u32| format!("width: {:.1}%", f64::from(n) * 100.0 / total);
    view! {
        <div class="s-stack" role="img" aria-label=format!("{} {} · {} {} · {} {}", tr("party.cell_met"), t.met, tr("party.cell_due"), t.due, tr("party.cell_missed"), t.missed)>
            <span class="s-met" style=w(t.met)></span>
            <span class="s-due" style=w(t.due)></span>
            <span class="s-missed" style=w(t.missed)></span>
        </div>
        <p class="s-stack-legend">
            <span class="s-met-key">{tr("party.cell_met")} " " <strong data-testid="screen-branch-met">{t.met}</strong></span>
            <span class="s-due-key">{tr("party.cell_due")} " " <strong>{t.due}</strong></span>
            <span class="s-missed-key">{tr("party.cell_missed")} " " <strong data-testid="screen-branch-missed">{t.missed}</strong></span>
        </p>
    }
}

fn satisfaction_list(rows: &[SatisfactionRow]) -> impl IntoView {
    let items = rows
        .iter()
        .map(|r| view! { <li><span class="s-name">{r.name.clone()}</span> <span class="s-val">{percent(r.rate())}</span></li> })
        .collect_view();
    view! { <ol class="s-list">{items}</ol> }
}

fn board_list(subject: Subject, rows: &[BoardRow]) -> impl IntoView {
    let items = rows
        .iter()
        .map(|r| {
            let stars = r.stars.map(star_text);
            view! {
                <li>
                    <span class="s-name">{r.name.clone()}</span>
                    <span class="s-dim">{r.unit.clone()}</span>
                    <a class="s-val" href=ledger_href(subject, r.subject_id, "")>{r.score}</a>
                    {stars.map(|s| view! { <span class="s-stars">{s}</span> })}
                </li>
            }
        })
        .collect_view();
    view! { <ol class="s-list" data-testid=format!("screen-{}", subject.as_str())>{items}</ol> }
}

/// Grids filled by the worst light among their open events; open events as dots, the last ten
/// minutes' pulsing. No tiles needed: the outlines are the map.
#[component]
fn ScreenMap(shapes: MapShapes, live: RwSignal<ScreenLive>) -> impl IntoView {
    let lights = Memo::new(move |_| {
        live.with(|l| {
            l.lights
                .iter()
                .copied()
                .collect::<std::collections::HashMap<i64, u8>>()
        })
    });
    let grids = shapes
        .grids
        .into_iter()
        .map(|g| {
            let id = g.id;
            let class = move || match lights.with(|m| m.get(&id).copied()) {
                Some(2) => "g red",
                Some(1) => "g yellow",
                Some(_) => "g green",
                None => "g",
            };
            view! { <path d=g.d class=class data-grid=id><title>{g.name}</title></path> }
        })
        .collect_view();
    let borders = shapes
        .borders
        .into_iter()
        .map(|b| view! { <path d=b.d class="border"></path> })
        .collect_view();
    view! {
        <svg
            class="s-map"
            viewBox=format!("0 0 {} {}", shapes.width, shapes.height)
            preserveAspectRatio="xMidYMid meet"
            role="img"
            data-testid="screen-map"
        >
            <g class="grids">{grids}</g>
            <g class="borders">{borders}</g>
            <g class="points">
                <For
                    each=move || live.with(|l| l.points.clone())
                    key=|p| (p.id, p.light, p.fresh)
                    let:p
                >
                    <circle
                        cx=p.x
                        cy=p.y
                        r=if p.fresh { 7.0 } else { 3.5 }
                        class=format!("pt l{}{}", p.light, if p.fresh { " fresh" } else { "" })
                        data-event=p.id
                    ></circle>
                </For>
            </g>
        </svg>
    }
    .into_any()
}

/// `/summary`: the leader's phone view of the same state, without the map.
#[component]
pub fn SummaryPage() -> impl IntoView {
    let frame = Resource::new(|| (), |_| get_screen());
    view! {
        <section class="summary" data-testid="summary">
            <Suspense fallback=move || view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || frame.get().map(|r| answer(r, |f| view! { <Summary l=f.live/> }.into_any()))}
            </Suspense>
        </section>
    }
}

#[component]
fn Summary(l: ScreenLive) -> impl IntoView {
    let k = l.tiles.kpis();
    let rows = [
        ("kpi.received", k.received),
        ("kpi.closed", k.closed),
        ("kpi.on_time", k.on_time),
        ("kpi.fed_back", k.fed_back),
        ("kpi.satisfied", k.satisfied),
        ("kpi.in_village", k.in_village),
    ]
    .into_iter()
    .map(|(key, v)| {
        let w = format!("width: {:.1}%", v.unwrap_or(0.0) * 100.0);
        view! {
            <li>
                <span>{tr(key)}</span>
                <span class="kbar"><span class="kfill" style=w></span><span class="kval">{percent(v)}</span></span>
            </li>
        }
    })
    .collect_view();
    let red = l.lights.iter().filter(|x| x.1 == 2).count();
    view! {
        <h1>{l.scope_name.clone()}</h1>
        <p class="muted">{tr("screen.updated")} " " {clock(l.at)} " · " {tr("screen.window_30")}</p>
        <div class="tiles">
            <div class="tile"><span class="label">{tr("screen.received_n")}</span><strong>{l.tiles.reported}</strong></div>
            <div class="tile"><span class="label">{tr("screen.open_n")}</span><strong>{l.open}</strong></div>
            <div class="tile"><span class="label">{tr("screen.red_grids")}</span><strong>{red}</strong></div>
        </div>
        <ul class="summary-kpis" data-testid="summary-kpis">{rows}</ul>
        <h2>{tr("screen.units")}</h2>
        <ol class="summary-units">
            {l.units.iter().take(10).map(|u| view! { <li>{u.name.clone()} " " {percent(u.satisfied)} " / " {percent(u.on_time)}</li> }).collect_view()}
        </ol>
        <p><a href="/screen">{tr("nav.screen")}</a> " · " <a href="/scores">{tr("nav.scores")}</a></p>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    use super::super::types::{ScreenLive, ScreenPatch};

    /// Seconds without a message after which the screen says its data is stale.
    const STALE_AFTER_MS: f64 = 15_000.0;

    fn now_ms() -> f64 {
        js_sys::Date::now()
    }

    fn data(e: &JsValue) -> Option<String> {
        e.dyn_ref::<web_sys::MessageEvent>()
            .and_then(|m| m.data().as_string())
    }

    pub fn listen(live: RwSignal<ScreenLive>, stale: RwSignal<bool>) {
        let source: StoredValue<Option<web_sys::EventSource>, LocalStorage> =
            StoredValue::new_local(None);
        let heard = StoredValue::new(now_ms());
        Effect::new(move |_| {
            if source.get_value().is_none() {
                connect(source, live, stale, heard);
            }
            let check = Closure::<dyn Fn()>::new(move || {
                let old = now_ms() - heard.get_value() > STALE_AFTER_MS;
                if stale.get_untracked() != old {
                    stale.set(old);
                }
            });
            if let Some(w) = web_sys::window() {
                let _ = w.set_interval_with_callback_and_timeout_and_arguments_0(
                    check.as_ref().unchecked_ref(),
                    1000,
                );
            }
            check.forget();
        });
        on_cleanup(move || {
            if let Some(es) = source.get_value() {
                es.close();
            }
        });
    }

    fn connect(
        source: StoredValue<Option<web_sys::EventSource>, LocalStorage>,
        live: RwSignal<ScreenLive>,
        stale: RwSignal<bool>,
        heard: StoredValue<f64>,
    ) {
        let Ok(es) = web_sys::EventSource::new("/screen/live") else {
            return;
        };
        let fresh = move || {
            heard.set_value(now_ms());
            if stale.get_untracked() {
                stale.set(false);
            }
        };
        let on_snapshot = Closure::<dyn Fn(JsValue)>::new(move |e: JsValue| {
            if let Some(s) = data(&e).and_then(|d| serde_json::from_str::<ScreenLive>(&d).ok()) {
                fresh();
                live.set(s);
            }
        });
        let on_patch = Closure::<dyn Fn(JsValue)>::new(move |e: JsValue| {
            let Some(p) = data(&e).and_then(|d| serde_json::from_str::<ScreenPatch>(&d).ok())
            else {
                return;
            };
            fresh();
            let mut applied = true;
            live.update(|l| applied = l.apply(p));
            if !applied {
                // A patch for another version: a new connection starts with a snapshot.
                if let Some(old) = source.get_value() {
                    old.close();
                }
                source.set_value(None);
                connect(source, live, stale, heard);
            }
        });
        let on_tick = Closure::<dyn Fn(JsValue)>::new(move |_e: JsValue| fresh());
        let _ =
            es.add_event_listener_with_callback("snapshot", on_snapshot.as_ref().unchecked_ref());
        let _ = es.add_event_listener_with_callback("patch", on_patch.as_ref().unchecked_ref());
        let _ = es.add_event_listener_with_callback("tick", on_tick.as_ref().unchecked_ref());
        on_snapshot.forget();
        on_patch.forget();
        on_tick.forget();
        // EventSource retries by itself after a dropped connection, but gives up for good on an
        // error answer (a server still starting); then try again in a few seconds.
        let es2 = es.clone();
        let on_error = Closure::<dyn Fn(JsValue)>::new(move |_e: JsValue| {
            if es2.ready_state() == web_sys::EventSource::CLOSED {
                let retry = Closure::once_into_js(move || {
                    if source
                        .get_value()
                        .is_some_and(|s| s.ready_state() == web_sys::EventSource::CLOSED)
                    {
                        source.set_value(None);
                        connect(source, live, stale, heard);
                    }
                });
                if let Some(w) = web_sys::window() {
                    let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                        retry.unchecked_ref(),
                        3000,
                    );
                }
            }
        });
        es.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        source.set_value(Some(es));
    }
}
