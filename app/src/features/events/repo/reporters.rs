//! The reporter's side of the store: joining a nearby report ("me too"), one's own reports, a
//! tracking number looked up, the "解决了吗？" questions going out, and the room's reply templates.

use sqlx::AnyPool;

use super::transition::notify;
use crate::domain::event::State;
use crate::error::AppError;
use crate::features::events::types::{MyReport, ReplyTemplate};
use crate::ssr::audit;

/// Adds `user` to the reporters of an open event: one more person waiting for the result.
/// False when they already are one, or the event is no longer open.
pub async fn join(
    pool: &AnyPool,
    event_id: i64,
    user: i64,
    actor_name: &str,
    note: &str,
    at: i64,
) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    // The write first (SQLite); the conditions are in it, so two taps join once.
    let added = sqlx::query(&format!(
        "INSERT INTO event_reporters (event_id, user_id, at) \
         SELECT e.id, $2, $3 FROM events e WHERE e.id = $1 AND e.state IN {} \
         AND (e.reporter_user_id IS NULL OR e.reporter_user_id <> $2) \
         ON CONFLICT (event_id, user_id) DO NOTHING",
        State::OPEN_SQL
    ))
    .bind(event_id)
    .bind(user)
    .bind(at)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if added == 0 {
        tx.rollback().await?;
        return Ok(false);
    }
    let (state, level, tracking_no): (String, String, String) = sqlx::query_as(
        "UPDATE events SET reporters = reporters + 1, updated_at = $2 WHERE id = $1 \
         RETURNING state, level, tracking_no",
    )
    .bind(event_id)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO event_steps (event_id, at, actor_id, actor_name, action, from_state, to_state, \
         from_level, to_level, note, detail) VALUES ($1, $2, $3, $4, 'join', $5, $5, $6, $6, $7, '')",
    )
    .bind(event_id)
    .bind(at)
    .bind(user)
    .bind(actor_name)
    .bind(&state)
    .bind(&level)
    .bind(note.trim())
    .execute(&mut *tx)
    .await?;
    audit(&mut tx, Some(user), "event_join", &tracking_no, "").await?;
    tx.commit().await?;
    Ok(true)
}

/// The reports a user made or joined, most recently changed first.
pub async fn my_reports(pool: &AnyPool, user: i64) -> Result<Vec<MyReport>, AppError> {
    Ok(sqlx::query_as(
        "SELECT e.id, e.tracking_no, c.name_zh AS category_zh, c.name_en AS category_en, \
         e.description, e.state, e.created_at, e.updated_at, \
         COALESCE((SELECT s.action FROM event_steps s WHERE s.event_id = e.id \
                   ORDER BY s.id DESC LIMIT 1), '') AS last_action, \
         CAST(CASE WHEN e.reporter_user_id = $1 THEN 0 ELSE 1 END AS BIGINT) AS joined, \
         CAST(CASE WHEN e.reporter_user_id = $1 THEN e.follow_up_open ELSE 0 END AS BIGINT) \
           AS follow_up_open, e.version \
         FROM events e JOIN categories c ON c.id = e.category_id \
         WHERE e.reporter_user_id = $1 \
            OR e.id IN (SELECT event_id FROM event_reporters WHERE user_id = $1) \
         ORDER BY e.updated_at DESC, e.id DESC LIMIT 200",
    )
    .bind(user)
    .fetch_all(pool)
    .await?)
}

/// The event with this tracking number, if any (the caller's scope is checked after).
pub async fn find_by_tracking_no(pool: &AnyPool, no: &str) -> Result<Option<i64>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM events WHERE tracking_no = $1")
            .bind(no.trim().to_ascii_uppercase())
            .fetch_optional(pool)
            .await?,
    )
}

/// Templates for an event's category: its own first, then its board's.
pub async fn reply_templates(
    pool: &AnyPool,
    category_id: i64,
) -> Result<Vec<ReplyTemplate>, AppError> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.text_zh, t.text_en FROM reply_templates t \
         JOIN categories c ON c.id = $1 \
         WHERE t.category_code = c.code OR (t.category_code IS NULL AND t.board = c.board) \
         ORDER BY CASE WHEN t.category_code IS NULL THEN 1 ELSE 0 END, t.id",
    )
    .bind(category_id)
    .fetch_all(pool)
    .await?)
}

/// A question that went out: the event and who was asked.
pub struct FollowUpAsked {
    pub event_id: i64,
}

/// Asks "解决了吗？" of reporters whose events closed long enough ago; each at most once.
pub async fn ask_follow_ups(pool: &AnyPool, now: i64) -> Result<Vec<FollowUpAsked>, AppError> {
    let mut tx = pool.begin().await?;
    let due: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "UPDATE events SET follow_up_open = 1, follow_up_at = NULL, version = version + 1 \
         WHERE state = 'closed' AND follow_up_at IS NOT NULL AND follow_up_at <= $1 \
         RETURNING id, reporter_user_id",
    )
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    for (id, reporter) in &due {
        if let Some(user) = reporter {
            notify(&mut tx, (Some(*user), None, None), *id, "follow_up", now).await?;
        }
    }
    tx.commit().await?;
    Ok(due
        .into_iter()
        .map(|(event_id, _)| FollowUpAsked { event_id })
        .collect())
}
