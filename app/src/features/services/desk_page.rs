//! `/services/desk`: the service points a village or township runs (and, for the county, those
//! it oversees): publish slots, see who booked (names masked), record attendance.

use leptos::prelude::*;

use super::api::{get_desk, AddSlot, MarkBooking};
use super::types::{Desk, DeskPoint};
use crate::domain::services::MAX_CAPACITY;
use crate::i18n::{tr, use_locale};
use crate::ui::answer::{answer, ErrorText};
use crate::ui::time::when;

#[component]
pub fn DeskPage() -> impl IntoView {
    let add = ServerAction::<AddSlot>::new();
    let mark = ServerAction::<MarkBooking>::new();
    let data = Resource::new(
        move || (add.version().get(), mark.version().get()),
        |_| get_desk(),
    );
    let failure = move || {
        [
            add.value().get().and_then(|r| r.err()),
            mark.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|e| view! { <ErrorText error=e/> })
    };
    view! {
        <section class="services-page desk" data-testid="desk-page">
            <p><a href="/services">{tr("services.title")}</a></p>
            <h1>{tr("services.desk")}</h1>
            <p class="muted">{tr("services.desk_intro")}</p>
            {failure}
            <Suspense fallback=|| view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || data.get().map(|r| answer(r, |d| view! { <DeskView d=d add=add mark=mark/> }.into_any()))}
            </Suspense>
        </section>
    }
}

#[component]
fn DeskView(d: Desk, add: ServerAction<AddSlot>, mark: ServerAction<MarkBooking>) -> impl IntoView {
    if d.points.is_empty() {
        return view! { <p class="muted">{tr("services.no_points")}</p> }.into_any();
    }
    let en = use_locale().code() == "en";
    let items = d.items.clone();
    d.points
        .into_iter()
        .map(|p| view! { <Point p=p items=items.clone() en=en add=add mark=mark/> })
        .collect_view()
        .into_any()
}

#[component]
fn Point(
    p: DeskPoint,
    items: Vec<(i64, String, String)>,
    en: bool,
    add: ServerAction<AddSlot>,
    mark: ServerAction<MarkBooking>,
) -> impl IntoView {
    let form = p.manage.then(|| {
        let options = items
            .iter()
            .map(|(id, zh, e)| view! { <option value=id.to_string()>{if en { e.clone() } else { zh.clone() }}</option> })
            .collect_view();
        let tomorrow = crate::domain::calendar::local_day(crate::clock::unix_now() + 86_400);
        view! {
            <ActionForm action=add attr:class="slot-form" attr:data-testid="slot-form">
                <input type="hidden" name="point_id" value=p.id.to_string()/>
                <label>{tr("fields.item_id")} <select name="item_id" data-testid="slot-item">{options}</select></label>
                <label>{tr("services.day")} <input type="date" name="day" value=tomorrow required data-testid="slot-day"/></label>
                <label>{tr("fields.start")} <input type="time" name="start" value="09:00" required data-testid="slot-start"/></label>
                <label>{tr("services.minutes")} <input type="number" name="minutes" value="60" min="5" max="720" required/></label>
                <label>{tr("fields.capacity")} <input type="number" name="capacity" value="10" min="1" max=MAX_CAPACITY required data-testid="slot-capacity"/></label>
                <button type="submit" class="primary" data-testid="slot-submit">{tr("services.add_slot")}</button>
            </ActionForm>
        }
    });
    let manage = p.manage;
    let rows = p
        .slots
        .into_iter()
        .map(|s| {
            let who = s
                .bookings
                .iter()
                .map(|(id, name, state)| {
                    let buttons = (manage && state == "booked").then(|| {
                        let (id, id2) = (id.to_string(), id.to_string());
                        view! {
                            <ActionForm action=mark attr:class="inline">
                                <input type="hidden" name="booking_id" value=id/>
                                <input type="hidden" name="state" value="attended"/>
                                <button type="submit" class="link" data-testid="mark-attended">{tr("services.attended")}</button>
                            </ActionForm>
                            <ActionForm action=mark attr:class="inline">
                                <input type="hidden" name="booking_id" value=id2/>
                                <input type="hidden" name="state" value="missed"/>
                                <button type="submit" class="link">{tr("services.missed")}</button>
                            </ActionForm>
                        }
                    });
                    view! {
                        <li data-testid="desk-booking">
                            {name.clone()} " · " {tr(&format!("services.states_{state}"))} {buttons}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <tr data-testid="desk-slot">
                    <td>{when(s.starts_at)}</td>
                    <td>{if en { s.item_en.clone() } else { s.item_zh.clone() }}</td>
                    <td data-testid="desk-booked">{s.booked} "/" {s.capacity}</td>
                    <td><ul class="plain">{who}</ul></td>
                </tr>
            }
        })
        .collect_view();
    let oversee =
        (!manage).then(|| view! { <span class="muted">" · " {tr("services.oversee")}</span> });
    view! {
        <article class="desk-point" data-testid="desk-point">
            <h2>{p.name.clone()} <span class="muted">" · " {p.unit_name.clone()}</span> {oversee}</h2>
            <p class="muted">{p.address.clone()}</p>
            {form}
            <div class="table-wrap">
                <table class="desk-slots">
                    <thead><tr><th>{tr("fields.start")}</th><th>{tr("fields.item_id")}</th><th>{tr("services.booked_n")}</th><th></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </article>
    }
}
