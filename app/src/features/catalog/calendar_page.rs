//! /admin/calendar: a year at a glance (holidays red, make-up workdays blue, weekends grey), the
//! list of set days, and one form to set or clear a day. Deadlines are counted on this calendar.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{get_calendar_year, SetCalendarDay};
use super::categories_page::AdminTabs;
use super::types::CalendarYear;
use crate::domain::calendar::{month_weeks, parse_date, WorkCalendar};
use crate::i18n::tr;
use crate::ui::answer::{answer, ErrorText};

#[component]
pub fn CalendarPage() -> impl IntoView {
    let query = use_query_map();
    // 0 asks the server for the current year, so server and browser render the same page.
    let year = Memo::new(move |_| {
        query.with(|q| {
            q.get("year")
                .and_then(|s| s.parse::<i32>().ok())
                .unwrap_or(0)
        })
    });
    let set = ServerAction::<SetCalendarDay>::new();
    let data = Resource::new(
        move || (year.get(), set.version().get()),
        |(y, _)| get_calendar_year(y),
    );
    let result = move || match set.value().get() {
        Some(Ok(())) => {
            Some(view! { <p class="ok" role="status">{tr("admin.saved")}</p> }.into_any())
        }
        Some(Err(e)) => Some(view! { <ErrorText error=e/> }.into_any()),
        None => None,
    };
    view! {
        <section class="admin" data-testid="calendar-page">
            <h1>{tr("admin.calendar_title")}</h1>
            <AdminTabs here="calendar"/>
            <p class="muted">{tr("admin.applies_to_new")}</p>
            <ActionForm action=set attr:class="set-day" attr:data-testid="set-day">
                <label>{tr("fields.day")} <input type="date" name="day" required/></label>
                <label>
                    {tr("fields.kind")}
                    <select name="kind">
                        <option value="holiday">{tr("admin.kind_holiday")}</option>
                        <option value="workday">{tr("admin.kind_workday")}</option>
                        <option value="none">{tr("admin.kind_none")}</option>
                    </select>
                </label>
                <label>{tr("fields.name")} <input type="text" name="name" maxlength="20" placeholder=tr("admin.day_name_hint")/></label>
                <button type="submit">{tr("admin.save")}</button>
            </ActionForm>
            {result}
            <Suspense fallback=move || view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || {
                    data.get()
                        .map(|r| answer(r, |y| view! { <Year y=y set=set/> }.into_any()))
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn Year(y: CalendarYear, set: ServerAction<SetCalendarDay>) -> impl IntoView {
    let mut cal = WorkCalendar::default();
    for e in &y.entries {
        if let Some(d) = parse_date(&e.day) {
            if e.kind == "workday" {
                cal.workdays.insert(d);
            } else {
                cal.holidays.insert(d);
            }
        }
    }
    let mut years = y.years.clone();
    years.extend([y.year - 1, y.year, y.year + 1]);
    years.sort_unstable();
    years.dedup();
    let switcher = years
        .into_iter()
        .map(|n| {
            let class = if n == y.year { "period on" } else { "period" };
            view! { <a href=format!("/admin/calendar?year={n}") class=class>{n}</a> }
        })
        .collect_view();
    let weekdays: Vec<String> = tr("admin.weekdays").split(' ').map(str::to_owned).collect();
    let month_names: Vec<String> = tr("admin.months").split(' ').map(str::to_owned).collect();
    let names: std::collections::HashMap<String, String> = y
        .entries
        .iter()
        .map(|e| (e.day.clone(), e.name.clone()))
        .collect();
    let months = (1..=12u8)
        .map(|m| {
            let head = weekdays
                .iter()
                .map(|w| view! { <th scope="col">{w.clone()}</th> })
                .collect_view();
            let rows = month_weeks(y.year, m)
                .into_iter()
                .map(|week| {
                    let cells = week
                        .iter()
                        .map(|d| match d {
                            Some(d) => {
                                let key = crate::domain::calendar::format_date(*d);
                                let kind = cal.day_kind(*d).as_str();
                                let title = names.get(&key).cloned().unwrap_or_default();
                                view! {
                                    <td class=format!("day {kind}") title=title data-day=key>
                                        {d.day()}
                                    </td>
                                }
                                .into_any()
                            }
                            None => view! { <td></td> }.into_any(),
                        })
                        .collect_view();
                    view! { <tr>{cells}</tr> }
                })
                .collect_view();
            let label = month_names
                .get(m as usize - 1)
                .cloned()
                .unwrap_or_else(|| m.to_string());
            view! {
                <table class="month">
                    <caption>{label}</caption>
                    <thead><tr>{head}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
        })
        .collect_view();
    let list = y
        .entries
        .into_iter()
        .map(|e| {
            let kind = tr(&format!("admin.kind_{}", e.kind));
            view! {
                <tr data-testid="calendar-entry">
                    <td>{e.day.clone()}</td>
                    <td>{kind}</td>
                    <td>{e.name}</td>
                    <td>
                        <ActionForm action=set attr:class="inline">
                            <input type="hidden" name="day" value=e.day/>
                            <input type="hidden" name="kind" value="none"/>
                            <input type="hidden" name="name" value=""/>
                            <button type="submit" class="link">{tr("admin.clear_day")}</button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <nav class="periods years">{switcher}</nav>
        <h2>{y.year}</h2>
        <p class="legend">
            <span class="day holiday">{tr("admin.kind_holiday")}</span>
            <span class="day makeup">{tr("admin.kind_workday")}</span>
            <span class="day weekend">{tr("admin.weekend")}</span>
        </p>
        <div class="months" data-testid="year-grid">{months}</div>
        <table class="calendar-list">
            <thead>
                <tr>
                    <th scope="col">{tr("fields.day")}</th>
                    <th scope="col">{tr("fields.kind")}</th>
                    <th scope="col">{tr("fields.name")}</th>
                    <th></th>
                </tr>
            </thead>
            <tbody>{list}</tbody>
        </table>
    }
}
