//! Households and their members in the database; an unmasking's quota, access row and audit row
//! in one transaction.

use sqlx::AnyPool;

use super::types::{AccessLine, HouseholdRow};
use crate::domain::archive::{hour_of, Field, UNMASK_PER_HOUR};
use crate::error::AppError;
use crate::ssr::audit;

/// Households in `area` whose address or head matches `q` (all for empty), `limit` + 1 read to
/// know whether there are more.
pub async fn households(
    pool: &AnyPool,
    area: &str,
    q: &str,
    limit: i64,
) -> Result<Vec<HouseholdRow>, AppError> {
    let like = format!("%{}%", q.replace(['%', '_'], ""));
    Ok(sqlx::query_as(
        "SELECT h.id, g.name AS grid, h.address, h.head_name, \
         (SELECT CAST(COUNT(*) AS BIGINT) FROM residents r WHERE r.household_id = h.id) AS members \
         FROM households h JOIN org_units g ON g.id = h.grid_id \
         WHERE g.path LIKE ($1 || '%') AND (h.address LIKE $2 OR h.head_name LIKE $2) \
         ORDER BY g.path, h.id LIMIT $3",
    )
    .bind(area)
    .bind(like)
    .bind(limit + 1)
    .fetch_all(pool)
    .await?)
}

/// A household's grid path and its fields (None when it does not exist).
pub async fn household(
    pool: &AnyPool,
    id: i64,
) -> Result<Option<(String, String, String, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT g.path, g.name, h.address, h.head_name FROM households h \
         JOIN org_units g ON g.id = h.grid_id WHERE h.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?)
}

pub type MemberRow = (i64, String, String, String, i64, String, String);

/// Members with their identifiers as stored (sealed).
pub async fn members(pool: &AnyPool, household: i64) -> Result<Vec<MemberRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, name, relation, gender, birth_year, id_number, phone FROM residents \
         WHERE household_id = $1 ORDER BY id",
    )
    .bind(household)
    .fetch_all(pool)
    .await?)
}

/// A resident's household and grid path, and the stored value of `field`.
pub async fn member_field(
    pool: &AnyPool,
    resident: i64,
    field: Field,
) -> Result<Option<(i64, String, String)>, AppError> {
    let col = match field {
        Field::IdNumber => "r.id_number",
        Field::Phone => "r.phone",
    };
    Ok(sqlx::query_as(&format!(
        "SELECT r.household_id, g.path, {col} FROM residents r \
         JOIN households h ON h.id = r.household_id JOIN org_units g ON g.id = h.grid_id \
         WHERE r.id = $1"
    ))
    .bind(resident)
    .fetch_optional(pool)
    .await?)
}

/// Counts one unmasking against the hour's quota and logs it; false (and nothing written) when
/// the quota is spent. One conditional upsert decides, so parallel requests cannot pass it.
pub async fn log_unmask(
    pool: &AnyPool,
    viewer: i64,
    resident: i64,
    field: Field,
    reason: &str,
    now: i64,
) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    let counted = sqlx::query(
        "INSERT INTO unmask_quota (user_id, hour, used) VALUES ($1, $2, 1) \
         ON CONFLICT (user_id, hour) DO UPDATE SET used = unmask_quota.used + 1 \
         WHERE unmask_quota.used < $3",
    )
    .bind(viewer)
    .bind(hour_of(now))
    .bind(UNMASK_PER_HOUR)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if counted != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO data_access (at, viewer_id, resident_id, field, reason) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(now)
    .bind(viewer)
    .bind(resident)
    .bind(field.as_str())
    .bind(reason)
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        Some(viewer),
        "archive.unmask",
        &format!("resident:{resident}"),
        &format!("{}: {reason}", field.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Who looked at the identifiers of the members of `household`, newest first.
pub async fn accesses(pool: &AnyPool, household: i64) -> Result<Vec<AccessLine>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.at, u.display_name AS viewer, o.name AS unit, r.name AS member, a.field, a.reason \
         FROM data_access a JOIN users u ON u.id = a.viewer_id \
         JOIN org_units o ON o.id = u.org_unit_id JOIN residents r ON r.id = a.resident_id \
         WHERE r.household_id = $1 ORDER BY a.at DESC, a.id DESC LIMIT 200",
    )
    .bind(household)
    .fetch_all(pool)
    .await?)
}

/// The household a resident belongs to.
pub async fn household_of(pool: &AnyPool, resident: i64) -> Result<Option<i64>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT household_id FROM residents WHERE id = $1")
            .bind(resident)
            .fetch_optional(pool)
            .await?,
    )
}
