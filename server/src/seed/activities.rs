//! Demo work that earns points: activities (visits, branch life, records) for the last two
//! months, and a few manual awards.

use anyhow::Context;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::AnyPool;

use crate::geo::import::progress;

const BATCH: usize = 150;

/// Seeds activities for the county's party members and grid workers since the first day of the
/// previous month, up to `end`. Returns how many.
pub async fn seed_activities(
    pool: &AnyPool,
    county: &str,
    end: i64,
    seed: u64,
    quiet: bool,
) -> anyhow::Result<usize> {
    let county_path = crate::seed::county_path(pool, county).await?;
    let members: Vec<(i64, String)> = sqlx::query_as(
        "SELECT pm.id, o.path FROM party_members pm JOIN party_branches b ON b.id = pm.branch_id \
         JOIN org_units o ON o.id = b.org_unit_id WHERE o.path LIKE ($1 || '%') ORDER BY pm.id",
    )
    .bind(&county_path)
    .fetch_all(pool)
    .await?;
    let workers: Vec<(i64, String)> = sqlx::query_as(
        "SELECT s.id, g.path FROM grid_staff s JOIN org_units g ON g.id = s.grid_id \
         WHERE s.duty = 'worker' AND g.path LIKE ($1 || '%') ORDER BY s.id",
    )
    .bind(&county_path)
    .fetch_all(pool)
    .await?;
    let today = app::domain::calendar::local_date(end);
    let this_month = today.replace_day(1).unwrap_or(today);
    let start_day = (this_month - time::Duration::days(1))
        .replace_day(1)
        .unwrap_or(this_month);
    let start = app::domain::calendar::day_start(start_day);
    let span = (end - start).max(1);
    let months = span as f64 / (30.0 * 86_400.0);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // (kind, subject, id, path, at)
    let mut rows: Vec<(&str, &str, i64, String, i64)> = Vec::new();
    let mut add = |rng: &mut ChaCha8Rng,
                   kind: &'static str,
                   subject: &'static str,
                   id: i64,
                   path: &str,
                   per_month: f64| {
        let n = (per_month * months * rng.gen_range(0.3..1.7)).round() as usize;
        for _ in 0..n {
            rows.push((
                kind,
                subject,
                id,
                path.to_string(),
                start + rng.gen_range(0..span),
            ));
        }
    };
    for (id, path) in &members {
        // Some members are active every month, some hardly at all.
        let zeal: f64 = rng.gen_range(0.0..1.0);
        add(&mut rng, "visit", "member", *id, path, 8.0 * zeal);
        add(
            &mut rng,
            "branch_life",
            "member",
            *id,
            path,
            1.0 + 2.0 * zeal,
        );
        add(&mut rng, "data_entry", "member", *id, path, 4.0 * zeal);
    }
    for (id, path) in &workers {
        add(&mut rng, "visit", "grid_worker", *id, path, 20.0);
        add(&mut rng, "data_entry", "grid_worker", *id, path, 8.0);
    }
    rows.sort_by_key(|r| r.4);
    let pb = progress(rows.len() as u64, "activities", quiet);
    for chunk in rows.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO activities (kind, subject, subject_id, unit_path, at, note) VALUES {}",
            crate::seed::history::placeholders(chunk.len(), 6)
        );
        let mut q = sqlx::query(&sql);
        for (kind, subject, id, path, at) in chunk {
            q = q
                .bind(*kind)
                .bind(*subject)
                .bind(*id)
                .bind(path)
                .bind(*at)
                .bind("演示数据");
        }
        q.execute(pool).await?;
        pb.inc(chunk.len() as u64);
    }
    pb.finish_and_clear();
    Ok(rows.len())
}

/// A few good deeds for households, proposed by the village cadre account and approved by the
/// township one, and two left waiting for approval.
pub async fn seed_awards(pool: &AnyPool) -> anyhow::Result<usize> {
    let cadre: Option<(i64, String)> = sqlx::query_as(
        "SELECT u.id, o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id \
         WHERE u.role = 'village_cadre' ORDER BY u.id LIMIT 1",
    )
    .fetch_optional(pool)
    .await?;
    let town: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM users WHERE role = 'township_dispatcher' ORDER BY id LIMIT 1",
    )
    .fetch_optional(pool)
    .await?;
    let (Some((cadre, village_path)), Some(town)) = (cadre, town) else {
        return Ok(0);
    };
    let households: Vec<(i64, String)> = sqlx::query_as(
        "SELECT h.id, g.path FROM households h JOIN org_units g ON g.id = h.grid_id \
         WHERE g.path LIKE ($1 || '%') ORDER BY h.id LIMIT 8",
    )
    .bind(&village_path)
    .fetch_all(pool)
    .await?;
    let rule = app::features::scoring::repo::manual_rules(pool)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .into_iter()
        .find(|r| r.code == "h_good_deed")
        .context("rule h_good_deed missing")?;
    let reasons = [
        "帮助邻居抢收稻谷",
        "主动清理河道垃圾",
        "调解邻里纠纷",
        "照顾独居老人",
    ];
    let mut n = 0;
    for (i, (h, path)) in households.iter().enumerate() {
        let reason = reasons[i % reasons.len()];
        let id = app::features::scoring::repo::propose(pool, cadre, &rule, *h, path, reason)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if i < households.len().saturating_sub(2) {
            app::features::scoring::repo::decide_award(pool, town, id, true, "/")
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        n += 1;
    }
    Ok(n)
}
