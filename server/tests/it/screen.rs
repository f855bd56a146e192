//! The large screen's live stream on both databases: a snapshot first whose numbers match the
//! store, then a patch (only what changed, from the screen's version) within a second of a report;
//! nothing for a screen of another township; residents are refused.

use std::time::{Duration, Instant};

use crate::common::http::{config, signed_in, Client, Part};
use crate::common::TestDb;
use app::features::screen::types::{ScreenLive, ScreenPatch};
use axum::body::Body;
use axum::http::{header, Request};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// The data of the next SSE frame of `kind` (or None when the wait runs out).
async fn next(body: &mut Body, buf: &mut String, kind: &str, wait: Duration) -> Option<String> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        if let Some(pos) = buf.find("\n\n") {
            let frame: String = buf.drain(..pos + 2).collect();
            if frame.contains(&format!("event: {kind}\n")) {
                let data: Vec<&str> = frame
                    .lines()
                    .filter_map(|l| l.strip_prefix("data: ").or_else(|| l.strip_prefix("data:")))
                    .collect();
                return Some(data.join("\n"));
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

fn open(c: &Client) -> Request<Body> {
    let mut req = Request::get("/screen/live").header(header::ACCEPT, "text/event-stream");
    if let Some(k) = &c.cookie {
        req = req.header(header::COOKIE, k);
    }
    req.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn screens_get_a_snapshot_then_patches_of_their_own_unit() {
    for db in TestDb::seeded_both().await {
        let app = server::http::router(db.pool.clone(), &config());
        let town = signed_in(&app, "town1").await;
        let other = signed_in(&app, "town2").await;
        let resident = signed_in(&app, "resident1").await;
        assert_eq!(
            app.clone()
                .oneshot(open(&resident))
                .await
                .unwrap()
                .status()
                .as_u16(),
            403
        );

        let mut mine = app.clone().oneshot(open(&town)).await.unwrap().into_body();
        let mut theirs = app.clone().oneshot(open(&other)).await.unwrap().into_body();
        let (mut b1, mut b2) = (String::new(), String::new());
        let snap: ScreenLive = serde_json::from_str(
            &next(&mut mine, &mut b1, "snapshot", Duration::from_secs(20))
                .await
                .expect("snapshot"),
        )
        .unwrap();
        assert!(
            next(&mut theirs, &mut b2, "snapshot", Duration::from_secs(20))
                .await
                .is_some()
        );
        let path: String = sqlx::query_scalar(
            "SELECT o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.username = 'town1'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let open_now: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM events WHERE grid_path LIKE ($1 || '%') \
             AND state IN ('reported','verified','dispatched','handling')",
        )
        .bind(&path)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(snap.open, open_now);
        assert!(snap.version >= 1);

        let mut res = signed_in(&app, "resident1").await;
        let cat: i64 = sqlx::query_scalar("SELECT id FROM categories WHERE code = 'L02'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        let r = res
            .multipart(
                "/report",
                &[
                    Part::Text("channel", "mailbox".into()),
                    Part::Text("category", cat.to_string()),
                    Part::Text("description", "大屏测试：路灯不亮".into()),
                ],
                true,
            )
            .await;
        assert_eq!(r.status.as_u16(), 201, "{}", r.body);
        let id = serde_json::from_str::<Value>(&r.body).unwrap()["id"]
            .as_i64()
            .unwrap();
        let t = Instant::now();
        let patch: ScreenPatch = serde_json::from_str(
            &next(&mut mine, &mut b1, "patch", Duration::from_secs(10))
                .await
                .expect("a patch"),
        )
        .unwrap();
        let took = t.elapsed();
        assert!(took < Duration::from_secs(2), "{took:?}");
        assert_eq!(patch.from, snap.version);
        assert_eq!(patch.to, snap.version + 1);
        let sections = patch.sections();
        assert!(
            sections.contains(&"today") && sections.contains(&"ticker"),
            "{sections:?}"
        );
        assert!(!sections.contains(&"scope_name"), "{sections:?}");
        let mut screen = snap.clone();
        assert!(screen.apply(patch.clone()));
        assert_eq!(screen.today, snap.today + 1);
        assert_eq!(screen.open, snap.open + 1);
        assert_eq!(screen.ticker[0].id, id);
        assert!(
            screen.points.iter().any(|p| p.id == id && p.fresh) || screen.points.len() == 5000 || {
                // Events reported without a point have no dot; the resident's report has its grid's.
                let lng: Option<f64> = sqlx::query_scalar("SELECT lng FROM events WHERE id = $1")
                    .bind(id)
                    .fetch_one(&db.pool)
                    .await
                    .unwrap();
                lng.is_none()
            }
        );
        // A patch from another version does not apply.
        assert!(!screen.apply(patch));
        // The other township's screen heard nothing.
        assert!(
            next(&mut theirs, &mut b2, "patch", Duration::from_millis(1500))
                .await
                .is_none()
        );
        db.drop_db().await;
    }
}
