//! `/events/{id}`: one event (`ui::event_view`), following the live feed, so the reporter sees
//! the room's steps as they happen.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::get_event_detail;
use crate::i18n::tr;
use crate::ui::action_panel::NoteDraft;
use crate::ui::answer::answer;
use crate::ui::event_view::EventView;
use crate::ui::live::on_live_change;

#[component]
pub fn EventPage() -> impl IntoView {
    NoteDraft::provide();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0))
    });
    let detail = Resource::new(move || id.get(), get_event_detail);
    // A change to this event (or a reconnect) reloads it: the reporter watches the room act.
    let live = on_live_change(move |changed| {
        if changed.is_none() || changed == Some(id.get_untracked()) {
            detail.refetch();
        }
    });
    view! {
        <section class="event-page" data-testid="event-page">
            <span class=move || if live.0.get() { "live on" } else { "live" } data-testid="live-status" hidden></span>
            <Suspense fallback=move || view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || {
                    detail
                        .get()
                        .map(|r| answer(r, |d| view! { <EventView d=d on_done=move || detail.refetch()/> }.into_any()))
                }}
            </Suspense>
        </section>
    }
}
