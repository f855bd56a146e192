//! Admins keep the catalogue and the calendar (both databases): a changed time limit applies to the
//! next report and leaves running deadlines alone; bad input is refused in the user's language with
//! nothing changed; retired categories leave the report form; every change is audited.

use crate::common::http::{config, signed_in, Client, Part};
use crate::common::TestDb;
use app::features::events::repo;
use serde_json::Value;

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn edit_form(id: i64, kind: &str, value: &str, town: &str, county: &str, active: bool) -> String {
    format!(
        "id={id}&limit_kind={kind}&limit_value={}&default_level=village&township_department={}\
         &county_department={}{}",
        urlencode(value),
        urlencode(town),
        urlencode(county),
        if active { "&active=on" } else { "" }
    )
}

async fn limit_of(db: &TestDb, code: &str) -> (String, i64) {
    sqlx::query_as("SELECT limit_kind, limit_value FROM categories WHERE code = $1")
        .bind(code)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

async fn report(resident: &mut Client, db: &TestDb, key: &str, cat: i64) -> (i64, i64, i64) {
    let (lng, lat): (f64, f64) = sqlx::query_as(
        "SELECT o.center_lng, o.center_lat FROM users u JOIN org_units o ON o.id = u.org_unit_id \
         WHERE u.username = 'resident1'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let parts = vec![
        Part::Text("idem_key", key.into()),
        Part::Text("channel", "app".into()),
        Part::Text("category", cat.to_string()),
        Part::Text("description", "路灯不亮已经三天了".into()),
        Part::Text("lng", lng.to_string()),
        Part::Text("lat", lat.to_string()),
    ];
    let r = resident.multipart("/report", &parts, true).await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.body);
    let id = serde_json::from_str::<Value>(&r.body).unwrap()["id"]
        .as_i64()
        .unwrap();
    let (limit, due): (i64, i64) =
        sqlx::query_as("SELECT limit_secs, due_at FROM events WHERE id = $1")
            .bind(id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    (id, limit, due)
}

#[tokio::test]
async fn admins_edit_categories_and_the_calendar() {
    for db in TestDb::seeded_both().await {
        let app = server::http::router(db.pool.clone(), &config());
        let mut admin = signed_in(&app, "admin").await;
        let mut resident = signed_in(&app, "resident1").await;

        // The scoring rules are seeded with the catalogue, each within its own cap.
        let rules: Vec<(String, i64, Option<i64>)> =
            sqlx::query_as("SELECT code, points, cap FROM score_rules ORDER BY code")
                .fetch_all(&db.pool)
                .await
                .unwrap();
        let csv_rows = include_str!("../../../seed/scoring/rules.csv")
            .lines()
            .count()
            - 1;
        assert_eq!(rules.len(), csv_rows);
        assert!(rules
            .iter()
            .all(|(_, p, cap)| *p != 0 && cap.is_none_or(|c| c >= p.abs())));

        let r = admin.call("catalog", "").await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let cat: Value = serde_json::from_str(&r.body).unwrap();
        let entries = cat["entries"].as_array().unwrap();
        assert!(entries.len() >= 40, "about forty categories seeded");
        let l02 = entries
            .iter()
            .find(|e| e["category"]["code"] == "L02")
            .unwrap();
        let id = l02["category"]["id"].as_i64().unwrap();
        let town = l02["township_department"].as_str().unwrap().to_string();
        let county = l02["county_department"].as_str().unwrap().to_string();
        assert!(cat["township_departments"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d == town.as_str()));

        let (_, before_limit, before_due) = report(&mut resident, &db, "cat-1", id).await;
        assert_eq!(limit_of(&db, "L02").await, ("days".into(), 3));

        // Bad input: refused in Chinese, nothing changed.
        for (form, words) in [
            (
                edit_form(id, "days", "三", &town, &county, true),
                "办理时限",
            ),
            (
                edit_form(id, "days", "61", &town, &county, true),
                "超出允许范围",
            ),
            (
                edit_form(id, "weeks", "2", &town, &county, true),
                "办理时限",
            ),
            (
                edit_form(id, "hours", "8", "不存在的部门", &county, true),
                "没有这个名称的部门",
            ),
        ] {
            let r = admin.call("save_category", &form).await;
            assert_eq!(r.status.as_u16(), 422, "{form}: {}", r.body);
            let e: app::error::AppError = serde_json::from_str(&r.body).unwrap();
            let msg = e.message("zh-CN");
            assert!(msg.contains(words), "{form}: {msg}");
        }
        assert_eq!(limit_of(&db, "L02").await, ("days".into(), 3));

        // Two working hours from now on; the open event keeps its deadline.
        let r = admin
            .call(
                "save_category",
                &edit_form(id, "hours", "2", &town, &county, true),
            )
            .await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        assert_eq!(limit_of(&db, "L02").await, ("hours".into(), 2));
        let (_, after_limit, _) = report(&mut resident, &db, "cat-2", id).await;
        assert_eq!(after_limit, 2 * 3600);
        assert_ne!(before_limit, after_limit);
        let due_now: i64 =
            sqlx::query_scalar("SELECT due_at FROM events WHERE idem_key LIKE '%:cat-1'")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(due_now, before_due, "a running deadline does not move");

        // Retired: gone from the report form, refused at intake, still listed for the admin.
        let r = admin
            .call(
                "save_category",
                &edit_form(id, "hours", "2", &town, &county, false),
            )
            .await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        assert!(!repo::categories(&db.pool)
            .await
            .unwrap()
            .iter()
            .any(|c| c.id == id));

        // A new category continues its board's numbering.
        let r = admin
            .call(
                "add_category",
                &format!(
                    "board=livelihood&name_zh={}&name_en=&limit_kind=days&limit_value=2\
                     &default_level=village&township_department={}&county_department={}",
                    urlencode("井盖缺失"),
                    urlencode(&town),
                    urlencode(&county)
                ),
            )
            .await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let code: String = serde_json::from_str(&r.body).unwrap();
        let highest: i64 = entries
            .iter()
            .filter_map(|e| e["category"]["code"].as_str())
            .filter_map(|c| c.strip_prefix('L').and_then(|n| n.parse().ok()))
            .max()
            .unwrap();
        assert_eq!(code, format!("L{:02}", highest + 1));
        assert!(repo::categories(&db.pool)
            .await
            .unwrap()
            .iter()
            .any(|c| c.code == code && c.name_en == "井盖缺失"));

        // The calendar: a make-up workday must be a weekend day; a holiday counts at once.
        let r = admin
            .call("set_calendar_day", "day=2027-03-01&kind=workday&name=x")
            .await;
        assert_eq!(r.status.as_u16(), 422);
        let r = admin
            .call(
                "set_calendar_day",
                "day=2027-03-01&kind=holiday&name=%E6%B5%8B%E8%AF%95",
            )
            .await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let cal = repo::calendar(&db.pool).await.unwrap();
        let day = app::domain::calendar::parse_date("2027-03-01").unwrap();
        assert!(!cal.is_workday(day));
        let y: Value =
            serde_json::from_str(&admin.call("calendar_year", "year=2027").await.body).unwrap();
        assert!(y["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["day"] == "2027-03-01" && e["name"] == "测试"));
        let r = admin
            .call("set_calendar_day", "day=2027-03-01&kind=none&name=")
            .await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        assert!(repo::calendar(&db.pool).await.unwrap().is_workday(day));
        // Year 0 is this year.
        let y: Value =
            serde_json::from_str(&admin.call("calendar_year", "year=0").await.body).unwrap();
        assert!(y["year"].as_i64().unwrap() >= 2026);

        let audited: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM audit_log WHERE action IN ('category_edit','category_add','calendar_set') ORDER BY id",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap();
        assert_eq!(
            audited,
            vec![
                "category_edit",
                "category_edit",
                "category_add",
                "calendar_set",
                "calendar_set"
            ]
        );
        db.drop_db().await;
    }
}
