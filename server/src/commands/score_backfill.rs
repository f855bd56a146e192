//! `server score-backfill`: writes the ledger lines that are missing (after importing history),
//! with a progress bar. A second run writes nothing.

use sqlx::AnyPool;

use crate::geo::import::progress;

/// Writes the missing ledger lines, with a progress bar.
pub async fn backfill(pool: &AnyPool, quiet: bool) -> anyhow::Result<usize> {
    let pb = progress(0, "points", quiet);
    let n = app::features::scoring::ledger::backfill(pool, |done, total| {
        pb.set_length(total as u64);
        pb.set_position(done as u64);
    })
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    pb.finish_and_clear();
    Ok(n)
}
