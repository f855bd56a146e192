//! The administrator's editor of meeting requirements on `/party/compliance`: every version
//! with the one in force marked, and a form that schedules a change from the first day of a
//! later period (a running period keeps the rules it began with, as score rules do).

use leptos::prelude::*;

use super::affairs_api::{get_requirements, ScheduleRequirement};
use crate::domain::party::{MeetingKind, MAX_MIN_COUNT};
use crate::i18n::tr;
use crate::ui::answer::{answer, ErrorText};

#[component]
pub fn RequirementsEditor() -> impl IntoView {
    let schedule = ServerAction::<ScheduleRequirement>::new();
    let data = Resource::new(move || schedule.version().get(), |_| get_requirements());
    let failure = move || match schedule.value().get() {
        Some(Err(e)) => Some(view! { <ErrorText error=e/> }),
        _ => None,
    };
    let kinds = MeetingKind::ALL
        .into_iter()
        .map(|k| view! { <option value=k.as_str()>{tr(&format!("party.kind_{}", k.as_str()))}</option> })
        .collect_view();
    view! {
        <details class="box" data-testid="requirements-editor">
            <summary>{tr("requirements.title")}</summary>
            <p class="muted">{tr("requirements.intro")}</p>
            <Suspense fallback=|| view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || data.get().map(|r| answer(r, |rows| {
                    let body = rows
                        .into_iter()
                        .map(|v| {
                            let mark = if v.in_force {
                                tr("requirements.in_force")
                            } else if v.scheduled {
                                tr("requirements.scheduled")
                            } else {
                                String::new()
                            };
                            view! {
                                <tr data-testid="requirement-version">
                                    <td>{tr(&format!("party.kind_{}", v.kind))}</td>
                                    <td>{tr(&format!("requirements.cadence_{}", v.cadence))}</td>
                                    <td>{if v.min_count == 0 { tr("requirements.retired") } else { v.min_count.to_string() }}</td>
                                    <td>{v.effective_from.clone()}</td>
                                    <td>{mark}</td>
                                </tr>
                            }
                        })
                        .collect_view();
                    view! {
                        <div class="table-wrap">
                            <table class="kpi-table">
                                <thead>
                                    <tr>
                                        <th scope="col">{tr("requirements.kind")}</th>
                                        <th scope="col">{tr("requirements.cadence")}</th>
                                        <th scope="col">{tr("requirements.min_count")}</th>
                                        <th scope="col">{tr("requirements.from")}</th>
                                        <th scope="col"></th>
                                    </tr>
                                </thead>
                                <tbody>{body}</tbody>
                            </table>
                        </div>
                    }
                    .into_any()
                }))}
            </Suspense>
            <ActionForm action=schedule attr:class="stack narrow" attr:data-testid="requirement-form">
                <label>{tr("requirements.kind")} <select name="kind">{kinds}</select></label>
                <label>
                    {tr("requirements.cadence")}
                    <select name="cadence">
                        <option value="month">{tr("requirements.cadence_month")}</option>
                        <option value="quarter">{tr("requirements.cadence_quarter")}</option>
                    </select>
                </label>
                <label>
                    {tr("requirements.min_count")}
                    <input type="number" name="min_count" min="0" max=MAX_MIN_COUNT value="1" required/>
                </label>
                <label>{tr("requirements.from")} <input type="date" name="effective_from" required/></label>
                <button type="submit" class="primary">{tr("requirements.schedule")}</button>
                {failure}
            </ActionForm>
        </details>
    }
}
