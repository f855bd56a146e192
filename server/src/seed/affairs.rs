//! Demo branch housekeeping: every branch's last election (most of the 2021 round, so a few
//! terms end within half a year and one has ended), each member's monthly dues with the month
//! paid up to (most paid through last month, some behind), so the lights on `/party/affairs`
//! and the secretary's reminders show something real.

use sqlx::AnyPool;

use app::domain::calendar::{format_date, local_date};
use app::domain::party::affairs::{add_months, month_of};

use crate::geo::import::progress;

/// Returns (terms, dues rows) written.
pub async fn seed_affairs(
    pool: &AnyPool,
    county: &str,
    now: i64,
    quiet: bool,
) -> anyhow::Result<(usize, usize)> {
    let county_path = crate::seed::county_path(pool, county).await?;
    let branches: Vec<i64> = sqlx::query_scalar(
        "SELECT b.id FROM party_branches b JOIN org_units o ON o.id = b.org_unit_id \
         WHERE o.path LIKE ($1 || '%') ORDER BY b.id",
    )
    .bind(&county_path)
    .fetch_all(pool)
    .await?;
    let pb = progress(branches.len() as u64, "branch affairs", quiet);
    let today = local_date(now);
    let this_month = month_of(today);
    let (mut terms, mut dues) = (0, 0);
    let mut tx = pool.begin().await?;
    for (i, b) in branches.iter().enumerate() {
        // Days before a full five-year term from today: negative has ended.
        let offset = match i % 11 {
            0 => -20,
            1 | 2 => 75,
            _ => 200 + (i as i64 * 37) % 900,
        };
        let elected = today - time::Duration::days(5 * 365 + 1 - offset);
        terms += sqlx::query(
            "INSERT INTO branch_terms (branch_id, elected_on, years, note, at) \
             VALUES ($1, $2, 5, '', $3) ON CONFLICT (branch_id, elected_on) DO NOTHING",
        )
        .bind(b)
        .bind(format_date(elected))
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected() as usize;
        let members: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM party_members WHERE branch_id = $1 ORDER BY id")
                .bind(b)
                .fetch_all(&mut *tx)
                .await?;
        for (j, m) in members.iter().enumerate() {
            let rate = [20_i64, 50, 100, 200, 1000][(i + j) % 5];
            let behind = match (i + 3 * j) % 9 {
                0 => 3,
                1 => 1,
                _ => 0,
            };
            let paid_to = add_months(this_month, -1 - behind);
            dues += sqlx::query(
                "INSERT INTO member_dues (member_id, rate_fen, since, paid_to, updated_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (member_id) DO NOTHING",
            )
            .bind(m)
            .bind(rate)
            .bind(format_date(add_months(this_month, -24)))
            .bind(format_date(paid_to))
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected() as usize;
        }
        pb.inc(1);
    }
    tx.commit().await?;
    pb.finish_and_clear();
    Ok((terms, dues))
}
