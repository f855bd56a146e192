//! `server bench --only archive`: the audit chain and the sealed identifiers. Appends 20,000
//! audit rows from 16 writers at once (each its own transaction, as the app's writes are),
//! verifies the whole chain, then seals the demo county's identifiers again under a new key.
//! Prints rows/s for each.

use std::time::Instant;

use futures_util::StreamExt;
use sqlx::AnyPool;

const ROWS: usize = 20_000;

/// `ring`: the text of the key ring the county was seeded under (the bench's own).
pub async fn run(pool: &AnyPool, label: &str, ring: &str) -> anyhow::Result<()> {
    let t0 = Instant::now();
    futures_util::stream::iter(0..ROWS)
        .map(|i| async move {
            let mut tx = pool.begin().await?;
            app::ssr::audit(&mut tx, None, "bench.write", &format!("b:{i}"), "基准测试")
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            tx.commit().await?;
            anyhow::Ok(())
        })
        .buffer_unordered(16)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<anyhow::Result<Vec<_>>>()?;
    let append = t0.elapsed().as_secs_f64();
    let line = crate::commands::audit::verify(pool, true).await?;
    println!(
        "[{label}] audit: {ROWS} appends by 16 writers in {append:.2} s ({:.0} rows/s); {line}",
        ROWS as f64 / append
    );
    // A rotation: the bench's ring with one more key, then every value sealed again.
    let (next, _) = app::crypto::KeyRing::add_key(ring).map_err(|e| anyhow::anyhow!("{e}"))?;
    app::crypto::install(app::crypto::KeyRing::parse(&next).map_err(|e| anyhow::anyhow!("{e}"))?);
    let line = crate::commands::keys::reseal(pool, true).await?;
    println!("[{label}] keys: {line}");
    Ok(())
}
