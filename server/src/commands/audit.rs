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
