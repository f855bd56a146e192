//! `/party/development` and `/party/development/{id}`: member development (发展党员). The
//! township and county see where every applicant stands and what is overdue; the secretary
//! records a new application and the branch's steps, the township the higher committee's.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::dev_api::{get_applicant, get_development, AddApplicant, RecordStep};
use super::types::{ApplicantDetail, ApplicantLine, Development, StepLine};
use crate::domain::party::development::def;
use crate::i18n::tr;
use crate::ui::answer::{answer, ErrorText};

fn loading() -> impl IntoView {
    view! { <p class="muted">{tr("common.loading")}</p> }
}

fn step_name(code: &str) -> String {
    tr(&format!("development.step_{code}"))
}

#[component]
pub fn DevelopmentPage() -> impl IntoView {
    let add = ServerAction::<AddApplicant>::new();
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(|q| (q.get("standing"), q.get("overdue"))));
    let data = Resource::new(
        move || (filter.get(), add.version().get()),
        |((standing, overdue), _)| get_development(standing, overdue),
    );
    view! {
        <section class="party-page" data-testid="development-page">
            <p><a href="/party">{tr("party.title")}</a></p>
            <h1>{tr("development.title")}</h1>
            <Suspense fallback=loading>
                {move || data.get().map(|r| answer(r, |d| view! { <List d=d add=add/> }.into_any()))}
            </Suspense>
        </section>
    }
}

#[component]
fn List(d: Development, add: ServerAction<AddApplicant>) -> impl IntoView {
    // Each count filters the list to its standing; "all" clears the filter.
    let counts = d
        .counts
        .iter()
        .map(|(s, n)| {
            view! {
                <li data-testid="standing-count" data-standing=s.clone()>
                    <a href=format!("/party/development?standing={s}")>
                        <strong>{*n}</strong> " " {tr(&format!("development.standing_{s}"))}
                    </a>
                </li>
            }
        })
        .collect_view();
    let overdue = (d.overdue > 0).then(|| {
        view! {
            <li data-testid="dev-overdue">
                <a href="/party/development?overdue=1" class="light light-red">{tr("development.overdue")} " " {d.overdue}</a>
            </li>
        }
    });
    let shown = tr("development.shown")
        .replace("%{n}", &d.lines.len().to_string())
        .replace("%{total}", &d.total.to_string());
    let form = (!d.branches.is_empty()).then(|| view! { <AddForm d=d.clone() add=add/> });
    view! {
        <ul class="plain counts" data-testid="standing-counts">
            <li><a href="/party/development">{tr("party.show_all")}</a></li>
            {counts}
            {overdue}
        </ul>
        {form}
        <p class="muted">{shown}</p>
        <Lines lines=d.lines/>
    }
}

#[component]
fn AddForm(d: Development, add: ServerAction<AddApplicant>) -> impl IntoView {
    let options = d
        .branches
        .into_iter()
        .map(|b| view! { <option value=b.id.to_string()>{b.name}</option> })
        .collect_view();
    let result = move || {
        match add.value().get() {
        Some(Ok(id)) => Some(
            view! {
                <p class="ok" role="status">
                    {tr("development.added")} " "
                    <a href=format!("/party/development/{id}") data-testid="applicant-link-new">{tr("development.open")}</a>
                </p>
            }
            .into_any(),
        ),
        Some(Err(e)) => Some(view! { <ErrorText error=e/> }.into_any()),
        None => None,
    }
    };
    view! {
        <details class="box" data-testid="applicant-card">
            <summary>{tr("development.add")}</summary>
            <ActionForm action=add attr:class="stack narrow" attr:data-testid="applicant-form">
                <label>{tr("party.branch")} <select name="branch_id" data-testid="applicant-branch">{options}</select></label>
                <label>{tr("fields.name")} <input type="text" name="name" maxlength="30" required data-testid="applicant-name"/></label>
                <div class="row">
                    <label>
                        {tr("fields.gender")}
                        <select name="gender" data-testid="applicant-gender">
                            <option value="male">{tr("development.male")}</option>
                            <option value="female">{tr("development.female")}</option>
                        </select>
                    </label>
                    <label>{tr("fields.birth_date")} <input type="date" name="birth_date" required data-testid="applicant-birth"/></label>
                    <label>{tr("development.applied_on")} <input type="date" name="day" required data-testid="applicant-day"/></label>
                </div>
                <label>{tr("fields.document")} <input type="text" name="document" maxlength="100" required placeholder=tr("development.document_hint") data-testid="applicant-document"/></label>
                <button type="submit" class="primary" data-testid="applicant-submit">{tr("development.add_submit")}</button>
                {result}
            </ActionForm>
        </details>
    }
}

#[component]
fn Lines(lines: Vec<ApplicantLine>) -> impl IntoView {
    if lines.is_empty() {
        return view! { <p class="muted">{tr("development.none")}</p> }.into_any();
    }
    let body = lines
        .into_iter()
        .map(|l| {
            let next = l
                .next_step
                .map(|n| format!("{n}. {}", step_name(def(n).map_or("", |s| s.code))))
                .unwrap_or_else(|| tr("development.done_all"));
            let due = l.due_by.clone().map(|d| {
                let class = if l.overdue {
                    "light light-red"
                } else {
                    "muted"
                };
                view! { <span class=class>{tr("development.due_by")} " " {d}</span> }
            });
            view! {
                <tr data-testid="applicant-row" data-overdue=l.overdue.to_string()>
                    <td><a href=format!("/party/development/{}", l.a.id)>{l.a.name.clone()}</a></td>
                    <td class="branch-col">{l.a.branch_name.clone()}</td>
                    <td>{tr(&format!("development.standing_{}", l.a.standing))}</td>
                    <td>{next} " " {due}</td>
                    <td>{l.a.last_on.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="kpi-table" data-testid="applicants">
                <thead>
                    <tr>
                        <th scope="col">{tr("fields.name")}</th>
                        <th scope="col" class="branch-col">{tr("party.branch")}</th>
                        <th scope="col">{tr("development.standing")}</th>
                        <th scope="col">{tr("development.next")}</th>
                        <th scope="col">{tr("development.last_on")}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
pub fn ApplicantPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0))
    });
    let record = ServerAction::<RecordStep>::new();
    let data = Resource::new(
        move || (id.get(), record.version().get()),
        |(id, _)| get_applicant(id),
    );
    view! {
        <section class="party-page" data-testid="applicant-page">
            <p><a href="/party/development">{tr("development.title")}</a></p>
            <Suspense fallback=loading>
                {move || data.get().map(|r| answer(r, |d| view! { <Detail d=d record=record/> }.into_any()))}
            </Suspense>
        </section>
    }
}

#[component]
fn Detail(d: ApplicantDetail, record: ServerAction<RecordStep>) -> impl IntoView {
    let a = d.line.a.clone();
    let mut stage = String::new();
    let mut items = Vec::new();
    for s in d.steps.clone() {
        if s.stage != stage {
            stage = s.stage.clone();
            items.push(view! { <li class="stage"><h2>{tr(&format!("development.stage_{}", s.stage))}</h2></li> }.into_any());
        }
        let form = (s.state == "next" && d.may_record)
            .then(|| view! { <StepForm s=s.clone() id=a.id d=d.clone() record=record/> });
        items.push(view! { <StepItem s=s form=form/> }.into_any());
    }
    let failure = move || match record.value().get() {
        Some(Err(e)) => Some(view! { <ErrorText error=e/> }.into_any()),
        _ => None,
    };
    view! {
        <h1 data-testid="applicant-name-heading">{a.name.clone()}</h1>
        <p>
            {a.branch_name.clone()} " · "
            <strong data-testid="applicant-standing" data-standing=a.standing.clone()>
                {tr(&format!("development.standing_{}", a.standing))}
            </strong>
            " · " {tr("fields.birth_date")} " " {a.birth_date.clone()}
        </p>
        {failure}
        <ol class="plain steps" data-testid="steps">{items}</ol>
    }
}

#[component]
fn StepItem(s: StepLine, form: Option<impl IntoView + 'static>) -> impl IntoView {
    let mark = match s.state.as_str() {
        "done" => "light light-green",
        "next" => "light light-yellow",
        _ => "light light-grey",
    };
    let who = tr(&format!("development.by_{}", s.taker));
    let facts = [
        s.on.clone(),
        (!s.document.is_empty()).then(|| s.document.clone()),
        (!s.sponsors.is_empty())
            .then(|| format!("{}: {}", tr("fields.sponsors"), s.sponsors.join("、"))),
        s.votes.map(|(e, p, y)| {
            tr("development.votes_line")
                .replace("%{e}", &e.to_string())
                .replace("%{p}", &p.to_string())
                .replace("%{y}", &y.to_string())
        }),
        s.earliest
            .clone()
            .map(|e| format!("{} {e}", tr("development.earliest"))),
        s.due_by
            .clone()
            .map(|e| format!("{} {e}", tr("development.due_by"))),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <li data-testid="step" data-step=s.no data-state=s.state.clone()>
            <span class=mark>{s.no}</span> " " <strong>{step_name(&s.code)}</strong>
            " " <span class="muted">{who}</span>
            <br/>
            <span class="muted">{facts}</span>
            {form}
        </li>
    }
}

#[component]
fn StepForm(
    s: StepLine,
    id: i64,
    d: ApplicantDetail,
    record: ServerAction<RecordStep>,
) -> impl IntoView {
    let extra = match s.needs.as_str() {
        "document" => Some(view! {
            <label>{tr("fields.document")} <input type="text" name="document" maxlength="100" required data-testid="step-document"/></label>
        }.into_any()),
        "sponsors" => {
            let options = move || {
                d.members
                    .iter()
                    .map(|m| view! { <option value=m.id.to_string()>{m.name.clone()}</option> })
                    .collect_view()
            };
            Some(view! {
                <label>{tr("fields.sponsors")} " 1" <select name="sponsor_a" data-testid="step-sponsor-a">{options()}</select></label>
                <label>{tr("fields.sponsors")} " 2" <select name="sponsor_b" data-testid="step-sponsor-b">{options()}</select></label>
            }.into_any())
        }
        "vote" => Some(view! {
            <div class="row">
                <label>{tr("development.entitled")} <input type="number" name="entitled" min="1" required data-testid="step-entitled"/></label>
                <label>{tr("development.present")} <input type="number" name="present" min="0" required data-testid="step-present"/></label>
                <label>{tr("development.yes")} <input type="number" name="yes" min="0" required data-testid="step-yes"/></label>
            </div>
        }.into_any()),
        _ => None,
    };
    view! {
        <ActionForm action=record attr:class="stack narrow step-form" attr:data-testid="step-form">
            <input type="hidden" name="id" value=id.to_string()/>
            <input type="hidden" name="step" value=s.no.to_string()/>
            <label>{tr("fields.day")} <input type="date" name="day" required max=d.today.clone() min=s.earliest.clone() data-testid="step-day"/></label>
            {extra}
            <button type="submit" class="primary" data-testid="step-submit">{tr("development.record")}</button>
        </ActionForm>
    }
}
