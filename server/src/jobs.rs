//! Background work, once a minute: close resolved events nobody rated within the configured days,
//! remind owners when an event turns yellow (80% of its limit) and when it is overdue, and ask
//! reporters "解决了吗？" some weeks after their event closed, and remind residents of a
//! booking the day before its slot.

use std::sync::Arc;
use std::time::Duration;

use app::domain::event::{apply, Action, Actor};
use app::error::AppError;
use app::features::events::repo;
use sqlx::AnyPool;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct TickReport {
    pub auto_closed: usize,
    pub due_soon: u64,
    pub overdue: u64,
    pub follow_ups: usize,
    pub booking_reminders: u64,
}

pub async fn auto_close_days(pool: &AnyPool) -> Result<i64, AppError> {
    let v: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = 'auto_close_days'")
            .fetch_optional(pool)
            .await?;
    Ok(v.and_then(|s| s.parse().ok()).unwrap_or(7))
}

/// One pass at time `at`. Each event is closed in its own guarded transaction, so a rating that
/// arrives at the same moment wins or loses cleanly.
pub async fn tick(
    pool: &AnyPool,
    notify: &Arc<dyn Fn(i64) + Send + Sync>,
    at: i64,
) -> Result<TickReport, AppError> {
    let mut report = TickReport::default();
    let cutoff = at - auto_close_days(pool).await? * 86_400;
    let stale: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM events WHERE state = 'resolved' AND resolved_at <= $1 ORDER BY id LIMIT 500",
    )
    .bind(cutoff)
    .fetch_all(pool)
    .await?;
    if !stale.is_empty() {
        let cal = repo::calendar(pool).await?;
        let system = Actor::system();
        for id in stale {
            let Some(row) = repo::event_row(pool, id).await? else {
                continue;
            };
            let facts = row.fact.facts(repo::people(pool, id).await?);
            let Ok(out) = apply(&system, &facts, &Action::AutoClose) else {
                continue;
            };
            match repo::write_transition(
                pool,
                &cal,
                &system,
                "系统",
                &row,
                &Action::AutoClose,
                &out,
                &[],
                "",
            )
            .await
            {
                Ok(_) => {
                    report.auto_closed += 1;
                    notify(id);
                }
                Err(AppError::Conflict { .. }) => {}
                Err(e) => return Err(e),
            }
        }
    }
    report.due_soon = remind(pool, "due_soon", "yellow_at", at).await?;
    report.overdue = remind(pool, "overdue", "due_at", at).await?;
    let asked = repo::ask_follow_ups(pool, at).await?;
    report.follow_ups = asked.len();
    for a in asked {
        notify(a.event_id);
    }
    report.booking_reminders = app::features::services::repo::remind_due(pool, at).await?;
    Ok(report)
}

/// One reminder per event and deadline point: an extension moves the point, and so reminds again.
async fn remind(pool: &AnyPool, kind: &str, column: &str, at: i64) -> Result<u64, AppError> {
    let upper = if kind == "due_soon" {
        "AND e.due_at > $2"
    } else {
        ""
    };
    let sql = format!(
        "INSERT INTO notifications (user_id, department_id, unit_path, event_id, kind, at) \
         SELECT e.assignee_user_id, e.assignee_dept_id, \
           CASE WHEN e.assignee_user_id IS NULL AND e.assignee_dept_id IS NULL \
             THEN e.holder_path ELSE NULL END, e.id, $1, $2 \
         FROM events e WHERE e.state IN {open} \
         AND e.{column} <= $2 {upper} AND NOT EXISTS (SELECT 1 FROM notifications n \
           WHERE n.event_id = e.id AND n.kind = $1 AND n.at >= e.{column})",
        open = app::domain::event::State::OPEN_SQL
    );
    Ok(sqlx::query(&sql)
        .bind(kind)
        .bind(at)
        .execute(pool)
        .await?
        .rows_affected())
}

pub fn spawn(pool: AnyPool, notify: Arc<dyn Fn(i64) + Send + Sync>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(60));
        loop {
            every.tick().await;
            match tick(&pool, &notify, app::ssr::now()).await {
                Ok(r) if r != TickReport::default() => tracing::info!(?r, "background pass"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "background pass failed"),
            }
        }
    });
}
