//! The event store, by what it does: reads (here), `insert` (intake), `transition` (one guarded
//! move of the state machine), `reporters` ("me too", my reports, follow-ups) and `photos`.
//! Scope is decided in `api` through `domain::visibility`; the store never widens it.

mod insert;
mod photos;
mod reporters;
mod transition;

pub use insert::{insert_event, tracking_no, Inserted, NewEvent};
pub use photos::{insert_photo, photo_file};
pub use reporters::{
    ask_follow_ups, find_by_tracking_no, join, my_reports, reply_templates, FollowUpAsked,
};
pub use transition::{check_targets, write_transition, Applied};

use sqlx::AnyPool;

use super::types::{Category, EventCard, PhotoRef, Step, Target};
use crate::domain::calendar::{parse_date, Limit, WorkCalendar};
use crate::domain::event::{Assignee, EventFacts, State, Urgency};
use crate::domain::org::OrgLevel;
use crate::error::AppError;
use crate::ssr::parse_level;

pub const CARD_COLUMNS: &str = "e.id, e.tracking_no, e.channel, e.category_id, \
    c.name_zh AS category_zh, c.name_en AS category_en, c.board, e.grid_id, g.name AS grid_name, \
    e.level, e.state, e.description, e.address, e.lng, e.lat, e.created_at, e.due_at, e.yellow_at, \
    e.supervisions, e.assignee_dept_id, e.assignee_user_id, \
    COALESCE(d.name, u.display_name) AS assignee_name, e.version, e.urgency, e.reopened, \
    e.reporters";

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

/// The columns the rules read, in every query that must decide who sees or may do what.
pub const FACT_COLUMNS: &str = "e.state, e.level, e.grid_path, e.assignee_dept_id, \
     e.assignee_user_id, e.reporter_user_id, e.pending_extension_hours, e.dispatched_from, \
     e.urgency, e.follow_up_open";

/// An event's rule-relevant columns as stored; with its co-handlers and co-reporters it makes
/// the one `EventFacts` every check uses.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FactRow {
    pub state: String,
    pub level: String,
    pub grid_path: String,
    pub assignee_dept_id: Option<i64>,
    pub assignee_user_id: Option<i64>,
    pub reporter_user_id: Option<i64>,
    pub pending_extension_hours: i64,
    pub dispatched_from: Option<String>,
    pub urgency: String,
    pub follow_up_open: i64,
}

impl FactRow {
    pub fn state(&self) -> State {
        State::parse(&self.state).unwrap_or(State::Reported)
    }

    pub fn facts(&self, people: People) -> EventFacts {
        let assignee = match (self.assignee_dept_id, self.assignee_user_id) {
            (Some(d), _) => Some(Assignee::Department(d)),
            (None, Some(u)) => Some(Assignee::User(u)),
            _ => None,
        };
        EventFacts {
            state: self.state(),
            level: parse_level(&self.level),
            grid_path: self.grid_path.clone(),
            assignee,
            co_handlers: people.co_handlers,
            reporter_id: self.reporter_user_id,
            pending_extension: self.pending_extension_hours > 0,
            co_reporters: people.co_reporters,
            dispatched_from: self.dispatched_from.as_deref().and_then(OrgLevel::parse),
            urgency: Urgency::parse(&self.urgency).unwrap_or_default(),
            follow_up_open: self.follow_up_open != 0,
        }
    }
}

/// Who else an event involves: co-handling departments and residents who joined the report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct People {
    pub co_handlers: Vec<i64>,
    pub co_reporters: Vec<i64>,
}

pub async fn people(pool: &AnyPool, id: i64) -> Result<People, AppError> {
    let co_handlers =
        sqlx::query_scalar("SELECT department_id FROM event_co_handlers WHERE event_id = $1")
            .bind(id)
            .fetch_all(pool)
            .await?;
    let co_reporters =
        sqlx::query_scalar("SELECT user_id FROM event_reporters WHERE event_id = $1")
            .bind(id)
            .fetch_all(pool)
            .await?;
    Ok(People {
        co_handlers,
        co_reporters,
    })
}

/// The facts of one event, or None when there is no such event.
pub async fn facts_by_id(pool: &AnyPool, id: i64) -> Result<Option<EventFacts>, AppError> {
    let row: Option<FactRow> = sqlx::query_as(&format!(
        "SELECT {FACT_COLUMNS} FROM events e WHERE e.id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    match row {
        Some(r) => Ok(Some(r.facts(people(pool, id).await?))),
        None => Ok(None),
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub tracking_no: String,
    pub category_id: i64,
    pub grid_id: i64,
    pub township_id: i64,
    #[sqlx(flatten)]
    pub fact: FactRow,
    pub reporter_name: String,
    pub reporter_phone: String,
    pub created_at: i64,
    pub limit_secs: i64,
    pub extension_secs: i64,
    pub due_at: i64,
    pub yellow_at: i64,
    pub result_note: String,
    pub reject_reason: String,
    pub outcome: String,
    pub outcome_ref: String,
    pub reopened: i64,
    pub version: i64,
}

impl EventRow {
    pub fn state(&self) -> State {
        self.fact.state()
    }
}

const ROW_COLUMNS: &str = "e.id, e.tracking_no, e.category_id, e.grid_id, e.township_id, \
     e.reporter_name, e.reporter_phone, e.created_at, e.limit_secs, e.extension_secs, e.due_at, \
     e.yellow_at, e.result_note, e.reject_reason, e.outcome, e.outcome_ref, e.reopened, e.version";

pub async fn event_row(pool: &AnyPool, id: i64) -> Result<Option<EventRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ROW_COLUMNS}, {FACT_COLUMNS} FROM events e WHERE e.id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?)
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

/// The timeline; the steps taken by the users in `masked` (the reporters, for a viewer who may
/// not see who reported) show the actor's name masked.
pub async fn steps(pool: &AnyPool, id: i64, masked: &[i64]) -> Result<Vec<Step>, AppError> {
    let rows: Vec<StepRow> = sqlx::query_as(
        "SELECT id, at, actor_id, actor_name, action, from_state, to_state, from_level, to_level, \
         note, detail FROM event_steps WHERE event_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let mut step = r.step;
            if r.actor_id.is_some_and(|a| masked.contains(&a)) {
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

/// The name of the unit at `path` (who holds an event).
pub async fn unit_name(pool: &AnyPool, path: &str) -> Result<String, AppError> {
    Ok(
        sqlx::query_scalar("SELECT name FROM org_units WHERE path = $1")
            .bind(path)
            .fetch_optional(pool)
            .await?
            .unwrap_or_default(),
    )
}

/// Names of departments, in the order of `ids`.
pub async fn department_names(pool: &AnyPool, ids: &[i64]) -> Result<Vec<String>, AppError> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let name: Option<String> = sqlx::query_scalar("SELECT name FROM departments WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?;
        out.extend(name);
    }
    Ok(out)
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

#[derive(sqlx::FromRow)]
pub struct NearbyRow {
    pub id: i64,
    pub tracking_no: String,
    #[sqlx(flatten)]
    pub fact: FactRow,
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
        "SELECT e.id, e.tracking_no, {FACT_COLUMNS}, c.name_zh AS category_zh, \
         c.name_en AS category_en, e.lng, e.lat \
         FROM events e JOIN categories c ON c.id = e.category_id WHERE e.category_id = $1 \
         AND e.state IN {} \
         AND e.lng BETWEEN $2 AND $3 AND e.lat BETWEEN $4 AND $5 ORDER BY e.created_at DESC LIMIT 5",
        State::OPEN_SQL
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
