//! Demo 务工信息: jobs posted by the county across the trades, and sixty days of the demo
//! accounts opening them and registering interest (more as the year's end nears, as in the
//! weeks before Spring Festival), written through the store calls the pages use, so the
//! demand picture's cells are exactly what those views and interests counted.

use app::domain::calendar::{format_date, local_date};
use app::domain::jobs::{age_band, sex_of, Trade};
use app::domain::org::{ancestor_path, path_ids, OrgLevel};
use app::features::jobs::repo::{self, Facts, NewJob};
use rand::{Rng, SeedableRng};
use sqlx::AnyPool;

fn err(e: app::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

const JOBS: [(&str, &str, Trade, &str, i64, i64, i64); 8] = [
    (
        "钢筋工",
        "县城东建设工程公司",
        Trade::Construction,
        "县城东区工地",
        7000,
        9000,
        20,
    ),
    (
        "装配操作工",
        "工业园区电机厂",
        Trade::Manufacturing,
        "工业园区",
        4500,
        6500,
        50,
    ),
    (
        "厨房帮工",
        "县城大酒店",
        Trade::Catering,
        "县城",
        3500,
        4500,
        6,
    ),
    (
        "快递分拣员",
        "县物流中心",
        Trade::Logistics,
        "物流园",
        4000,
        5500,
        30,
    ),
    (
        "养老护理员",
        "县社会福利中心",
        Trade::Care,
        "县城",
        4200,
        5200,
        10,
    ),
    (
        "茶园采摘工",
        "高山茶业合作社",
        Trade::Farming,
        "山区茶园",
        4500,
        6000,
        40,
    ),
    (
        "直播带货助理",
        "县电商产业园",
        Trade::Ecommerce,
        "电商产业园",
        4000,
        8000,
        8,
    ),
    (
        "保洁员",
        "县城物业公司",
        Trade::Other,
        "县城小区",
        3000,
        3500,
        12,
    ),
];

/// (jobs, views) written; nothing when the county already has jobs.
pub async fn seed_jobs(
    pool: &AnyPool,
    county_code: &str,
    now: i64,
) -> anyhow::Result<(usize, usize)> {
    let county: Option<String> =
        sqlx::query_scalar("SELECT path FROM org_units WHERE code = $1 AND level = 'county'")
            .bind(county_code)
            .fetch_optional(pool)
            .await?;
    let Some(county) = county else {
        return Ok((0, 0));
    };
    let have: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM jobs WHERE county_path = $1")
            .bind(&county)
            .fetch_one(pool)
            .await?;
    if have > 0 {
        return Ok((0, 0));
    }
    let poster: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'county'")
        .fetch_optional(pool)
        .await?
        .unwrap_or(1);
    let start = now - 60 * 86_400;
    let mut jobs = Vec::new();
    for (title, employer, trade, place, low, high, n) in JOBS {
        let id = repo::post(
            pool,
            poster,
            &NewJob {
                county_path: &county,
                unit_path: &county,
                title,
                employer,
                trade: trade.as_str(),
                place,
                wage_low: low,
                wage_high: high,
                headcount: n,
                contact: "县人社局就业服务窗口 0570-0000000",
                detail: "包食宿，签订劳动合同，缴纳社保。",
                until_at: now + 90 * 86_400,
            },
            start,
        )
        .await
        .map_err(err)?;
        jobs.push((id, trade));
    }
    // Everyone with an account in the county: who they are to the picture.
    let people: Vec<(i64, String, Option<i64>, String)> = sqlx::query_as(
        "SELECT u.id, o.path, r.birth_year, COALESCE(r.gender, '') FROM users u \
         JOIN org_units o ON o.id = u.org_unit_id LEFT JOIN residents r ON r.id = u.resident_id \
         WHERE o.path LIKE ($1 || '%')",
    )
    .bind(&county)
    .fetch_all(pool)
    .await?;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2026);
    let mut views = 0;
    for d in 0..60i64 {
        let t = start + d * 86_400 + 10 * 3600;
        let day = format_date(local_date(t));
        let year = i64::from(local_date(t).year());
        // From one in five to most of them as the weeks go on.
        let share = 0.2 + 0.6 * d as f64 / 60.0;
        for (user, path, birth, gender) in &people {
            let township = ancestor_path(path, OrgLevel::Township)
                .and_then(|p| path_ids(&p).last().copied())
                .unwrap_or(0);
            for (job, trade) in &jobs {
                if !rng.gen_bool(share / 3.0) {
                    continue;
                }
                let f = Facts {
                    county_path: &county,
                    day: &day,
                    township_id: township,
                    trade: trade.as_str(),
                    band: age_band(*birth, year),
                    sex: sex_of(gender),
                };
                if repo::view(pool, *user, *job, &f).await.map_err(err)? {
                    views += 1;
                }
                if rng.gen_bool(0.05) {
                    repo::interest(pool, *user, *job, &f, t)
                        .await
                        .map_err(err)?;
                }
            }
        }
    }
    Ok((jobs.len(), views))
}
