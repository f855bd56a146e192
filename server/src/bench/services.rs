//! `server bench --only services`: booking under load. Two thousand residents ask at once
//! (50 at a time) for places in forty slots holding a thousand between them; each request is
//! the store's whole booking (the conditional updates, the booking row, the audit row, one
//! transaction). Prints requests per second, p50/p95 per request and what was over-booked,
//! which must be nothing.

use std::time::Instant;

use app::features::services::repo;
use futures_util::StreamExt;
use sqlx::AnyPool;

use super::percentile;

const RESIDENTS: usize = 2_000;
const SLOTS: usize = 40;
const CAPACITY: i64 = 25;

pub async fn run(pool: &AnyPool, label: &str) -> anyhow::Result<()> {
    let now = app::ssr::now();
    crate::seed::services::seed_services(pool, crate::commands::DEMO_COUNTY, now)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let slots: Vec<(i64, i64)> =
        sqlx::query_as("SELECT id, item_id FROM service_slots ORDER BY starts_at, id LIMIT $1")
            .bind(SLOTS as i64)
            .fetch_all(pool)
            .await?;
    anyhow::ensure!(slots.len() == SLOTS, "the demo catalogue has {SLOTS} slots");
    for (id, _) in &slots {
        sqlx::query("UPDATE service_slots SET capacity = $1, booked = 0 WHERE id = $2")
            .bind(CAPACITY)
            .bind(id)
            .execute(pool)
            .await?;
    }
    let grid: i64 =
        sqlx::query_scalar("SELECT id FROM org_units WHERE level = 'grid' ORDER BY id LIMIT 1")
            .fetch_one(pool)
            .await?;
    let mut users = Vec::with_capacity(RESIDENTS);
    for chunk in (0..RESIDENTS).collect::<Vec<_>>().chunks(200) {
        let sql = format!(
            "INSERT INTO users (username, display_name, role, org_unit_id, created_at) VALUES {} \
             RETURNING id",
            crate::seed::history::placeholders(chunk.len(), 5)
        );
        let mut q = sqlx::query_scalar::<_, i64>(&sql);
        for i in chunk {
            q = q
                .bind(format!("bench-booker-{i}"))
                .bind(format!("居民{i}"))
                .bind("resident")
                .bind(grid)
                .bind(now);
        }
        users.extend(q.fetch_all(pool).await?);
    }
    let t0 = Instant::now();
    let results: Vec<(f64, bool)> =
        futures_util::stream::iter(users.iter().enumerate().map(|(i, &u)| {
            let (slot, item) = slots[i % SLOTS];
            let pool = pool.clone();
            async move {
                let t = Instant::now();
                repo::book(&pool, u, slot, item, now)
                    .await
                    .map(|r| (t.elapsed().as_secs_f64() * 1000.0, r.is_ok()))
            }
        }))
        .buffer_unordered(50)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let total = t0.elapsed().as_secs_f64();
    let won = results.iter().filter(|r| r.1).count();
    let mut ms: Vec<f64> = results.iter().map(|r| r.0).collect();
    ms.sort_by(f64::total_cmp);
    let ids: Vec<i64> = slots.iter().map(|s| s.0).collect();
    let mut over = 0;
    let mut stored = 0;
    for id in &ids {
        let (booked, capacity): (i64, i64) =
            sqlx::query_as("SELECT booked, capacity FROM service_slots WHERE id = $1")
                .bind(id)
                .fetch_one(pool)
                .await?;
        let rows: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM service_bookings WHERE slot_id = $1 AND state = 'booked'",
        )
        .bind(id)
        .fetch_one(pool)
        .await?;
        over += (rows - capacity).max(0) + i64::from(booked != rows);
        stored += rows;
    }
    println!(
        "[{label}] booking: {RESIDENTS} residents for {} places in {SLOTS} slots, 50 at once: \
         {:.0} requests/s, p50 {:.1} ms, p95 {:.1} ms; {won} booked, {stored} stored, over-booked {over}",
        SLOTS as i64 * CAPACITY,
        RESIDENTS as f64 / total,
        percentile(&ms, 0.5),
        percentile(&ms, 0.95),
    );
    anyhow::ensure!(over == 0, "over-booked");
    anyhow::ensure!(won as i64 == SLOTS as i64 * CAPACITY, "every place taken");
    Ok(())
}
