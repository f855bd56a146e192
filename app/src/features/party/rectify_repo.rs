//! Rectification requests in the database: one per missed cell (a unique key, so a second
//! request is a no-op), answered once (guarded by `done_at IS NULL`), each with its audit row.

use sqlx::AnyPool;
use time::Date;

use super::types::RectifyRow;
use crate::domain::calendar::{format_date, local_date, parse_date};
use crate::domain::party::rectify::rectify_state;
use crate::error::AppError;
use crate::ssr::{audit, now};

const SELECT: &str = "SELECT r.id, r.branch_id, b.name AS branch, r.kind, r.period, r.note, \
     r.due_day, r.requested_at, r.done_at, r.done_note, '' AS state \
     FROM rectifications r JOIN party_branches b ON b.id = r.branch_id";

fn with_state(mut rows: Vec<RectifyRow>) -> Vec<RectifyRow> {
    let today = local_date(now());
    for r in &mut rows {
        let due = parse_date(&r.due_day).unwrap_or(today);
        r.state = rectify_state(due, r.done_at.is_some(), today)
            .as_str()
            .into();
    }
    rows
}

/// The requests of a subtree: open ones first, by deadline.
pub async fn list(
    pool: &AnyPool,
    path: &str,
    open_only: bool,
) -> Result<Vec<RectifyRow>, AppError> {
    let open = if open_only {
        " AND r.done_at IS NULL"
    } else {
        ""
    };
    let rows = sqlx::query_as(&format!(
        "{SELECT} WHERE r.unit_path LIKE $1{open} \
         ORDER BY CASE WHEN r.done_at IS NULL THEN 0 ELSE 1 END, r.due_day, r.id LIMIT 300"
    ))
    .bind(format!("{path}%"))
    .fetch_all(pool)
    .await?;
    Ok(with_state(rows))
}

pub async fn one(pool: &AnyPool, id: i64) -> Result<Option<(i64, Option<i64>)>, AppError> {
    Ok(
        sqlx::query_as("SELECT branch_id, done_at FROM rectifications WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?,
    )
}

/// Asks for rectification; false when this cell already has a request.
#[allow(clippy::too_many_arguments)]
pub async fn request(
    pool: &AnyPool,
    user: i64,
    branch: i64,
    path: &str,
    kind: &str,
    period: &str,
    due: Date,
    note: &str,
) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO rectifications (branch_id, unit_path, kind, period, note, due_day, requested_by, \
         requested_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (branch_id, kind, period) DO NOTHING RETURNING id",
    )
    .bind(branch)
    .bind(path)
    .bind(kind)
    .bind(period)
    .bind(note)
    .bind(format_date(due))
    .bind(user)
    .bind(now())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        return Ok(false);
    };
    audit(
        &mut tx,
        Some(user),
        "rectify.request",
        &format!("rectification:{id}"),
        &format!("branch:{branch} {kind} {period}"),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Answers a request; false when it was answered already.
pub async fn answer(pool: &AnyPool, user: i64, id: i64, note: &str) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query(
        "UPDATE rectifications SET done_at = $1, done_note = $2, done_by = $3 \
         WHERE id = $4 AND done_at IS NULL",
    )
    .bind(now())
    .bind(note)
    .bind(user)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if done {
        audit(
            &mut tx,
            Some(user),
            "rectify.answer",
            &format!("rectification:{id}"),
            note,
        )
        .await?;
        tx.commit().await?;
    }
    Ok(done)
}
