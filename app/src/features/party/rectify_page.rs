//! `/party/rectify`: rectification requests (整改) in the caller's scope — open ones first, red
//! once past their deadline — and, opened from a missed cell of the compliance matrix, the form
//! that asks the branch to make it good by a deadline.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::rectify_api::{get_rectify, RequestRectification};
use super::types::{Rectify, RectifyRow};
use crate::domain::party::rectify::{MAX_RECTIFY_DAYS, MAX_RECTIFY_NOTE};
use crate::i18n::tr;
use crate::ui::answer::{answer, ErrorText};
use crate::ui::time::when;

#[component]
pub fn RectifyPage() -> impl IntoView {
    let query = use_query_map();
    let cell = Memo::new(move |_| {
        query.with(|q| {
            (
                q.get("branch_id").and_then(|b| b.parse::<i64>().ok()),
                q.get("kind"),
                q.get("period"),
            )
        })
    });
    let request = ServerAction::<RequestRectification>::new();
    let data = Resource::new(
        move || (cell.get(), request.version().get()),
        |((b, k, p), _)| get_rectify(b, k, p),
    );
    view! {
        <section class="party-page" data-testid="rectify-page">
            <p><a href="/party/compliance">{tr("party.compliance")}</a></p>
            <h1>{tr("rectify.title")}</h1>
            <Suspense fallback=|| view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || data.get().map(|r| answer(r, |x| view! { <View r=x request=request/> }.into_any()))}
            </Suspense>
        </section>
    }
}

pub fn state_light(state: &str) -> &'static str {
    match state {
        "done" => "light light-green",
        "overdue" => "light light-red",
        _ => "light light-yellow",
    }
}

#[component]
fn View(r: Rectify, request: ServerAction<RequestRectification>) -> impl IntoView {
    let form = r.cell.clone().map(|(branch, name, kind, period)| {
        let result = move || match request.value().get() {
            Some(Ok(())) => Some(view! { <p class="ok" role="status" data-testid="rectify-requested">{tr("rectify.requested")}</p> }.into_any()),
            Some(Err(e)) => Some(view! { <ErrorText error=e/> }.into_any()),
            None => None,
        };
        view! {
            <ActionForm action=request attr:class="stack narrow box" attr:data-testid="rectify-form">
                <p>
                    <strong>{name}</strong> " · " {tr(&format!("party.kind_{kind}"))} " · " {period.clone()}
                </p>
                <input type="hidden" name="branch_id" value=branch.to_string()/>
                <input type="hidden" name="kind" value=kind.clone()/>
                <input type="hidden" name="period" value=period.clone()/>
                <label>
                    {tr("rectify.days")}
                    <input type="number" name="days" value="7" min="1" max=MAX_RECTIFY_DAYS required data-testid="rectify-days"/>
                </label>
                <label>
                    {tr("fields.note")}
                    <input type="text" name="note" maxlength=MAX_RECTIFY_NOTE data-testid="rectify-note"/>
                </label>
                <button type="submit" class="primary" data-testid="rectify-submit">{tr("rectify.request")}</button>
                {result}
            </ActionForm>
        }
    });
    view! {
        {form}
        <RectifyList rows=r.rows/>
    }
}

#[component]
pub fn RectifyList(rows: Vec<RectifyRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted" data-testid="rectify-none">{tr("rectify.none")}</p> }
            .into_any();
    }
    let body = rows
        .into_iter()
        .map(|r| {
            let done = r.done_at.map(|t| format!("{} · {}", when(t), r.done_note));
            view! {
                <tr data-testid="rectify-row" data-state=r.state.clone()>
                    <td><span class=state_light(&r.state)>{tr(&format!("rectify.state_{}", r.state))}</span></td>
                    <td>{r.branch.clone()}</td>
                    <td>{tr(&format!("party.kind_{}", r.kind))} " · " {r.period.clone()}</td>
                    <td>{r.due_day.clone()}</td>
                    <td>{r.note.clone()}</td>
                    <td>{done}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="kpi-table" data-testid="rectify-list">
                <thead>
                    <tr>
                        <th scope="col">{tr("party.state")}</th>
                        <th scope="col">{tr("party.branch")}</th>
                        <th scope="col">{tr("rectify.what")}</th>
                        <th scope="col">{tr("rectify.due")}</th>
                        <th scope="col">{tr("fields.note")}</th>
                        <th scope="col">{tr("rectify.answer")}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}
