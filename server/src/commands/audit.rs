//! `server audit verify`: walks the audit chain with a progress bar and names the first broken
//! link (exit status 1), or says how many rows it checked and how fast.

use std::time::Instant;

use app::domain::audit::Break;
use sqlx::AnyPool;

use crate::geo::import::progress;

/// What a run found, as one line; `Err` when the chain is broken.
pub async fn verify(pool: &AnyPool, quiet: bool) -> anyhow::Result<String> {
    let pb = progress(0, "audit", quiet);
    let started = Instant::now();
    let v = app::features::audit::repo::verify(pool, 5_000, |done, total| {
        pb.set_length(total);
        pb.set_position(done);
    })
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    pb.finish_and_clear();
    let secs = started.elapsed().as_secs_f64().max(1e-6);
    match v.broken {
        None => Ok(format!(
            "audit chain ok: {} rows verified in {:.2} s ({:.0} rows/s)",
            v.checked,
            secs,
            v.checked as f64 / secs
        )),
        Some((b, id)) => {
            let at = id.map(|i| format!(" (row id {i})")).unwrap_or_default();
            let what = match b {
                Break::Altered { seq } => format!("row {seq} was altered{at}"),
                Break::Unlinked { seq } => {
                    format!("row {seq} does not follow the row before it{at}")
                }
                Break::Missing { after, next } => {
                    format!("rows missing between {after} and {next}{at}")
                }
                Break::Truncated { last, head } => {
                    format!("the chain ends at row {last} but {head} were written")
                }
                Break::Unchained => format!("a row outside the chain{at}"),
            };
            anyhow::bail!("audit chain broken after {} good rows: {what}", v.checked)
        }
    }
}

/// The shortest retention MLPS 2.0 level 3 allows: six months.
pub const MIN_KEEP_DAYS: i64 = 183;

/// `server audit archive`: moves the rows older than `keep_days` (a prefix of the chain, checked
/// link by link first) to a JSON-lines file under `<data>/audit-archive/`, synced before the
/// rows leave the database; the archive record keeps the last row's place and hash, from which
/// `verify` goes on. A broken chain is not archived.
pub async fn archive(
    pool: &AnyPool,
    data_dir: &std::path::Path,
    keep_days: i64,
    now: i64,
) -> anyhow::Result<String> {
    use app::domain::audit::Walker;
    use app::features::audit::repo;
    use std::io::Write;
    anyhow::ensure!(
        keep_days >= MIN_KEEP_DAYS,
        "audit rows are kept at least {MIN_KEEP_DAYS} days"
    );
    let cutoff = now - keep_days * 86_400;
    let (from, from_hash) = repo::anchor(pool)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut walker = Walker::after(from, &from_hash);
    let mut lines = Vec::new();
    let mut last: Option<(i64, String)> = None;
    let mut after = from;
    'read: loop {
        let rows = repo::rows_after(pool, after, 5_000)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if rows.is_empty() {
            break;
        }
        for r in rows {
            if r.1 >= cutoff {
                break 'read;
            }
            if let Err(b) = repo::step(&mut walker, &r) {
                anyhow::bail!(
                    "the chain is broken ({b:?}); nothing archived, run `server audit verify`"
                );
            }
            let (_, at, user_id, action, target, detail, seq, prev, hash) = r;
            lines.push(serde_json::json!({
                "seq": seq, "at": at, "user_id": user_id, "action": action,
                "target": target, "detail": detail, "prev": prev, "hash": hash,
            }));
            last = Some((seq, hash));
            after = seq;
        }
    }
    let Some((through, last_hash)) = last else {
        return Ok(format!("nothing older than {keep_days} days to archive"));
    };
    let first = from + 1;
    let dir = data_dir.join("audit-archive");
    std::fs::create_dir_all(&dir)?;
    let file = dir.join(format!("audit-{first:010}-{through:010}.jsonl"));
    let mut f = std::fs::File::create(&file)?;
    for l in &lines {
        writeln!(f, "{l}")?;
    }
    f.sync_all()?;
    let name = file.display().to_string();
    let gone = repo::record_archive(pool, first, through, &last_hash, &name, now)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(format!(
        "archived {gone} rows (places {first}–{through}) to {name}; the kept chain starts after {through}"
    ))
}
