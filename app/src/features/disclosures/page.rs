//! `/open` and `/open/{id}`: 三务公开 and notices on a resident's phone — what the village,
//! township and county put up, newest first; one disclosure with its text, its table of income
//! and expenditure, photos and PDF, and the questions asked about it with their answers. Plain
//! forms: asking and answering work without WASM.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::{get_disclosure, get_open_home, AnswerDisclosure, AskDisclosure};
use super::types::{Disclosure, Listed, OpenHome, Question};
use crate::domain::disclosures::{yuan_text, MAX_QUESTION_CHARS};
use crate::i18n::tr;
use crate::ui::answer::{answer, ErrorText};
use crate::ui::time::when;

fn kind_label(kind: &str) -> String {
    tr(&format!("open.kind_{kind}"))
}

#[component]
pub fn OpenPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_open_home());
    view! {
        <section class="services-page open-page" data-testid="open-page">
            <p><a href="/services">{tr("services.title")}</a></p>
            <h1>{tr("open.title")}</h1>
            <p class="muted">{tr("open.intro")}</p>
            <Suspense fallback=|| view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || data.get().map(|r| answer(r, |h: OpenHome| {
                    let desk = h.desk.then(|| view! { <p><a href="/open/desk" data-testid="open-desk-link">{tr("open.desk")}</a></p> });
                    view! { {desk} <OpenList list=h.items/> }.into_any()
                }))}
            </Suspense>
        </section>
    }
}

#[component]
fn OpenList(list: Vec<Listed>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted" data-testid="open-none">{tr("open.none")}</p> }.into_any();
    }
    let items = list
        .into_iter()
        .map(|d| {
            let period = (d.kind != "notice").then(|| view! { <span>" · " {d.period.clone()}</span> });
            view! {
                <li class="open-item" data-testid="open-item" data-kind=d.kind.clone()>
                    <a href=format!("/open/{}", d.id) data-testid="open-link">
                        <span class=format!("badge open-{}", d.kind)>{kind_label(&d.kind)}</span>
                        " " <strong>{d.title}</strong>
                    </a>
                    <div class="muted small">
                        {d.unit_name} {period} " · " {when(d.published_at)}
                        {(d.files > 0).then(|| view! { <span>" · " {tr("open.attachments")} " " {d.files}</span> })}
                        {(d.questions > 0).then(|| view! { <span>" · " {tr("open.answered")} " " {d.questions}</span> })}
                    </div>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="plain open-list">{items}</ul> }.into_any()
}

#[component]
pub fn DisclosurePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0));
    let ask = ServerAction::<AskDisclosure>::new();
    let reply = ServerAction::<AnswerDisclosure>::new();
    let data = Resource::new(
        move || (id(), ask.version().get(), reply.version().get()),
        |(id, _, _)| get_disclosure(id),
    );
    let failure = move || {
        [
            ask.value().get().and_then(|r| r.err()),
            reply.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|e| view! { <div data-testid="open-error"><ErrorText error=e/></div> })
    };
    view! {
        <section class="services-page open-page" data-testid="disclosure-page">
            <p><a href="/open">{tr("open.title")}</a></p>
            {failure}
            <Suspense fallback=|| view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || data.get().map(|r| answer(r, |d| view! { <DisclosureView d=d ask=ask reply=reply/> }.into_any()))}
            </Suspense>
        </section>
    }
}

#[component]
fn DisclosureView(
    d: Disclosure,
    ask: ServerAction<AskDisclosure>,
    reply: ServerAction<AnswerDisclosure>,
) -> impl IntoView {
    let id = d.id;
    let period = (d.kind != "notice").then(|| view! { <span>" · " {d.period.clone()}</span> });
    let table = (!d.lines.is_empty()).then(|| {
        let income = d.income_fen.unwrap_or(0);
        let expense = d.expense_fen.unwrap_or(0);
        let rows = d
            .lines
            .iter()
            .map(|l| {
                view! {
                    <tr data-testid="finance-line">
                        <td>{l.item.clone()}</td>
                        <td class="num">{(l.income_fen > 0).then(|| yuan_text(l.income_fen))}</td>
                        <td class="num">{(l.expense_fen > 0).then(|| yuan_text(l.expense_fen))}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="finance" data-testid="finance-table">
                    <caption>{tr("open.finance_caption")}</caption>
                    <thead><tr><th>{tr("open.item")}</th><th class="num">{tr("open.income")}</th><th class="num">{tr("open.expense")}</th></tr></thead>
                    <tbody>{rows}</tbody>
                    <tfoot>
                        <tr><th>{tr("open.total")}</th><td class="num" data-testid="income-total">{yuan_text(income)}</td><td class="num" data-testid="expense-total">{yuan_text(expense)}</td></tr>
                        <tr><th>{tr("open.balance")}</th><td class="num" colspan="2" data-testid="balance">{yuan_text(income - expense)}</td></tr>
                    </tfoot>
                </table>
            </div>
        }
        .into_any()
    });
    let photos = d
        .photos
        .iter()
        .map(|p| {
            view! {
                <a href=format!("/open/files/{p}?size=medium") rel="external" target="_blank">
                    <img src=format!("/open/files/{p}?size=thumb") alt=tr("fields.photo") width="160" loading="lazy" data-testid="disclosure-photo"/>
                </a>
            }
        })
        .collect_view();
    let pdf = d.pdf.map(|f| {
        view! { <p><a href=format!("/open/files/{f}") rel="external" download data-testid="disclosure-pdf">{tr("open.pdf")}</a></p> }
    });
    let questions = if d.questions.is_empty() {
        view! { <p class="muted">{tr("open.no_questions")}</p> }.into_any()
    } else {
        let may_answer = d.may_answer;
        d.questions
            .into_iter()
            .map(|q| view! { <QuestionItem q=q may_answer=may_answer reply=reply/> })
            .collect_view()
            .into_any()
    };
    let ask_form = d.may_ask.then(|| {
        view! {
            <ActionForm action=ask attr:class="ask-form" attr:data-testid="ask-form">
                <input type="hidden" name="id" value=id.to_string()/>
                <label>{tr("open.ask")}
                    <textarea name="question" rows="3" maxlength=MAX_QUESTION_CHARS.to_string() required data-testid="ask-text"></textarea>
                </label>
                <button type="submit" data-testid="ask-submit">{tr("open.ask_submit")}</button>
            </ActionForm>
        }
        .into_any()
    });
    view! {
        <h1 data-testid="disclosure-title">{d.title}</h1>
        <p class="muted">
            <span class=format!("badge open-{}", d.kind)>{kind_label(&d.kind)}</span> " "
            {d.unit_name} {period} " · " {when(d.published_at)}
        </p>
        <p class="disclosure-body" data-testid="disclosure-body">{d.body}</p>
        {table}
        <div class="photos">{photos}</div>
        {pdf}
        <h2>{tr("open.questions")}</h2>
        <ul class="plain questions" data-testid="questions">{questions}</ul>
        {ask_form}
    }
}

#[component]
fn QuestionItem(
    q: Question,
    may_answer: bool,
    reply: ServerAction<AnswerDisclosure>,
) -> impl IntoView {
    let qid = q.id;
    let asker = if q.mine {
        tr("open.me")
    } else {
        q.asker.clone()
    };
    let answered = q.answer.clone().map(|a| {
        view! {
            <p class="answer" data-testid="question-answer">
                <strong>{tr("open.reply")}</strong> " " {a}
                <span class="muted small">" · " {q.answered_at.map(when)}</span>
            </p>
        }
    });
    let form = (may_answer && q.answer.is_none()).then(|| {
        view! {
            <ActionForm action=reply attr:class="answer-form" attr:data-testid="answer-form">
                <input type="hidden" name="question_id" value=qid.to_string()/>
                <textarea name="answer" rows="2" maxlength="600" required data-testid="answer-text"></textarea>
                <button type="submit" data-testid="answer-submit">{tr("open.answer_submit")}</button>
            </ActionForm>
        }
    });
    let waiting = (q.answer.is_none() && !may_answer)
        .then(|| view! { <p class="muted small">{tr("open.waiting")}</p> });
    view! {
        <li class="question" data-testid="question">
            <p><span class="muted">{asker} " · " {when(q.asked_at)}</span></p>
            <p data-testid="question-text">{q.text}</p>
            {answered}
            {waiting}
            {form}
        </li>
    }
}
