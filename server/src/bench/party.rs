//! `server bench --only party`: the compliance matrix of a whole county (every branch × the five
//! requirements) for each month of a year of closed meetings, p50/p95 per month asked; and 500
//! members checking in to their branches' meetings at once through the store (one transaction
//! each: attendance, activity, ledger lines, audit), total and per check-in.

use std::time::Instant;

use app::domain::calendar::{day_start, parse_date};
use app::domain::party::{AttendMode, MeetingKind};
use app::domain::scoring::{Period, PeriodKind};
use app::features::party::repo;
use futures_util::StreamExt;
use sqlx::AnyPool;

use super::percentile;

pub async fn run(pool: &AnyPool, label: &str, runs: usize) -> anyhow::Result<()> {
    let county = crate::seed::county_path(pool, crate::commands::DEMO_COUNTY).await?;
    let branches: Vec<(i64, String)> = sqlx::query_as(
        "SELECT b.id, o.path FROM party_branches b JOIN org_units o ON o.id = b.org_unit_id \
         WHERE o.path LIKE ($1 || '%') ORDER BY b.id",
    )
    .bind(&county)
    .fetch_all(pool)
    .await?;
    // A year of meetings: every kind every month in every branch (closed, so they count).
    let jan = parse_date("2026-01-01").unwrap_or(time::Date::MIN);
    let mut rows = Vec::new();
    let mut p = Period::containing(PeriodKind::Month, jan);
    for _ in 0..12 {
        for (i, (b, path)) in branches.iter().enumerate() {
            for (k, kind) in MeetingKind::ALL.into_iter().enumerate() {
                let at = day_start(p.start) + ((i + k) % 25) as i64 * 86_400 + 15 * 3600;
                rows.push((*b, path.clone(), kind.as_str(), at));
            }
        }
        p = p.next();
    }
    let t0 = Instant::now();
    for chunk in rows.chunks(200) {
        let sql = format!(
            "INSERT INTO meetings (branch_id, unit_path, kind, topic, place, starts_at, ends_at, code, \
             state, minutes, created_at) VALUES {}",
            crate::seed::history::placeholders(chunk.len(), 11)
        );
        let mut q = sqlx::query(&sql);
        for (b, path, kind, at) in chunk {
            q = q
                .bind(*b)
                .bind(path)
                .bind(*kind)
                .bind("学习")
                .bind("")
                .bind(*at)
                .bind(*at + 5400)
                .bind("000000")
                .bind("closed")
                .bind("记录")
                .bind(*at);
        }
        q.execute(pool).await?;
    }
    println!(
        "[{label}] party: {} branches, {} closed meetings written in {:.1} s",
        branches.len(),
        rows.len(),
        t0.elapsed().as_secs_f64()
    );
    let mut ms = Vec::new();
    for _ in 0..runs.max(1) {
        let mut p = Period::containing(PeriodKind::Month, jan);
        for _ in 0..12 {
            let t = Instant::now();
            let m = repo::compliance(pool, &county, p)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
            anyhow::ensure!(m.rows.len() == branches.len(), "every branch has its row");
            p = p.next();
        }
    }
    ms.sort_by(f64::total_cmp);
    println!(
        "[{label}] compliance matrix, county ({} branches × 5 requirements), one month: p50 {:.0} ms, p95 {:.0} ms ({} asks)",
        branches.len(),
        percentile(&ms, 0.5),
        percentile(&ms, 0.95),
        ms.len()
    );

    // 500 members check in at once, 50 at a time, each to a meeting of their own branch.
    let members: Vec<(i64, i64)> =
        sqlx::query_as("SELECT id, branch_id FROM party_members ORDER BY id LIMIT 500")
            .fetch_all(pool)
            .await?;
    let now = app::ssr::now();
    let mut meeting_of = std::collections::HashMap::new();
    for (_, b) in &members {
        if meeting_of.contains_key(b) {
            continue;
        }
        let path = branches
            .iter()
            .find(|x| x.0 == *b)
            .map(|x| x.1.clone())
            .unwrap_or_default();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO meetings (branch_id, unit_path, kind, topic, place, starts_at, ends_at, code, \
             state, created_at) VALUES ($1, $2, 'theme_day', '主题党日', '', $3, $4, '123456', 'planned', $3) RETURNING id",
        )
        .bind(b)
        .bind(&path)
        .bind(now - 600)
        .bind(now + 5400)
        .fetch_one(pool)
        .await?;
        meeting_of.insert(*b, (id, path));
    }
    let t0 = Instant::now();
    let mut each: Vec<f64> = futures_util::stream::iter(members.iter().map(|(m, b)| {
        let (meeting, path) = meeting_of[b].clone();
        let pool = pool.clone();
        let m = *m;
        async move {
            let t = Instant::now();
            repo::attend(&pool, 1, meeting, m, &path, AttendMode::Present)
                .await
                .map(|_| t.elapsed().as_secs_f64() * 1000.0)
        }
    }))
    .buffer_unordered(50)
    .collect::<Vec<_>>()
    .await
    .into_iter()
    .collect::<Result<_, _>>()
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let total = t0.elapsed().as_secs_f64();
    each.sort_by(f64::total_cmp);
    let kept: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM meeting_attendance")
        .fetch_one(pool)
        .await?;
    println!(
        "[{label}] check-in of {} members (50 at a time): {:.1} s in all, p50 {:.0} ms, p95 {:.0} ms each; {} attendances stored",
        members.len(),
        total,
        percentile(&each, 0.5),
        percentile(&each, 0.95),
        kept
    );
    Ok(())
}
