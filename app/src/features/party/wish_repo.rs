//! Small wishes in the database. Posting raises the poster's quota and moving a wish checks
//! the state it started from, each in one guarded statement, so parallel requests cannot pass
//! the limit or claim a wish twice; each change is one transaction with its audit row, and a
//! confirmation writes the claimer's ledger line in the same transaction.

use sqlx::AnyPool;

use super::types::WishRow;
use crate::domain::party::{WishAction, WishState, MAX_ACTIVE_WISHES};
use crate::error::AppError;
use crate::features::scoring::ledger::score_wish;
use crate::ssr::{audit, now};

const SELECT: &str = "SELECT w.id, w.title, w.detail, w.state, u.display_name AS poster, \
     v.name AS village, m.name AS claimer, h.address AS address, w.created_at, w.claimed_at, \
     w.fulfilled_at, w.confirmed_at, w.fulfil_note, w.not_yet_note, w.poster_id, w.claimer_id, w.unit_path \
     FROM wishes w JOIN users u ON u.id = w.poster_id \
     LEFT JOIN households h ON h.id = w.household_id \
     LEFT JOIN org_units g ON g.id = h.grid_id LEFT JOIN org_units v ON v.id = g.parent_id \
     LEFT JOIN party_members m ON m.id = w.claimer_id";

/// A resident's household and its grid path.
pub async fn home_of(
    pool: &AnyPool,
    resident_id: Option<i64>,
) -> Result<Option<(i64, String)>, AppError> {
    let Some(rid) = resident_id else {
        return Ok(None);
    };
    Ok(sqlx::query_as(
        "SELECT h.id, o.path FROM residents r JOIN households h ON h.id = r.household_id \
         JOIN org_units o ON o.id = h.grid_id WHERE r.id = $1",
    )
    .bind(rid)
    .fetch_optional(pool)
    .await?)
}

/// Posts a wish unless the poster already has `MAX_ACTIVE_WISHES` under way (then None).
/// `ask`: the member serving the household, when the resident asks them directly; the wish
/// is theirs (claimed) from the start.
pub async fn post(
    pool: &AnyPool,
    user: i64,
    household: i64,
    path: &str,
    title: &str,
    detail: &str,
    ask: Option<i64>,
) -> Result<Option<i64>, AppError> {
    let mut tx = pool.begin().await?;
    let room = sqlx::query(
        "INSERT INTO wish_quota (user_id, active) VALUES ($1, 1) ON CONFLICT (user_id) \
         DO UPDATE SET active = wish_quota.active + 1 WHERE wish_quota.active < $2",
    )
    .bind(user)
    .bind(MAX_ACTIVE_WISHES)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !room {
        return Ok(None);
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO wishes (poster_id, household_id, unit_path, title, detail, state, claimer_id, \
         claimed_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(user)
    .bind(household)
    .bind(path)
    .bind(title)
    .bind(detail)
    .bind(if ask.is_some() { "claimed" } else { "open" })
    .bind(ask)
    .bind(ask.map(|_| now()))
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    audit(
        &mut tx,
        Some(user),
        "wish.post",
        &format!("wish:{id}"),
        title,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(id))
}

pub async fn row(pool: &AnyPool, id: i64) -> Result<Option<WishRow>, AppError> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE w.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?)
}

/// The wall of a subtree, newest first, with the counts of open and come-true wishes.
pub async fn wall(
    pool: &AnyPool,
    path: &str,
    limit: i64,
) -> Result<(Vec<WishRow>, i64, i64), AppError> {
    let like = format!("{path}%");
    let rows: Vec<WishRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE w.unit_path LIKE $1 AND w.state <> 'withdrawn' \
         ORDER BY w.created_at DESC, w.id DESC LIMIT $2"
    ))
    .bind(&like)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let (open, done): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN state = 'open' THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN state = 'confirmed' THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM wishes WHERE unit_path LIKE $1",
    )
    .bind(&like)
    .fetch_one(pool)
    .await?;
    Ok((rows, open, done))
}

/// A poster's own wishes, newest first.
pub async fn mine(pool: &AnyPool, user: i64) -> Result<Vec<WishRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE w.poster_id = $1 ORDER BY w.created_at DESC, w.id DESC LIMIT 50"
    ))
    .bind(user)
    .fetch_all(pool)
    .await?)
}

/// The wishes a member has claimed and not yet seen confirmed.
pub async fn taken(pool: &AnyPool, member: i64) -> Result<Vec<WishRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE w.claimer_id = $1 AND w.state IN ('claimed', 'fulfilled') \
         ORDER BY w.claimed_at DESC, w.id DESC"
    ))
    .bind(member)
    .fetch_all(pool)
    .await?)
}

pub async fn active(pool: &AnyPool, user: i64) -> Result<i64, AppError> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT active FROM wish_quota WHERE user_id = $1")
            .bind(user)
            .fetch_optional(pool)
            .await?
            .unwrap_or(0),
    )
}

/// Moves a wish from `from` to `to` if it is still in `from`; false when someone else moved
/// it first. `member` is the claiming member for a claim.
#[allow(clippy::too_many_arguments)]
pub async fn act(
    pool: &AnyPool,
    user: i64,
    id: i64,
    poster: i64,
    action: WishAction,
    from: WishState,
    to: WishState,
    member: Option<i64>,
    note: &str,
) -> Result<bool, AppError> {
    let t = now();
    let set = match action {
        WishAction::Claim => ", claimer_id = $4, claimed_at = $5",
        WishAction::Release => ", claimer_id = NULL, claimed_at = NULL",
        WishAction::Fulfil => ", fulfilled_at = $4, fulfil_note = $5",
        WishAction::Confirm => ", confirmed_at = $4",
        WishAction::NotYet => ", fulfilled_at = NULL, not_yet_note = $4",
        WishAction::Withdraw => "",
    };
    let mut tx = pool.begin().await?;
    let sql = format!("UPDATE wishes SET state = $1{set} WHERE id = $2 AND state = $3");
    let mut q = sqlx::query(&sql)
        .bind(to.as_str())
        .bind(id)
        .bind(from.as_str());
    q = match action {
        WishAction::Claim => q.bind(member).bind(t),
        WishAction::Fulfil => q.bind(t).bind(note),
        WishAction::Confirm => q.bind(t),
        WishAction::NotYet => q.bind(note),
        WishAction::Release | WishAction::Withdraw => q,
    };
    if q.execute(&mut *tx).await?.rows_affected() != 1 {
        return Ok(false);
    }
    if from.active() && !to.active() {
        sqlx::query("UPDATE wish_quota SET active = active - 1 WHERE user_id = $1 AND active > 0")
            .bind(poster)
            .execute(&mut *tx)
            .await?;
    }
    if to == WishState::Confirmed {
        score_wish(&mut tx, id).await?;
    }
    audit(
        &mut tx,
        Some(user),
        &format!("wish.{}", action.as_str()),
        &format!("wish:{id}"),
        note,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
