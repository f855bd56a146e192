//! The KPI page: the unit's six rates as bars, and a table of the units one level down, each rate
//! with its own bar so the weak spots stand out. Plain links switch the period (no WASM needed).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::get_kpi_report;
use super::types::{KpiReport, UnitKpi};
use crate::domain::kpi::{percent, Kpis};
use crate::i18n::tr;
use crate::ui::answer::answer;

const KEYS: [&str; 6] = [
    "kpi.received",
    "kpi.closed",
    "kpi.on_time",
    "kpi.fed_back",
    "kpi.satisfied",
    "kpi.in_village",
];

fn values(k: &Kpis) -> [Option<f64>; 6] {
    [
        k.received,
        k.closed,
        k.on_time,
        k.fed_back,
        k.satisfied,
        k.in_village,
    ]
}

fn bar(v: Option<f64>) -> impl IntoView {
    let width = format!("width: {:.1}%", v.unwrap_or(0.0) * 100.0);
    view! {
        <span class="kbar">
            <span class="kfill" style=width></span>
            <span class="kval">{percent(v)}</span>
        </span>
    }
}

#[component]
pub fn KpiPage() -> impl IntoView {
    let query = use_query_map();
    let days = Memo::new(move |_| {
        query.with(|q| {
            q.get("days")
                .and_then(|s| s.parse::<i64>().ok())
                .unwrap_or(30)
        })
    });
    let report = Resource::new(move || days.get(), get_kpi_report);
    let periods = [30i64, 90, 365]
        .into_iter()
        .map(|d| {
            let label = tr(&format!("kpi.days_{d}"));
            view! {
                <a href=format!("/kpi?days={d}") class=move || if days.get() == d { "period on" } else { "period" }>
                    {label}
                </a>
            }
        })
        .collect_view();
    view! {
        <section class="kpi" data-testid="kpi-page">
            <h1>{tr("kpi.title")}</h1>
            <nav class="periods">{periods}</nav>
            <Suspense fallback=move || view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || {
                    report
                        .get()
                        .map(|r| answer(r, |r| view! { <Report r=r/> }.into_any()))
                }}
            </Suspense>
            <p class="muted">{tr("kpi.definitions")}</p>
        </section>
    }
}

fn row(u: &UnitKpi) -> impl IntoView {
    let cells = values(&u.counts.kpis())
        .into_iter()
        .map(|v| view! { <td>{bar(v)}</td> })
        .collect_view();
    view! {
        <tr>
            <th scope="row">{u.name.clone()}</th>
            <td class="num">{u.counts.reported}</td>
            {cells}
        </tr>
    }
}

#[component]
fn Report(r: KpiReport) -> impl IntoView {
    let own = values(&r.unit.counts.kpis());
    let tiles = KEYS
        .iter()
        .zip(own)
        .map(|(k, v)| {
            view! {
                <div class="tile" data-testid="kpi-tile">
                    <span class="label">{tr(k)}</span>
                    {bar(v)}
                </div>
            }
        })
        .collect_view();
    let heads = KEYS
        .iter()
        .map(|k| view! { <th scope="col">{tr(k)}</th> })
        .collect_view();
    let rows = r.children.iter().map(row).collect_view();
    view! {
        <h2>{r.unit.name.clone()} " · " {tr("kpi.reported")} " " {r.unit.counts.reported}</h2>
        <div class="tiles">{tiles}</div>
        <table class="kpi-table" data-testid="kpi-table">
            <thead>
                <tr>
                    <th scope="col">{tr("kpi.unit")}</th>
                    <th scope="col">{tr("kpi.reported")}</th>
                    {heads}
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
