//! `/jobs` and `/jobs/{id}`: 务工信息 on a resident's phone — the county's open jobs, filtered
//! by trade with plain links; one job with its wage, place, contact, and a button to register
//! interest (a plain form: it works without WASM). Opening a job counts a view.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{get_job, get_jobs, JobInterest};
use super::types::{Job, JobsHome};
use crate::domain::jobs::Trade;
use crate::i18n::tr;
use crate::ui::answer::{answer, ErrorText};
use crate::ui::time::when;

fn wage(j: &Job) -> String {
    if j.wage_high == 0 {
        tr("jobs.wage_open")
    } else if j.wage_low == j.wage_high {
        format!("{} {}", j.wage_low, tr("jobs.per_month"))
    } else {
        format!("{}–{} {}", j.wage_low, j.wage_high, tr("jobs.per_month"))
    }
}

#[component]
pub fn JobsPage() -> impl IntoView {
    let query = use_query_map();
    let trade = move || query.with(|q| q.get("trade").unwrap_or_default());
    let data = Resource::new(trade, get_jobs);
    view! {
        <section class="services-page jobs-page" data-testid="jobs-page">
            <p><a href="/services">{tr("services.title")}</a></p>
            <h1>{tr("jobs.title")}</h1>
            <p class="muted">{tr("jobs.intro")}</p>
            <nav class="trade-filter" aria-label=tr("jobs.trade")>
                <a href="/jobs" class:active=move || trade().is_empty()>{tr("jobs.all")}</a>
                {Trade::ALL
                    .into_iter()
                    .map(|t| {
                        let code = t.as_str();
                        view! { <a href=format!("/jobs?trade={code}") class:active=move || trade() == code data-testid=format!("trade-{code}")>{tr(&format!("jobs.trade_{code}"))}</a> }
                    })
                    .collect_view()}
            </nav>
            <Suspense fallback=|| view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || data.get().map(|r| answer(r, |h: JobsHome| {
                    let desk = h.desk.then(|| view! { <p><a href="/jobs/desk" data-testid="jobs-desk-link">{tr("jobs.desk")}</a></p> });
                    let list = if h.jobs.is_empty() {
                        view! { <p class="muted" data-testid="jobs-none">{tr("jobs.none")}</p> }.into_any()
                    } else {
                        h.jobs.into_iter().map(|j| view! { <JobCard j=j/> }).collect_view().into_any()
                    };
                    view! { {desk} <div class="service-items">{list}</div> }.into_any()
                }))}
            </Suspense>
        </section>
    }
}

#[component]
fn JobCard(j: Job) -> impl IntoView {
    let pay = wage(&j);
    view! {
        <article class="service-item job" data-testid="job">
            <h3><a href=format!("/jobs/{}", j.id) data-testid="job-link">{j.title}</a></h3>
            <p>
                <span class="chip">{tr(&format!("jobs.trade_{}", j.trade))}</span> " "
                <strong>{pay}</strong> " · " {j.employer}
            </p>
            <p class="muted small">{j.place} " · " {tr("jobs.headcount")} " " {j.headcount} " · " {tr("jobs.until")} " " {when(j.until_at)}</p>
            {j.mine.then(|| view! { <p class="ok small">{tr("jobs.registered")}</p> })}
        </article>
    }
}

#[component]
pub fn JobPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0));
    let want = ServerAction::<JobInterest>::new();
    let data = Resource::new(move || (id(), want.version().get()), |(id, _)| get_job(id));
    let failure = move || {
        want.value()
            .get()
            .and_then(|r| r.err())
            .map(|e| view! { <div data-testid="job-error"><ErrorText error=e/></div> })
    };
    view! {
        <section class="services-page jobs-page" data-testid="job-page">
            <p><a href="/jobs">{tr("jobs.title")}</a></p>
            {failure}
            <Suspense fallback=|| view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || data.get().map(|r| answer(r, |j: Job| {
                    let pay = wage(&j);
                    let id = j.id;
                    let act = if j.mine {
                        view! { <p class="ok" data-testid="job-registered">{tr("jobs.registered")}</p> }.into_any()
                    } else {
                        view! {
                            <ActionForm action=want attr:class="inline">
                                <input type="hidden" name="id" value=id.to_string()/>
                                <button type="submit" data-testid="job-interest">{tr("jobs.interest")}</button>
                            </ActionForm>
                        }.into_any()
                    };
                    view! {
                        <h1 data-testid="job-title">{j.title}</h1>
                        <p><span class="chip">{tr(&format!("jobs.trade_{}", j.trade))}</span> " " <strong>{pay}</strong></p>
                        <p>{j.employer} " · " {j.place}</p>
                        <p class="muted">{tr("jobs.headcount")} " " {j.headcount} " · " {tr("jobs.until")} " " {when(j.until_at)} " · " {tr("jobs.views")} " " {j.views}</p>
                        <p class="disclosure-body">{j.detail}</p>
                        <p>{tr("jobs.contact")} " " <strong data-testid="job-contact">{j.contact}</strong></p>
                        {act}
                    }.into_any()
                }))}
            </Suspense>
        </section>
    }
}
