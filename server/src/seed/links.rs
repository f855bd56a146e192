//! Demo 党员联户: in every branch of the county, the village's households shared among the
//! members in turn, at most seven each ("1+7"); the demo resident's household is served by the
//! demo member, so the two accounts meet on the pages.

use sqlx::AnyPool;

use app::domain::party::links::HOUSEHOLDS_PER_MEMBER;

use crate::geo::import::progress;

/// Returns the number of households linked.
pub async fn seed_links(pool: &AnyPool, county: &str, quiet: bool) -> anyhow::Result<usize> {
    let county_path = crate::seed::county_path(pool, county).await?;
    let branches: Vec<(i64, String)> = sqlx::query_as(
        "SELECT b.id, o.path FROM party_branches b JOIN org_units o ON o.id = b.org_unit_id \
         WHERE o.path LIKE ($1 || '%') ORDER BY b.id",
    )
    .bind(&county_path)
    .fetch_all(pool)
    .await?;
    let pb = progress(branches.len() as u64, "member households", quiet);
    let now = app::ssr::now();
    let mut linked = 0;
    let mut tx = pool.begin().await?;
    for (branch, path) in &branches {
        let members: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM party_members WHERE branch_id = $1 ORDER BY id")
                .bind(branch)
                .fetch_all(&mut *tx)
                .await?;
        if members.is_empty() {
            pb.inc(1);
            continue;
        }
        let households: Vec<i64> = sqlx::query_scalar(
            "SELECT h.id FROM households h JOIN org_units g ON g.id = h.grid_id \
             WHERE g.path LIKE ($1 || '%') ORDER BY h.id",
        )
        .bind(path)
        .fetch_all(&mut *tx)
        .await?;
        let room = members.len() * HOUSEHOLDS_PER_MEMBER;
        for (i, h) in households.iter().take(room).enumerate() {
            sqlx::query(
                "INSERT INTO member_households (household_id, member_id, since) VALUES ($1, $2, $3) \
                 ON CONFLICT (household_id) DO NOTHING",
            )
            .bind(h)
            .bind(members[i % members.len()])
            .bind(now)
            .execute(&mut *tx)
            .await?;
            linked += 1;
        }
        pb.inc(1);
    }
    sqlx::query(
        "INSERT INTO member_households (household_id, member_id, since) \
         SELECT r.household_id, pm.id, $1 FROM users u JOIN residents r ON r.id = u.resident_id, \
         users mu JOIN party_members pm ON pm.resident_id = mu.resident_id \
         WHERE u.username = 'resident1' AND mu.username = 'member1' \
         ON CONFLICT (household_id) DO UPDATE SET member_id = excluded.member_id",
    )
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    pb.finish_and_clear();
    Ok(linked)
}
