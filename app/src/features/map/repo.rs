//! The map's reads. Pins without a point of their own sit at their grid's centre; pins whose
//! grid has no centre either cannot be placed and are left out.

use sqlx::AnyPool;

use super::types::GridName;
use crate::domain::event::State;
use crate::domain::map::Pin;
use crate::error::AppError;
use crate::features::events::repo::{FactRow, People, FACT_COLUMNS};

fn pin_columns() -> String {
    format!(
        "e.id, e.grid_id, e.category_id, \
         COALESCE(e.lng, g.center_lng) AS lng, COALESCE(e.lat, g.center_lat) AS lat, \
         CAST(CASE WHEN e.lng IS NULL THEN 0 ELSE 1 END AS BIGINT) AS located, \
         e.created_at, e.yellow_at, e.due_at, {FACT_COLUMNS}"
    )
}

#[derive(sqlx::FromRow)]
pub struct PinRow {
    id: i64,
    grid_id: i64,
    category_id: i64,
    lng: Option<f64>,
    lat: Option<f64>,
    located: i64,
    created_at: i64,
    yellow_at: i64,
    due_at: i64,
    #[sqlx(flatten)]
    pub fact: FactRow,
}

impl PinRow {
    pub fn id(&self) -> i64 {
        self.id
    }

    pub fn pin(&self) -> Option<Pin> {
        Some(Pin {
            id: self.id,
            grid_id: self.grid_id,
            category_id: self.category_id,
            state: State::parse(&self.fact.state)?,
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
        "SELECT {} FROM events e JOIN org_units g ON g.id = e.grid_id \
         WHERE e.grid_path LIKE ($1 || '%') \
         AND (e.state IN {} OR e.created_at >= $2) \
         ORDER BY e.id DESC LIMIT $3",
        pin_columns(),
        State::OPEN_SQL
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
        "SELECT {} FROM events e JOIN org_units g ON g.id = e.grid_id WHERE e.id = $1",
        pin_columns()
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

/// Co-handlers and co-reporters of the events under `path`, by event: only these can widen
/// what a department or a resident sees, so the map loads them for those callers alone.
pub async fn people_under(
    pool: &AnyPool,
    path: &str,
) -> Result<std::collections::HashMap<i64, People>, AppError> {
    let handlers: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT h.event_id, h.department_id FROM event_co_handlers h \
         JOIN events e ON e.id = h.event_id WHERE e.grid_path LIKE ($1 || '%')",
    )
    .bind(path)
    .fetch_all(pool)
    .await?;
    let reporters: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT r.event_id, r.user_id FROM event_reporters r \
         JOIN events e ON e.id = r.event_id WHERE e.grid_path LIKE ($1 || '%')",
    )
    .bind(path)
    .fetch_all(pool)
    .await?;
    let mut out: std::collections::HashMap<i64, People> = Default::default();
    for (e, d) in handlers {
        out.entry(e).or_default().co_handlers.push(d);
    }
    for (e, u) in reporters {
        out.entry(e).or_default().co_reporters.push(u);
    }
    Ok(out)
}
