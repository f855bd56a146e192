//! `/events/{id}`: one event (`ui::event_view`), following the live feed, so the reporter sees
//! the room's steps as they happen.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::get_event_detail;
use super::types::EventDetail;
use crate::i18n::tr;
use crate::ui::action_panel::NoteDraft;
use crate::ui::answer::answer;
use crate::ui::event_view::EventView;
use crate::ui::live::on_live_change;

#[component]
pub fn EventPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0))
    });
    let detail = Resource::new(move || id.get(), get_event_detail);
    view! {
        <section class="event-page" data-testid="event-page">
            <Suspense fallback=move || view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || detail.get().map(|r| answer(r, |d| view! { <EventLive d=d/> }.into_any()))}
            </Suspense>
        </section>
    }
}

/// An island: loaded on its own (a reporter following a link from a text message, a notice),
/// the page is served in islands mode with the villagers' `tracker` build, which hydrates this
/// and nothing else (and the report page's build does not carry it); in the split build its
/// entry is lazy, as the report form's. It holds the event from the first render and reloads
/// it itself on every change the feed announces.
#[cfg_attr(feature = "tracker", island)]
#[cfg_attr(not(feature = "villager"), island(lazy))]
#[cfg_attr(all(feature = "villager", not(feature = "tracker")), component)]
pub fn EventLive(d: EventDetail) -> impl IntoView {
    NoteDraft::provide();
    let id = d.card.id;
    let detail = RwSignal::new(d);
    let reload = move || {
        leptos::task::spawn_local(async move {
            if let Ok(d) = get_event_detail(id).await {
                detail.set(d);
            }
        });
    };
    // A change to this event (or a reconnect) reloads it: the reporter watches the room act.
    let live = on_live_change(move |changed| {
        if changed.is_none() || changed == Some(id) {
            reload();
        }
    });
    view! {
        <span class=move || if live.0.get() { "live on" } else { "live" } data-testid="live-status" hidden></span>
        {move || view! { <EventView d=detail.get() on_done=reload/> }.into_any()}
    }
    .into_any()
}
