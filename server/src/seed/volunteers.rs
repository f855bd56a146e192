//! Demo volunteering: a team in the demo accounts' village and one at its township, each with
//! a closed activity whose hours are credited (`resident2`, `member1`, `member2` took part),
//! one under way now (sign-up on the spot and check-in open) and one tomorrow. Written through
//! the same store calls as the pages, with the times the steps would have had.

use app::features::volunteers::repo::{self, NewActivity};
use sqlx::AnyPool;

fn err(e: app::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

async fn user(pool: &AnyPool, name: &str) -> anyhow::Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(name)
            .fetch_optional(pool)
            .await?,
    )
}

/// (teams, activities) written; nothing when the village already has a team.
pub async fn seed_volunteers(pool: &AnyPool, now: i64) -> anyhow::Result<(usize, usize)> {
    let village: Option<(i64, String, String, i64, String, String)> = sqlx::query_as(
        "SELECT v.id, v.path, v.name, t.id, t.path, t.name FROM users u \
         JOIN org_units g ON g.id = u.org_unit_id JOIN org_units v ON v.id = g.parent_id \
         JOIN org_units t ON t.id = v.parent_id WHERE u.username = 'resident1'",
    )
    .fetch_optional(pool)
    .await?;
    let Some((vid, vpath, vname, tid, tpath, tname)) = village else {
        return Ok((0, 0));
    };
    let have: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM volunteer_teams WHERE org_unit_id = $1",
    )
    .bind(vid)
    .fetch_one(pool)
    .await?;
    if have > 0 {
        return Ok((0, 0));
    }
    let organiser = user(pool, "village1").await?;
    let day = app::domain::calendar::day_start(app::domain::calendar::local_date(now));
    let teams = [
        (vid, vpath, format!("{vname}志愿服务队")),
        (tid, tpath, format!("{tname}新时代文明实践志愿服务队")),
    ];
    let mut activities = 0;
    for (k, (unit, path, name)) in teams.iter().enumerate() {
        let team = repo::add_team(
            pool,
            organiser.unwrap_or(1),
            *unit,
            path,
            name,
            now - 90 * 86_400,
        )
        .await
        .map_err(err)?;
        let plans: [(&str, &str, i64, i64, i64); 3] = if k == 0 {
            [
                (
                    "清理河道垃圾",
                    "村口溪边",
                    day - 20 * 86_400 + 8 * 3600,
                    180,
                    20,
                ),
                ("陪伴独居老人", "村文化礼堂", now - 30 * 60, 270, 30),
                (
                    "垃圾分类宣传",
                    "村委会广场",
                    day + 86_400 + 9 * 3600,
                    120,
                    10,
                ),
            ]
        } else {
            [
                (
                    "义务植树",
                    "镇中心公园",
                    day - 40 * 86_400 + 8 * 3600,
                    240,
                    50,
                ),
                (
                    "文明交通劝导",
                    "镇中心路口",
                    day + 2 * 86_400 + 7 * 3600,
                    120,
                    8,
                ),
                (
                    "防汛物资清点",
                    "镇应急物资仓库",
                    day + 5 * 86_400 + 14 * 3600,
                    90,
                    12,
                ),
            ]
        };
        for (i, (title, place, starts, minutes, limit)) in plans.into_iter().enumerate() {
            let id = repo::add_activity(
                pool,
                organiser.unwrap_or(1),
                &NewActivity {
                    team,
                    path,
                    title,
                    place,
                    starts_at: starts,
                    ends_at: starts + minutes * 60,
                    limit,
                },
                starts - 7 * 86_400,
            )
            .await
            .map_err(err)?;
            activities += 1;
            if i != 0 {
                continue;
            }
            // The closed one: who came, checked in, credited at its end.
            for name in ["resident2", "member1", "member2"] {
                let Some(u) = user(pool, name).await? else {
                    continue;
                };
                if repo::sign_up(pool, u, id, starts - 86_400)
                    .await
                    .map_err(err)?
                    .is_ok()
                {
                    let _ = repo::check_in(pool, u, id, starts).await.map_err(err)?;
                }
            }
            let _ = repo::close(pool, organiser.unwrap_or(1), id, starts + minutes * 60)
                .await
                .map_err(err)?;
        }
    }
    Ok((teams.len(), activities))
}
