//! `/jobs/desk`: the human resources bureau's (and a township's) desk — post a job, and the
//! demand picture of the area: views and interest per day, by age band, sex, township and trade
//! (no names), with the seasonal spike and the spreadsheet to take away.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{get_jobs_desk, PostJob};
use super::types::JobsDesk;
use crate::domain::jobs::{Trade, MAX_DAYS};
use crate::i18n::tr;
use crate::ui::answer::{answer, ErrorText};
use crate::ui::charts::{DayColumns, PairBars};
use crate::ui::time::when;

#[component]
pub fn JobsDeskPage() -> impl IntoView {
    let query = use_query_map();
    let days = move || {
        query.with(|q| {
            q.get("days")
                .and_then(|d| d.parse::<i64>().ok())
                .unwrap_or(90)
        })
    };
    let post = ServerAction::<PostJob>::new();
    let data = Resource::new(
        move || (days(), post.version().get()),
        |(d, _)| get_jobs_desk(d),
    );
    let failure = move || {
        post.value()
            .get()
            .and_then(|r| r.err())
            .map(|e| view! { <div data-testid="jobs-desk-error"><ErrorText error=e/></div> })
    };
    view! {
        <section class="services-page desk jobs-desk" data-testid="jobs-desk">
            <p><a href="/jobs">{tr("jobs.title")}</a></p>
            <h1>{tr("jobs.desk")}</h1>
            {failure}
            <PostForm post=post/>
            <Suspense fallback=|| view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || data.get().map(|r| answer(r, |d| view! { <Demand d=d/> }.into_any()))}
            </Suspense>
        </section>
    }
}

#[component]
fn PostForm(post: ServerAction<PostJob>) -> impl IntoView {
    let trades = Trade::ALL
        .into_iter()
        .map(|t| view! { <option value=t.as_str()>{tr(&format!("jobs.trade_{}", t.as_str()))}</option> })
        .collect_view();
    view! {
        <details class="post-job">
            <summary>{tr("jobs.post")}</summary>
            <ActionForm action=post attr:class="slot-form" attr:data-testid="job-form">
                <label>{tr("fields.job_title")} <input type="text" name="title" maxlength="60" required data-testid="job-form-title"/></label>
                <label>{tr("fields.employer")} <input type="text" name="employer" maxlength="60" required/></label>
                <label>{tr("fields.trade")} <select name="trade">{trades}</select></label>
                <label>{tr("fields.place")} <input type="text" name="place" maxlength="120"/></label>
                <label>{tr("fields.wage_low")} <input type="number" name="wage_low" min="0" value="0"/></label>
                <label>{tr("fields.wage_high")} <input type="number" name="wage_high" min="0" value="0"/></label>
                <label>{tr("fields.headcount")} <input type="number" name="headcount" min="1" value="1"/></label>
                <label>{tr("fields.contact")} <input type="text" name="contact" maxlength="60"/></label>
                <label>{tr("fields.job_days")} <input type="number" name="job_days" min="1" max=MAX_DAYS.to_string() value="30"/></label>
                <label class="wide">{tr("fields.job_detail")} <textarea name="detail" rows="3" maxlength="2000"></textarea></label>
                <button type="submit" data-testid="job-form-submit">{tr("jobs.post_submit")}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn Demand(d: JobsDesk) -> impl IntoView {
    let JobsDesk {
        area_name,
        days,
        picture: p,
        spike,
        posted,
    } = d;
    let windows = [30i64, 90, 366]
        .into_iter()
        .map(|n| view! { <a href=format!("/jobs/desk?days={n}") class:active=days == n>{tr(&format!("jobs.days_{n}"))}</a> })
        .collect_view();
    let hot = crate::domain::jobs::is_hot(spike);
    let spike = spike.map(|s| {
        view! { <p class:hot=hot data-testid="jobs-spike">{tr("jobs.spike")} " " <strong>{format!("{s:.1}×")}</strong></p> }
    });
    let label = |prefix: &'static str, rows: Vec<(String, i64, i64)>| {
        rows.into_iter()
            .map(|(k, a, b)| (tr(&format!("{prefix}{k}")), a, b))
            .collect::<Vec<_>>()
    };
    // Labels that are data (a band, a township's name) stay as they are; an unknown one is said.
    let plain = |rows: Vec<(String, i64, i64)>| {
        rows.into_iter()
            .map(|(k, a, b)| {
                let k = if k.is_empty() || k == "unknown" {
                    tr("jobs.unknown")
                } else {
                    k
                };
                (k, a, b)
            })
            .collect::<Vec<_>>()
    };
    let posted = posted
        .into_iter()
        .map(|j| {
            view! {
                <li data-testid="posted-job">
                    <a href=format!("/jobs/{}", j.id)>{j.title}</a>
                    <span class="muted small">" · " {when(j.posted_at)} " · " {tr("jobs.views")} " " {j.views} " · " {tr("jobs.interested")} " " {j.interested}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <h2>{tr("jobs.picture")} " · " {area_name}</h2>
        <p class="muted small">{tr("jobs.picture_hint")}</p>
        <nav class="trade-filter">{windows}</nav>
        <p data-testid="jobs-totals">{tr("jobs.views")} " " <strong>{p.views}</strong> " · " {tr("jobs.interested")} " " <strong>{p.interest}</strong>
            " · " <a href=format!("/jobs/demand.xlsx?days={days}") rel="external" download data-testid="jobs-export">{tr("jobs.export")}</a></p>
        {spike}
        <DayColumns rows=p.days first=tr("jobs.views") second=tr("jobs.interested") test="jobs-days"/>
        <div class="pair-grid">
            <PairBars caption=tr("jobs.by_band") rows=plain(p.bands) test="jobs-bands"/>
            <PairBars caption=tr("jobs.by_sex") rows=label("jobs.sex_", p.sexes) test="jobs-sexes"/>
            <PairBars caption=tr("jobs.by_township") rows=plain(p.townships) test="jobs-townships"/>
            <PairBars caption=tr("jobs.by_trade") rows=label("jobs.trade_", p.trades) test="jobs-trades"/>
        </div>
        <h2>{tr("jobs.posted")}</h2>
        <ul class="plain">{posted}</ul>
    }
}
