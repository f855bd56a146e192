//! The command room (指挥中心): the live queue in columns, and dispatch by dragging a card onto a
//! department, a grid worker or "escalate". Every drag has a click/tap and keyboard equivalent:
//! select a card (Enter or tap), then press a target.

use leptos::prelude::*;

use super::api::{event_queue, get_dispatch_targets};
use super::deadlines_api::{get_reminders, mark_reminders_read};
use super::types::{EventCard, Reminder, Target};
use crate::domain::calendar::{light_at, Light};
use crate::domain::event::{Action, Assignee, Urgency};
use crate::error::AppError;
use crate::i18n::{tr, use_locale};
use crate::ui::answer::answer;
use crate::ui::event_view::{run, CardHead};
use crate::ui::live::on_live_change;

/// Cards shown per column before "more".
const PAGE: usize = 20;

const COLUMNS: [(&str, &[&str]); 3] = [
    ("console.incoming", &["reported"]),
    ("console.to_dispatch", &["verified"]),
    ("console.in_hand", &["dispatched", "handling"]),
];

#[derive(Clone, Copy, PartialEq)]
enum Drop {
    Department(i64),
    Worker(i64),
    Escalate,
}

#[component]
pub fn ConsolePage() -> impl IntoView {
    let queue = Resource::new(|| (), |_| event_queue());
    let selected = RwSignal::new(None::<EventCard>);
    let message = RwSignal::new(String::new());
    let live = on_live_change(move |_| queue.refetch()).0;
    #[cfg(feature = "hydrate")]
    browser::tick(queue);
    let locale = use_locale();
    let filter = RwSignal::new(Filter::default());
    // A message says what just happened, then goes: it must not stand for a card that moved on.
    let said = RwSignal::new(0u32);
    let say = move |m: String| {
        message.set(m);
        said.update(|n| *n += 1);
        #[cfg(feature = "hydrate")]
        {
            let mine = said.get_untracked();
            set_timeout(
                move || {
                    if said.get_untracked() == mine {
                        message.set(String::new());
                    }
                },
                std::time::Duration::from_secs(6),
            );
        }
    };

    let drop_on = move |target: Drop, card: EventCard| {
        leptos::task::spawn_local(async move {
            let r = dispatch(card, target).await;
            match r {
                Ok(c) => {
                    say(format!(
                        "{} {}",
                        c.tracking_no,
                        tr(&format!("states.{}", c.state))
                    ));
                    selected.set(None);
                }
                Err(e) => say(e.message(locale.code())),
            }
            queue.refetch();
        });
    };
    view! {
        <section class="console" data-testid="console">
            <header class="console-head">
                <h1>{tr("console.title")}</h1>
                <span class=move || if live.get() { "live on" } else { "live" } data-testid="live-status">
                    {move || if live.get() { tr("console.live") } else { tr("console.offline") }}
                </span>
            </header>
            <p class="message" role="status" data-testid="console-message">{move || message.get()}</p>
            <Suspense fallback=move || view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || {
                    queue
                        .get()
                        .map(|r| answer(r, |q| view! {
                                <Reminders cards=q.cards.clone() now=q.now/>
                                <Filters cards=q.cards.clone() filter=filter/>
                                <Board cards=q.cards now=q.now selected=selected drop_on=drop_on filter=filter/>
                            }.into_any()))
                }}
            </Suspense>
        </section>
    }
}

/// Overdue and due-soon counts of the queue, and the latest reminders (fetched in the browser,
/// so the server render and the hydration agree).
#[component]
fn Reminders(cards: Vec<EventCard>, now: i64) -> impl IntoView {
    let reminders = RwSignal::new(Vec::new());
    let reload = move || {
        leptos::task::spawn_local(async move {
            reminders.set(get_reminders().await.unwrap_or_default());
        });
    };
    Effect::new(move |_| reload());
    let mark = move |id: Option<i64>| {
        leptos::task::spawn_local(async move {
            if mark_reminders_read(id).await.is_ok() {
                reminders.set(get_reminders().await.unwrap_or_default());
            }
        });
    };
    let unread = move || reminders.with(|r| latest_per_event(r).iter().filter(|r| !r.read).count());
    let count = |light: Light| {
        cards
            .iter()
            .filter(|c| light_at(now, c.yellow_at, c.due_at) == light)
            .count()
    };
    let (red, yellow) = (count(Light::Red), count(Light::Yellow));
    view! {
        <details class="reminders">
            <summary>
                <span class="light light-red" data-testid="count-red">{tr("lights.red")} " " {red}</span>
                " "
                <span class="light light-yellow">{tr("lights.yellow")} " " {yellow}</span>
                " · " {tr("console.reminders")} " "
                <span data-testid="unread-count">{unread}</span>
                " " {tr("console.unread")}
                " · " <a href="/overdue">{tr("nav.overdue")}</a>
            </summary>
            <button type="button" class="link" data-testid="mark-all-read" on:click=move |_| mark(None)>
                {tr("console.mark_all_read")}
            </button>
            <ul>
                {move || {
                    latest_per_event(&reminders.get())
                        .into_iter()
                        .map(|r| {
                            let kind = tr(&format!("reminders.{}", r.kind));
                            let id = r.id;
                            let button = (!r.read).then(|| view! {
                                <button type="button" class="link" on:click=move |_| mark(Some(id))>
                                    {tr("console.mark_read")}
                                </button>
                            });
                            view! {
                                <li class=if r.read { "read" } else { "unread" } data-testid="reminder">
                                    <a href=format!("/events/{}", r.event_id)>{r.tracking_no}</a>
                                    " " <span class="reason">{kind}</span> " · " {crate::ui::time::when(r.at)} " " {button}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </details>
    }
}

/// One line per event: its latest reminder (an event moving through several hands would
/// otherwise be listed once per hand-over).
fn latest_per_event(list: &[Reminder]) -> Vec<Reminder> {
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<Reminder> = Vec::new();
    let mut sorted = list.to_vec();
    sorted.sort_by(|a, b| b.at.cmp(&a.at).then(b.id.cmp(&a.id)));
    for r in sorted {
        if seen.insert(r.event_id) {
            out.push(r);
        }
    }
    out.sort_by_key(|r| r.read);
    out
}

/// What the room narrows its columns to.
#[derive(Clone, Default, PartialEq)]
struct Filter {
    category: Option<i64>,
    urgency: Option<String>,
    /// Part of a grid or village name, or of a tracking number.
    text: String,
}

impl Filter {
    fn shows(&self, c: &EventCard) -> bool {
        self.category.is_none_or(|id| c.category_id == id)
            && self.urgency.as_ref().is_none_or(|u| &c.urgency == u)
            && (self.text.is_empty()
                || c.grid_name.contains(&self.text)
                || c.tracking_no.contains(&self.text.to_ascii_uppercase()))
    }
}

#[component]
fn Filters(cards: Vec<EventCard>, filter: RwSignal<Filter>) -> impl IntoView {
    let locale = use_locale();
    let mut cats: Vec<(i64, String)> = cards
        .iter()
        .map(|c| {
            let name = if locale.code() == "en" {
                c.category_en.clone()
            } else {
                c.category_zh.clone()
            };
            (c.category_id, name)
        })
        .collect();
    cats.sort();
    cats.dedup();
    let cat_options = cats
        .into_iter()
        .map(|(id, name)| view! { <option value=id.to_string()>{name}</option> })
        .collect_view();
    let urgencies = Urgency::ALL
        .into_iter()
        .map(|u| view! { <option value=u.as_str()>{tr(&format!("urgency.{}", u.as_str()))}</option> })
        .collect_view();
    view! {
        <div class="filters console-filters" data-testid="console-filters">
            <label>
                {tr("fields.category")}
                <select data-testid="filter-category" on:change=move |ev| {
                    let v = event_target_value(&ev).parse().ok();
                    filter.update(|f| f.category = v);
                }>
                    <option value="">{tr("console.all")}</option>
                    {cat_options}
                </select>
            </label>
            <label>
                {tr("fields.urgency")}
                <select data-testid="filter-urgency" on:change=move |ev| {
                    let v = Some(event_target_value(&ev)).filter(|s| !s.is_empty());
                    filter.update(|f| f.urgency = v);
                }>
                    <option value="">{tr("console.all")}</option>
                    {urgencies}
                </select>
            </label>
            <label>
                {tr("console.find")}
                <input type="search" data-testid="filter-text" placeholder=tr("console.find_hint")
                    on:input=move |ev| {
                        let v = event_target_value(&ev).trim().to_string();
                        filter.update(|f| f.text = v);
                    }/>
            </label>
        </div>
    }
}

/// Verifies first when needed, then dispatches or escalates: one gesture, one or two steps.
async fn dispatch(card: EventCard, target: Drop) -> Result<EventCard, AppError> {
    let card = if card.state == "reported" {
        run(&card, Action::Verify, vec![], String::new()).await?
    } else {
        card
    };
    let action = match target {
        Drop::Department(d) => Action::Dispatch {
            to: Assignee::Department(d),
        },
        Drop::Worker(u) => Action::Dispatch {
            to: Assignee::User(u),
        },
        Drop::Escalate => Action::Escalate,
    };
    run(&card, action, vec![], String::new()).await
}

#[component]
fn Board(
    cards: Vec<EventCard>,
    now: i64,
    selected: RwSignal<Option<EventCard>>,
    drop_on: impl Fn(Drop, EventCard) + Copy + Send + Sync + 'static,
    filter: RwSignal<Filter>,
) -> impl IntoView {
    let locale = use_locale();
    let cards = StoredValue::new(cards);
    let columns = COLUMNS
        .iter()
        .map(|(title, states)| {
            let shown = RwSignal::new(PAGE);
            let list = move || {
                let f = filter.get();
                cards.with_value(|all| {
                    all.iter()
                        .filter(|c| states.contains(&c.state.as_str()) && f.shows(c))
                        .cloned()
                        .collect::<Vec<_>>()
                })
            };
            let count = move || list().len();
            let items = move || {
                list()
                    .into_iter()
                    .take(shown.get())
                    .map(|c| view! { <Card card=c now=now selected=selected/> })
                    .collect_view()
            };
            let more = move || {
                let left = count().saturating_sub(shown.get());
                (left > 0).then(|| {
                    let label = rust_i18n::t!(
                        "console.more",
                        locale = locale.code(),
                        n = left.min(PAGE),
                        left = left
                    )
                    .into_owned();
                    view! {
                        <button type="button" class="more" data-testid=format!("more-{}", states[0])
                            on:click=move |_| shown.update(|n| *n += PAGE)>{label}</button>
                    }
                })
            };
            view! {
                <div class="column" data-testid=format!("col-{}", states[0])>
                    <h2>{tr(title)} " " <span class="count">{count}</span></h2>
                    <ul>{items}</ul>
                    {more}
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="board">
            {columns}
            <Targets selected=selected drop_on=drop_on/>
        </div>
    }
}

#[component]
fn Card(card: EventCard, now: i64, selected: RwSignal<Option<EventCard>>) -> impl IntoView {
    let id = card.id;
    let stored = StoredValue::new(card.clone());
    let is_selected = move || selected.with(|s| s.as_ref().map(|c| c.id) == Some(id));
    let light = light_at(now, card.yellow_at, card.due_at);
    let href = format!("/events/{id}");
    let urgency = card.urgency.clone();
    let reopened = card.reopened > 0;
    view! {
        <li
            class=move || format!(
                "card light-{} urgency-{}{}{}",
                light.as_str(),
                urgency,
                if reopened { " reopened" } else { "" },
                if is_selected() { " selected" } else { "" }
            )
            draggable="true"
            data-testid="event-card"
            data-id=id.to_string()
            on:dragstart=move |ev: leptos::ev::DragEvent| {
                // Firefox starts a drag only when it carries data.
                #[cfg(feature = "hydrate")]
                if let Some(dt) = ev.data_transfer() {
                    let _ = dt.set_data("text/plain", &id.to_string());
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = ev;
                selected.set(Some(stored.get_value()));
            }
        >
            <button
                type="button"
                class="card-pick"
                aria-pressed=move || is_selected().to_string()
                on:click=move |_| {
                    let now_sel = is_selected();
                    selected.set(if now_sel { None } else { Some(stored.get_value()) });
                }
            >
                <CardHead card=card.clone()/>
                <span class="desc">{card.description.chars().take(60).collect::<String>()}</span>
            </button>
            <a href=href class="open">{tr("console.open")}</a>
        </li>
    }
}

#[component]
fn Targets(
    selected: RwSignal<Option<EventCard>>,
    drop_on: impl Fn(Drop, EventCard) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    // Fetched in the browser only, whenever the selection changes to another event.
    let targets = RwSignal::new(None);
    let selected_id = Memo::new(move |_| selected.with(|s| s.as_ref().map(|c| c.id)));
    Effect::new(move |_| {
        let id = selected_id.get();
        leptos::task::spawn_local(async move {
            let t = match id {
                Some(id) => get_dispatch_targets(id).await.ok(),
                None => None,
            };
            targets.set(t);
        });
    });
    let zone = move |label: String, hint: bool, target: Drop, testid: String| {
        view! {
            <li>
                <button
                    type="button"
                    class=if hint { "zone suggested" } else { "zone" }
                    data-testid=testid
                    disabled=move || selected.with(|s| s.is_none())
                    on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
                    on:drop=move |ev: leptos::ev::DragEvent| {
                        ev.prevent_default();
                        if let Some(c) = selected.get_untracked() {
                            drop_on(target, c);
                        }
                    }
                    on:click=move |_| {
                        if let Some(c) = selected.get_untracked() {
                            drop_on(target, c);
                        }
                    }
                >
                    {label}
                </button>
            </li>
        }
    };
    let list = move |items: Vec<Target>, suggested: Option<i64>, worker: bool| {
        items
            .into_iter()
            .map(|t| {
                let (target, testid) = if worker {
                    (Drop::Worker(t.id), format!("zone-user-{}", t.id))
                } else {
                    (Drop::Department(t.id), format!("zone-dept-{}", t.id))
                };
                zone(t.name, Some(t.id) == suggested && !worker, target, testid)
            })
            .collect_view()
    };
    view! {
        <aside class="targets" data-testid="targets">
            <h2>{tr("console.targets")}</h2>
            <p class="muted">{tr("console.how")}</p>
            {move || {
                targets
                    .get()
                    .map(|t: super::types::DispatchTargets| {
                        view! {
                            <h3>{tr("console.departments")}</h3>
                            <ul>{list(t.departments, t.suggested_department, false)}</ul>
                            <h3>{tr("console.workers")}</h3>
                            <ul>{list(t.workers, None, true)}</ul>
                        }
                    })
            }}
            <ul>{zone(tr("console.escalate"), false, Drop::Escalate, "zone-escalate".into())}</ul>
        </aside>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;

    use crate::error::AppError;
    use crate::features::events::types::WorkQueue;

    /// Lights change with time alone, and the queue carries the server's clock: re-read it each
    /// minute so a card turns yellow or red on time with nothing else happening.
    pub fn tick(queue: Resource<Result<WorkQueue, AppError>>) {
        Effect::new(move |_| {
            if let Ok(h) = set_interval_with_handle(
                move || queue.refetch(),
                std::time::Duration::from_secs(60),
            ) {
                on_cleanup(move || h.clear());
            }
        });
    }
}
