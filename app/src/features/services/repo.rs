//! Services in the database. A place in a slot is decided by one conditional update of the
//! slot's `booked` (never above its capacity) and a resident's number of active bookings by one
//! conditional update of their `service_holders` row; the booking row, both counters and the
//! audit row are one transaction, so a refused or failed booking leaves nothing behind.

use sqlx::AnyPool;

use super::types::{DeskSlot, MyBooking, SlotLine};
use crate::domain::identity::mask_name;
use crate::domain::org::{ancestor_path, OrgLevel};
use crate::domain::services::{
    may_book, may_cancel, BookingState, Holding, Refusal, SlotFacts, MAX_ACTIVE_BOOKINGS,
    REMIND_AHEAD,
};
use crate::error::AppError;
use crate::ssr::{audit, unique_violation};

/// A point: (id, unit path, name, address, unit name).
pub type PointRow = (i64, String, String, String, String);

/// The points of the county a path lies in; callers keep those `point_access` lets them see.
pub async fn points_of_county(pool: &AnyPool, path: &str) -> Result<Vec<PointRow>, AppError> {
    let Some(county) = ancestor_path(path, OrgLevel::County) else {
        return Ok(Vec::new());
    };
    Ok(sqlx::query_as(
        "SELECT p.id, p.unit_path, p.name, p.address, o.name FROM service_points p \
         JOIN org_units o ON o.id = p.org_unit_id WHERE p.unit_path LIKE ($1 || '%') \
         ORDER BY p.unit_path, p.id",
    )
    .bind(county)
    .fetch_all(pool)
    .await?)
}

/// The items listed by a unit on the caller's path (the county's and the township's).
pub async fn items_for(
    pool: &AnyPool,
    path: &str,
) -> Result<Vec<(i64, String, String, String, String, String, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, name_zh, name_en, label, materials, department, time_limit_days \
         FROM service_items WHERE $1 LIKE (unit_path || '%') ORDER BY id",
    )
    .bind(path)
    .fetch_all(pool)
    .await?)
}

/// Open slots of one point from `from` to `until`: (item id, line).
pub async fn open_slots(
    pool: &AnyPool,
    point: &PointRow,
    from: i64,
    until: i64,
) -> Result<Vec<(i64, SlotLine)>, AppError> {
    let rows: Vec<(i64, i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT id, item_id, starts_at, ends_at, capacity, booked FROM service_slots \
         WHERE point_id = $1 AND starts_at > $2 AND starts_at < $3 ORDER BY starts_at, id",
    )
    .bind(point.0)
    .bind(from)
    .bind(until)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, item, starts_at, ends_at, capacity, booked)| {
            (
                item,
                SlotLine {
                    id,
                    point: point.2.clone(),
                    address: point.3.clone(),
                    starts_at,
                    ends_at,
                    capacity,
                    left: crate::domain::services::places_left(capacity, booked),
                },
            )
        })
        .collect())
}

/// A slot's facts and its point's path.
pub async fn slot(pool: &AnyPool, id: i64) -> Result<Option<(SlotFacts, String)>, AppError> {
    let row: Option<(i64, i64, i64, i64, String)> = sqlx::query_as(
        "SELECT s.capacity, s.booked, s.starts_at, s.item_id, p.unit_path FROM service_slots s \
         JOIN service_points p ON p.id = s.point_id WHERE s.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(capacity, booked, starts_at, item_id, path)| {
        (
            SlotFacts {
                capacity,
                booked,
                starts_at,
                item_id,
            },
            path,
        )
    }))
}

/// A booking: (user, item, slot, state, slot start, point path).
pub async fn booking(
    pool: &AnyPool,
    id: i64,
) -> Result<Option<(i64, i64, i64, String, i64, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT b.user_id, b.item_id, b.slot_id, b.state, s.starts_at, p.unit_path \
         FROM service_bookings b JOIN service_slots s ON s.id = b.slot_id \
         JOIN service_points p ON p.id = s.point_id WHERE b.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?)
}

pub async fn holding(pool: &AnyPool, user: i64) -> Result<Holding, AppError> {
    let active = sqlx::query_as(
        "SELECT item_id, slot_id FROM service_bookings WHERE user_id = $1 AND state = 'booked'",
    )
    .bind(user)
    .fetch_all(pool)
    .await?;
    Ok(Holding { active })
}

/// Why a place was refused, read after the conditional updates said no.
async fn refusal(pool: &AnyPool, user: i64, slot: i64, now: i64, moving: Option<i64>) -> Refusal {
    let facts = match self::slot(pool, slot).await {
        Ok(Some((f, _))) => f,
        _ => return Refusal::Full,
    };
    let mine = holding(pool, user).await.unwrap_or_default();
    // The counters refused; if the facts read a moment later allow it, someone took the place
    // in between.
    may_book(&facts, now, &mine, moving)
        .err()
        .unwrap_or(Refusal::Full)
}

/// The one statement that decides a place: a slot of this item that has not begun and is not
/// full gains one booked place.
async fn take_place(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    slot: i64,
    item: i64,
    now: i64,
) -> Result<bool, AppError> {
    Ok(sqlx::query(
        "UPDATE service_slots SET booked = booked + 1 \
         WHERE id = $1 AND item_id = $2 AND booked < capacity AND starts_at > $3",
    )
    .bind(slot)
    .bind(item)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

/// Takes a place in `slot` for `user`: Ok(Err(refusal)) when there is none for them.
pub async fn book(
    pool: &AnyPool,
    user: i64,
    slot: i64,
    item: i64,
    now: i64,
) -> Result<Result<i64, Refusal>, AppError> {
    let mut tx = pool.begin().await?;
    if !take_place(&mut tx, slot, item, now).await? {
        tx.rollback().await?;
        return Ok(Err(refusal(pool, user, slot, now, None).await));
    }
    sqlx::query(
        "INSERT INTO service_holders (user_id, active) VALUES ($1, 0) \
         ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(user)
    .execute(&mut *tx)
    .await?;
    let counted = sqlx::query(
        "UPDATE service_holders SET active = active + 1 WHERE user_id = $1 AND active < $2",
    )
    .bind(user)
    .bind(MAX_ACTIVE_BOOKINGS as i64)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if counted != 1 {
        tx.rollback().await?;
        return Ok(Err(Refusal::TooMany));
    }
    let id: i64 = match sqlx::query_scalar(
        "INSERT INTO service_bookings (slot_id, item_id, user_id, state, created_at, changed_at) \
         VALUES ($1, $2, $3, 'booked', $4, $4) RETURNING id",
    )
    .bind(slot)
    .bind(item)
    .bind(user)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    {
        Ok(id) => id,
        Err(e) if unique_violation(&e) => {
            tx.rollback().await?;
            return Ok(Err(Refusal::AlreadyBooked));
        }
        Err(e) => return Err(e.into()),
    };
    audit(
        &mut tx,
        Some(user),
        "service.book",
        &format!("booking:{id}"),
        &format!("slot:{slot}"),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// The caller's own booking that may still be left or moved: (item, slot). Anyone else's is
/// not there for them.
async fn leavable(
    pool: &AnyPool,
    user: i64,
    id: i64,
    now: i64,
) -> Result<Result<(i64, i64), Refusal>, AppError> {
    match booking(pool, id).await? {
        Some((owner, item, slot, state, starts_at, _)) if owner == user => {
            let state = BookingState::parse(&state).unwrap_or(BookingState::Cancelled);
            Ok(may_cancel(state, starts_at, now).map(|()| (item, slot)))
        }
        _ => Err(AppError::NotFound),
    }
}

/// Gives the place back, while the slot has not begun.
pub async fn cancel(
    pool: &AnyPool,
    user: i64,
    id: i64,
    now: i64,
) -> Result<Result<(), Refusal>, AppError> {
    let (_, slot) = match leavable(pool, user, id, now).await? {
        Ok(b) => b,
        Err(r) => return Ok(Err(r)),
    };
    let mut tx = pool.begin().await?;
    let done = sqlx::query(
        "UPDATE service_bookings SET state = 'cancelled', changed_at = $1 \
         WHERE id = $2 AND state = 'booked'",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done != 1 {
        tx.rollback().await?;
        return Ok(Err(Refusal::NotActive));
    }
    release(&mut tx, user, slot).await?;
    audit(
        &mut tx,
        Some(user),
        "service.cancel",
        &format!("booking:{id}"),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

async fn release(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: i64,
    slot: i64,
) -> Result<(), AppError> {
    give_back(tx, slot).await?;
    sqlx::query("UPDATE service_holders SET active = active - 1 WHERE user_id = $1 AND active > 0")
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Moves a booking to another slot of the same item: the new place is taken before the old one
/// is given back, so a change never leaves the resident with neither. Locks are taken in one
/// order everywhere (the booking, then its slots by id) so two residents swapping slots X and Y
/// never wait on each other.
pub async fn change(
    pool: &AnyPool,
    user: i64,
    id: i64,
    to: i64,
    now: i64,
) -> Result<Result<(), Refusal>, AppError> {
    let (item, from) = match leavable(pool, user, id, now).await? {
        Ok(b) => b,
        Err(r) => return Ok(Err(r)),
    };
    if from == to {
        return Ok(Ok(()));
    }
    let mut tx = pool.begin().await?;
    let moved = sqlx::query(
        "UPDATE service_bookings SET slot_id = $1, changed_at = $2, reminded_at = NULL \
         WHERE id = $3 AND slot_id = $4 AND state = 'booked'",
    )
    .bind(to)
    .bind(now)
    .bind(id)
    .bind(from)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if moved != 1 {
        tx.rollback().await?;
        return Ok(Err(Refusal::NotActive));
    }
    if from < to {
        give_back(&mut tx, from).await?;
    }
    if !take_place(&mut tx, to, item, now).await? {
        tx.rollback().await?;
        return Ok(Err(refusal(pool, user, to, now, Some(from)).await));
    }
    if from > to {
        give_back(&mut tx, from).await?;
    }
    audit(
        &mut tx,
        Some(user),
        "service.change",
        &format!("booking:{id}"),
        &format!("slot:{from}->slot:{to}"),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

async fn give_back(tx: &mut sqlx::Transaction<'_, sqlx::Any>, slot: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE service_slots SET booked = booked - 1 WHERE id = $1 AND booked > 0")
        .bind(slot)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Staff mark a booking attended or missed once its slot has begun; false when it was not
/// (any more) a booking holding a place.
pub async fn mark(
    pool: &AnyPool,
    staff: i64,
    id: i64,
    owner: i64,
    to: BookingState,
    now: i64,
) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query(
        "UPDATE service_bookings SET state = $1, changed_at = $2 WHERE id = $3 AND state = 'booked'",
    )
    .bind(to.as_str())
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    // The place was used (or wasted): the slot stays counted, the resident may book again.
    sqlx::query("UPDATE service_holders SET active = active - 1 WHERE user_id = $1 AND active > 0")
        .bind(owner)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        Some(staff),
        "service.mark",
        &format!("booking:{id}"),
        to.as_str(),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Publishes a slot.
#[allow(clippy::too_many_arguments)]
pub async fn add_slot(
    pool: &AnyPool,
    staff: i64,
    point: i64,
    item: i64,
    starts_at: i64,
    ends_at: i64,
    capacity: i64,
    now: i64,
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO service_slots (point_id, item_id, starts_at, ends_at, capacity, booked, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, 0, $6, $7) RETURNING id",
    )
    .bind(point)
    .bind(item)
    .bind(starts_at)
    .bind(ends_at)
    .bind(capacity)
    .bind(staff)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    audit(
        &mut tx,
        Some(staff),
        "service.slot",
        &format!("slot:{id}"),
        &format!("point:{point} item:{item} capacity:{capacity}"),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn item_exists_for(pool: &AnyPool, item: i64, path: &str) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM service_items WHERE id = $1 AND $2 LIKE (unit_path || '%')",
    )
    .bind(item)
    .bind(path)
    .fetch_one(pool)
    .await?
        > 0)
}

/// Marks every held booking whose slot begins within a day as reminded, once: one statement,
/// so two passes at the same moment (or two instances) remind nobody twice. The rule it
/// filters by is `domain::services::reminder_due`.
pub async fn remind_due(pool: &AnyPool, now: i64) -> Result<u64, AppError> {
    let mut tx = pool.begin().await?;
    let n = sqlx::query(
        "UPDATE service_bookings SET reminded_at = $1 WHERE state = 'booked' \
         AND reminded_at IS NULL AND slot_id IN \
         (SELECT id FROM service_slots WHERE starts_at > $1 AND starts_at <= $2)",
    )
    .bind(now)
    .bind(now + REMIND_AHEAD)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n > 0 {
        audit(&mut tx, None, "service.remind", "bookings", &n.to_string()).await?;
    }
    tx.commit().await?;
    Ok(n)
}

pub async fn my_bookings(pool: &AnyPool, user: i64, now: i64) -> Result<Vec<MyBooking>, AppError> {
    type Row = (
        i64,
        i64,
        String,
        String,
        String,
        String,
        i64,
        i64,
        String,
        i64,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT b.id, b.item_id, i.name_zh, i.name_en, p.name, p.address, s.starts_at, s.ends_at, \
         b.state, CAST(CASE WHEN b.reminded_at IS NULL THEN 0 ELSE 1 END AS BIGINT) FROM service_bookings b JOIN service_slots s ON s.id = b.slot_id \
         JOIN service_points p ON p.id = s.point_id JOIN service_items i ON i.id = b.item_id \
         WHERE b.user_id = $1 AND s.ends_at > $2 ORDER BY s.starts_at, b.id",
    )
    .bind(user)
    .bind(now - 7 * 86_400)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                item_id,
                item_zh,
                item_en,
                point,
                address,
                starts_at,
                ends_at,
                state,
                reminded,
            )| {
                let open = BookingState::parse(&state)
                    .is_some_and(|s| may_cancel(s, starts_at, now).is_ok());
                MyBooking {
                    id,
                    item_id,
                    item_zh,
                    item_en,
                    point,
                    address,
                    starts_at,
                    ends_at,
                    reminded: reminded != 0 && open,
                    state,
                    open,
                }
            },
        )
        .collect())
}

/// A desk's slots of one point from a day ago on, with who booked when `names`.
pub async fn desk_slots(
    pool: &AnyPool,
    point: i64,
    now: i64,
    names: bool,
) -> Result<Vec<DeskSlot>, AppError> {
    let rows: Vec<(i64, String, String, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT s.id, i.name_zh, i.name_en, s.starts_at, s.ends_at, s.capacity, s.booked \
         FROM service_slots s JOIN service_items i ON i.id = s.item_id \
         WHERE s.point_id = $1 AND s.ends_at > $2 ORDER BY s.starts_at, s.id LIMIT 200",
    )
    .bind(point)
    .bind(now - 86_400)
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, item_zh, item_en, starts_at, ends_at, capacity, booked) in rows {
        let bookings = if names {
            let b: Vec<(i64, String, String)> = sqlx::query_as(
                "SELECT b.id, u.display_name, b.state FROM service_bookings b \
                 JOIN users u ON u.id = b.user_id WHERE b.slot_id = $1 AND b.state <> 'cancelled' \
                 ORDER BY b.id",
            )
            .bind(id)
            .fetch_all(pool)
            .await?;
            b.into_iter()
                .map(|(id, name, state)| (id, mask_name(&name), state))
                .collect()
        } else {
            Vec::new()
        };
        out.push(DeskSlot {
            id,
            item_zh,
            item_en,
            starts_at,
            ends_at,
            capacity,
            booked,
            bookings,
        });
    }
    Ok(out)
}

/// The point of a slot: (point id, point path).
pub async fn slot_point(pool: &AnyPool, slot: i64) -> Result<Option<(i64, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT p.id, p.unit_path FROM service_slots s JOIN service_points p ON p.id = s.point_id \
         WHERE s.id = $1",
    )
    .bind(slot)
    .fetch_optional(pool)
    .await?)
}
