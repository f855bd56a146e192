//! Posts and duties (设岗定责) in the database. A duty record is unique per post, member and day,
//! and is written with its pending `m_manual` ledger entry (source `duty:<id>`) and audit row in
//! one transaction; the points count once someone else in the branch's chain approves them.

use sqlx::AnyPool;

use super::types::{BranchChoice, PostLine};
use crate::domain::calendar::local_day;
use crate::error::AppError;
use crate::features::scoring::repo::propose_in;
use crate::features::scoring::types::ManualRule;
use crate::ssr::{audit, now};

pub async fn posts(pool: &AnyPool, branch: i64) -> Result<Vec<PostLine>, AppError> {
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, name, duties FROM party_posts WHERE branch_id = $1 ORDER BY id")
            .bind(branch)
            .fetch_all(pool)
            .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, name, duties) in rows {
        out.push(line(pool, id, name, duties).await?);
    }
    Ok(out)
}

async fn line(pool: &AnyPool, id: i64, name: String, duties: String) -> Result<PostLine, AppError> {
    let holders = sqlx::query_as(
        "SELECT pm.id, pm.name FROM post_holders h JOIN party_members pm ON pm.id = h.member_id \
         WHERE h.post_id = $1 ORDER BY pm.name, pm.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let recent: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM duty_records WHERE post_id = $1 AND at >= $2",
    )
    .bind(id)
    .bind(now() - 30 * 86_400)
    .fetch_one(pool)
    .await?;
    Ok(PostLine {
        id,
        name,
        duties,
        holders,
        recent,
    })
}

/// The posts a member holds.
pub async fn held_by(pool: &AnyPool, member: i64) -> Result<Vec<PostLine>, AppError> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT p.id, p.name, p.duties FROM party_posts p JOIN post_holders h ON h.post_id = p.id \
         WHERE h.member_id = $1 ORDER BY p.id",
    )
    .bind(member)
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, name, duties) in rows {
        out.push(line(pool, id, name, duties).await?);
    }
    Ok(out)
}

/// (branch id, branch path) of a post.
pub async fn post_branch(pool: &AnyPool, post: i64) -> Result<Option<(i64, String)>, AppError> {
    Ok(
        sqlx::query_as("SELECT branch_id, unit_path FROM party_posts WHERE id = $1")
            .bind(post)
            .fetch_optional(pool)
            .await?,
    )
}

pub async fn holds(pool: &AnyPool, post: i64, member: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM post_holders WHERE post_id = $1 AND member_id = $2",
    )
    .bind(post)
    .bind(member)
    .fetch_one(pool)
    .await?
        > 0)
}

/// Sets up a post; None when the branch already has one of that name.
pub async fn create(
    pool: &AnyPool,
    user: i64,
    branch: i64,
    path: &str,
    name: &str,
    duties: &str,
) -> Result<Option<i64>, AppError> {
    let mut tx = pool.begin().await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO party_posts (branch_id, unit_path, name, duties, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (branch_id, name) DO NOTHING RETURNING id",
    )
    .bind(branch)
    .bind(path)
    .bind(name)
    .bind(duties)
    .bind(user)
    .bind(now())
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(id) = id {
        audit(
            &mut tx,
            Some(user),
            "post.create",
            &format!("post:{id}"),
            name,
        )
        .await?;
        tx.commit().await?;
    }
    Ok(id)
}

/// Gives a post to a member (again: nothing changes).
pub async fn assign(pool: &AnyPool, user: i64, post: i64, member: i64) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let added = sqlx::query(
        "INSERT INTO post_holders (post_id, member_id, since) VALUES ($1, $2, $3) \
         ON CONFLICT (post_id, member_id) DO NOTHING",
    )
    .bind(post)
    .bind(member)
    .bind(now())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if added == 1 {
        audit(
            &mut tx,
            Some(user),
            "post.assign",
            &format!("post:{post}"),
            &format!("member:{member}"),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Records a duty done with its pending award; false when that day's record already exists.
#[allow(clippy::too_many_arguments)]
pub async fn record(
    pool: &AnyPool,
    user: i64,
    post: i64,
    post_name: &str,
    member: i64,
    unit_path: &str,
    rule: &ManualRule,
    note: &str,
) -> Result<bool, AppError> {
    let at = now();
    let mut tx = pool.begin().await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO duty_records (post_id, member_id, at, day, note) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (post_id, member_id, day) DO NOTHING RETURNING id",
    )
    .bind(post)
    .bind(member)
    .bind(at)
    .bind(local_day(at))
    .bind(note)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        return Ok(false);
    };
    let reason = format!("{post_name}：{note}");
    let entry = propose_in(
        &mut tx,
        user,
        rule,
        member,
        unit_path,
        &reason,
        &format!("duty:{id}"),
    )
    .await?;
    sqlx::query("UPDATE duty_records SET entry_id = $1 WHERE id = $2")
        .bind(entry)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

pub async fn members(pool: &AnyPool, branch: i64) -> Result<Vec<BranchChoice>, AppError> {
    super::dev_repo::members(pool, branch).await
}
