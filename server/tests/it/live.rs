//! The live feed over real SSE and the background pass (auto-close, reminders), on both databases.

use std::time::Duration;

use crate::common::http::{config, signed_in, Client, Part};
use crate::common::TestDb;
use axum::body::Body;
use axum::http::{header, Request};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

/// Reads SSE frames until one of `kind` arrives (or the wait runs out).
async fn next_frame(body: &mut Body, kind: &str) -> Option<String> {
    let mut buf = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(pos) = buf.find("\n\n") {
            let frame: String = buf.drain(..pos + 2).collect();
            if frame.contains(&format!("event: {kind}")) {
                return Some(frame);
            }
            continue;
        }
        let f = tokio::time::timeout_at(deadline, body.frame())
            .await
            .ok()??
            .ok()?;
        if let Ok(data) = f.into_data() {
            buf.push_str(&String::from_utf8_lossy(&data));
        }
    }
}

async fn report(app: &axum::Router, db: &TestDb) -> i64 {
    let mut resident = signed_in(app, "resident1").await;
    let cat: i64 = sqlx::query_scalar("SELECT id FROM categories WHERE code = 'L02'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let r = resident
        .multipart(
            "/report",
            &[
                Part::Text("channel", "mailbox".into()),
                Part::Text("category", cat.to_string()),
                Part::Text("description", "信箱：建议村里多装几盏路灯".into()),
            ],
            true,
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.body);
    serde_json::from_str::<Value>(&r.body).unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn consoles_hear_changes_in_their_scope_only() {
    for db in TestDb::seeded_both().await {
        let app = server::http::router(db.pool.clone(), &config());
        let town = signed_in(&app, "town1").await;
        let other = signed_in(&app, "town2").await;
        let open = |c: &Client| {
            let mut req = Request::get("/live").header(header::ACCEPT, "text/event-stream");
            if let Some(k) = &c.cookie {
                req = req.header(header::COOKIE, k);
            }
            req.body(Body::empty()).unwrap()
        };
        let res = app.clone().oneshot(open(&town)).await.unwrap();
        assert_eq!(res.status().as_u16(), 200);
        let mut mine = res.into_body();
        let mut theirs = app.clone().oneshot(open(&other)).await.unwrap().into_body();
        // A county department hears an event only once it co-handles it.
        let county_dept = signed_in(&app, "countydept").await;
        let mut co = app
            .clone()
            .oneshot(open(&county_dept))
            .await
            .unwrap()
            .into_body();
        assert!(next_frame(&mut co, "resync").await.is_some());
        // Every connection starts with a resync: a reconnecting console reloads its queue.
        assert!(next_frame(&mut mine, "resync").await.is_some());
        assert!(next_frame(&mut theirs, "resync").await.is_some());

        let id = report(&app, &db).await;
        let frame = next_frame(&mut mine, "change").await.expect("a change");
        assert!(frame.contains(&format!("\"event_id\":{id}")), "{frame}");
        assert!(frame.contains("\"state\":\"reported\""), "{frame}");

        let mut town = town;
        let r = town
            .call_json(
                "event_act",
                &json!({"id": id, "version": 0, "action": "Verify", "photos": [], "comment": ""}),
            )
            .await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let frame = next_frame(&mut mine, "change").await.expect("a change");
        assert!(frame.contains("\"state\":\"verified\""), "{frame}");
        sqlx::query(
            "INSERT INTO event_co_handlers (event_id, department_id) \
             SELECT $1, department_id FROM users WHERE username = 'countydept'",
        )
        .bind(id)
        .execute(&db.pool)
        .await
        .unwrap();
        let dept1: i64 =
            sqlx::query_scalar("SELECT department_id FROM users WHERE username = 'dept1'")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        let r = town
            .call_json(
                "event_act",
                &json!({"id": id, "version": 1, "photos": [], "comment": "",
                        "action": {"Dispatch": {"to": {"Department": dept1}}}}),
            )
            .await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let frame = next_frame(&mut co, "change")
            .await
            .expect("the co-handler hears it");
        assert!(
            frame.contains("\"state\":\"dispatched\""),
            "the co-handler heard a change from before it co-handled: {frame}"
        );
        // The other township's console heard nothing of it.
        let heard = tokio::time::timeout(Duration::from_millis(500), theirs.frame()).await;
        match heard {
            Err(_) => {}
            Ok(Some(Ok(f))) => {
                let text = String::from_utf8_lossy(f.data_ref().map(|b| &b[..]).unwrap_or(&[]))
                    .into_owned();
                assert!(!text.contains("event: change"), "{text}");
            }
            Ok(other) => panic!("stream ended: {:?}", other.map(|r| r.is_ok())),
        }
        db.drop_db().await;
    }
}

#[tokio::test]
async fn unrated_events_close_and_owners_are_reminded() {
    for db in TestDb::seeded_both().await {
        let app = server::http::router(db.pool.clone(), &config());
        let id = report(&app, &db).await;
        let noop: std::sync::Arc<dyn Fn(i64) + Send + Sync> = std::sync::Arc::new(|_| {});
        let now = app::ssr::now();
        let (yellow, due): (i64, i64) =
            sqlx::query_as("SELECT yellow_at, due_at FROM events WHERE id = $1")
                .bind(id)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        let r = server::jobs::tick(&db.pool, &noop, now).await.unwrap();
        assert_eq!((r.due_soon, r.overdue), (0, 0));
        let r = server::jobs::tick(&db.pool, &noop, yellow).await.unwrap();
        assert_eq!((r.due_soon, r.overdue), (1, 0));
        let r = server::jobs::tick(&db.pool, &noop, yellow + 60)
            .await
            .unwrap();
        assert_eq!(
            (r.due_soon, r.overdue),
            (0, 0),
            "one reminder, not one a minute"
        );
        let r = server::jobs::tick(&db.pool, &noop, due).await.unwrap();
        assert_eq!((r.due_soon, r.overdue), (0, 1));
        let holder: Option<String> = sqlx::query_scalar(
            "SELECT unit_path FROM notifications WHERE event_id = $1 AND kind = 'overdue'",
        )
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert!(
            holder.is_some(),
            "the township room holds it, so the room is reminded"
        );

        // Resolved eight days ago and never rated: closed by the system, with a timeline step.
        sqlx::query("UPDATE events SET state = 'resolved', resolved_at = $1 WHERE id = $2")
            .bind(now - 8 * 86_400)
            .bind(id)
            .execute(&db.pool)
            .await
            .unwrap();
        let r = server::jobs::tick(&db.pool, &noop, now).await.unwrap();
        assert_eq!(r.auto_closed, 1);
        let (state, step): (String, String) = sqlx::query_as(
            "SELECT e.state, s.action FROM events e JOIN event_steps s ON s.event_id = e.id \
             WHERE e.id = $1 ORDER BY s.id DESC LIMIT 1",
        )
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!((state.as_str(), step.as_str()), ("closed", "auto_close"));
        let r = server::jobs::tick(&db.pool, &noop, now).await.unwrap();
        assert_eq!(r.auto_closed, 0);
        db.drop_db().await;
    }
}
