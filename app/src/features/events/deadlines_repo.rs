//! Queries behind reminders and the overdue list.

use sqlx::AnyPool;

use super::repo::{CARD_COLUMNS, CARD_FROM};
use super::types::{EventCard, Reminder, UnitLights};
use crate::domain::scope::Caller;
use crate::error::AppError;

const OPEN: &str = concat!("e.state IN ", crate::open_states_sql!());

/// Whose events a list covers.
pub enum Scope {
    /// Every event located under an org path.
    Subtree(String),
    /// Events a department owns or co-handles.
    Department(i64),
}

impl Scope {
    /// The condition, with the scope's value as `$2`.
    fn condition(&self) -> &'static str {
        match self {
            Scope::Subtree(_) => "e.grid_path LIKE ($2 || '%')",
            Scope::Department(_) => {
                "(e.assignee_dept_id = $2 OR e.id IN \
                 (SELECT event_id FROM event_co_handlers WHERE department_id = $2))"
            }
        }
    }

    fn bind<'q, O>(
        &'q self,
        q: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
        match self {
            Scope::Subtree(p) => q.bind(p.as_str()),
            Scope::Department(d) => q.bind(*d),
        }
    }
}

const VISIBLE_TO: &str = "(n.user_id = $1 OR n.department_id = $2 OR n.unit_path = $3)";

pub async fn reminders(pool: &AnyPool, c: &Caller) -> Result<Vec<Reminder>, AppError> {
    let sql = format!(
        "SELECT n.id, n.event_id, e.tracking_no, n.kind, n.at, \
         CAST(CASE WHEN r.user_id IS NULL THEN 0 ELSE 1 END AS BIGINT) AS is_read \
         FROM notifications n JOIN events e ON e.id = n.event_id \
         LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.user_id = $1 \
         WHERE {VISIBLE_TO} AND {OPEN} \
         ORDER BY is_read, n.id DESC LIMIT 30"
    );
    let rows: Vec<(i64, i64, String, String, i64, i64)> = sqlx::query_as(&sql)
        .bind(c.user_id)
        .bind(c.department_id.unwrap_or(-1))
        .bind(&c.unit_path)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, event_id, tracking_no, kind, at, read)| Reminder {
            id,
            event_id,
            tracking_no,
            kind,
            at,
            read: read != 0,
        })
        .collect())
}

/// Marks the caller's unread reminders (or the one given) read; returns how many changed.
/// Reminders the caller cannot see are left alone, so an id from elsewhere changes nothing.
pub async fn mark_read(
    pool: &AnyPool,
    c: &Caller,
    id: Option<i64>,
    at: i64,
) -> Result<u64, AppError> {
    let sql = format!(
        "INSERT INTO notification_reads (notification_id, user_id, at) \
         SELECT n.id, $1, $4 FROM notifications n WHERE {VISIBLE_TO} \
         AND ($5 = 0 OR n.id = $5) \
         AND NOT EXISTS (SELECT 1 FROM notification_reads r \
                         WHERE r.notification_id = n.id AND r.user_id = $1)"
    );
    let mut tx = pool.begin().await?;
    let done = sqlx::query(&sql)
        .bind(c.user_id)
        .bind(c.department_id.unwrap_or(-1))
        .bind(&c.unit_path)
        .bind(at)
        .bind(id.unwrap_or(0))
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(done)
}

#[derive(sqlx::FromRow)]
pub struct RawOverdue {
    #[sqlx(flatten)]
    pub card: EventCard,
    pub township: String,
    pub village: String,
}

pub async fn overdue_rows(
    pool: &AnyPool,
    scope: &Scope,
    at: i64,
    red_only: bool,
) -> Result<Vec<RawOverdue>, AppError> {
    let past = if red_only {
        "e.due_at <= $1"
    } else {
        "e.yellow_at <= $1"
    };
    let sql = format!(
        "SELECT {CARD_COLUMNS}, t.name AS township, v.name AS village FROM {CARD_FROM} \
         JOIN org_units t ON t.id = e.township_id JOIN org_units v ON v.id = e.village_id \
         WHERE {OPEN} AND {past} AND {} ORDER BY e.due_at, e.id LIMIT 500",
        scope.condition()
    );
    Ok(scope
        .bind(sqlx::query_as(&sql).bind(at))
        .fetch_all(pool)
        .await?)
}

const LIGHT_SUMS: &str =
    "CAST(COALESCE(SUM(CASE WHEN e.due_at <= $1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS red, \
     CAST(COALESCE(SUM(CASE WHEN e.due_at > $1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS yellow";

/// Red and yellow counts per unit below; `column` is one of the events' unit columns.
pub async fn lights_by_unit(
    pool: &AnyPool,
    scope: &Scope,
    column: &'static str,
    at: i64,
) -> Result<Vec<UnitLights>, AppError> {
    debug_assert!(matches!(column, "township_id" | "village_id" | "grid_id"));
    let sql = format!(
        "SELECT u.id, u.name, {LIGHT_SUMS} FROM events e JOIN org_units u ON u.id = e.{column} \
         WHERE {OPEN} AND e.yellow_at <= $1 AND {} GROUP BY u.id, u.name \
         ORDER BY red DESC, yellow DESC, u.name",
        scope.condition()
    );
    Ok(scope
        .bind(sqlx::query_as(&sql).bind(at))
        .fetch_all(pool)
        .await?)
}

pub async fn light_counts(pool: &AnyPool, scope: &Scope, at: i64) -> Result<(i64, i64), AppError> {
    let sql = format!(
        "SELECT {LIGHT_SUMS} FROM events e WHERE {OPEN} AND e.yellow_at <= $1 AND {}",
        scope.condition()
    );
    Ok(scope
        .bind(sqlx::query_as(&sql).bind(at))
        .fetch_one(pool)
        .await?)
}
