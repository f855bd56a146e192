//! Intake's write: an event and its first timeline step, once per submission key.

use sqlx::{Any, Transaction};

use super::limit_of;
use crate::domain::calendar::WorkCalendar;
use crate::domain::event::{ancestor_path, Urgency};
use crate::domain::org::OrgLevel;
use crate::error::AppError;
use crate::features::events::types::Category;

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
    /// As the reporter marked it; the command room may change it at verification.
    pub urgency: Urgency,
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
    let (due, yellow) = ev.urgency.deadline(cal, ev.at, limit);
    let holder = ancestor_path(&ev.grid_path, ev.level);
    // A temporary unique number; the final one embeds the id.
    let temp_no = format!("tmp-{}-{}", ev.at, rand_suffix());
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO events (tracking_no, idem_key, channel, category_id, grid_id, grid_path, \
         township_id, village_id, level, holder_path, state, reporter_user_id, reporter_name, \
         reporter_phone, description, address, lng, lat, created_at, updated_at, limit_secs, \
         due_at, yellow_at, urgency) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'reported', \
         $11, $12, $13, $14, $15, $16, $17, $18, $18, $19, $20, $21, $22) \
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
    .bind(crate::crypto::seal(
        "events.reporter_phone",
        &ev.reporter_phone,
    )?)
    .bind(&ev.description)
    .bind(&ev.address)
    .bind(ev.lng)
    .bind(ev.lat)
    .bind(ev.at)
    .bind(limit)
    .bind(due)
    .bind(yellow)
    .bind(ev.urgency.as_str())
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
