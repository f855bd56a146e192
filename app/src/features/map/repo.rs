//! The map's reads. Pins without a point of their own sit at their grid's centre; pins whose
//! grid has no centre either cannot be placed and are left out.

use sqlx::AnyPool;

use super::types::GridName;
use crate::domain::event::State;
use crate::domain::map::Pin;
use crate::error::AppError;

const PIN_COLUMNS: &str = "e.id, e.grid_id, e.category_id, e.state, \
     COALESCE(e.lng, g.center_lng) AS lng, COALESCE(e.lat, g.center_lat) AS lat, \
     CAST(CASE WHEN e.lng IS NULL THEN 0 ELSE 1 END AS BIGINT) AS located, \
     e.created_at, e.yellow_at, e.due_at, e.grid_path";

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
}

impl PinRow {
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
