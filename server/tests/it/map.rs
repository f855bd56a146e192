//! The command map's data on both databases: every open event in scope whatever its age, the
//! others of the last 30 days, nothing of another township; one pin per live change with the
//! same scope; residents refused.

use std::collections::BTreeSet;

use crate::common::http::{router, signed_in, Client};
use crate::common::{resident_report, TestDb};
use app::domain::calendar::{day_start, local_date, Light};
use app::domain::map::{grid_lights, Pin};
use app::features::map::types::{CommandMap, MAP_DAYS};

/// A report in resident1's grid, then moved in time and state by hand.
async fn event(db: &TestDb, state: &str, age_days: i64, overdue: bool) -> i64 {
    let out = resident_report(db, None, None, "地图测试").await;
    let now = app::ssr::now();
    let created = now - age_days * 86_400;
    let due = if overdue { now - 3600 } else { now + 86_400 };
    sqlx::query(
        "UPDATE events SET state = $1, created_at = $2, due_at = $3, yellow_at = $4 WHERE id = $5",
    )
    .bind(state)
    .bind(created)
    .bind(due)
    .bind(due - 3600)
    .bind(out.id)
    .execute(&db.pool)
    .await
    .unwrap();
    out.id
}

async fn map_of(c: &mut Client, form: &str) -> (u16, Option<CommandMap>) {
    let r = c.call("command_map", form).await;
    (r.status.as_u16(), serde_json::from_str(&r.body).ok())
}

#[tokio::test]
async fn the_map_loads_open_events_of_any_age_and_recent_others_in_scope() {
    for db in TestDb::seeded_both().await {
        let fresh = event(&db, "reported", 0, false).await;
        let old_overdue = event(&db, "handling", 90, true).await;
        let closed_recently = event(&db, "closed", 3, false).await;
        let closed_long_ago = event(&db, "closed", 40, false).await;

        let app = router(db.pool.clone());
        let mut town = signed_in(&app, "town1").await;
        let mut other = signed_in(&app, "town2").await;
        let mut resident = signed_in(&app, "resident1").await;

        let (status, map) = map_of(&mut town, "").await;
        assert_eq!(status, 200);
        let map = map.unwrap();
        let ids: BTreeSet<i64> = map.pins.iter().map(|p| p.id).collect();
        let town_path: String = sqlx::query_scalar(
            "SELECT o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.username = 'town1'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let since = day_start(local_date(map.now)) - (MAP_DAYS - 1) * 86_400;
        let expected: BTreeSet<i64> = sqlx::query_scalar::<_, i64>(
            "SELECT id FROM events WHERE grid_path LIKE ($1 || '%') AND \
             (state IN ('reported','verified','dispatched','handling') OR created_at >= $2)",
        )
        .bind(&town_path)
        .bind(since)
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .into_iter()
        .collect();
        assert_eq!(ids, expected, "{:?}", db.backend);
        for id in [fresh, old_overdue, closed_recently] {
            assert!(ids.contains(&id), "{id} belongs on the map");
        }
        assert!(!ids.contains(&closed_long_ago));
        assert!(!map.truncated);
        assert_eq!(map.focus_path, town_path);
        assert!(map.geojson.contains("\"level\":\"grid\""));
        assert!(!map.grids.is_empty());

        // Unlocated events sit at their grid's centre; the old overdue one turns its grid red.
        let pin: &Pin = map.pins.iter().find(|p| p.id == fresh).unwrap();
        let centre: (Option<f64>, Option<f64>) =
            sqlx::query_as("SELECT center_lng, center_lat FROM org_units WHERE id = $1")
                .bind(pin.grid_id)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!((Some(pin.lng), Some(pin.lat)), centre);
        assert!(!pin.located);
        let lights = grid_lights(map.pins.iter(), None, map.now);
        assert_eq!(lights.get(&pin.grid_id), Some(&Light::Red));

        // Another township sees none of it, neither in bulk nor one pin at a time.
        let (_, theirs) = map_of(&mut other, "").await;
        let theirs = theirs.unwrap();
        assert!(theirs.pins.iter().all(|p| !ids.contains(&p.id)));
        let r = other.call("map_pin", &format!("id={fresh}")).await;
        assert_eq!((r.status.as_u16(), r.body.as_str()), (200, "null"));
        let r = town.call("map_pin", &format!("id={fresh}")).await;
        let one: Option<Pin> = serde_json::from_str(&r.body).unwrap();
        assert_eq!(one.as_ref(), Some(pin));

        // Focused on the grid, only its pins; a unit of another township is not found.
        let (status, grid_map) = map_of(&mut town, &format!("node={}", pin.grid_id)).await;
        assert_eq!(status, 200);
        let grid_map = grid_map.unwrap();
        assert!(grid_map.pins.iter().all(|p| p.grid_id == pin.grid_id));
        assert!(grid_map.pins.iter().any(|p| p.id == fresh));
        let (status, _) = map_of(&mut other, &format!("node={}", pin.grid_id)).await;
        assert_eq!(status, 404);

        // Residents are not shown the map.
        let (status, _) = map_of(&mut resident, "").await;
        assert_eq!(status, 403);
        let r = resident.call("map_pin", &format!("id={fresh}")).await;
        assert_eq!(r.status.as_u16(), 403);
        let mut nobody = Client::new(app.clone());
        let (status, _) = map_of(&mut nobody, "").await;
        assert_eq!(status, 401);
        db.drop_db().await;
    }
}
