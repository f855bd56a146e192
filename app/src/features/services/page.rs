//! `/services`: the resident's phone page — their bookings (cancel, or move to another time of
//! the same service), then the catalogue with each item's label, materials, department, time
//! limit and the open slots at the points serving them. Plain forms throughout: it works
//! without WASM.

use leptos::prelude::*;

use super::api::{get_services, BookSlot, CancelBooking, ChangeBooking};
use super::proxy_api::{ProxyAct, RequestProxy};
use super::proxy_page::{ProxyCard, Viewer};
use super::types::{MyBooking, ServiceItem, ServicesHome, SlotLine};
use crate::i18n::{tr, use_locale};
use crate::ui::answer::{answer, ErrorText};
use crate::ui::time::when;

/// `09:00–10:00` after the day and start.
fn span(s: i64, e: i64) -> String {
    let end = when(e);
    format!("{}–{}", when(s), end.rsplit(' ').next().unwrap_or_default())
}

#[component]
pub fn ServicesPage() -> impl IntoView {
    let book = ServerAction::<BookSlot>::new();
    let cancel = ServerAction::<CancelBooking>::new();
    let change = ServerAction::<ChangeBooking>::new();
    let ask = ServerAction::<RequestProxy>::new();
    let act = ServerAction::<ProxyAct>::new();
    let data = Resource::new(
        move || {
            (
                book.version().get(),
                cancel.version().get(),
                change.version().get(),
                ask.version().get(),
                act.version().get(),
            )
        },
        |_| get_services(),
    );
    let failure = move || {
        [
            book.value().get().and_then(|r| r.err()),
            cancel.value().get().and_then(|r| r.err()),
            change.value().get().and_then(|r| r.err()),
            ask.value().get().and_then(|r| r.err()),
            act.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|e| view! { <div data-testid="services-error"><ErrorText error=e/></div> })
    };
    let booked = move || {
        matches!(book.value().get(), Some(Ok(_))).then(|| {
            view! { <p class="ok" role="status" data-testid="booked-ok">{tr("services.booked_ok")}</p> }
        })
    };
    view! {
        <section class="services-page" data-testid="services-page">
            <h1>{tr("services.title")}</h1>
            <p class="muted">{tr("services.intro")}</p>
            {failure}
            {booked}
            <Suspense fallback=|| view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || data.get().map(|r| answer(r, |h| view! { <Home h=h book=book cancel=cancel change=change ask=ask act=act/> }.into_any()))}
            </Suspense>
        </section>
    }
}

#[component]
fn Home(
    h: ServicesHome,
    book: ServerAction<BookSlot>,
    cancel: ServerAction<CancelBooking>,
    change: ServerAction<ChangeBooking>,
    ask: ServerAction<RequestProxy>,
    act: ServerAction<ProxyAct>,
) -> impl IntoView {
    let proxy_link = h.proxy_page.then(|| {
        view! { <p><a href="/services/proxy" data-testid="proxy-link">{tr("services.proxy_tasks")}</a></p> }
    });
    let proxies = (!h.proxies.is_empty()).then(|| {
        let cards = h
            .proxies
            .iter()
            .cloned()
            .map(|p| view! { <ProxyCard p=p viewer=Viewer::Requester act=act/> })
            .collect_view();
        view! {
            <h2>{tr("services.proxy_mine")}</h2>
            <div class="service-items" data-testid="my-proxies">{cards}</div>
        }
    });
    let desk = h.desk.then(|| {
        view! { <p><a href="/services/desk" data-testid="desk-link">{tr("services.desk")}</a></p> }
    });
    let volunteer = view! {
        <p><a href="/open" data-testid="open-link">{tr("open.title")}</a> " · " <span class="muted">{tr("open.teaser")}</span></p>
        <p><a href="/jobs" data-testid="jobs-link">{tr("jobs.title")}</a> " · " <span class="muted">{tr("jobs.teaser")}</span></p>
        <p><a href="/volunteer" data-testid="volunteer-link">{tr("volunteer.title")}</a> " · " <span class="muted">{tr("volunteer.teaser")}</span></p>
    };
    let mine = if h.mine.is_empty() {
        view! { <p class="muted">{tr("services.none_mine")}</p> }.into_any()
    } else {
        let items = h.items.clone();
        h.mine
            .iter()
            .map(|b| {
                let others: Vec<SlotLine> = items
                    .iter()
                    .filter(|i| i.id == b.item_id)
                    .flat_map(|i| i.slots.clone())
                    .filter(|s| s.left > 0)
                    .collect();
                view! { <Mine b=b.clone() others=others cancel=cancel change=change/> }
            })
            .collect_view()
            .into_any()
    };
    let en = use_locale().code() == "en";
    let soon = h
        .mine
        .iter()
        .filter(|b| b.reminded)
        .map(|b| {
            let name = if en {
                b.item_en.clone()
            } else {
                b.item_zh.clone()
            };
            view! {
                <p class="reminder" role="note" data-testid="booking-reminder">
                    <strong>{tr("services.reminder")}</strong> " " {name} " · "
                    {span(b.starts_at, b.ends_at)} " · " {b.point.clone()} " · " {b.address.clone()}
                </p>
            }
        })
        .collect_view();
    let items = h
        .items
        .into_iter()
        .map(|i| view! { <Item i=i book=book ask=ask/> })
        .collect_view();
    view! {
        {soon}
        {volunteer}
        {desk}
        {proxy_link}
        <h2>{tr("services.mine")}</h2>
        <ul class="plain bookings" data-testid="my-bookings">{mine}</ul>
        {proxies}
        <div class="service-items">{items}</div>
    }
}

#[component]
fn Mine(
    b: MyBooking,
    others: Vec<SlotLine>,
    cancel: ServerAction<CancelBooking>,
    change: ServerAction<ChangeBooking>,
) -> impl IntoView {
    let name = if use_locale().code() == "en" {
        b.item_en.clone()
    } else {
        b.item_zh.clone()
    };
    let state = tr(&format!("services.states_{}", b.state));
    let actions = b.open.then(|| {
        let move_to = (!others.is_empty()).then(|| {
            let options = others
                .iter()
                .map(|s| view! { <option value=s.id.to_string()>{span(s.starts_at, s.ends_at)} " · " {s.point.clone()}</option> })
                .collect_view();
            view! {
                <ActionForm action=change attr:class="inline" attr:data-testid="change-form">
                    <input type="hidden" name="booking_id" value=b.id.to_string()/>
                    <label>{tr("services.change_to")} " " <select name="slot_id" data-testid="change-slot">{options}</select></label>
                    <button type="submit" data-testid="change-submit">{tr("services.change")}</button>
                </ActionForm>
            }
        });
        view! {
            <ActionForm action=cancel attr:class="inline">
                <input type="hidden" name="booking_id" value=b.id.to_string()/>
                <button type="submit" class="link" data-testid="cancel-booking">{tr("services.cancel")}</button>
            </ActionForm>
            {move_to}
        }
    });
    view! {
        <li data-testid="my-booking" data-state=b.state.clone()>
            <strong>{name}</strong> " · " <span data-testid="booking-state">{state}</span>
            <br/>
            <span class="muted">{span(b.starts_at, b.ends_at)} " · " {b.point.clone()} " · " {b.address.clone()}</span>
            {actions}
        </li>
    }
}

#[component]
fn Item(
    i: ServiceItem,
    book: ServerAction<BookSlot>,
    ask: ServerAction<RequestProxy>,
) -> impl IntoView {
    let name = if use_locale().code() == "en" {
        i.name_en.clone()
    } else {
        i.name_zh.clone()
    };
    let label = tr(&format!("services.labels_{}", i.label));
    let proxied = i.label == "full_proxy";
    let slots = if proxied {
        view! {
            <ActionForm action=ask attr:class="slot-form" attr:data-testid="proxy-form">
                <input type="hidden" name="item_id" value=i.id.to_string()/>
                <label>{tr("services.proxy_note")} <input type="text" name="note" maxlength="300" data-testid="proxy-ask-note"/></label>
                <button type="submit" class="primary" data-testid="proxy-ask">{tr("services.proxy_ask")}</button>
            </ActionForm>
        }
        .into_any()
    } else if i.slots.is_empty() {
        view! { <p class="muted">{tr("services.no_slots")}</p> }.into_any()
    } else {
        let lines = i
            .slots
            .clone()
            .into_iter()
            .map(|s| {
                let button = if s.left > 0 {
                    view! {
                        <ActionForm action=book attr:class="inline">
                            <input type="hidden" name="slot_id" value=s.id.to_string()/>
                            <button type="submit" class="primary" data-testid="book-slot">{tr("services.book")}</button>
                        </ActionForm>
                    }
                    .into_any()
                } else {
                    view! { <span class="muted" data-testid="slot-full">{tr("services.full")}</span> }.into_any()
                };
                view! {
                    <li data-testid="slot" data-id=s.id.to_string()>
                        <span>{span(s.starts_at, s.ends_at)}</span> " · " <span>{s.point.clone()}</span>
                        " · " <span data-testid="slot-left">{tr("services.left")} " " {s.left} "/" {s.capacity}</span>
                        " " {button}
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="plain slots">{lines}</ul> }.into_any()
    };
    view! {
        <article class="service-item" data-testid="service-item" data-label=i.label.clone()>
            <h3><span class=format!("chip chip-{}", i.label)>{label}</span> " " {name}</h3>
            <dl class="facts">
                <dt>{tr("services.materials")}</dt><dd>{i.materials.clone()}</dd>
                <dt>{tr("services.department")}</dt><dd>{i.department.clone()}</dd>
                <dt>{tr("services.time_limit")}</dt><dd>{i.time_limit_days} " " {tr("services.days")}</dd>
            </dl>
            {slots}
        </article>
    }
}
