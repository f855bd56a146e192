//! One move of the state machine, written in one transaction guarded by the event's version (of
//! two dispatchers exactly one wins): the update (a typed change, column by column), the
//! timeline step with its note and details, photos, the rating, a supervision notice, a
//! co-handler, reminders to whoever it concerns now, the ledger and the audit row.

use sqlx::{Any, AnyPool, Transaction};

use super::{department_names, event_row, EventRow};
use crate::domain::calendar::WorkCalendar;
use crate::domain::event::notes::step_note;
use crate::domain::event::{
    ancestor_path, Action, Actor, Assignee, EventFacts, Outcome, Resolution, State, FOLLOW_UP_DAYS,
};
use crate::domain::org::OrgLevel;
use crate::error::AppError;
use crate::features::events::types::StepDetail;
use crate::ssr::{audit, now};

/// Payload details the domain leaves to the store: is the target real and in the right place?
pub async fn check_targets(
    pool: &AnyPool,
    row: &EventRow,
    facts: &EventFacts,
    action: &Action,
) -> Result<(), AppError> {
    let out_of_range = |field: &str| AppError::invalid(field, "out_of_range");
    match action {
        Action::Dispatch {
            to: Assignee::Department(d),
        } => {
            let ok: Option<i64> = sqlx::query_scalar(
                "SELECT d.id FROM departments d JOIN org_units o ON o.id = d.org_unit_id \
                 WHERE d.id = $1 AND o.path = $2",
            )
            .bind(d)
            .bind(facts.holder_path())
            .fetch_optional(pool)
            .await?;
            ok.map(|_| ()).ok_or_else(|| out_of_range("target"))
        }
        Action::Dispatch {
            to: Assignee::User(u),
        } => {
            let ok: Option<i64> = sqlx::query_scalar(
                "SELECT u.id FROM users u JOIN org_units o ON o.id = u.org_unit_id \
                 WHERE u.id = $1 AND u.role = 'grid_worker' AND o.path = $2 AND u.disabled = 0",
            )
            .bind(u)
            .bind(&row.fact.grid_path)
            .fetch_optional(pool)
            .await?;
            ok.map(|_| ()).ok_or_else(|| out_of_range("target"))
        }
        Action::AddCoHandler { department } => {
            let township = ancestor_path(&row.fact.grid_path, OrgLevel::Township);
            let county = ancestor_path(&row.fact.grid_path, OrgLevel::County);
            let ok: Option<i64> = sqlx::query_scalar(
                "SELECT d.id FROM departments d JOIN org_units o ON o.id = d.org_unit_id \
                 WHERE d.id = $1 AND (o.path = $2 OR o.path = $3)",
            )
            .bind(department)
            .bind(&township)
            .bind(&county)
            .fetch_optional(pool)
            .await?;
            ok.map(|_| ()).ok_or_else(|| out_of_range("department"))
        }
        Action::Merge { into } => match event_row(pool, *into).await? {
            Some(t)
                if t.id != row.id
                    && !t.state().is_terminal()
                    && t.township_id == row.township_id =>
            {
                Ok(())
            }
            _ => Err(out_of_range("event")),
        },
        Action::Resolve {
            outcome: Resolution::Duplicate { of },
            ..
        } => {
            let other: Option<(i64, i64)> =
                sqlx::query_as("SELECT id, township_id FROM events WHERE tracking_no = $1")
                    .bind(of.trim())
                    .fetch_optional(pool)
                    .await?;
            match other {
                Some((id, town)) if id != row.id && town == row.township_id => Ok(()),
                _ => Err(out_of_range("duplicate_of")),
            }
        }
        _ => Ok(()),
    }
}

/// What a step records besides its note, with names as they were at the time.
async fn detail_of(pool: &AnyPool, action: &Action) -> Result<StepDetail, AppError> {
    let mut d = StepDetail::default();
    match action {
        Action::Dispatch {
            to: Assignee::Department(id),
        }
        | Action::AddCoHandler { department: id } => {
            d.department = department_names(pool, &[*id]).await?.pop();
        }
        Action::Dispatch {
            to: Assignee::User(id),
        } => {
            d.person = sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?;
        }
        Action::Merge { into } => {
            d.event = sqlx::query_scalar("SELECT tracking_no FROM events WHERE id = $1")
                .bind(into)
                .fetch_optional(pool)
                .await?;
        }
        Action::RequestExtension { hours } => d.hours = Some(*hours),
        Action::DecideExtension { approve } => d.approved = Some(*approve),
        Action::Rate { scores } => {
            d.scores = Some([
                scores.attitude,
                scores.ability,
                scores.conduct,
                scores.result,
            ])
        }
        Action::SetUrgency { urgency } => d.urgency = Some(urgency.as_str().into()),
        Action::Resolve { outcome, .. } => {
            d.outcome = Some(outcome.as_str().into());
            match outcome {
                Resolution::Referred { to } => d.referred_to = Some(to.trim().into()),
                Resolution::Duplicate { of } => d.event = Some(of.trim().into()),
                _ => {}
            }
        }
        Action::FollowUp { solved } => d.solved = Some(*solved),
        _ => {}
    }
    Ok(d)
}

/// A value bound to the update.
enum Val {
    Int(Option<i64>),
    Text(Option<String>),
}

/// `UPDATE events SET …`, one named column at a time; `?` in an expression is its own value.
#[derive(Default)]
struct Sets {
    parts: Vec<String>,
    vals: Vec<Val>,
}

impl Sets {
    fn expr(&mut self, column: &str, expr: &str, vals: Vec<Val>) {
        let mut sql = String::new();
        let mut vals = vals.into_iter();
        for ch in expr.chars() {
            if ch == '?' {
                if let Some(v) = vals.next() {
                    self.vals.push(v);
                    sql.push_str(&format!("${}", self.vals.len()));
                }
            } else {
                sql.push(ch);
            }
        }
        self.parts.push(format!("{column} = {sql}"));
    }

    fn int(&mut self, column: &str, v: Option<i64>) {
        self.expr(column, "?", vec![Val::Int(v)]);
    }

    fn text(&mut self, column: &str, v: Option<&str>) {
        self.expr(column, "?", vec![Val::Text(v.map(str::to_owned))]);
    }

    fn raw(&mut self, column: &str, expr: &str) {
        self.parts.push(format!("{column} = {expr}"));
    }

    /// The statement, guarded by id and version.
    async fn execute(
        self,
        tx: &mut Transaction<'_, Any>,
        id: i64,
        version: i64,
    ) -> Result<u64, AppError> {
        let n = self.vals.len();
        let sql = format!(
            "UPDATE events SET {}, version = version + 1 WHERE id = ${} AND version = ${}",
            self.parts.join(", "),
            n + 1,
            n + 2
        );
        let mut q = sqlx::query(&sql);
        for v in self.vals {
            q = match v {
                Val::Int(i) => q.bind(i),
                Val::Text(t) => q.bind(t),
            };
        }
        Ok(q.bind(id)
            .bind(version)
            .execute(&mut **tx)
            .await?
            .rows_affected())
    }
}

/// The columns a transition changes, from the domain's outcome.
fn change(cal: &WorkCalendar, row: &EventRow, action: &Action, out: &Outcome, at: i64) -> Sets {
    let f = &out.facts;
    let (dept, user) = match f.assignee {
        Some(Assignee::Department(d)) => (Some(d), None),
        Some(Assignee::User(u)) => (None, Some(u)),
        None => (None, None),
    };
    let mut s = Sets::default();
    s.text("state", Some(f.state.as_str()));
    s.text("level", Some(f.level.as_str()));
    s.text("holder_path", Some(&f.holder_path()));
    s.int("assignee_dept_id", dept);
    s.int("assignee_user_id", user);
    s.text("dispatched_from", f.dispatched_from.map(OrgLevel::as_str));
    s.text("urgency", Some(f.urgency.as_str()));
    s.int("updated_at", Some(at));

    // The clock: an approved extension lengthens the limit, a new urgency reshapes it, and a
    // reopened event starts afresh from now.
    let mut extension = row.extension_secs;
    let mut pending = row.fact.pending_extension_hours;
    if let Action::RequestExtension { hours } = action {
        pending = i64::from(*hours);
    }
    if out.extension_approved {
        extension += pending * 3600;
    }
    if !f.pending_extension {
        pending = 0;
    }
    let limit = row.limit_secs + extension;
    let deadline = if out.reopened {
        Some(f.urgency.deadline(cal, at, row.limit_secs))
    } else if out.extension_approved || matches!(action, Action::SetUrgency { .. }) {
        Some(f.urgency.deadline(cal, row.created_at, limit))
    } else {
        None
    };
    s.int("pending_extension_hours", Some(pending));
    s.int("extension_secs", Some(extension));
    if let Some((due, yellow)) = deadline {
        s.int("due_at", Some(due));
        s.int("yellow_at", Some(yellow));
    }

    match action {
        Action::Verify => s.expr(
            "verified_at",
            "COALESCE(verified_at, ?)",
            vec![Val::Int(Some(at))],
        ),
        Action::Reject { reason } => s.text("reject_reason", Some(reason.trim())),
        Action::Merge { into } => s.int("merged_into", Some(*into)),
        Action::Resolve { note, outcome } => {
            resolved(&mut s, row, note, at);
            s.text("outcome", Some(outcome.as_str()));
            let reference = match outcome {
                Resolution::Referred { to } => to.trim(),
                Resolution::Duplicate { of } => of.trim(),
                _ => "",
            };
            s.text("outcome_ref", Some(reference));
        }
        Action::ResolveOnSpot { note } => {
            resolved(&mut s, row, note, at);
            s.text("outcome", Some(Resolution::Solved.as_str()));
        }
        Action::Rate { scores } => {
            s.int("rated", Some(1));
            s.int("satisfied", Some(i64::from(scores.satisfied())));
        }
        _ => {}
    }
    if out.supervision {
        s.raw("supervisions", "supervisions + 1");
    }
    if out.reopened {
        s.raw("reopened", "reopened + 1");
    }
    // Closing schedules "解决了吗？" for a reporter with an account; answering it ends it.
    if f.state == State::Closed && out.from != State::Closed && row.fact.reporter_user_id.is_some()
    {
        s.int("closed_at", Some(at));
        s.int("follow_up_at", Some(at + FOLLOW_UP_DAYS * 86_400));
    } else if f.state == State::Closed && out.from != State::Closed {
        s.int("closed_at", Some(at));
    }
    if matches!(action, Action::FollowUp { .. }) {
        s.int("follow_up_open", Some(0));
        s.int("follow_up_at", None);
    }
    s
}

fn resolved(s: &mut Sets, row: &EventRow, note: &str, at: i64) {
    s.int("resolved_at", Some(at));
    s.text("resolved_level", Some(&row.fact.level));
    s.int("resolved_on_time", Some(i64::from(at <= row.due_at)));
    s.text("result_note", Some(note.trim()));
}

/// What a transition wrote.
pub struct Applied {
    pub version: i64,
    pub step_id: i64,
}

#[allow(clippy::too_many_arguments)]
pub async fn write_transition(
    pool: &AnyPool,
    cal: &WorkCalendar,
    actor: &Actor,
    actor_name: &str,
    row: &EventRow,
    action: &Action,
    out: &Outcome,
    photo_ids: &[i64],
    comment: &str,
) -> Result<Applied, AppError> {
    let at = now();
    let f = &out.facts;
    let note = step_note(action, comment);
    // Names are read before the transaction: on SQLite its first statement must be the write.
    let detail = serde_json::to_string(&detail_of(pool, action).await?).unwrap_or_default();
    let mut tx = pool.begin().await?;
    let updated = change(cal, row, action, out, at)
        .execute(&mut tx, row.id, row.version)
        .await?;
    if updated == 0 {
        tx.rollback().await?;
        let now_state = event_row(pool, row.id)
            .await?
            .map(|r| r.fact.state)
            .unwrap_or_else(|| row.fact.state.clone());
        return Err(AppError::Conflict { state: now_state });
    }
    let step_id: i64 = sqlx::query_scalar(
        "INSERT INTO event_steps (event_id, at, actor_id, actor_name, action, from_state, to_state, \
         from_level, to_level, note, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(row.id)
    .bind(at)
    .bind((!actor.is_system()).then_some(actor.user_id))
    .bind(actor_name)
    .bind(action.kind().as_str())
    .bind(out.from.as_str())
    .bind(f.state.as_str())
    .bind(&row.fact.level)
    .bind(f.level.as_str())
    .bind(&note)
    .bind(&detail)
    .fetch_one(&mut *tx)
    .await?;
    for p in photo_ids {
        sqlx::query(
            "UPDATE event_photos SET event_id = $1, step_id = $2 WHERE id = $3 AND step_id IS NULL \
             AND uploaded_by = $4",
        )
        .bind(row.id)
        .bind(step_id)
        .bind(p)
        .bind(actor.user_id)
        .execute(&mut *tx)
        .await?;
    }
    match action {
        Action::Rate { scores } => {
            sqlx::query(
                "INSERT INTO ratings (event_id, user_id, attitude, ability, conduct, result, \
                 satisfied, comment, rated_dept_id, rated_user_id, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(row.id)
            .bind(actor.user_id)
            .bind(scores.attitude as i64)
            .bind(scores.ability as i64)
            .bind(scores.conduct as i64)
            .bind(scores.result as i64)
            .bind(i64::from(scores.satisfied()))
            .bind(&note)
            .bind(row.fact.assignee_dept_id)
            .bind(row.fact.assignee_user_id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        Action::Supervise { note } => {
            sqlx::query(
                "INSERT INTO supervision_notices (event_id, by_user, at, note, target_dept_id, \
                 target_user_id, target_path) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(row.id)
            .bind(actor.user_id)
            .bind(at)
            .bind(note)
            .bind(row.fact.assignee_dept_id)
            .bind(row.fact.assignee_user_id)
            .bind(f.holder_path())
            .execute(&mut *tx)
            .await?;
        }
        Action::AddCoHandler { department } => {
            sqlx::query("INSERT INTO event_co_handlers (event_id, department_id) VALUES ($1, $2)")
                .bind(row.id)
                .bind(department)
                .execute(&mut *tx)
                .await?;
        }
        _ => {}
    }
    if f.co_handlers.is_empty() {
        sqlx::query("DELETE FROM event_co_handlers WHERE event_id = $1")
            .bind(row.id)
            .execute(&mut *tx)
            .await?;
    }
    remind(&mut tx, row.id, action, out, at).await?;
    tell_reporters(&mut tx, row.id, out, at).await?;
    if matches!(
        action,
        Action::Verify
            | Action::Resolve { .. }
            | Action::ResolveOnSpot { .. }
            | Action::Rate { .. }
    ) {
        crate::features::scoring::ledger::score_event(&mut tx, row.id).await?;
    }
    audit(
        &mut tx,
        (!actor.is_system()).then_some(actor.user_id),
        &format!("event.{}", action.kind().as_str()),
        &row.tracking_no,
        &format!("{} -> {}", out.from.as_str(), f.state.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(Applied {
        version: row.version + 1,
        step_id,
    })
}

/// One reminder, unless the same one is still unread for the same target.
pub(super) async fn notify(
    tx: &mut Transaction<'_, Any>,
    target: (Option<i64>, Option<i64>, Option<String>),
    event_id: i64,
    kind: &str,
    at: i64,
) -> Result<(), AppError> {
    let (user, dept, path) = target;
    sqlx::query(
        "INSERT INTO notifications (user_id, department_id, unit_path, event_id, kind, at) \
         SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS (SELECT 1 FROM notifications n \
           WHERE n.event_id = $4 AND n.kind = $5 AND n.user_id IS NOT DISTINCT FROM $1 \
           AND n.department_id IS NOT DISTINCT FROM $2 AND n.unit_path IS NOT DISTINCT FROM $3 \
           AND NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.notification_id = n.id))",
    )
    .bind(user)
    .bind(dept)
    .bind(path)
    .bind(event_id)
    .bind(kind)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whoever must act now is told why: it was sent to them, sent up or down to them, returned,
/// reopened by a dissatisfied resident, or they were added as co-handler or supervised.
async fn remind(
    tx: &mut Transaction<'_, Any>,
    event_id: i64,
    action: &Action,
    out: &Outcome,
    at: i64,
) -> Result<(), AppError> {
    let f = &out.facts;
    let holder = || (None, None, Some(f.holder_path()));
    let assignee = || match f.assignee {
        Some(Assignee::Department(d)) => (None, Some(d), None),
        Some(Assignee::User(u)) => (Some(u), None, None),
        None => (None, None, Some(f.holder_path())),
    };
    let (target, kind) = match action {
        _ if out.reopened => (holder(), "reopened"),
        Action::Dispatch { .. } => (assignee(), "dispatched"),
        Action::Escalate => (holder(), "escalated"),
        Action::SendDown => (holder(), "sent_down"),
        Action::Return { .. } => (holder(), "returned"),
        Action::AddCoHandler { department } => ((None, Some(*department), None), "co_handling"),
        Action::Supervise { .. } => (assignee(), "supervised"),
        Action::RequestExtension { .. } => (holder(), "extension_requested"),
        _ => return Ok(()),
    };
    notify(tx, target, event_id, kind, at).await
}

/// The reporter and those who joined are told when it is done, turned down or merged.
async fn tell_reporters(
    tx: &mut Transaction<'_, Any>,
    event_id: i64,
    out: &Outcome,
    at: i64,
) -> Result<(), AppError> {
    let f = &out.facts;
    if f.state == out.from {
        return Ok(());
    }
    let kind = match f.state {
        State::Resolved => "report_resolved",
        State::Closed => "report_closed",
        State::Rejected => "report_rejected",
        State::Merged => "report_merged",
        _ => return Ok(()),
    };
    for user in f.reporter_id.iter().chain(&f.co_reporters) {
        notify(tx, (Some(*user), None, None), event_id, kind, at).await?;
    }
    Ok(())
}
