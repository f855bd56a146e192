//! `server bench --only jobs`: the demand picture for a county over a year of job views. Writes
//! the cells a year would leave (about 2,500 views a day, four times that in the three weeks
//! before Spring Festival, spread over the county's townships, the trades, age bands and sexes),
//! then times the picture the desk and the spreadsheet read — the days' sums and the cells summed over the days —
//! for the whole county and for one township. Prints p50/p95.

use std::time::Instant;

use app::domain::jobs::{picture_of, Trade, BANDS};
use app::features::jobs::repo;
use rand::{Rng, SeedableRng};
use sqlx::AnyPool;

use super::percentile;

const DAYS: i64 = 366;
const NORMAL: i64 = 2_500;

pub async fn run(pool: &AnyPool, label: &str, runs: usize) -> anyhow::Result<()> {
    let county: String =
        sqlx::query_scalar("SELECT path FROM org_units WHERE code = $1 AND level = 'county'")
            .bind(crate::commands::DEMO_COUNTY)
            .fetch_one(pool)
            .await?;
    let townships: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM org_units WHERE level = 'township' AND path LIKE ($1 || '%')",
    )
    .bind(&county)
    .fetch_all(pool)
    .await?;
    let window = app::domain::jobs::window(app::ssr::now(), DAYS);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let t0 = Instant::now();
    let mut cells = 0usize;
    let mut views_total = 0i64;
    let sexes = ["male", "female"];
    for (d, day) in window.iter().enumerate() {
        // The spike: three weeks, seventy days into the window.
        let views_today = if (70..91).contains(&d) {
            NORMAL * 4
        } else {
            NORMAL
        };
        let mut rows: Vec<(i64, &str, &str, &str, i64, i64)> = Vec::new();
        for &t in &townships {
            for trade in Trade::ALL {
                for _ in 0..4 {
                    let band = BANDS[rng.gen_range(0..BANDS.len())];
                    let sex = sexes[rng.gen_range(0..2)];
                    rows.push((t, trade.as_str(), band, sex, 0, 0));
                }
            }
        }
        rows.sort();
        rows.dedup_by(|a, b| (a.0, a.1, a.2, a.3) == (b.0, b.1, b.2, b.3));
        let per = (views_today / rows.len() as i64).max(1);
        for r in &mut rows {
            r.4 = per + rng.gen_range(0..=per / 2);
            r.5 = r.4 / 20;
            views_total += r.4;
        }
        for chunk in rows.chunks(400) {
            let sql = format!(
                "INSERT INTO job_demand (county_path, day, township_id, trade, band, sex, views, interest) VALUES {}",
                crate::seed::history::placeholders(chunk.len(), 8)
            );
            let mut q = sqlx::query(&sql);
            for (t, trade, band, sex, v, i) in chunk {
                q = q
                    .bind(&county)
                    .bind(day)
                    .bind(*t)
                    .bind(*trade)
                    .bind(*band)
                    .bind(*sex)
                    .bind(*v)
                    .bind(*i);
            }
            q.execute(pool).await?;
        }
        cells += rows.len();
        if d % 61 == 60 {
            println!(
                "[{label}] jobs: {} of {DAYS} days written ({cells} cells)",
                d + 1
            );
        }
    }
    println!(
        "[{label}] jobs: a year of demand written: {views_total} views in {cells} cells, {:.1} s",
        t0.elapsed().as_secs_f64()
    );
    let (first, last) = (window[0].clone(), window[window.len() - 1].clone());
    for (what, township) in [
        ("county", None),
        ("one township", townships.first().copied()),
    ] {
        let mut ms = Vec::with_capacity(runs);
        let mut views = 0;
        for _ in 0..runs.max(5) {
            let t = Instant::now();
            let by_day = repo::by_day(pool, &county, township, &first, &last)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let cells = repo::collapsed(pool, &county, township, &first, &last)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let p = picture_of(by_day, &cells, &window);
            views = p.views;
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        ms.sort_by(f64::total_cmp);
        println!(
            "[{label}] jobs: demand picture of the {what} over {DAYS} days ({views} views): p50 {:.1} ms, p95 {:.1} ms",
            percentile(&ms, 0.5),
            percentile(&ms, 0.95)
        );
    }
    Ok(())
}
