//! Charts as SVG from Leptos components: rendered on the server with the page, so the numbers are
//! there before WASM, and re-rendered in place when a patch arrives.

use leptos::prelude::*;

use super::types::{DayCount, NamedCount};
use crate::domain::kpi::percent;

/// Received and closed per day: two lines over the window, the busiest day labelled.
#[component]
pub fn TrendChart(
    #[prop(into)] days: Signal<Vec<DayCount>>,
    received: String,
    closed: String,
) -> impl IntoView {
    const W: f64 = 600.0;
    const H: f64 = 200.0;
    const PAD: f64 = 24.0;
    let geometry = move || {
        days.with(|d| {
            let max = d
                .iter()
                .map(|x| x.received.max(x.closed))
                .max()
                .unwrap_or(0)
                .max(1) as f64;
            let step = if d.len() > 1 {
                (W - 2.0 * PAD) / (d.len() - 1) as f64
            } else {
                0.0
            };
            let line = |f: fn(&DayCount) -> i64| {
                d.iter()
                    .enumerate()
                    .map(|(i, x)| {
                        format!(
                            "{:.1},{:.1}",
                            PAD + i as f64 * step,
                            H - PAD - f(x) as f64 * (H - 2.0 * PAD) / max
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let labels: Vec<(f64, String)> = d
                .iter()
                .enumerate()
                .filter(|(i, _)| i % 7 == 0 || (*i + 1 == d.len() && i % 7 > 2))
                .map(|(i, x)| (PAD + i as f64 * step, x.day.clone()))
                .collect();
            (line(|x| x.received), line(|x| x.closed), max as i64, labels)
        })
    };
    view! {
        <svg class="chart trend" viewBox=format!("0 0 {W} {H}") role="img" data-testid="trend-chart">
            <line x1=PAD y1={H - PAD} x2={W - PAD} y2={H - PAD} class="axis"></line>
            <text x=PAD y={PAD - 8.0} class="tick">{move || geometry().2}</text>
            <polyline points=move || geometry().0 class="line received"></polyline>
            <polyline points=move || geometry().1 class="line closed"></polyline>
            {move || {
                geometry()
                    .3
                    .into_iter()
                    .map(|(x, label)| view! { <text x=x y={H - 6.0} class="tick" text-anchor="middle">{label}</text> })
                    .collect_view()
            }}
            <g class="legend">
                <rect x={W - 200.0} y=4 width=14 height=4 class="received"></rect>
                <text x={W - 180.0} y=12 class="tick">{received}</text>
                <rect x={W - 100.0} y=4 width=14 height=4 class="closed"></rect>
                <text x={W - 80.0} y=12 class="tick">{closed}</text>
            </g>
        </svg>
    }
}

/// Horizontal bars, longest first, the value at the end of each.
#[component]
pub fn BarChart(#[prop(into)] rows: Signal<Vec<NamedCount>>, english: bool) -> impl IntoView {
    const W: f64 = 600.0;
    const ROW: f64 = 26.0;
    const LABEL: f64 = 190.0;
    view! {
        <svg
            class="chart bars"
            viewBox=move || format!("0 0 {W} {}", (rows.with(|r| r.len()).max(1) as f64) * ROW)
            role="img"
            data-testid="category-chart"
        >
            {move || {
                rows.with(|r| {
                    let max = r.iter().map(|x| x.count).max().unwrap_or(0).max(1) as f64;
                    r.iter()
                        .enumerate()
                        .map(|(i, x)| {
                            let y = i as f64 * ROW;
                            let w = (W - LABEL - 60.0) * x.count as f64 / max;
                            let name = if english { x.name_en.clone() } else { x.name_zh.clone() };
                            view! {
                                <text x={LABEL - 8.0} y={y + 18.0} class="label" text-anchor="end">{name}</text>
                                <rect x=LABEL y={y + 5.0} width=format!("{w:.1}") height={ROW - 10.0} class="bar"></rect>
                                <text x={LABEL + w + 6.0} y={y + 18.0} class="value">{x.count}</text>
                            }
                        })
                        .collect_view()
                })
            }}
        </svg>
    }
}

/// A rate as a ring (for tiles): the arc's length is the rate.
#[component]
pub fn Ring(#[prop(into)] rate: Signal<Option<f64>>) -> impl IntoView {
    // r = 15.9155 makes the circumference 100, so the dash array is the percentage.
    view! {
        <svg class="ring" viewBox="0 0 36 36" role="img">
            <circle cx=18 cy=18 r=15.9155 class="track"></circle>
            <circle
                cx=18
                cy=18
                r=15.9155
                class="arc"
                stroke-dasharray=move || format!("{:.1} 100", rate.get().unwrap_or(0.0) * 100.0)
                transform="rotate(-90 18 18)"
            ></circle>
            <text x=18 y=21 text-anchor="middle" class="ring-text">{move || percent(rate.get())}</text>
        </svg>
    }
}
