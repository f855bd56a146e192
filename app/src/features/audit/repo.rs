//! The chain in the database. A writer takes the next place by updating the one head row, which
//! holds it until its transaction ends, so places are given one at a time on both databases and
//! a transaction that rolls back gives its place back with everything else.

use sqlx::AnyPool;

use crate::domain::audit::{link, Break, Entry, Walker, GENESIS};
use crate::error::AppError;

/// Appends one row inside the caller's transaction.
pub async fn append(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    at: i64,
    user_id: Option<i64>,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<(), AppError> {
    let (seq, prev): (i64, String) =
        sqlx::query_as("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
            .fetch_one(&mut **tx)
            .await?;
    let hash = link(
        &prev,
        &Entry {
            seq,
            at,
            user_id,
            action,
            target,
            detail,
        },
    );
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, action, target, detail, seq, prev, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(at)
    .bind(user_id)
    .bind(action)
    .bind(target)
    .bind(detail)
    .bind(seq)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// id, at, user, action, target, detail, seq, prev, hash.
pub type Row = (
    i64,
    i64,
    Option<i64>,
    String,
    String,
    String,
    i64,
    String,
    String,
);

/// Walks one stored row (every reader of the chain goes through this).
pub fn step(w: &mut Walker, r: &Row) -> Result<(), Break> {
    let (_, at, user_id, action, target, detail, seq, prev, hash) = r;
    let e = Entry {
        seq: *seq,
        at: *at,
        user_id: *user_id,
        action,
        target,
        detail,
    };
    w.step(&e, prev, hash)
}

/// Where the kept chain starts: after the last archived row (its place and hash), or at the
/// genesis.
pub async fn anchor(pool: &AnyPool) -> Result<(i64, String), AppError> {
    let a: Option<(i64, String)> = sqlx::query_as(
        "SELECT through_seq, last_hash FROM audit_archives ORDER BY through_seq DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await?;
    Ok(a.unwrap_or((0, GENESIS.to_string())))
}

/// Up to `limit` chained rows after `after`, in chain order.
pub async fn rows_after(pool: &AnyPool, after: i64, limit: i64) -> Result<Vec<Row>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, at, user_id, action, target, detail, seq, COALESCE(prev, ''), \
         COALESCE(hash, '') FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// Records an archive of the rows `first..=through` (already written to `file`) and removes
/// them from the log, with its own audit row, in one transaction.
pub async fn record_archive(
    pool: &AnyPool,
    first: i64,
    through: i64,
    last_hash: &str,
    file: &str,
    now: i64,
) -> Result<u64, AppError> {
    let mut tx = pool.begin().await?;
    let gone = sqlx::query("DELETE FROM audit_log WHERE seq >= $1 AND seq <= $2")
        .bind(first)
        .bind(through)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    sqlx::query(
        "INSERT INTO audit_archives (at, first_seq, through_seq, last_hash, rows_archived, file) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(now)
    .bind(first)
    .bind(through)
    .bind(last_hash)
    .bind(gone as i64)
    .bind(file)
    .execute(&mut *tx)
    .await?;
    append(
        &mut tx,
        now,
        None,
        "audit.archive",
        &format!("seq:{first}-{through}"),
        &format!("{gone} rows to {file}"),
    )
    .await?;
    tx.commit().await?;
    Ok(gone)
}

/// Chains rows written before the chain existed (an upgraded database), in id order, a batch
/// per transaction; returns how many.
pub async fn seal_unchained(pool: &AnyPool) -> Result<u64, AppError> {
    let mut sealed = 0;
    loop {
        let mut tx = pool.begin().await?;
        let (mut seq, mut prev): (i64, String) =
            sqlx::query_as("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash")
                .fetch_one(&mut *tx)
                .await?;
        let rows: Vec<(i64, i64, Option<i64>, String, String, String)> = sqlx::query_as(
            "SELECT id, at, user_id, action, target, detail FROM audit_log WHERE seq IS NULL \
             ORDER BY id LIMIT 1000",
        )
        .fetch_all(&mut *tx)
        .await?;
        if rows.is_empty() {
            tx.commit().await?;
            return Ok(sealed);
        }
        for (id, at, user_id, action, target, detail) in &rows {
            seq += 1;
            let hash = link(
                &prev,
                &Entry {
                    seq,
                    at: *at,
                    user_id: *user_id,
                    action,
                    target,
                    detail,
                },
            );
            sqlx::query("UPDATE audit_log SET seq = $1, prev = $2, hash = $3 WHERE id = $4")
                .bind(seq)
                .bind(&prev)
                .bind(&hash)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            prev = hash;
        }
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(seq)
            .bind(&prev)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        sealed += rows.len() as u64;
    }
}

/// What a verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub checked: u64,
    /// The first broken link, with the row's id where there is one.
    pub broken: Option<(Break, Option<i64>)>,
}

/// Walks the whole chain in `seq` order, `batch` rows per read, reporting progress as
/// (checked, total).
pub async fn verify(
    pool: &AnyPool,
    batch: i64,
    mut progress: impl FnMut(u64, u64),
) -> Result<Verdict, AppError> {
    let (head_seq, head_hash): (i64, String) =
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(pool)
            .await?;
    let total: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log")
        .fetch_one(pool)
        .await?;
    let unchained: Option<i64> =
        sqlx::query_scalar("SELECT MIN(id) FROM audit_log WHERE seq IS NULL OR hash IS NULL")
            .fetch_one(pool)
            .await?;
    let (from, from_hash) = anchor(pool).await?;
    let mut w = Walker::after(from, &from_hash);
    let mut after = from;
    loop {
        let rows = rows_after(pool, after, batch).await?;
        let Some(last) = rows.last() else { break };
        after = last.6;
        for r in &rows {
            if let Err(b) = step(&mut w, r) {
                return Ok(Verdict {
                    checked: w.checked,
                    broken: Some((b, Some(r.0))),
                });
            }
        }
        progress(w.checked, total as u64);
    }
    if let Err(b) = w.finish(head_seq, &head_hash) {
        return Ok(Verdict {
            checked: w.checked,
            broken: Some((b, None)),
        });
    }
    // A row outside the chain was put in beside it.
    if let Some(id) = unchained {
        return Ok(Verdict {
            checked: w.checked,
            broken: Some((Break::Unchained, Some(id))),
        });
    }
    Ok(Verdict {
        checked: w.checked,
        broken: None,
    })
}
