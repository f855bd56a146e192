//! The chain in the database. A writer takes the next place by updating the one head row, which
//! holds it until its transaction ends, so places are given one at a time on both databases and
//! a transaction that rolls back gives its place back with everything else.

use sqlx::AnyPool;

use crate::domain::audit::{link, Break, Entry, Walker};
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

type Row = (
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
    let mut w = Walker::new();
    let mut after = 0i64;
    loop {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, at, user_id, action, target, detail, seq, COALESCE(prev, ''), \
             COALESCE(hash, '') FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after)
        .bind(batch)
        .fetch_all(pool)
        .await?;
        let Some(last) = rows.last() else { break };
        after = last.6;
        for (id, at, user_id, action, target, detail, seq, prev, hash) in &rows {
            let e = Entry {
                seq: *seq,
                at: *at,
                user_id: *user_id,
                action,
                target,
                detail,
            };
            if let Err(b) = w.step(&e, prev, hash) {
                return Ok(Verdict {
                    checked: w.checked,
                    broken: Some((b, Some(*id))),
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
