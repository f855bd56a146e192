//! Demo resident services: the county's catalogue (the ten most common items are booked or
//! proxied from the phone in Longyou; five stand for them here), a service point in every
//! township (便民服务中心) and village (代办点), and the coming week's slots at the township
//! centres and the demo accounts' village for the items booked for one visit.

use app::domain::services::ServiceLabel;
use sqlx::AnyPool;

const ITEMS: &[(&str, &str, ServiceLabel, &str, &str, i64)] = &[
    (
        "社保卡补办",
        "Replacement social security card",
        ServiceLabel::OneVisit,
        "身份证、一寸照片",
        "人力社保所",
        1,
    ),
    (
        "居住证办理",
        "Residence permit",
        ServiceLabel::OneVisit,
        "身份证、租房合同或房产证明",
        "派出所",
        7,
    ),
    (
        "高龄津贴申领",
        "Old-age allowance",
        ServiceLabel::ZeroErrand,
        "身份证、银行卡",
        "民政办",
        15,
    ),
    (
        "残疾人证办理",
        "Disability certificate",
        ServiceLabel::FullProxy,
        "身份证、户口簿、医院诊断证明",
        "残联",
        20,
    ),
    (
        "开具居住证明",
        "Certificate of residence",
        ServiceLabel::ZeroApproval,
        "身份证",
        "村（社区）便民服务站",
        0,
    ),
];

/// (items, points, slots) written; nothing when the county already has a catalogue.
pub async fn seed_services(
    pool: &AnyPool,
    county: &str,
    now: i64,
) -> anyhow::Result<(usize, usize, usize)> {
    let county_path = super::county_path(pool, county).await?;
    let have: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM service_items WHERE unit_path = $1",
    )
    .bind(&county_path)
    .fetch_one(pool)
    .await?;
    if have > 0 {
        return Ok((0, 0, 0));
    }
    let mut tx = pool.begin().await?;
    let mut booked_items = Vec::new();
    for (zh, en, label, materials, dept, days) in ITEMS {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO service_items (unit_path, name_zh, name_en, label, materials, department, \
             time_limit_days) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&county_path)
        .bind(*zh)
        .bind(*en)
        .bind(label.as_str())
        .bind(*materials)
        .bind(*dept)
        .bind(*days)
        .fetch_one(&mut *tx)
        .await?;
        if label.bookable() {
            booked_items.push(id);
        }
    }
    let units: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, path, name, level FROM org_units WHERE path LIKE ($1 || '%') \
         AND level IN ('township', 'village') ORDER BY path",
    )
    .bind(&county_path)
    .fetch_all(&mut *tx)
    .await?;
    let demo_village: Option<String> = sqlx::query_scalar(
        "SELECT v.path FROM users u JOIN org_units g ON g.id = u.org_unit_id \
         JOIN org_units v ON v.id = g.parent_id WHERE u.username = 'resident1'",
    )
    .fetch_optional(&mut *tx)
    .await?;
    let first_day = app::domain::calendar::day_start(app::domain::calendar::local_date(now));
    let (mut points, mut slots) = (0, 0);
    for (unit, path, name, level) in &units {
        let (pname, address) = if level == "township" {
            (
                format!("{name}便民服务中心"),
                format!("{name}人民政府一楼大厅"),
            )
        } else {
            (format!("{name}代办点"), format!("{name}村（居）委会"))
        };
        let point: i64 = sqlx::query_scalar(
            "INSERT INTO service_points (org_unit_id, unit_path, name, address) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(unit)
        .bind(path)
        .bind(&pname)
        .bind(&address)
        .fetch_one(&mut *tx)
        .await?;
        points += 1;
        if level != "township" && demo_village.as_deref() != Some(path.as_str()) {
            continue;
        }
        for day in 1..=7 {
            for (h, cap) in [(9, 5), (14, 3)] {
                for item in &booked_items {
                    let starts = first_day + day * 86_400 + h * 3600;
                    sqlx::query(
                        "INSERT INTO service_slots (point_id, item_id, starts_at, ends_at, capacity, \
                         booked, created_at) VALUES ($1, $2, $3, $4, $5, 0, $6)",
                    )
                    .bind(point)
                    .bind(item)
                    .bind(starts)
                    .bind(starts + 90 * 60)
                    .bind(cap)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    slots += 1;
                }
            }
        }
    }
    tx.commit().await?;
    Ok((ITEMS.len(), points, slots))
}
