//! 我的上报: a resident's own reports (made or joined) with their state and last step, live;
//! the "解决了吗？" question where one is waiting; and a tracking number looked up.

use leptos::prelude::*;

use super::report_api::{my_reports, FindReport};
use super::types::MyReport;
use crate::i18n::{tr, use_locale};
use crate::ui::answer::answer;
use crate::ui::event_view::FollowUpAsk;
use crate::ui::live::on_live_change;
use crate::ui::time::when;

#[component]
pub fn MyPage() -> impl IntoView {
    let reports = Resource::new(|| (), |_| my_reports());
    on_live_change(move |_| reports.refetch());
    view! {
        <section class="mine" data-testid="my-page">
            <h1>{tr("mine.title")}</h1>
            <p><a class="button primary" href="/report" data-testid="my-report-new">{tr("mine.new")}</a></p>
            <Lookup/>
            <Suspense fallback=move || view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || {
                    reports.get().map(|r| answer(r, |list| view! {
                        <MyList list=list on_done=move || reports.refetch()/>
                    }.into_any()))
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn Lookup() -> impl IntoView {
    let find = ServerAction::<FindReport>::new();
    let locale = use_locale();
    Effect::new(move |_| {
        if let Some(Ok(id)) = find.value().get() {
            #[cfg(feature = "hydrate")]
            crate::js::go(&format!("/events/{id}"));
            #[cfg(not(feature = "hydrate"))]
            let _ = id;
        }
    });
    let error = move || match find.value().get() {
        Some(Err(e)) => Some(e.message(locale.code())),
        _ => None,
    };
    view! {
        <ActionForm action=find attr:class="lookup">
            <label>
                {tr("mine.lookup")}
                <input type="text" name="tracking_no" required maxlength="24" placeholder="LX…"
                    autocapitalize="characters" data-testid="lookup-no"/>
            </label>
            <button type="submit" data-testid="lookup-go">{tr("mine.open")}</button>
            <p class="error" role="alert" data-testid="lookup-error">{error}</p>
        </ActionForm>
    }
}

#[component]
fn MyList(
    list: Vec<MyReport>,
    on_done: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted" data-testid="my-empty">{tr("mine.empty")}</p> }.into_any();
    }
    let locale = use_locale();
    let items = list
        .into_iter()
        .map(|r| {
            let category = if locale.code() == "en" {
                r.category_en.clone()
            } else {
                r.category_zh.clone()
            };
            let last = tr(&format!("actions.{}", r.last_action));
            let state = tr(&format!("states.{}", r.state));
            let follow_up = (r.follow_up_open != 0).then(|| {
                view! { <FollowUpAsk id=r.id version=r.version on_done=on_done.clone()/> }
            });
            let joined = (r.joined != 0).then(|| view! { <span class="tag">{tr("mine.joined")}</span> });
            view! {
                <li class="my-report" data-testid="my-report" data-id=r.id.to_string()>
                    <a href=format!("/events/{}", r.id) class="tracking">{r.tracking_no.clone()}</a>
                    <span class=format!("state state-{}", r.state) data-testid="my-state">{state}</span>
                    {joined}
                    <span class="cat">{category}</span>
                    <p class="desc">{r.description.chars().take(80).collect::<String>()}</p>
                    <p class="muted">{tr("mine.last_step")} ": " {last} " · " {when(r.updated_at)}</p>
                    {follow_up}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="my-list">{items}</ul> }.into_any()
}
