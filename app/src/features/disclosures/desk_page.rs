//! `/open/desk`: a village's 三务公开 desk (and a township's or county's notices) — put up a
//! disclosure with its text, photos, a PDF and, for finances, the table whose totals are
//! checked; answer residents' questions; and, for the township, which villages published on
//! time month by month (late and missing count on the weekly red and black lists). The publish
//! form is a plain multipart form to `POST /open/publish`: it works without WASM.

use leptos::prelude::*;

use super::api::{get_open_desk, AnswerDisclosure};
use super::types::{Desk, VillageRow};
use crate::domain::disclosures::{MAX_BODY_CHARS, MAX_PHOTOS};
use crate::i18n::tr;
use crate::ui::answer::{answer, ErrorText};
use crate::ui::time::when;

/// Empty rows of the finance table in the form.
const ROWS: usize = 8;

#[component]
pub fn OpenDeskPage() -> impl IntoView {
    let reply = ServerAction::<AnswerDisclosure>::new();
    let data = Resource::new(move || reply.version().get(), |_| get_open_desk());
    let failure = move || {
        reply
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| view! { <div data-testid="open-desk-error"><ErrorText error=e/></div> })
    };
    view! {
        <section class="services-page desk open-desk" data-testid="open-desk">
            <p><a href="/open">{tr("open.title")}</a></p>
            <h1>{tr("open.desk")}</h1>
            {failure}
            <Suspense fallback=|| view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || data.get().map(|r| answer(r, |d| view! { <DeskView d=d reply=reply/> }.into_any()))}
            </Suspense>
        </section>
    }
}

#[component]
fn DeskView(d: Desk, reply: ServerAction<AnswerDisclosure>) -> impl IntoView {
    let Desk {
        kinds,
        periods,
        unit_name,
        mine,
        waiting,
        months,
        villages,
    } = d;
    let publish = (!kinds.is_empty()).then(|| {
        let finance = kinds.iter().any(|k| k == "finance");
        view! { <PublishForm kinds=kinds periods=periods unit=unit_name finance=finance/> }
            .into_any()
    });
    let waiting = (!waiting.is_empty()).then(|| {
        let items = waiting
            .into_iter()
            .map(|(id, title, q)| {
                view! {
                    <li class="question" data-testid="waiting-question">
                        <p><a href=format!("/open/{id}")>{title}</a> " · " <span class="muted">{q.asker} " · " {when(q.asked_at)}</span></p>
                        <p>{q.text}</p>
                        <ActionForm action=reply attr:class="answer-form">
                            <input type="hidden" name="question_id" value=q.id.to_string()/>
                            <textarea name="answer" rows="2" maxlength="600" required data-testid="desk-answer-text"></textarea>
                            <button type="submit" data-testid="desk-answer-submit">{tr("open.answer_submit")}</button>
                        </ActionForm>
                    </li>
                }
            })
            .collect_view();
        view! { <h2>{tr("open.waiting_questions")}</h2> <ul class="plain questions">{items}</ul> }.into_any()
    });
    let mine = (!mine.is_empty()).then(|| {
        let items = mine
            .into_iter()
            .map(|m| {
                view! {
                    <li data-testid="published-item">
                        <a href=format!("/open/{}", m.id)>{tr(&format!("open.kind_{}", m.kind))} " · " {m.title}</a>
                        <span class="muted small">" · " {m.period} " · " {when(m.published_at)}</span>
                    </li>
                }
            })
            .collect_view();
        view! { <h2>{tr("open.published")}</h2> <ul class="plain">{items}</ul> }.into_any()
    });
    let on_time = (!villages.is_empty())
        .then(|| view! { <OnTime months=months villages=villages/> }.into_any());
    view! { {publish} {waiting} {mine} {on_time} }
}

#[component]
fn PublishForm(
    kinds: Vec<String>,
    periods: Vec<String>,
    unit: String,
    finance: bool,
) -> impl IntoView {
    let kind_options = kinds
        .into_iter()
        .map(|k| {
            let label = tr(&format!("open.kind_{k}"));
            view! { <option value=k>{label}</option> }
        })
        .collect_view();
    let period_options = periods
        .into_iter()
        .map(|p| view! { <option value=p.clone()>{p.clone()}</option> })
        .collect_view();
    let table = finance.then(|| {
        let rows = (0..ROWS)
            .map(|i| {
                view! {
                    <tr>
                        <td><input type="text" name="item" maxlength="60" aria-label=tr("open.item") data-testid=format!("line-item-{i}")/></td>
                        <td><input type="text" name="income" inputmode="decimal" aria-label=tr("open.income") data-testid=format!("line-income-{i}")/></td>
                        <td><input type="text" name="expense" inputmode="decimal" aria-label=tr("open.expense") data-testid=format!("line-expense-{i}")/></td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <fieldset class="finance-form">
                <legend>{tr("open.finance_caption")}</legend>
                <p class="muted small">{tr("open.finance_hint")}</p>
                <div class="table-wrap">
                    <table class="finance">
                        <thead><tr><th>{tr("open.item")}</th><th>{tr("open.income")}</th><th>{tr("open.expense")}</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <label>{tr("fields.income_total")} <input type="text" name="income_total" inputmode="decimal" data-testid="income-total-input"/></label>
                <label>{tr("fields.expense_total")} <input type="text" name="expense_total" inputmode="decimal" data-testid="expense-total-input"/></label>
            </fieldset>
        }
        .into_any()
    });
    view! {
        <h2>{tr("open.publish")} " · " {unit}</h2>
        <form method="post" action="/open/publish" enctype="multipart/form-data" class="publish-form" data-testid="publish-form">
            <label>{tr("fields.disclosure_kind")} <select name="kind" data-testid="publish-kind">{kind_options}</select></label>
            <label>{tr("fields.disclosure_period")} <select name="period" data-testid="publish-period">{period_options}</select></label>
            <p class="muted small">{tr("open.period_hint")}</p>
            <label>{tr("fields.disclosure_title")} <input type="text" name="title" maxlength="80" required data-testid="publish-title"/></label>
            <label>{tr("fields.disclosure_body")} <textarea name="body" rows="5" maxlength=MAX_BODY_CHARS.to_string() data-testid="publish-body"></textarea></label>
            {table}
            <label>{tr("open.photos")} " (" {MAX_PHOTOS} ")" <input type="file" name="photo" accept="image/jpeg,image/png,image/webp" multiple data-testid="publish-photos"/></label>
            <label>{tr("open.pdf_upload")} <input type="file" name="pdf" accept="application/pdf" data-testid="publish-pdf"/></label>
            <button type="submit" data-testid="publish-submit">{tr("open.publish_submit")}</button>
        </form>
    }
}

/// Villages × months × the three kinds, each cell on time, late, missing or still in time.
#[component]
fn OnTime(months: Vec<String>, villages: Vec<VillageRow>) -> impl IntoView {
    let head = months
        .iter()
        .map(|m| view! { <th scope="col" colspan="3">{m.clone()}</th> })
        .collect_view();
    let kinds = months
        .iter()
        .map(|_| {
            view! {
                <th class="small">{tr("open.short_party")}</th>
                <th class="small">{tr("open.short_village")}</th>
                <th class="small">{tr("open.short_finance")}</th>
            }
        })
        .collect_view();
    let rows = villages
        .into_iter()
        .map(|v| {
            let cells = v
                .months
                .into_iter()
                .flatten()
                .map(|s| {
                    let label = tr(&format!("open.standing_{s}"));
                    let mark = match s.as_str() {
                        "on_time" => "✓",
                        "late" => "迟",
                        "missing" => "✗",
                        "not_started" => "—",
                        _ => "…",
                    };
                    view! { <td class=format!("standing {s}") title=label.clone() aria-label=label>{mark}</td> }
                })
                .collect_view();
            view! {
                <tr data-testid="on-time-row" data-missed=v.missed.to_string()>
                    <th scope="row">{v.name}</th>
                    {cells}
                    <td class="num" data-testid="missed">{v.missed}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2>{tr("open.on_time")}</h2>
        <p class="muted small">{tr("open.on_time_hint")}</p>
        <div class="table-wrap">
            <table class="on-time" data-testid="on-time">
                <thead>
                    <tr><th scope="col" rowspan="2">{tr("open.village")}</th>{head}<th scope="col" rowspan="2">{tr("open.missed")}</th></tr>
                    <tr>{kinds}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
