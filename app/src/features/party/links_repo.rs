//! 党员联户 in the database: who serves which household, and the visits. A visit is unique per
//! member, household and day, so recording it twice (or two taps at once) writes one visit,
//! one activity and one ledger line, with its audit row, in one transaction.

use sqlx::AnyPool;

use super::types::{BranchChoice, LinkedHousehold};
use crate::domain::calendar::local_day;
use crate::error::AppError;
use crate::features::scoring::ledger::score_activity;
use crate::ssr::{audit, now};

const HOUSEHOLD: &str = "SELECT h.id AS household_id, h.head_name, h.address, g.name AS grid, \
     (SELECT MAX(v.at) FROM member_visits v WHERE v.household_id = h.id) AS last_visit, \
     (SELECT CAST(COUNT(*) AS BIGINT) FROM member_visits v WHERE v.household_id = h.id) AS visits \
     FROM households h JOIN org_units g ON g.id = h.grid_id";

/// The households a member serves, by address.
pub async fn served_by(pool: &AnyPool, member: i64) -> Result<Vec<LinkedHousehold>, AppError> {
    Ok(sqlx::query_as(&format!(
        "{HOUSEHOLD} JOIN member_households mh ON mh.household_id = h.id \
         WHERE mh.member_id = $1 ORDER BY h.address, h.id"
    ))
    .bind(member)
    .fetch_all(pool)
    .await?)
}

/// Households of a village nobody serves yet: the first `limit` by address, and how many.
pub async fn unlinked(
    pool: &AnyPool,
    village_path: &str,
    limit: i64,
) -> Result<(Vec<LinkedHousehold>, i64), AppError> {
    let like = format!("{village_path}%");
    let rows = sqlx::query_as(&format!(
        "{HOUSEHOLD} WHERE g.path LIKE $1 AND NOT EXISTS \
         (SELECT 1 FROM member_households mh WHERE mh.household_id = h.id) \
         ORDER BY g.name, h.address, h.id LIMIT $2"
    ))
    .bind(&like)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let total: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM households h JOIN org_units g ON g.id = h.grid_id \
         WHERE g.path LIKE $1 AND NOT EXISTS \
         (SELECT 1 FROM member_households mh WHERE mh.household_id = h.id)",
    )
    .bind(&like)
    .fetch_one(pool)
    .await?;
    Ok((rows, total))
}

pub async fn members(pool: &AnyPool, branch: i64) -> Result<Vec<BranchChoice>, AppError> {
    super::dev_repo::members(pool, branch).await
}

/// A household's grid path.
pub async fn household_path(pool: &AnyPool, household: i64) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT g.path FROM households h JOIN org_units g ON g.id = h.grid_id WHERE h.id = $1",
    )
    .bind(household)
    .fetch_optional(pool)
    .await?)
}

/// The member serving a household: (member id, member name, branch id, branch name).
pub async fn member_of_household(
    pool: &AnyPool,
    household: i64,
) -> Result<Option<(i64, String, i64, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT pm.id, pm.name, b.id, b.name FROM member_households mh \
         JOIN party_members pm ON pm.id = mh.member_id JOIN party_branches b ON b.id = pm.branch_id \
         WHERE mh.household_id = $1",
    )
    .bind(household)
    .fetch_optional(pool)
    .await?)
}

/// A member's branch id, if the member exists.
pub async fn branch_of_member(pool: &AnyPool, member: i64) -> Result<Option<i64>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT branch_id FROM party_members WHERE id = $1")
            .bind(member)
            .fetch_optional(pool)
            .await?,
    )
}

/// Links (or relinks) a household to a member.
pub async fn link(pool: &AnyPool, user: i64, household: i64, member: i64) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO member_households (household_id, member_id, since, assigned_by) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (household_id) DO UPDATE \
         SET member_id = excluded.member_id, since = excluded.since, assigned_by = excluded.assigned_by",
    )
    .bind(household)
    .bind(member)
    .bind(now())
    .bind(user)
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        Some(user),
        "household.link",
        &format!("household:{household}"),
        &format!("member:{member}"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn unlink(pool: &AnyPool, user: i64, household: i64) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    let gone = sqlx::query("DELETE FROM member_households WHERE household_id = $1")
        .bind(household)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    if gone {
        audit(
            &mut tx,
            Some(user),
            "household.unlink",
            &format!("household:{household}"),
            "",
        )
        .await?;
    }
    tx.commit().await?;
    Ok(gone)
}

/// Records a member's visit; false when that day's visit of the household is already there.
#[allow(clippy::too_many_arguments)]
pub async fn visit(
    pool: &AnyPool,
    user: i64,
    member: i64,
    household: i64,
    unit_path: &str,
    at: i64,
    place: &str,
    notes: &str,
) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO member_visits (member_id, household_id, at, day, place, notes, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (member_id, household_id, day) DO NOTHING RETURNING id",
    )
    .bind(member)
    .bind(household)
    .bind(at)
    .bind(local_day(at))
    .bind(place)
    .bind(notes)
    .bind(user)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        return Ok(false);
    };
    let activity: i64 = sqlx::query_scalar(
        "INSERT INTO activities (kind, subject, subject_id, unit_path, at, note, recorded_by) \
         VALUES ('visit', 'member', $1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(member)
    .bind(unit_path)
    .bind(at)
    .bind(format!("household:{household}"))
    .bind(user)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("UPDATE member_visits SET activity_id = $1 WHERE id = $2")
        .bind(activity)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    score_activity(&mut tx, activity).await?;
    audit(
        &mut tx,
        Some(user),
        "household.visit",
        &format!("household:{household}"),
        &format!("member:{member}"),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
