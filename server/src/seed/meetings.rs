//! Demo branch life: for every branch of the county, the meetings its requirements ask for in
//! the previous and the current month (most held and closed with minutes, some missed), with
//! its members' attendance. Points for branch life come from the demo activities, so these
//! attendances carry none of their own.

use app::domain::calendar::{day_start, local_date};
use app::domain::party::{MeetingKind, RequirementBook};
use app::domain::scoring::{Period, PeriodKind};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::AnyPool;

use crate::geo::import::progress;

const TOPICS: &[&str] = &[
    "学习贯彻上级会议精神",
    "研究村级重点工作",
    "人居环境整治动员",
    "防汛防火安全部署",
    "党员联户走访情况交流",
    "民主评议党员",
];
const ABSENT: &[&str] = &["外出务工请假", "生病请假", "家中有事请假"];

/// Returns (meetings, attendances) written.
pub async fn seed_meetings(
    pool: &AnyPool,
    county: &str,
    end: i64,
    seed: u64,
    quiet: bool,
) -> anyhow::Result<(usize, usize)> {
    let county_path = crate::seed::county_path(pool, county).await?;
    let branches: Vec<(i64, String)> = sqlx::query_as(
        "SELECT b.id, o.path FROM party_branches b JOIN org_units o ON o.id = b.org_unit_id \
         WHERE o.path LIKE ($1 || '%') ORDER BY b.id",
    )
    .bind(&county_path)
    .fetch_all(pool)
    .await?;
    let members: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT pm.branch_id, pm.id, CAST(pm.migrant AS BIGINT) FROM party_members pm ORDER BY pm.id",
    )
    .fetch_all(pool)
    .await?;
    let mut by_branch: std::collections::HashMap<i64, Vec<(i64, bool)>> = Default::default();
    for (b, m, migrant) in members {
        by_branch.entry(b).or_default().push((m, migrant != 0));
    }
    let book: RequirementBook = app::features::party::repo::requirements(pool)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let today = local_date(end);
    let this_month = Period::containing(PeriodKind::Month, today);
    let last_month = Period::containing(
        PeriodKind::Month,
        this_month.start - time::Duration::days(1),
    );
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let pb = progress(branches.len() as u64, "meetings", quiet);
    let (mut meetings, mut attendances) = (0, 0);
    for (branch, path) in &branches {
        // Some branches keep every requirement, a few let things slide.
        let keeps: f64 = rng.gen_range(0.6..1.0);
        let mut tx = pool.begin().await?;
        for month in [last_month, this_month] {
            for r in book.on(month.start) {
                let quarter = r.cadence.period_kind() == PeriodKind::Quarter;
                // A quarterly meeting falls in one month of its quarter.
                if quarter && rng.gen_bool(2.0 / 3.0) {
                    continue;
                }
                if !rng.gen_bool(keeps) {
                    continue;
                }
                let from = day_start(month.start);
                let until = day_start(month.end()).min(end);
                if until - from < 86_400 {
                    continue;
                }
                let days = (until - from) / 86_400;
                // 14:00–17:00 local on one of the month's days so far.
                let starts_at =
                    from + rng.gen_range(0..days) * 86_400 + (14 + rng.gen_range(0..3)) * 3600;
                if starts_at + 5400 > end {
                    continue;
                }
                let topic = TOPICS.choose(&mut rng).copied().unwrap_or("学习");
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO meetings (branch_id, unit_path, kind, topic, place, starts_at, ends_at, \
                     code, state, minutes, created_at, closed_at) VALUES ($1, $2, $3, $4, '党群服务中心', \
                     $5, $6, $7, 'closed', $8, $9, $10) RETURNING id",
                )
                .bind(branch)
                .bind(path)
                .bind(r.kind.as_str())
                .bind(topic)
                .bind(starts_at)
                .bind(starts_at + 5400)
                .bind(format!("{:06}", rng.gen_range(0..1_000_000)))
                .bind(format!("会议围绕“{topic}”开展，与会党员进行了讨论。（演示数据）"))
                .bind(starts_at - 3 * 86_400)
                .bind(starts_at + 5400)
                .fetch_one(&mut *tx)
                .await?;
                meetings += 1;
                let attendees: &[(i64, bool)] = match r.kind {
                    // The committee is the branch's few committee members: the first three.
                    MeetingKind::Committee => by_branch
                        .get(branch)
                        .map(|v| &v[..v.len().min(3)])
                        .unwrap_or(&[]),
                    _ => by_branch.get(branch).map(|v| v.as_slice()).unwrap_or(&[]),
                };
                for (member, migrant) in attendees {
                    let roll: f64 = rng.gen_range(0.0..1.0);
                    let (mode, reason) = if *migrant && roll < 0.7 {
                        ("remote", "")
                    } else if roll < 0.88 {
                        ("present", "")
                    } else {
                        ("absent", ABSENT.choose(&mut rng).copied().unwrap_or(""))
                    };
                    sqlx::query(
                        "INSERT INTO meeting_attendance (meeting_id, member_id, mode, reason, at) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(id)
                    .bind(member)
                    .bind(mode)
                    .bind(reason)
                    .bind(starts_at + rng.gen_range(-900..900))
                    .execute(&mut *tx)
                    .await?;
                    attendances += 1;
                }
            }
        }
        tx.commit().await?;
        pb.inc(1);
    }
    pb.finish_and_clear();
    Ok((meetings, attendances))
}
