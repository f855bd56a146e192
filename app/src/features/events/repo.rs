//! The event store. Scope is decided in `api`; the transition itself runs here, in one
//! transaction guarded by the event's version so that of two dispatchers exactly one wins.

use sqlx::{Any, AnyPool, Transaction};

use super::types::{Category, EventCard, PhotoRef, Step, Target};
use crate::domain::calendar::{parse_date, Limit, WorkCalendar};
use crate::domain::event::{ancestor_path, Action, Actor, Assignee, EventFacts, Outcome, State};
use crate::domain::org::OrgLevel;
use crate::error::AppError;
use crate::ssr::{audit, now, parse_level};

pub const CARD_COLUMNS: &str = "e.id, e.tracking_no, e.channel, e.category_id, \
    c.name_zh AS category_zh, c.name_en AS category_en, c.board, e.grid_id, g.name AS grid_name, \
    e.level, e.state, e.description, e.address, e.lng, e.lat, e.created_at, e.due_at, e.yellow_at, \
    e.supervisions, e.assignee_dept_id, e.assignee_user_id, \
    COALESCE(d.name, u.display_name) AS assignee_name, e.version";

pub const CARD_FROM: &str = "events e JOIN categories c ON c.id = e.category_id \
    JOIN org_units g ON g.id = e.grid_id \
    LEFT JOIN departments d ON d.id = e.assignee_dept_id \
    LEFT JOIN users u ON u.id = e.assignee_user_id";

pub async fn categories(pool: &AnyPool) -> Result<Vec<Category>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, board, code, name_zh, name_en, limit_kind, limit_value, default_level \
         FROM categories WHERE active = 1 ORDER BY code",
    )
    .fetch_all(pool)
    .await?)
}

pub async fn category(pool: &AnyPool, id: i64) -> Result<Option<Category>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, board, code, name_zh, name_en, limit_kind, limit_value, default_level \
         FROM categories WHERE id = $1 AND active = 1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?)
}

pub fn limit_of(c: &Category) -> Limit {
    let v = c.limit_value.max(1) as u32;
    if c.limit_kind == "hours" {
        Limit::WorkingHours(v)
    } else {
        Limit::WorkingDays(v)
    }
}

pub async fn calendar(pool: &AnyPool) -> Result<WorkCalendar, AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT day, kind FROM calendar_days")
        .fetch_all(pool)
        .await?;
    let mut cal = WorkCalendar::default();
    for (day, kind) in rows {
        if let Some(d) = parse_date(&day) {
            if kind == "workday" {
                cal.workdays.insert(d);
            } else {
                cal.holidays.insert(d);
            }
        }
    }
    Ok(cal)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub tracking_no: String,
    pub category_id: i64,
    pub grid_id: i64,
    pub grid_path: String,
    pub township_id: i64,
    pub level: String,
    pub state: String,
    pub assignee_dept_id: Option<i64>,
    pub assignee_user_id: Option<i64>,
    pub reporter_user_id: Option<i64>,
    pub reporter_name: String,
    pub reporter_phone: String,
    pub pending_extension_hours: i64,
    pub created_at: i64,
    pub limit_secs: i64,
    pub extension_secs: i64,
    pub due_at: i64,
    pub yellow_at: i64,
    pub result_note: String,
    pub reject_reason: String,
    pub version: i64,
}

impl EventRow {
    pub fn state(&self) -> State {
        State::parse(&self.state).unwrap_or(State::Reported)
    }
}

const ROW_COLUMNS: &str = "e.id, e.tracking_no, e.category_id, e.grid_id, e.grid_path, \
     e.township_id, e.level, e.state, e.assignee_dept_id, e.assignee_user_id, e.reporter_user_id, \
     e.reporter_name, e.reporter_phone, e.pending_extension_hours, e.created_at, e.limit_secs, \
     e.extension_secs, e.due_at, e.yellow_at, e.result_note, e.reject_reason, e.version";

pub async fn event_row(pool: &AnyPool, id: i64) -> Result<Option<EventRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ROW_COLUMNS} FROM events e WHERE e.id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?)
}

pub async fn co_handlers(pool: &AnyPool, id: i64) -> Result<Vec<i64>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT department_id FROM event_co_handlers WHERE event_id = $1")
            .bind(id)
            .fetch_all(pool)
            .await?,
    )
}

pub fn facts_of(row: &EventRow, co: Vec<i64>) -> EventFacts {
    let assignee = match (row.assignee_dept_id, row.assignee_user_id) {
        (Some(d), _) => Some(Assignee::Department(d)),
        (None, Some(u)) => Some(Assignee::User(u)),
        _ => None,
    };
    EventFacts {
        state: row.state(),
        level: parse_level(&row.level),
        grid_path: row.grid_path.clone(),
        assignee,
        co_handlers: co,
        reporter_id: row.reporter_user_id,
        pending_extension: row.pending_extension_hours > 0,
    }
}

pub async fn card(pool: &AnyPool, id: i64) -> Result<Option<EventCard>, AppError> {
    let sql = format!("SELECT {CARD_COLUMNS} FROM {CARD_FROM} WHERE e.id = $1");
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?)
}

#[derive(sqlx::FromRow)]
struct StepRow {
    #[sqlx(flatten)]
    step: Step,
    actor_id: Option<i64>,
}

/// The timeline; the steps taken by the user `masked` (the reporter, for a viewer who may not
/// see who reported) show the actor's name masked.
pub async fn steps(pool: &AnyPool, id: i64, masked: Option<i64>) -> Result<Vec<Step>, AppError> {
    let rows: Vec<StepRow> = sqlx::query_as(
        "SELECT id, at, actor_id, actor_name, action, from_state, to_state, from_level, to_level, \
         note FROM event_steps WHERE event_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let mut step = r.step;
            if masked.is_some() && r.actor_id == masked {
                step.actor_name = crate::domain::identity::mask_name(&step.actor_name);
            }
            step
        })
        .collect())
}

pub async fn photos(pool: &AnyPool, id: i64) -> Result<Vec<PhotoRef>, AppError> {
    let rows: Vec<(i64, Option<i64>, i64, i64)> = sqlx::query_as(
        "SELECT id, step_id, width, height FROM event_photos WHERE event_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, step_id, width, height)| PhotoRef {
            id,
            step_id,
            width,
            height,
        })
        .collect())
}

/// A new event as the intake channels hand it over.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub idem_key: Option<String>,
    pub channel: &'static str,
    pub category: Category,
    pub grid_id: i64,
    /// The grid's org path, resolved before the transaction opens.
    pub grid_path: String,
    pub reporter_user_id: Option<i64>,
    pub reporter_name: String,
    pub reporter_phone: String,
    pub description: String,
    pub address: String,
    pub lng: Option<f64>,
    pub lat: Option<f64>,
    /// The level it first lands at: the township command room, or the grid for a patrol report.
    pub level: OrgLevel,
    pub at: i64,
}

/// What an intake wrote, or found already written under the same idempotency key.
#[derive(Debug, Clone, PartialEq)]
pub struct Inserted {
    pub id: i64,
    pub tracking_no: String,
    /// False when a retried submission found its first event.
    pub created: bool,
    /// The first timeline step, which the report's photos hang from (only when created).
    pub step_id: Option<i64>,
}

/// Inserts an event and its first timeline step. A retried submission with the same idempotency
/// key returns the first event.
///
/// The first statement is the write: on SQLite a transaction that reads first and writes later
/// cannot wait for the write lock (WAL snapshot upgrade fails at once with SQLITE_BUSY), so the
/// grid path comes in resolved and the key is checked by the insert itself.
pub async fn insert_event(
    tx: &mut Transaction<'_, Any>,
    cal: &WorkCalendar,
    ev: &NewEvent,
    actor_name: &str,
) -> Result<Inserted, AppError> {
    let ids = crate::domain::org::path_ids(&ev.grid_path);
    if ids.len() < 4 || ids.last() != Some(&ev.grid_id) {
        return Err(AppError::invalid("location", "not_in_county"));
    }
    let limit = limit_of(&ev.category).seconds(cal);
    let (due, yellow) = cal.deadline(ev.at, limit);
    let holder = ancestor_path(&ev.grid_path, ev.level);
    // A temporary unique number; the final one embeds the id.
    let temp_no = format!("tmp-{}-{}", ev.at, rand_suffix());
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO events (tracking_no, idem_key, channel, category_id, grid_id, grid_path, \
         township_id, village_id, level, holder_path, state, reporter_user_id, reporter_name, \
         reporter_phone, description, address, lng, lat, created_at, updated_at, limit_secs, \
         due_at, yellow_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'reported', $11, $12, \
         $13, $14, $15, $16, $17, $18, $18, $19, $20, $21) \
         ON CONFLICT (idem_key) DO NOTHING RETURNING id",
    )
    .bind(&temp_no)
    .bind(&ev.idem_key)
    .bind(ev.channel)
    .bind(ev.category.id)
    .bind(ev.grid_id)
    .bind(&ev.grid_path)
    .bind(ids[1])
    .bind(ids[2])
    .bind(ev.level.as_str())
    .bind(&holder)
    .bind(ev.reporter_user_id)
    .bind(&ev.reporter_name)
    .bind(&ev.reporter_phone)
    .bind(&ev.description)
    .bind(&ev.address)
    .bind(ev.lng)
    .bind(ev.lat)
    .bind(ev.at)
    .bind(limit)
    .bind(due)
    .bind(yellow)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(id) = id else {
        // Only a key conflict skips the insert, so the key is there.
        let (id, tracking_no): (i64, String) =
            sqlx::query_as("SELECT id, tracking_no FROM events WHERE idem_key = $1")
                .bind(&ev.idem_key)
                .fetch_one(&mut **tx)
                .await?;
        return Ok(Inserted {
            id,
            tracking_no,
            created: false,
            step_id: None,
        });
    };
    let no = tracking_no(ev.at, id);
    sqlx::query("UPDATE events SET tracking_no = $1 WHERE id = $2")
        .bind(&no)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let step_id: i64 = sqlx::query_scalar(
        "INSERT INTO event_steps (event_id, at, actor_id, actor_name, action, from_state, to_state, \
         from_level, to_level, note) VALUES ($1, $2, $3, $4, 'report', NULL, 'reported', NULL, $5, $6) \
         RETURNING id",
    )
    .bind(id)
    .bind(ev.at)
    .bind(ev.reporter_user_id)
    .bind(actor_name)
    .bind(ev.level.as_str())
    .bind(ev.channel)
    .fetch_one(&mut **tx)
    .await?;
    if ev.channel == "patrol" {
        // A patrol report is accepted as it is made: the grid's worker earns for it now.
        crate::features::scoring::ledger::score_event(tx, id).await?;
    }
    Ok(Inserted {
        id,
        tracking_no: no,
        created: true,
        step_id: Some(step_id),
    })
}

fn rand_suffix() -> u64 {
    use rand_core::RngCore;
    rand_core::OsRng.next_u64()
}

/// `LX` + local date + the id: short enough to read out on the phone, unique by construction.
pub fn tracking_no(at: i64, id: i64) -> String {
    let day = crate::domain::calendar::local_day(at).replace('-', "");
    format!("LX{day}{id:06}")
}

/// Payload details the domain leaves to the store: is the target real and in the right place?
pub async fn check_targets(
    pool: &AnyPool,
    row: &EventRow,
    facts: &EventFacts,
    action: &Action,
) -> Result<(), AppError> {
    match action {
        Action::Dispatch {
            to: Assignee::Department(d),
        } => {
            let holder = facts.holder_path();
            let ok: Option<i64> = sqlx::query_scalar(
                "SELECT d.id FROM departments d JOIN org_units o ON o.id = d.org_unit_id \
                 WHERE d.id = $1 AND o.path = $2",
            )
            .bind(d)
            .bind(&holder)
            .fetch_optional(pool)
            .await?;
            ok.map(|_| ())
                .ok_or_else(|| AppError::invalid("target", "out_of_range"))
        }
        Action::Dispatch {
            to: Assignee::User(u),
        } => {
            let ok: Option<i64> = sqlx::query_scalar(
                "SELECT u.id FROM users u JOIN org_units o ON o.id = u.org_unit_id \
                 WHERE u.id = $1 AND u.role = 'grid_worker' AND o.path = $2 AND u.disabled = 0",
            )
            .bind(u)
            .bind(&row.grid_path)
            .fetch_optional(pool)
            .await?;
            ok.map(|_| ())
                .ok_or_else(|| AppError::invalid("target", "out_of_range"))
        }
        Action::AddCoHandler { department } => {
            let township = ancestor_path(&row.grid_path, OrgLevel::Township);
            let county = ancestor_path(&row.grid_path, OrgLevel::County);
            let ok: Option<i64> = sqlx::query_scalar(
                "SELECT d.id FROM departments d JOIN org_units o ON o.id = d.org_unit_id \
                 WHERE d.id = $1 AND (o.path = $2 OR o.path = $3)",
            )
            .bind(department)
            .bind(&township)
            .bind(&county)
            .fetch_optional(pool)
            .await?;
            ok.map(|_| ())
                .ok_or_else(|| AppError::invalid("department", "out_of_range"))
        }
        Action::Merge { into } => {
            let target = event_row(pool, *into).await?;
            match target {
                Some(t)
                    if t.id != row.id
                        && !t.state().is_terminal()
                        && t.township_id == row.township_id =>
                {
                    Ok(())
                }
                _ => Err(AppError::invalid("event", "out_of_range")),
            }
        }
        _ => Ok(()),
    }
}

/// Everything a transition writes, in one transaction: the guarded update, the timeline step,
/// photos, rating, supervision notice, co-handler, reminders and the audit entry.
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
    let (dept, user) = match f.assignee {
        Some(Assignee::Department(d)) => (Some(d), None),
        Some(Assignee::User(u)) => (None, Some(u)),
        None => (None, None),
    };
    let mut due = row.due_at;
    let mut yellow = row.yellow_at;
    let mut extension = row.extension_secs;
    let mut pending = row.pending_extension_hours;
    match action {
        Action::RequestExtension { hours } => pending = *hours as i64,
        Action::DecideExtension { .. } => {
            if out.extension_approved {
                extension += pending * 3600;
                let (d, y) = cal.deadline(row.created_at, row.limit_secs + extension);
                due = d;
                yellow = y;
            }
            pending = 0;
        }
        _ => {}
    }
    if out.reopened {
        // A reopened event gets a fresh clock from now.
        let (d, y) = cal.deadline(at, row.limit_secs);
        due = d;
        yellow = y;
    }
    if !f.pending_extension {
        pending = 0;
    }
    let note = match action {
        Action::Reject { reason } | Action::Return { reason } => reason.clone(),
        Action::Progress { note }
        | Action::Resolve { note }
        | Action::ResolveOnSpot { note }
        | Action::Supervise { note } => note.clone(),
        Action::RequestExtension { hours } => format!("{hours}"),
        Action::DecideExtension { approve } => {
            (if *approve { "approved" } else { "denied" }).into()
        }
        Action::Merge { into } => format!("#{into}"),
        Action::Rate { scores } => format!(
            "{}/{}/{}/{} {}",
            scores.attitude, scores.ability, scores.conduct, scores.result, comment
        ),
        _ => comment.to_string(),
    };
    let resolving = matches!(
        action,
        Action::Resolve { .. } | Action::ResolveOnSpot { .. }
    );
    let mut tx = pool.begin().await?;
    // The guarded write comes first, so SQLite takes the write lock before anything is read.
    let updated = sqlx::query(
        "UPDATE events SET state = $1, level = $2, holder_path = $3, assignee_dept_id = $4, \
         assignee_user_id = $5, pending_extension_hours = $6, extension_secs = $7, due_at = $8, \
         yellow_at = $9, updated_at = $10, version = version + 1, \
         verified_at = CASE WHEN $11 = 1 AND verified_at IS NULL THEN $10 ELSE verified_at END, \
         resolved_at = CASE WHEN $12 = 1 THEN $10 ELSE resolved_at END, \
         resolved_level = CASE WHEN $12 = 1 THEN $13 ELSE resolved_level END, \
         resolved_on_time = CASE WHEN $12 = 1 THEN (CASE WHEN $10 <= due_at THEN 1 ELSE 0 END) \
           ELSE resolved_on_time END, \
         result_note = CASE WHEN $12 = 1 THEN $14 ELSE result_note END, \
         reject_reason = CASE WHEN $15 = 1 THEN $14 ELSE reject_reason END, \
         closed_at = CASE WHEN $1 = 'closed' THEN $10 ELSE closed_at END, \
         merged_into = CASE WHEN $16 > 0 THEN $16 ELSE merged_into END, \
         supervisions = supervisions + $17, \
         rated = CASE WHEN $18 = 1 THEN 1 ELSE rated END, \
         satisfied = CASE WHEN $18 = 1 THEN $19 ELSE satisfied END, \
         reopened = reopened + $20 \
         WHERE id = $21 AND version = $22",
    )
    .bind(f.state.as_str())
    .bind(f.level.as_str())
    .bind(f.holder_path())
    .bind(dept)
    .bind(user)
    .bind(pending)
    .bind(extension)
    .bind(due)
    .bind(yellow)
    .bind(at)
    .bind(i64::from(matches!(action, Action::Verify)))
    .bind(i64::from(resolving))
    .bind(row.level.as_str())
    .bind(&note)
    .bind(i64::from(matches!(action, Action::Reject { .. })))
    .bind(match action {
        Action::Merge { into } => *into,
        _ => 0,
    })
    .bind(i64::from(out.supervision))
    .bind(i64::from(matches!(action, Action::Rate { .. })))
    .bind(match action {
        Action::Rate { scores } => i64::from(scores.satisfied()),
        _ => 0,
    })
    .bind(i64::from(out.reopened))
    .bind(row.id)
    .bind(row.version)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        tx.rollback().await?;
        let now_state = event_row(pool, row.id)
            .await?
            .map(|r| r.state)
            .unwrap_or_else(|| row.state.clone());
        return Err(AppError::Conflict { state: now_state });
    }
    let step_id: i64 = sqlx::query_scalar(
        "INSERT INTO event_steps (event_id, at, actor_id, actor_name, action, from_state, to_state, \
         from_level, to_level, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(row.id)
    .bind(at)
    .bind((!actor.is_system()).then_some(actor.user_id))
    .bind(actor_name)
    .bind(action.kind().as_str())
    .bind(out.from.as_str())
    .bind(f.state.as_str())
    .bind(row.level.as_str())
    .bind(f.level.as_str())
    .bind(&note)
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
            .bind(comment)
            .bind(row.assignee_dept_id)
            .bind(row.assignee_user_id)
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
            .bind(row.assignee_dept_id)
            .bind(row.assignee_user_id)
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
    notify_new_owner(&mut tx, row.id, f, at).await?;
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

/// An in-app reminder to whoever holds the event now.
async fn notify_new_owner(
    tx: &mut Transaction<'_, Any>,
    event_id: i64,
    f: &EventFacts,
    at: i64,
) -> Result<(), AppError> {
    let (user, dept, path): (Option<i64>, Option<i64>, Option<String>) = match f.assignee {
        Some(Assignee::User(u)) if matches!(f.state, State::Dispatched | State::Handling) => {
            (Some(u), None, None)
        }
        Some(Assignee::Department(d)) if matches!(f.state, State::Dispatched | State::Handling) => {
            (None, Some(d), None)
        }
        _ if matches!(f.state, State::Reported | State::Verified) => {
            (None, None, Some(f.holder_path()))
        }
        _ => return Ok(()),
    };
    sqlx::query(
        "INSERT INTO notifications (user_id, department_id, unit_path, event_id, kind, at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(user)
    .bind(dept)
    .bind(path)
    .bind(event_id)
    .bind(f.state.as_str())
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Departments of a unit and grid workers of a grid, for the dispatch board.
pub async fn departments_at(pool: &AnyPool, unit_path: &str) -> Result<Vec<Target>, AppError> {
    Ok(sqlx::query_as(
        "SELECT d.id, d.name FROM departments d JOIN org_units o ON o.id = d.org_unit_id \
         WHERE o.path = $1 ORDER BY d.id",
    )
    .bind(unit_path)
    .fetch_all(pool)
    .await?)
}

pub async fn grid_workers(pool: &AnyPool, grid_path: &str) -> Result<Vec<Target>, AppError> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.display_name AS name FROM users u JOIN org_units o ON o.id = u.org_unit_id \
         WHERE o.path = $1 AND u.role = 'grid_worker' AND u.disabled = 0 ORDER BY u.id",
    )
    .bind(grid_path)
    .fetch_all(pool)
    .await?)
}

/// The responsibility list's owner for a category at the holding level, if that unit has it.
pub async fn suggested_department(
    pool: &AnyPool,
    category_id: i64,
    level: OrgLevel,
    holder_path: &str,
) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT d.id FROM responsibilities r \
         JOIN departments d ON (d.name = r.department OR d.name LIKE ('%' || r.department)) \
         JOIN org_units o ON o.id = d.org_unit_id \
         WHERE r.category_id = $1 AND r.level = $2 AND o.path = $3",
    )
    .bind(category_id)
    .bind(level.as_str())
    .bind(holder_path)
    .fetch_optional(pool)
    .await?)
}

const KPI_SUMS: &str = "CAST(COUNT(*) AS BIGINT) AS reported, \
    CAST(COALESCE(SUM(CASE WHEN e.state = 'merged' THEN 1 ELSE 0 END), 0) AS BIGINT) AS merged, \
    CAST(COALESCE(SUM(CASE WHEN e.state NOT IN ('reported','rejected','merged') THEN 1 ELSE 0 END), 0) AS BIGINT) AS accepted, \
    CAST(COALESCE(SUM(CASE WHEN e.resolved_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS resolved, \
    CAST(COALESCE(SUM(CASE WHEN e.resolved_on_time = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS resolved_on_time, \
    CAST(COALESCE(SUM(CASE WHEN e.rated = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS rated, \
    CAST(COALESCE(SUM(CASE WHEN e.satisfied = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS satisfied, \
    CAST(COALESCE(SUM(CASE WHEN e.resolved_level IN ('grid','village') THEN 1 ELSE 0 END), 0) AS BIGINT) AS resolved_in_village";

#[derive(sqlx::FromRow)]
struct KpiRow {
    reported: i64,
    merged: i64,
    accepted: i64,
    resolved: i64,
    resolved_on_time: i64,
    rated: i64,
    satisfied: i64,
    resolved_in_village: i64,
}

impl From<KpiRow> for crate::domain::kpi::KpiCounts {
    fn from(r: KpiRow) -> Self {
        crate::domain::kpi::KpiCounts {
            reported: r.reported,
            merged: r.merged,
            accepted: r.accepted,
            resolved: r.resolved,
            resolved_on_time: r.resolved_on_time,
            rated: r.rated,
            satisfied: r.satisfied,
            resolved_in_village: r.resolved_in_village,
        }
    }
}

/// KPI counts of the events in a unit's subtree reported in `[from, to)`.
pub async fn kpi_counts(
    pool: &AnyPool,
    unit_path: &str,
    from: i64,
    to: i64,
) -> Result<crate::domain::kpi::KpiCounts, AppError> {
    let sql = format!(
        "SELECT {KPI_SUMS} FROM events e WHERE e.grid_path LIKE ($1 || '%') \
         AND e.created_at >= $2 AND e.created_at < $3"
    );
    let row: KpiRow = sqlx::query_as(&sql)
        .bind(unit_path)
        .bind(from)
        .bind(to)
        .fetch_one(pool)
        .await?;
    Ok(row.into())
}

/// KPI counts per township of a county (rankings), same period rule.
pub async fn kpi_by_township(
    pool: &AnyPool,
    county_path: &str,
    from: i64,
    to: i64,
) -> Result<Vec<(i64, String, crate::domain::kpi::KpiCounts)>, AppError> {
    kpi_by_unit(pool, county_path, OrgLevel::Township, from, to).await
}

/// KPI counts per unit of `level` within a subtree (townships, villages or grids), same period
/// rule; units without events in the period are left out.
pub async fn kpi_by_unit(
    pool: &AnyPool,
    path: &str,
    level: OrgLevel,
    from: i64,
    to: i64,
) -> Result<Vec<(i64, String, crate::domain::kpi::KpiCounts)>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Named {
        id: i64,
        name: String,
        #[sqlx(flatten)]
        k: KpiRow,
    }
    // A fixed column per level, never user input.
    let col = match level {
        OrgLevel::Township => "township_id",
        OrgLevel::Village => "village_id",
        OrgLevel::Grid => "grid_id",
        _ => return Ok(Vec::new()),
    };
    let sql = format!(
        "SELECT u.id, u.name, {KPI_SUMS} FROM events e JOIN org_units u ON u.id = e.{col} \
         WHERE e.grid_path LIKE ($1 || '%') AND e.created_at >= $2 AND e.created_at < $3 \
         GROUP BY u.id, u.name ORDER BY u.id"
    );
    let rows: Vec<Named> = sqlx::query_as(&sql)
        .bind(path)
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id, r.name, r.k.into()))
        .collect())
}

/// A stored image attached to an event (and to a timeline step once one is known).
pub async fn insert_photo(
    tx: &mut Transaction<'_, Any>,
    event_id: i64,
    step_id: Option<i64>,
    p: &super::intake::StoredPhoto,
    by: i64,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO event_photos (event_id, step_id, file, width, height, bytes, uploaded_by, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(event_id)
    .bind(step_id)
    .bind(&p.file)
    .bind(p.width)
    .bind(p.height)
    .bind(p.bytes)
    .bind(by)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?)
}

/// The stored file of a photo and the event it belongs to.
pub async fn photo_file(pool: &AnyPool, id: i64) -> Result<Option<(i64, String)>, AppError> {
    Ok(
        sqlx::query_as("SELECT event_id, file FROM event_photos WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?,
    )
}

#[derive(sqlx::FromRow)]
pub struct NearbyRow {
    #[sqlx(flatten)]
    pub row: EventRow,
    pub category_zh: String,
    pub category_en: String,
    pub lng: f64,
    pub lat: f64,
}

/// Open events of a category near a point (about `metres`), newest first: "already reported?".
pub async fn nearby_open(
    pool: &AnyPool,
    category_id: i64,
    lng: f64,
    lat: f64,
    metres: f64,
) -> Result<Vec<NearbyRow>, AppError> {
    let dlat = metres / 111_320.0;
    let dlng = dlat / lat.to_radians().cos().max(0.01);
    let sql = format!(
        "SELECT {ROW_COLUMNS}, c.name_zh AS category_zh, c.name_en AS category_en, e.lng, e.lat \
         FROM events e JOIN categories c ON c.id = e.category_id WHERE e.category_id = $1 \
         AND e.state IN ('reported','verified','dispatched','handling') \
         AND e.lng BETWEEN $2 AND $3 AND e.lat BETWEEN $4 AND $5 ORDER BY e.created_at DESC LIMIT 5"
    );
    Ok(sqlx::query_as(&sql)
        .bind(category_id)
        .bind(lng - dlng)
        .bind(lng + dlng)
        .bind(lat - dlat)
        .bind(lat + dlat)
        .fetch_all(pool)
        .await?)
}
