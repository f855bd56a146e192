//! The overdue list and reminders on both databases: lights at the server's clock, scope by
//! subtree and department, counts per unit below, working hours over or left; reminders read per
//! reader, never for someone else's.

use crate::common::http::{config, signed_in, Client, Part};
use crate::common::TestDb;
use serde_json::Value;

async fn report(resident: &mut Client, cat: i64, text: &str) -> i64 {
    let r = resident
        .multipart(
            "/report",
            &[
                Part::Text("channel", "mailbox".into()),
                Part::Text("category", cat.to_string()),
                Part::Text("description", text.into()),
            ],
            true,
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.body);
    serde_json::from_str::<Value>(&r.body).unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// Moves an event's clock so that, now, it is `yellow_ago` past yellow and `due_ago` past due.
async fn age(db: &TestDb, id: i64, yellow_ago: i64, due_ago: i64) {
    let now = app::ssr::now();
    sqlx::query("UPDATE events SET yellow_at = $1, due_at = $2 WHERE id = $3")
        .bind(now - yellow_ago)
        .bind(now - due_ago)
        .bind(id)
        .execute(&db.pool)
        .await
        .unwrap();
}

fn json(r: &crate::common::http::Reply) -> Value {
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

#[tokio::test]
async fn the_overdue_list_and_reminders_follow_scope_and_reader() {
    for db in TestDb::seeded_both().await {
        let app = server::http::router(db.pool.clone(), &config());
        let mut resident = signed_in(&app, "resident1").await;
        let cat: i64 = sqlx::query_scalar("SELECT id FROM categories WHERE code = 'L02'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        let red = report(&mut resident, cat, "路灯坏了一个星期了").await;
        let yellow = report(&mut resident, cat, "村口的灯也不太亮").await;
        let green = report(&mut resident, cat, "建议多装几盏路灯").await;
        // Five days past due (whatever the weekday, at least some working hours); yellow in an
        // hour and a half from now.
        age(&db, red, 6 * 86_400, 5 * 86_400).await;
        age(&db, yellow, 60, -5_400).await;

        let mut town = signed_in(&app, "town1").await;
        let l = json(&town.call("overdue", "light=all").await);
        assert_eq!(
            (l["red"].as_i64(), l["yellow"].as_i64()),
            (Some(1), Some(1))
        );
        let rows = l["rows"].as_array().unwrap();
        let ids: Vec<i64> = rows
            .iter()
            .map(|r| r["card"]["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, vec![red, yellow], "most overdue first, green left out");
        assert!(!ids.contains(&green));
        assert!(rows[0]["over_working_secs"].as_i64().unwrap() > 0);
        let left = -rows[1]["over_working_secs"].as_i64().unwrap();
        assert!((0..=5_400).contains(&left), "left {left}s of working time");
        // The township sees its villages, the county its townships; each sums to the totals.
        let units = l["by_unit"].as_array().unwrap();
        assert_eq!(units.len(), 1);
        assert_eq!(
            (units[0]["red"].as_i64(), units[0]["yellow"].as_i64()),
            (Some(1), Some(1))
        );
        let village: String = sqlx::query_scalar(
            "SELECT v.name FROM events e JOIN org_units v ON v.id = e.village_id WHERE e.id = $1",
        )
        .bind(red)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(units[0]["name"].as_str(), Some(village.as_str()));
        let only_red = json(&town.call("overdue", "light=red").await);
        assert_eq!(only_red["rows"].as_array().unwrap().len(), 1);

        let mut county = signed_in(&app, "county").await;
        let l = json(&county.call("overdue", "light=all").await);
        let township: String = sqlx::query_scalar(
            "SELECT t.name FROM events e JOIN org_units t ON t.id = e.township_id WHERE e.id = $1",
        )
        .bind(red)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(l["by_unit"][0]["name"].as_str(), Some(township.as_str()));

        // Another township sees none of it; a department only what it owns; residents nothing.
        let mut other = signed_in(&app, "town2").await;
        let l = json(&other.call("overdue", "light=all").await);
        assert_eq!(
            (l["red"].as_i64(), l["yellow"].as_i64()),
            (Some(0), Some(0))
        );
        let mut dept = signed_in(&app, "dept1").await;
        let l = json(&dept.call("overdue", "light=all").await);
        assert_eq!(l["rows"].as_array().unwrap().len(), 0);
        assert_eq!(
            resident.call("overdue", "light=all").await.status.as_u16(),
            403
        );

        // Reminders: the background pass writes them to the township room.
        let noop: std::sync::Arc<dyn Fn(i64) + Send + Sync> = std::sync::Arc::new(|_| {});
        server::jobs::tick(&db.pool, &noop, app::ssr::now())
            .await
            .unwrap();
        let rem = json(&town.call("reminders", "").await);
        let rem = rem.as_array().unwrap();
        assert_eq!(rem.len(), 2, "{rem:?}");
        assert!(rem.iter().all(|r| r["read"] == false));
        // A second dispatcher of the same room reads them on their own.
        sqlx::query(
            "INSERT INTO users (username, password_hash, display_name, role, org_unit_id, created_at) \
             SELECT 'town1b', password_hash, '值班员乙', role, org_unit_id, created_at FROM users \
             WHERE username = 'town1'",
        )
        .execute(&db.pool)
        .await
        .unwrap();
        let mut second = signed_in(&app, "town1b").await;
        let first_id = rem[0]["id"].as_i64().unwrap();
        // Someone else's reminder id changes nothing.
        let n = json(
            &other
                .call("mark_reminders_read", &format!("id={first_id}"))
                .await,
        );
        assert_eq!(n.as_u64(), Some(0));
        let n = json(
            &town
                .call("mark_reminders_read", &format!("id={first_id}"))
                .await,
        );
        assert_eq!(n.as_u64(), Some(1));
        let rem = json(&town.call("reminders", "").await);
        let read: Vec<bool> = rem
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["read"].as_bool().unwrap())
            .collect();
        assert_eq!(read, vec![false, true], "unread first");
        let theirs = json(&second.call("reminders", "").await);
        assert!(theirs
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["read"] == false));
        let n = json(&town.call("mark_reminders_read", "").await);
        assert_eq!(n.as_u64(), Some(1), "the one left");
        let n = json(&town.call("mark_reminders_read", "").await);
        assert_eq!(n.as_u64(), Some(0), "marking twice writes nothing");
        db.drop_db().await;
    }
}
