//! Plain SVG charts drawn on the server with the page (the figures are there before WASM):
//! columns over days, and horizontal bars of two measures per label.

use leptos::prelude::*;

/// One column per day (the first measure), the second measure as a line over them; the first,
/// middle and last days labelled.
#[component]
pub fn DayColumns(
    rows: Vec<(String, i64, i64)>,
    first: String,
    second: String,
    test: &'static str,
) -> impl IntoView {
    const W: f64 = 720.0;
    const H: f64 = 220.0;
    const PAD: f64 = 28.0;
    let n = rows.len().max(1);
    let max = rows.iter().map(|r| r.1.max(r.2)).max().unwrap_or(0).max(1) as f64;
    let step = (W - 2.0 * PAD) / n as f64;
    let y = move |v: i64| H - PAD - v as f64 * (H - 2.0 * PAD) / max;
    let columns = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let x = PAD + i as f64 * step;
            let top = y(r.1);
            view! { <rect x=format!("{x:.1}") y=format!("{top:.1}") width=format!("{:.2}", (step * 0.8).max(0.5)) height=format!("{:.1}", H - PAD - top) class="col"><title>{format!("{} {} {}", r.0, r.1, r.2)}</title></rect> }
        })
        .collect_view();
    let line = rows
        .iter()
        .enumerate()
        .map(|(i, r)| format!("{:.1},{:.1}", PAD + (i as f64 + 0.4) * step, y(r.2)))
        .collect::<Vec<_>>()
        .join(" ");
    // The first day's label starts at its column and the last one's ends there, so neither is cut.
    let labels = [(0, "start"), (rows.len() / 2, "middle"), (rows.len().saturating_sub(1), "end")]
        .into_iter()
        .filter_map(|(i, anchor)| rows.get(i).map(|r| (i, anchor, r.0.clone())))
        .map(|(i, anchor, d)| view! { <text x=format!("{:.1}", PAD + (i as f64 + 0.4) * step) y={H - 8.0} class="tick" text-anchor=anchor>{d}</text> })
        .collect_view();
    view! {
        <svg class="chart columns" viewBox=format!("0 0 {W} {H}") role="img" data-testid=test>
            <line x1=PAD y1={H - PAD} x2={W - PAD} y2={H - PAD} class="axis"></line>
            <text x=PAD y={PAD - 10.0} class="tick">{max as i64}</text>
            {columns}
            <polyline points=line class="line second"></polyline>
            {labels}
            <g class="legend">
                <rect x={W - 220.0} y=6 width=12 height=8 class="col"></rect>
                <text x={W - 204.0} y=14 class="tick">{first}</text>
                <rect x={W - 110.0} y=8 width=12 height=3 class="second"></rect>
                <text x={W - 94.0} y=14 class="tick">{second}</text>
            </g>
        </svg>
    }
}

/// A bar per label, scaled to the largest first measure, both figures written at its end.
#[component]
pub fn PairBars(
    caption: String,
    rows: Vec<(String, i64, i64)>,
    test: &'static str,
) -> impl IntoView {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as f64;
    let bars = rows
        .into_iter()
        .map(|(label, a, b)| {
            let width = format!("width: {:.1}%", a as f64 * 100.0 / max);
            view! {
                <div class="pair-bar" data-testid=format!("{test}-row")>
                    <span class="pair-label">{label}</span>
                    <span class="pair-track"><span class="pair-fill" style=width></span></span>
                    <span class="pair-num">{a} " / " {b}</span>
                </div>
            }
        })
        .collect_view();
    view! {
        <figure class="pair-bars" data-testid=test>
            <figcaption>{caption}</figcaption>
            {bars}
        </figure>
    }
}
