//! /overdue: the overdue and due-soon list (超期/临期清单) of the caller's subtree or department,
//! with red and yellow counts per unit one level down as bars. Lights are taken at the server's
//! reading time, so the page hydrates as it was rendered.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::deadlines_api::get_overdue;
use super::types::{OverdueList, OverdueRow, UnitLights};
use crate::i18n::{tr, use_locale};
use crate::ui::answer::answer;
use crate::ui::time::when;

#[component]
pub fn OverduePage() -> impl IntoView {
    let query = use_query_map();
    let light = Memo::new(move |_| {
        query.with(|q| {
            if q.get("light").as_deref() == Some("red") {
                "red".to_string()
            } else {
                "all".to_string()
            }
        })
    });
    let list = Resource::new(move || light.get(), get_overdue);
    let filter = move |key: &'static str| {
        let class = move || {
            if light.get() == key {
                "period on"
            } else {
                "period"
            }
        };
        view! { <a href=format!("/overdue?light={key}") class=class>{tr(&format!("overdue.filter_{key}"))}</a> }
    };
    view! {
        <section class="overdue" data-testid="overdue-page">
            <h1>{tr("overdue.title")}</h1>
            <nav class="periods">{filter("all")} {filter("red")}</nav>
            <Suspense fallback=move || view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || {
                    list.get()
                        .map(|r| answer(r, |l| view! { <List l=l/> }.into_any()))
                }}
            </Suspense>
        </section>
    }
}

/// Working hours with one decimal, the way the responsibility list states limits.
fn hours(secs: i64) -> String {
    format!("{:.1}", secs.unsigned_abs() as f64 / 3600.0)
}

#[component]
fn List(l: OverdueList) -> impl IntoView {
    let now = l.now;
    let chart = (!l.by_unit.is_empty()).then(|| view! { <UnitBars units=l.by_unit.clone()/> });
    let empty_list = l.rows.is_empty();
    let rows = l
        .rows
        .into_iter()
        .map(|r| view! { <Row r=r now=now/> })
        .collect_view();
    let empty = (l.red + l.yellow == 0).then(|| view! { <p class="ok">{tr("overdue.none")}</p> });
    view! {
        <div class="tiles">
            <div class="tile">
                <span class="light light-red">{tr("lights.red")}</span>
                <strong data-testid="overdue-red">{l.red}</strong>
            </div>
            <div class="tile">
                <span class="light light-yellow">{tr("lights.yellow")}</span>
                <strong data-testid="overdue-yellow">{l.yellow}</strong>
            </div>
        </div>
        {chart}
        {empty}
        {(!empty_list).then(|| view! {
        <table class="overdue-table" data-testid="overdue-table">
                <thead>
                    <tr>
                        <th scope="col">{tr("overdue.light")}</th>
                        <th scope="col">{tr("overdue.tracking_no")}</th>
                        <th scope="col">{tr("fields.category")}</th>
                        <th scope="col">{tr("fields.location")}</th>
                        <th scope="col">{tr("overdue.holder")}</th>
                        <th scope="col">{tr("overdue.due")}</th>
                        <th scope="col">{tr("overdue.over")}</th>
                        <th scope="col">{tr("overdue.supervisions")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        })}
    }
}

#[component]
fn Row(r: OverdueRow, now: i64) -> impl IntoView {
    let locale = use_locale();
    let c = r.card;
    let red = now >= c.due_at;
    let (light, label) = if red {
        ("light light-red", tr("lights.red"))
    } else {
        ("light light-yellow", tr("lights.yellow"))
    };
    let category = if locale.code() == "en" {
        c.category_en
    } else {
        c.category_zh
    };
    let over = if r.over_working_secs >= 0 {
        format!(
            "{} {} {}",
            tr("overdue.over_by"),
            hours(r.over_working_secs),
            tr("overdue.hours")
        )
    } else {
        format!(
            "{} {} {}",
            tr("overdue.left"),
            hours(r.over_working_secs),
            tr("overdue.hours")
        )
    };
    let holder = c
        .assignee_name
        .unwrap_or_else(|| tr(&format!("levels.{}", c.level)));
    let state = tr(&format!("states.{}", c.state));
    view! {
        <tr data-testid="overdue-row" data-light=if red { "red" } else { "yellow" }>
            <td><span class=light>{label}</span></td>
            <td><a href=format!("/events/{}", c.id)>{c.tracking_no}</a></td>
            <td>{category}</td>
            <td>{r.township} " " {r.village} " " {c.grid_name}</td>
            <td>{holder} <span class="muted">" · " {state}</span></td>
            <td>{when(c.due_at)}</td>
            <td class="num">{over}</td>
            <td class="num">{c.supervisions}</td>
        </tr>
    }
}

/// Stacked red/yellow bars, one per unit, scaled to the largest total.
#[component]
fn UnitBars(units: Vec<UnitLights>) -> impl IntoView {
    let max = units
        .iter()
        .map(|u| u.red + u.yellow)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let bars = units
        .into_iter()
        .map(|u| {
            let red = format!("width: {:.1}%", u.red as f64 / max * 100.0);
            let yellow = format!("width: {:.1}%", u.yellow as f64 / max * 100.0);
            view! {
                <div class="ubar" data-testid="unit-bar">
                    <span class="uname">{u.name}</span>
                    <span class="utrack">
                        <span class="ured" style=red></span>
                        <span class="uyellow" style=yellow></span>
                    </span>
                    <span class="num">{u.red} " / " {u.yellow}</span>
                </div>
            }
        })
        .collect_view();
    view! {
        <figure class="unit-bars">
            <figcaption>{tr("overdue.by_unit")}</figcaption>
            {bars}
        </figure>
    }
}
