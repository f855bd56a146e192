//! Demo 三务公开: the villages of the demo accounts' township put up their party, village and
//! financial disclosures for the last three months — most on time, a few late, a few never
//! (so the township's on-time view and the weekly lists have something to tell) — and the
//! township and county each a notice. Written through the store call the publish form uses,
//! with the days the steps would have had.

use app::domain::calendar::{day_start, format_date, local_date};
use app::domain::disclosures::{check_table, Kind, Month1};
use app::features::disclosures::repo::{self, NewDisclosure};
use sqlx::AnyPool;

fn err(e: app::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

fn finance_rows(v: i64, m: u8) -> Vec<(String, String, String)> {
    let base = 20_000 + (v % 7) * 1_500 + i64::from(m) * 100;
    [
        ("上级转移支付", format!("{base}"), String::new()),
        ("村集体经营收入", format!("{}.50", base / 4), String::new()),
        ("村道保洁工资", String::new(), "3600".to_string()),
        ("路灯电费", String::new(), format!("{}.20", 300 + v % 50)),
        ("困难户慰问", String::new(), "2000".to_string()),
    ]
    .into_iter()
    .map(|(a, b, c)| (a.to_string(), b, c))
    .collect()
}

/// Disclosures written; nothing when the township already has some.
pub async fn seed_disclosures(pool: &AnyPool, now: i64) -> anyhow::Result<usize> {
    let town: Option<(i64, String, i64)> = sqlx::query_as(
        "SELECT t.id, t.path, t.parent_id FROM users u JOIN org_units g ON g.id = u.org_unit_id \
         JOIN org_units v ON v.id = g.parent_id JOIN org_units t ON t.id = v.parent_id \
         WHERE u.username = 'resident1'",
    )
    .fetch_optional(pool)
    .await?;
    let Some((tid, tpath, county)) = town else {
        return Ok(0);
    };
    let have: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM disclosures WHERE unit_path LIKE ($1 || '%')",
    )
    .bind(&tpath)
    .fetch_one(pool)
    .await?;
    if have > 0 {
        return Ok(0);
    }
    let publisher = |name: &'static str| async move {
        sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE username = $1")
            .bind(name)
            .fetch_optional(pool)
            .await
    };
    let cadre = publisher("village1").await?.unwrap_or(1);
    let villages: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, path, name FROM org_units WHERE parent_id = $1 AND level = 'village' ORDER BY id",
    )
    .bind(tid)
    .fetch_all(pool)
    .await?;
    let today = local_date(now);
    let mut written = 0;
    for (i, (vid, vpath, vname)) in villages.iter().enumerate() {
        let mut month = Month1::of(today);
        for j in 0..3 {
            month = month.prev();
            let Some(due) = month.due() else { continue };
            for (k, kind) in Kind::MONTHLY.into_iter().enumerate() {
                let turn = i + j + k;
                let day = if turn % 7 == 3 {
                    continue;
                } else if turn % 5 == 4 {
                    due + time::Duration::days(4)
                } else {
                    due - time::Duration::days(5)
                };
                if day > today {
                    continue;
                }
                let title = format!(
                    "{vname}{}年{}月{}",
                    month.year,
                    month.month,
                    match kind {
                        Kind::Party => "党务公开",
                        Kind::Village => "村务公开",
                        _ => "财务收支公开",
                    }
                );
                let body = match kind {
                    Kind::Party => "本月召开支部党员大会1次、支委会2次，开展主题党日活动1次；发展入党积极分子1名；党费按时收缴。",
                    Kind::Village => "本月完成村道硬化验收；低保对象复核3户；村民代表会议审议通过冬季防火巡查方案。",
                    _ => "本月收支明细如下，如有疑问请在下方提问或到村委会查阅凭证。",
                };
                let table = (kind == Kind::Finance)
                    .then(|| {
                        let rows = finance_rows(*vid, month.month);
                        let inc: i64 = rows
                            .iter()
                            .filter_map(|r| app::domain::disclosures::parse_yuan(&r.1))
                            .sum();
                        let exp: i64 = rows
                            .iter()
                            .filter_map(|r| app::domain::disclosures::parse_yuan(&r.2))
                            .sum();
                        check_table(
                            &rows,
                            &app::domain::disclosures::yuan_text(inc),
                            &app::domain::disclosures::yuan_text(exp),
                        )
                    })
                    .transpose()
                    .map_err(|(f, r)| anyhow::anyhow!("demo table: {f} {r}"))?;
                let at = day_start(day) + 9 * 3600;
                let d = NewDisclosure {
                    unit_id: *vid,
                    unit_path: vpath,
                    kind,
                    period: &month.as_string(),
                    title: &title,
                    body,
                    table: table.as_ref(),
                    day: &format_date(day),
                };
                if repo::publish(pool, cadre, &d, &[], None, at)
                    .await
                    .map_err(err)?
                    .is_some()
                {
                    written += 1;
                }
            }
        }
    }
    let town_user = publisher("town1").await?.unwrap_or(1);
    let county_user = publisher("county").await?.unwrap_or(1);
    let county_path: Option<String> =
        sqlx::query_scalar("SELECT path FROM org_units WHERE id = $1")
            .bind(county)
            .fetch_optional(pool)
            .await?;
    let notices = [
        (
            tid,
            tpath.clone(),
            town_user,
            "关于做好冬季防火和道路结冰防范的通知",
            "请各村组织网格员入户提醒，清理柴草堆放，检查电线老化；遇道路结冰请减少出行。",
        ),
        (
            county,
            county_path.unwrap_or_default(),
            county_user,
            "县政务服务中心元旦假期办事安排",
            "元旦假期（1月1日）政务服务中心暂停线下办理，网上约办和代办照常受理。",
        ),
    ];
    for (unit, path, user, title, body) in notices {
        if path.is_empty() {
            continue;
        }
        let d = NewDisclosure {
            unit_id: unit,
            unit_path: &path,
            kind: Kind::Notice,
            period: &Month1::of(today).as_string(),
            title,
            body,
            table: None,
            day: &format_date(today),
        };
        if repo::publish(pool, user, &d, &[], None, now - 3600)
            .await
            .map_err(err)?
            .is_some()
        {
            written += 1;
        }
    }
    Ok(written)
}
