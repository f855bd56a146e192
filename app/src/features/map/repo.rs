//! The map's reads. Pins without a point of their own sit at their grid's centre; pins whose
//! grid has no centre either cannot be placed and are left out.

use sqlx::AnyPool;

use super::types::GridName;
use crate::domain::event::{Assignee, EventFacts, State};
use crate::domain::map::Pin;
use crate::error::AppError;

const PIN_COLUMNS: &str = "e.id, e.grid_id, e.category_id, e.state, \
     COALESCE(e.lng, g.center_lng) AS lng, COALESCE(e.lat, g.center_lat) AS lat, \
     CAST(CASE WHEN e.lng IS NULL THEN 0 ELSE 1 END AS BIGINT) AS located, \
     e.created_at, e.yellow_at, e.due_at, e.grid_path, e.level, e.assignee_dept_id, \
     e.assignee_user_id, e.reporter_user_id";

#[derive(sqlx::FromRow)]
pub struct PinRow {
    id: i64,
    grid_id: i64,
    category_id: i64,
    state: String,
    lng: Option<f64>,
    lat: Option<f64>,
    located: i64,
    created_at: i64,
    yellow_at: i64,
    due_at: i64,
    pub grid_path: String,
    level: String,
    assignee_dept_id: Option<i64>,
    assignee_user_id: Option<i64>,
    reporter_user_id: Option<i64>,
}

impl PinRow {
    pub fn id(&self) -> i64 {
        self.id
    }

    /// What the visibility rule needs, with the event's co-handling departments.
    pub fn facts(&self, co_handlers: Vec<i64>) -> EventFacts {
        let assignee = match (self.assignee_dept_id, self.assignee_user_id) {
            (Some(d), _) => Some(Assignee::Department(d)),
            (None, Some(u)) => Some(Assignee::User(u)),
            _ => None,
        };
        EventFacts {
            state: State::parse(&self.state).unwrap_or(State::Reported),
            level: crate::ssr::parse_level(&self.level),
            grid_path: self.grid_path.clone(),
            assignee,
            co_handlers,
            reporter_id: self.reporter_user_id,
            pending_extension: false,
        }
    }

    pub fn pin(&self) -> Option<Pin> {
        Some(Pin {
            id: self.id,
            grid_id: self.grid_id,
            category_id: self.category_id,
            state: State::parse(&self.state)?,
            lng: self.lng?,
            lat: self.lat?,
            located: self.located != 0,
            created_at: self.created_at,
            yellow_at: self.yellow_at,
            due_at: self.due_at,
        })
    }
}

/// Open events under `path` whatever their age, and the others created since `since`, newest
/// first. One more than `limit` is asked for so the caller can tell the list was cut.
pub async fn pins(
    pool: &AnyPool,
    path: &str,
    since: i64,
    limit: i64,
) -> Result<Vec<PinRow>, AppError> {
    let sql = format!(
        "SELECT {PIN_COLUMNS} FROM events e JOIN org_units g ON g.id = e.grid_id \
         WHERE e.grid_path LIKE ($1 || '%') \
         AND (e.state IN ('reported','verified','dispatched','handling') OR e.created_at >= $2) \
         ORDER BY e.id DESC LIMIT $3"
    );
    Ok(sqlx::query_as(&sql)
        .bind(path)
        .bind(since)
        .bind(limit + 1)
        .fetch_all(pool)
        .await?)
}

pub async fn pin(pool: &AnyPool, id: i64) -> Result<Option<PinRow>, AppError> {
    let sql = format!(
        "SELECT {PIN_COLUMNS} FROM events e JOIN org_units g ON g.id = e.grid_id WHERE e.id = $1"
    );
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?)
}

pub async fn grid_names(pool: &AnyPool, path: &str) -> Result<Vec<GridName>, AppError> {
    Ok(
        sqlx::query_as::<_, (i64, String)>(
            "SELECT id, name FROM org_units WHERE level = 'grid' AND path LIKE ($1 || '%') ORDER BY code",
        )
        .bind(path)
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|(id, name)| GridName { id, name })
        .collect(),
    )
}

/// Co-handling departments of the events under `path`, by event.
pub async fn co_handlers_under(
    pool: &AnyPool,
    path: &str,
) -> Result<std::collections::HashMap<i64, Vec<i64>>, AppError> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT h.event_id, h.department_id FROM event_co_handlers h \
         JOIN events e ON e.id = h.event_id WHERE e.grid_path LIKE ($1 || '%')",
    )
    .bind(path)
    .fetch_all(pool)
    .await?;
    let mut out: std::collections::HashMap<i64, Vec<i64>> = Default::default();
    for (e, d) in rows {
        out.entry(e).or_default().push(d);
    }
    Ok(out)
}
