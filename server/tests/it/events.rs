//! The event loop through the real router on both databases: intake, the full loop with a
//! dissatisfied rating, scope, and two dispatchers racing for the same event.

use crate::common::http::{router, signed_in, Client};
use crate::common::{resident_report, TestDb};
use app::domain::calendar::light_at;
use app::domain::org::OrgLevel;
use app::features::events::repo;
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
    for db in TestDb::seeded_both().await {
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
        let township = app::domain::event::ancestor_path(&row.fact.grid_path, OrgLevel::Township);
        let k = app::features::kpi::repo::kpi_counts(&db.pool, &township, 0, i64::MAX)
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
        let towns = app::features::kpi::repo::kpi_by_township(&db.pool, "/", 0, i64::MAX)
            .await
            .unwrap();
        assert_eq!(towns.len(), 1);
        assert_eq!(towns[0].2, k);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn two_dispatchers_race_and_exactly_one_wins() {
    for db in TestDb::seeded_both().await {
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

async fn step_of<'a>(d: &'a Value, action: &str) -> &'a Value {
    d["steps"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|s| s["action"] == action)
        .unwrap_or_else(|| panic!("no {action} step in {}", d["steps"]))
}

/// Every action keeps the note typed with it; the timeline names the department, the hours,
/// the outcome; the page says who holds and handles it; a dissatisfied rating marks the card.
#[tokio::test]
async fn notes_are_kept_and_the_timeline_names_who_and_what() {
    for db in TestDb::seeded_both().await {
        let (id, _, _) = report(&db, None).await;
        let app = router(db.pool.clone());
        let mut town = signed_in(&app, "town1").await;
        let mut dept = signed_in(&app, "dept1").await;
        let mut resident = signed_in(&app, "resident1").await;
        let dept_id: i64 =
            sqlx::query_scalar("SELECT department_id FROM users WHERE username = 'dept1'")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        let dept_name: String = sqlx::query_scalar("SELECT name FROM departments WHERE id = $1")
            .bind(dept_id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        let co: (i64, String) = sqlx::query_as(
            "SELECT d.id, d.name FROM departments d JOIN users u ON u.username = 'dept1' \
             JOIN departments own ON own.id = u.department_id \
             WHERE d.org_unit_id = own.org_unit_id AND d.id <> own.id ORDER BY d.id LIMIT 1",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let step = |c: &mut Client, v: i64, action: Value, note: &'static str| {
            let body =
                json!({"id": id, "version": v, "action": action, "photos": [], "comment": note});
            let mut c2 = Client {
                app: c.app.clone(),
                cookie: c.cookie.clone(),
                last_set_cookie: None,
            };
            async move {
                let r = c2.call_json("event_act", &body).await;
                assert_eq!(r.status.as_u16(), 200, "{}", r.body);
            }
        };
        step(&mut town, 0, json!("Verify"), "核实属实").await;
        step(
            &mut town,
            1,
            json!({"SetUrgency": {"urgency": "Urgent"}}),
            "影响夜间出行",
        )
        .await;
        step(
            &mut town,
            2,
            json!({"Dispatch": {"to": {"Department": dept_id}}}),
            "请今天到场",
        )
        .await;
        step(&mut dept, 3, json!("Accept"), "已签收").await;
        step(
            &mut town,
            4,
            json!({"AddCoHandler": {"department": co.0}}),
            "请配合",
        )
        .await;
        step(
            &mut dept,
            5,
            json!({"RequestExtension": {"hours": 8}}),
            "等配件",
        )
        .await;
        step(
            &mut town,
            6,
            json!({"DecideExtension": {"approve": true}}),
            "同意",
        )
        .await;
        let d = detail(&mut town, id).await;
        assert_eq!(d["card"]["urgency"], "urgent");
        assert_eq!(d["card"]["assignee_name"], dept_name.as_str());
        assert_eq!(d["co_handler_names"], json!([co.1]));
        assert!(!d["holder_name"].as_str().unwrap().is_empty());
        for (action, note) in [
            ("verify", "核实属实"),
            ("set_urgency", "影响夜间出行"),
            ("dispatch", "请今天到场"),
            ("accept", "已签收"),
            ("add_co_handler", "请配合"),
            ("request_extension", "等配件"),
            ("decide_extension", "同意"),
        ] {
            assert_eq!(step_of(&d, action).await["note"], note, "{action}");
        }
        let detail_of =
            |s: &Value| -> Value { serde_json::from_str(s["detail"].as_str().unwrap()).unwrap() };
        assert_eq!(
            detail_of(step_of(&d, "dispatch").await)["department"],
            dept_name.as_str()
        );
        assert_eq!(
            detail_of(step_of(&d, "add_co_handler").await)["department"],
            co.1.as_str()
        );
        assert_eq!(
            detail_of(step_of(&d, "request_extension").await)["hours"],
            8
        );
        step(
            &mut dept,
            7,
            json!({"Resolve": {"note": "路灯由供电所管", "outcome": {"Referred": {"to": "龙游供电所"}}}}),
            "",
        )
        .await;
        step(
            &mut resident,
            8,
            json!({"Rate": {"scores": {"attitude": 4, "ability": 2, "conduct": 4, "result": 2}}}),
            "灯还是不亮",
        )
        .await;
        let d = detail(&mut town, id).await;
        assert_eq!(d["outcome"], "referred");
        assert_eq!(d["outcome_ref"], "龙游供电所");
        assert_eq!(step_of(&d, "rate").await["note"], "灯还是不亮");
        assert_eq!(
            detail_of(step_of(&d, "rate").await)["scores"],
            json!([4, 2, 4, 2])
        );
        // Back in the room, marked, with a fresh clock and a reminder saying why.
        assert_eq!(d["card"]["state"], "verified");
        assert_eq!(d["card"]["reopened"], 1);
        let queue: Value = serde_json::from_str(&town.call("event_queue", "").await.body).unwrap();
        let card = queue["cards"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap();
        assert_eq!(card["reopened"], 1);
        let reasons: Value = serde_json::from_str(&town.call("reminders", "").await.body).unwrap();
        assert!(
            reasons
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["event_id"] == id && r["kind"] == "reopened"),
            "{reasons}"
        );
        db.drop_db().await;
    }
}

/// The county dispatches to a county department, recalls it before anyone accepts, sends it
/// again, and the department's account accepts and resolves it.
#[tokio::test]
async fn the_county_recalls_and_its_department_handles() {
    for db in TestDb::seeded_both().await {
        let (id, _, _) = report(&db, None).await;
        let app = router(db.pool.clone());
        let mut town = signed_in(&app, "town1").await;
        let mut county = signed_in(&app, "county").await;
        let mut cdept = signed_in(&app, "countydept").await;
        let dept_id: i64 =
            sqlx::query_scalar("SELECT department_id FROM users WHERE username = 'countydept'")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(act(&mut town, id, 0, json!("Escalate")).await.0, 200);
        let to = json!({"Dispatch": {"to": {"Department": dept_id}}});
        assert_eq!(act(&mut county, id, 1, to.clone()).await.0, 200);
        // Not the dispatcher's to recall: the township that sent it up.
        let (s, _) = act(&mut town, id, 2, json!("Recall")).await;
        assert_eq!(s, 403);
        let (s, card) = act(&mut county, id, 2, json!("Recall")).await;
        assert_eq!(
            (s, card["state"].as_str()),
            (200, Some("verified")),
            "{card}"
        );
        assert_eq!(card["level"], "county");
        assert_eq!(act(&mut county, id, 3, to).await.0, 200);
        let d = detail(&mut cdept, id).await;
        assert!(
            d["allowed"].as_array().unwrap().contains(&json!("Accept")),
            "{}",
            d["allowed"]
        );
        assert_eq!(act(&mut cdept, id, 4, json!("Accept")).await.0, 200);
        let (s, _) = act(&mut county, id, 5, json!("Recall")).await;
        assert_eq!(s, 403, "accepted: too late to recall");
        let (s, card) = act(&mut cdept, id, 5, json!({"Resolve": {"note": "已修复"}})).await;
        assert_eq!((s, card["state"].as_str()), (200, Some("resolved")));
        db.drop_db().await;
    }
}

/// A neighbour joins the report instead of making another; they follow it (the first reporter
/// masked to them) and are told when it is done. A forged or repeated join is refused.
#[tokio::test]
async fn me_too_joins_a_nearby_report() {
    for db in TestDb::seeded_both().await {
        let (id, _, _) = report(&db, None).await;
        let (lng, lat): (f64, f64) = sqlx::query_as(
            "SELECT g.center_lng, g.center_lat FROM events e JOIN org_units g ON g.id = e.grid_id WHERE e.id = $1",
        )
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        sqlx::query("UPDATE events SET lng = $1, lat = $2 WHERE id = $3")
            .bind(lng)
            .bind(lat)
            .bind(id)
            .execute(&db.pool)
            .await
            .unwrap();
        let cat: i64 = sqlx::query_scalar("SELECT category_id FROM events WHERE id = $1")
            .bind(id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        let app = router(db.pool.clone());
        let mut first = signed_in(&app, "resident1").await;
        let mut neighbour = signed_in(&app, "resident2").await;
        let q = format!("category_id={cat}&lng={lng}&lat={lat}");
        let mine: Value =
            serde_json::from_str(&first.call("nearby_events", &q).await.body).unwrap();
        assert!(
            mine[0]["join"].is_null(),
            "one does not join one's own report"
        );
        let theirs: Value =
            serde_json::from_str(&neighbour.call("nearby_events", &q).await.body).unwrap();
        let token = theirs[0]["join"].as_str().unwrap().to_string();
        // Someone else's token, or a changed one, is refused.
        let forged = format!("{}.{}", id, "0".repeat(64));
        let r = neighbour
            .call("join_report", &format!("join={forged}&note="))
            .await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        let r = first
            .call("join_report", &format!("join={token}&note="))
            .await;
        assert_eq!(
            r.status.as_u16(),
            422,
            "the token is the neighbour's own: {}",
            r.body
        );
        let r = neighbour
            .call(
                "join_report",
                &format!(
                    "join={token}&note=%E6%88%91%E5%AE%B6%E9%97%A8%E5%8F%A3%E4%B9%9F%E6%98%AF"
                ),
            )
            .await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let r = neighbour
            .call("join_report", &format!("join={token}&note="))
            .await;
        assert_eq!(r.status.as_u16(), 409, "twice is once: {}", r.body);
        let d = detail(&mut neighbour, id).await;
        assert_eq!(d["card"]["reporters"], 2);
        assert_eq!(d["mine"], true);
        assert_eq!(
            d["reporter_name"], "居*",
            "the first reporter stays masked to a neighbour"
        );
        let list: Value =
            serde_json::from_str(&neighbour.call("my_reports", "").await.body).unwrap();
        let row = list
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap();
        assert_eq!(row["joined"], 1);
        assert_eq!(row["last_action"], "join");
        // Done: both reporters are told.
        let mut town = signed_in(&app, "town1").await;
        let v = detail(&mut town, id).await["card"]["version"]
            .as_i64()
            .unwrap();
        assert_eq!(act(&mut town, id, v, json!("Verify")).await.0, 200);
        assert_eq!(act(&mut town, id, v + 1, json!("TakeOn")).await.0, 200);
        assert_eq!(
            act(&mut town, id, v + 2, json!({"Resolve": {"note": "已修复"}}))
                .await
                .0,
            200
        );
        for who in ["resident1", "resident2"] {
            let told: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id \
                 WHERE u.username = $1 AND n.event_id = $2 AND n.kind = 'report_resolved'",
            )
            .bind(who)
            .bind(id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
            assert_eq!(told, 1, "{who} is told the result");
        }
        db.drop_db().await;
    }
}

/// Weeks after closing the reporter is asked once; "not solved" reopens it in the room.
#[tokio::test]
async fn the_follow_up_asks_once_and_no_reopens() {
    for db in TestDb::seeded_both().await {
        let (id, _, _) = report(&db, None).await;
        let app = router(db.pool.clone());
        let mut town = signed_in(&app, "town1").await;
        let mut resident = signed_in(&app, "resident1").await;
        assert_eq!(act(&mut town, id, 0, json!("Verify")).await.0, 200);
        assert_eq!(act(&mut town, id, 1, json!("TakeOn")).await.0, 200);
        assert_eq!(
            act(&mut town, id, 2, json!({"Resolve": {"note": "已修复"}}))
                .await
                .0,
            200
        );
        let good =
            json!({"Rate": {"scores": {"attitude": 5, "ability": 5, "conduct": 5, "result": 5}}});
        assert_eq!(act(&mut resident, id, 3, good).await.0, 200);
        let (s, _) = act(&mut resident, id, 4, json!({"FollowUp": {"solved": false}})).await;
        assert_eq!(s, 403, "not asked yet");
        let at: i64 = sqlx::query_scalar("SELECT follow_up_at FROM events WHERE id = $1")
            .bind(id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert!(at - app::ssr::now() > 20 * 86_400, "three weeks out");
        let notify: std::sync::Arc<dyn Fn(i64) + Send + Sync> = std::sync::Arc::new(|_| {});
        let r = server::jobs::tick(&db.pool, &notify, at + 1).await.unwrap();
        assert_eq!(r.follow_ups, 1);
        let again = server::jobs::tick(&db.pool, &notify, at + 120)
            .await
            .unwrap();
        assert_eq!(again.follow_ups, 0, "asked once");
        let list: Value =
            serde_json::from_str(&resident.call("my_reports", "").await.body).unwrap();
        let row = list
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap();
        assert_eq!(row["follow_up_open"], 1);
        let v = row["version"].as_i64().unwrap();
        let (s, card) = act(&mut resident, id, v, json!({"FollowUp": {"solved": false}})).await;
        assert_eq!(s, 200, "{card}");
        assert_eq!(
            (card["state"].as_str(), card["level"].as_str()),
            (Some("verified"), Some("township"))
        );
        assert_eq!(card["reopened"], 1);
        db.drop_db().await;
    }
}

/// A grid worker's patrol report: not theirs to verify; "上报上级" takes it to the township.
/// An urgency marked at intake shortens the limit.
#[tokio::test]
async fn patrol_reports_go_up_to_the_room_and_urgency_counts_at_intake() {
    for db in TestDb::seeded_both().await {
        let app = router(db.pool.clone());
        let mut grid = signed_in(&app, "grid1").await;
        let cat: i64 = sqlx::query_scalar("SELECT id FROM categories WHERE code = 'L01'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        let r = grid
            .multipart(
                "/report",
                &[
                    crate::common::http::Part::Text("channel", "patrol".into()),
                    crate::common::http::Part::Text("category", cat.to_string()),
                    crate::common::http::Part::Text("urgency", "critical".into()),
                    crate::common::http::Part::Text(
                        "description",
                        "巡查发现：桥面塌陷，危及行人".into(),
                    ),
                ],
                true,
            )
            .await;
        assert_eq!(r.status.as_u16(), 201, "{}", r.body);
        let id = serde_json::from_str::<Value>(&r.body).unwrap()["id"]
            .as_i64()
            .unwrap();
        let (created, due): (i64, i64) =
            sqlx::query_as("SELECT created_at, due_at FROM events WHERE id = $1")
                .bind(id)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(due - created, 2 * 3600, "critical: two hours on the clock");
        let d = detail(&mut grid, id).await;
        let allowed = d["allowed"].as_array().unwrap();
        assert!(!allowed.contains(&json!("Verify")), "{allowed:?}");
        assert!(allowed.contains(&json!("ResolveOnSpot")) && allowed.contains(&json!("Escalate")));
        let (s, card) = act(&mut grid, id, 0, json!("Escalate")).await;
        assert_eq!(
            (s, card["level"].as_str()),
            (200, Some("township")),
            "{card}"
        );
        let mut town = signed_in(&app, "town1").await;
        let queue: Value = serde_json::from_str(&town.call("event_queue", "").await.body).unwrap();
        assert_eq!(queue["cards"][0]["id"], id, "critical first in the room");
        db.drop_db().await;
    }
}
