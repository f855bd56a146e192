//! The event loop through the real router on both databases: intake, the full loop with a
//! dissatisfied rating, scope, and two dispatchers racing for the same event.

mod common;

use app::domain::calendar::light_at;
use app::domain::org::OrgLevel;
use app::features::events::repo;
use common::http::{router, signed_in, Client};
use common::{resident_report, seeded, TestDb};
use serde_json::{json, Value};

async fn user_id(db: &TestDb, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(name)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

/// A resident's report in resident1's grid, straight through the store.
async fn report(db: &TestDb, key: Option<&str>) -> (i64, String, bool) {
    let out = resident_report(db, key, Some("L02"), "村口路灯坏了三天").await;
    (out.id, out.tracking_no, out.created)
}

async fn detail(c: &mut Client, id: i64) -> Value {
    let r = c.call("event_detail", &format!("id={id}")).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

async fn act(c: &mut Client, id: i64, version: i64, action: Value) -> (u16, Value) {
    let r = c
        .call_json(
            "event_act",
            &json!({"id": id, "version": version, "action": action, "photos": [], "comment": ""}),
        )
        .await;
    (
        r.status.as_u16(),
        serde_json::from_str(&r.body).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn a_report_goes_round_the_loop_and_a_bad_rating_reopens_it() {
    for db in TestDb::both().await {
        seeded(&db).await;
        let (id, no, created) = report(&db, Some("key-1")).await;
        assert!(created);
        assert!(no.starts_with("LX") && no.len() == 16, "{no}");
        // A retried submission with the same key makes no second event.
        let again = report(&db, Some("key-1")).await;
        assert_eq!((again.0, again.2), (id, false));

        let app = router(db.pool.clone());
        let mut town = signed_in(&app, "town1").await;
        let mut other = signed_in(&app, "town2").await;
        let mut dept = signed_in(&app, "dept1").await;
        let mut resident = signed_in(&app, "resident1").await;

        // Another township cannot even see it.
        let r = other.call("event_detail", &format!("id={id}")).await;
        assert_eq!(r.status.as_u16(), 404);

        let d = detail(&mut town, id).await;
        assert_eq!(d["card"]["state"], "reported");
        assert!(d["allowed"].as_array().unwrap().contains(&json!("Verify")));
        let (s, card) = act(&mut town, id, 0, json!("Verify")).await;
        assert_eq!(s, 200, "{card}");
        let targets: Value = serde_json::from_str(
            &town
                .call("dispatch_targets", &format!("id={id}"))
                .await
                .body,
        )
        .unwrap();
        let dept_id: i64 =
            sqlx::query_scalar("SELECT department_id FROM users WHERE username = 'dept1'")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert!(targets["departments"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == dept_id));
        assert!(
            targets["suggested_department"].as_i64().is_some(),
            "the responsibility list names an owner"
        );
        let (s, _) = act(
            &mut town,
            id,
            1,
            json!({"Dispatch": {"to": {"Department": dept_id}}}),
        )
        .await;
        assert_eq!(s, 200);
        let (s, _) = act(&mut dept, id, 2, json!("Accept")).await;
        assert_eq!(s, 200);
        // The resident cannot resolve it, and an empty note is refused in their language.
        let (s, _) = act(&mut resident, id, 3, json!({"Resolve": {"note": "x"}})).await;
        assert_eq!(s, 403);
        let (s, err) = act(&mut dept, id, 3, json!({"Resolve": {"note": " "}})).await;
        assert_eq!(s, 422, "{err}");
        let (s, _) = act(&mut dept, id, 3, json!({"Resolve": {"note": "已更换灯泡"}})).await;
        assert_eq!(s, 200);
        let bad =
            json!({"Rate": {"scores": {"attitude": 4, "ability": 3, "conduct": 4, "result": 2}}});
        let (s, card) = act(&mut resident, id, 4, bad).await;
        assert_eq!(s, 200, "{card}");
        assert_eq!(card["state"], "verified", "back in the command room");
        let d = detail(&mut town, id).await;
        let actions: Vec<&str> = d["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            actions,
            ["report", "verify", "dispatch", "accept", "resolve", "rate"]
        );
        let row = repo::event_row(&db.pool, id).await.unwrap().unwrap();
        assert_eq!(row.version, 5);
        assert!(
            row.due_at > row.yellow_at
                && light_at(row.created_at, row.yellow_at, row.due_at).as_str() == "green"
        );
        let ratings: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM ratings WHERE event_id = $1 AND satisfied = 0",
        )
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(ratings, 1);
        let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE target = $1")
            .bind(&no)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(audited, 5, "every transition is in the audit log");
        // The township's KPIs count it: received, resolved once, rated, not satisfied.
        let township = app::domain::event::ancestor_path(&row.grid_path, OrgLevel::Township);
        let k = repo::kpi_counts(&db.pool, &township, 0, i64::MAX)
            .await
            .unwrap();
        assert_eq!(
            (k.reported, k.accepted, k.resolved, k.rated, k.satisfied),
            (1, 1, 1, 1, 0)
        );
        assert_eq!(k.kpis().satisfied, Some(0.0));
        assert_eq!(
            k.kpis().in_village,
            Some(0.0),
            "a township station solved it"
        );
        let towns = repo::kpi_by_township(&db.pool, "/", 0, i64::MAX)
            .await
            .unwrap();
        assert_eq!(towns.len(), 1);
        assert_eq!(towns[0].2, k);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn two_dispatchers_race_and_exactly_one_wins() {
    for db in TestDb::both().await {
        seeded(&db).await;
        let (id, _, _) = report(&db, None).await;
        let app = router(db.pool.clone());
        let mut a = signed_in(&app, "town1").await;
        let (s, _) = act(&mut a, id, 0, json!("Verify")).await;
        assert_eq!(s, 200);
        let dept_id: i64 =
            sqlx::query_scalar("SELECT department_id FROM users WHERE username = 'dept1'")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        let mut b = signed_in(&app, "admin").await;
        let grid_worker = user_id(&db, "grid1").await;
        let to_dept = json!({"Dispatch": {"to": {"Department": dept_id}}});
        let to_worker = json!({"Dispatch": {"to": {"User": grid_worker}}});
        let (ra, rb) = tokio::join!(act(&mut a, id, 1, to_dept), act(&mut b, id, 1, to_worker));
        let mut codes = [ra.0, rb.0];
        codes.sort();
        assert_eq!(codes, [200, 409], "{ra:?} {rb:?}");
        let loser = if ra.0 == 409 { ra.1 } else { rb.1 };
        assert_eq!(loser["Conflict"]["state"], "dispatched", "{loser}");
        let steps: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM event_steps WHERE event_id = $1 AND action = 'dispatch'",
        )
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(steps, 1, "no lost update, no double step");
        db.drop_db().await;
    }
}
