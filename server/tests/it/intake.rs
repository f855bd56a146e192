//! Intake through the real router on both databases: a resident's report with a photo (with and
//! without JavaScript), idempotent retries, photo privacy and re-encoding, location to grid,
//! rejected uploads that leave nothing behind, and the rate limit.

use crate::common::http::{config, signed_in, Client, Part};
use crate::common::{jpeg, TestDb};
use serde_json::Value;

async fn category(db: &TestDb, code: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM categories WHERE code = $1")
        .bind(code)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

/// resident1's grid and a point inside it.
async fn home(db: &TestDb) -> (i64, f64, f64) {
    sqlx::query_as(
        "SELECT o.id, o.center_lng, o.center_lat FROM users u JOIN org_units o ON o.id = u.org_unit_id \
         WHERE u.username = 'resident1'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
}

fn form(key: &str, cat: i64, lng: f64, lat: f64) -> Vec<Part<'static>> {
    vec![
        Part::Text("idem_key", key.into()),
        Part::Text("channel", "app".into()),
        Part::Text("category", cat.to_string()),
        Part::Text("description", "村口路灯坏了三天，晚上很黑".into()),
        Part::Text("address", "村口".into()),
        Part::Text("lng", lng.to_string()),
        Part::Text("lat", lat.to_string()),
    ]
}

async fn count(db: &TestDb, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap()
}

/// The files one stored photo makes: the original and its smaller sizes.
const KEPT: usize = 1 + app::domain::photo::PhotoSize::MADE.len();

fn files_under(dir: &std::path::Path) -> usize {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    rd.flatten()
        .map(|e| {
            if e.path().is_dir() {
                files_under(&e.path())
            } else {
                1
            }
        })
        .sum()
}

#[tokio::test]
async fn a_resident_reports_with_a_photo_and_only_permitted_users_see_it() {
    for db in TestDb::seeded_both().await {
        let cfg = config();
        let data = cfg.data_dir.clone();
        let app = server::http::router(db.pool.clone(), &cfg);
        let mut resident = signed_in(&app, "resident1").await;
        let cat = category(&db, "L02").await;
        let (grid, lng, lat) = home(&db).await;

        let mut parts = form("k-photo-1", cat, lng, lat);
        parts.push(Part::File("photo", "p.jpg", jpeg(3000, 2000)));
        let r = resident.multipart("/report", &parts, true).await;
        assert_eq!(r.status.as_u16(), 201, "{}", r.body);
        let v: Value = serde_json::from_str(&r.body).unwrap();
        let id = v["id"].as_i64().unwrap();
        assert!(v["tracking_no"].as_str().unwrap().starts_with("LX"));
        let (g, ch, st): (i64, String, String) =
            sqlx::query_as("SELECT grid_id, channel, state FROM events WHERE id = $1")
                .bind(id)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!((g, ch.as_str(), st.as_str()), (grid, "app", "reported"));

        // The same post again (a flaky network): the same event, no second photo kept.
        let mut again = form("k-photo-1", cat, lng, lat);
        again.push(Part::File("photo", "p.jpg", jpeg(300, 200)));
        let r = resident.multipart("/report", &again, true).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let v2: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(v2["id"].as_i64(), Some(id));
        assert_eq!(count(&db, "SELECT COUNT(*) FROM event_photos").await, 1);
        // One photo, kept in its three sizes; the repeated post's copies were removed.
        assert_eq!(files_under(&data), KEPT);

        let (pid, w, h): (i64, i64, i64) =
            sqlx::query_as("SELECT id, width, height FROM event_photos WHERE event_id = $1")
                .bind(id)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!((w, h), (2048, 1365));
        let p = resident.get(&format!("/photos/{pid}")).await;
        assert_eq!(p.status.as_u16(), 200);
        assert_eq!(p.content_type.as_deref(), Some("image/jpeg"));
        assert_eq!(
            image::guess_format(&p.bytes).unwrap(),
            image::ImageFormat::Jpeg
        );
        // The smaller sizes, by the same rule; an unknown size is the original.
        let thumb = resident.get(&format!("/photos/{pid}?size=thumb")).await;
        assert_eq!(thumb.status.as_u16(), 200);
        let t = image::load_from_memory(&thumb.bytes).unwrap();
        assert_eq!((t.width(), t.height()), (320, 213));
        let medium = resident.get(&format!("/photos/{pid}?size=medium")).await;
        let m = image::load_from_memory(&medium.bytes).unwrap();
        assert_eq!((m.width(), m.height()), (960, 640));
        let odd = resident.get(&format!("/photos/{pid}?size=../../x")).await;
        assert_eq!(odd.bytes, p.bytes);
        // The township that holds it sees it; another township and a stranger do not.
        let mut town = signed_in(&app, "town1").await;
        assert_eq!(
            town.get(&format!("/photos/{pid}")).await.status.as_u16(),
            200
        );
        let mut other = signed_in(&app, "town2").await;
        assert_eq!(
            other.get(&format!("/photos/{pid}")).await.status.as_u16(),
            404
        );
        assert_eq!(
            other
                .get(&format!("/photos/{pid}?size=thumb"))
                .await
                .status
                .as_u16(),
            404
        );
        let mut nobody = Client::new(app.clone());
        assert_eq!(
            nobody.get(&format!("/photos/{pid}")).await.status.as_u16(),
            401
        );

        // Without JavaScript: a plain form post lands on the event's page.
        let r = resident
            .multipart("/report", &form("k-plain-1", cat, lng, lat), false)
            .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        assert!(r.location.unwrap().starts_with("/events/"));

        // A file that is not an image: refused in the user's language, nothing stored.
        let before = count(&db, "SELECT COUNT(*) FROM events").await;
        let mut bad = form("k-bad-1", cat, lng, lat);
        bad.push(Part::File(
            "photo",
            "x.jpg",
            b"<script>alert(1)</script>".to_vec(),
        ));
        let r = resident.multipart("/report", &bad, false).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.body.contains("照片"), "{}", r.body);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM events").await, before);
        assert_eq!(files_under(&data), KEPT);

        // A point outside the county.
        let r = resident
            .multipart("/report", &form("k-far-1", cat, 100.0, 30.0), true)
            .await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.body.contains("not_in_county"), "{}", r.body);

        // Rate limit per account: six a minute.
        let mut codes = Vec::new();
        for i in 0..4 {
            let r = resident
                .multipart(
                    "/report",
                    &form(&format!("k-rate-{i}"), cat, lng, lat),
                    true,
                )
                .await;
            codes.push(r.status.as_u16());
        }
        assert_eq!(
            codes,
            vec![201, 429, 429, 429],
            "after six posts this minute"
        );
        assert_eq!(count(&db, "SELECT COUNT(*) FROM events").await, before + 1);
        let _ = std::fs::remove_dir_all(&data);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn staff_channels_follow_their_roles() {
    let db = TestDb::seeded_sqlite().await;
    let app = server::http::router(db.pool.clone(), &config());
    let cat = category(&db, "L02").await;
    let (grid, _, _) = home(&db).await;
    let mut resident = signed_in(&app, "resident1").await;
    let hotline = |name: &'static str| {
        vec![
            Part::Text("channel", name.into()),
            Part::Text("category", cat.to_string()),
            Part::Text("description", "来电反映：河道有垃圾漂浮".into()),
            Part::Text("grid", grid.to_string()),
            Part::Text("reporter_name", "王先生".into()),
            Part::Text("reporter_phone", "13900001111".into()),
        ]
    };
    let r = resident
        .multipart("/report", &hotline("hotline"), true)
        .await;
    assert_eq!(r.status.as_u16(), 403, "{}", r.body);
    let mut town = signed_in(&app, "town1").await;
    let r = town.multipart("/report", &hotline("hotline"), true).await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.body);
    let id = serde_json::from_str::<Value>(&r.body).unwrap()["id"]
        .as_i64()
        .unwrap();
    let (ch, name, reporter): (String, String, Option<i64>) =
        sqlx::query_as("SELECT channel, reporter_name, reporter_user_id FROM events WHERE id = $1")
            .bind(id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(
        (ch.as_str(), name.as_str(), reporter),
        ("hotline", "王先生", None)
    );

    // A grid worker's patrol report stays with the grid, which may resolve it on the spot.
    let mut grid1 = signed_in(&app, "grid1").await;
    let r = grid1.multipart("/report", &hotline("patrol"), true).await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.body);
    let id = serde_json::from_str::<Value>(&r.body).unwrap()["id"]
        .as_i64()
        .unwrap();
    let level: String = sqlx::query_scalar("SELECT level FROM events WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(level, "grid");
    let d: Value =
        serde_json::from_str(&grid1.call("event_detail", &format!("id={id}")).await.body).unwrap();
    assert!(
        d["allowed"]
            .as_array()
            .unwrap()
            .contains(&Value::from("ResolveOnSpot")),
        "{d}"
    );
    db.drop_db().await;
}

/// Reports posted at the same moment all land, on SQLite too (where a transaction that reads
/// before it writes cannot wait for the write lock), and a retry racing its first post still makes
/// one event.
#[tokio::test]
async fn reports_posted_in_parallel_all_land_once() {
    for db in TestDb::seeded_both().await {
        let mut cfg = config();
        cfg.limits = Some(server::http::limits::Limits::unlimited());
        let data = cfg.data_dir.clone();
        let app = server::http::router(db.pool.clone(), &cfg);
        let resident = signed_in(&app, "resident1").await;
        let cat = category(&db, "L02").await;
        let (_, lng, lat) = home(&db).await;
        let before = count(&db, "SELECT COUNT(*) FROM events").await;

        // 16 distinct keys, the first 8 of them posted twice at once.
        let keys: Vec<String> = (0..16).chain(0..8).map(|i| format!("k-par-{i}")).collect();
        let posts = keys.iter().map(|k| {
            let mut c = Client::new(app.clone());
            c.cookie = resident.cookie.clone();
            let parts = form(k, cat, lng, lat);
            async move { c.multipart("/report", &parts, true).await }
        });
        let replies = futures_util::future::join_all(posts).await;
        for r in &replies {
            assert!(
                matches!(r.status.as_u16(), 200 | 201),
                "{} {}",
                r.status,
                r.body
            );
        }
        let created = replies.iter().filter(|r| r.status.as_u16() == 201).count();
        assert_eq!(created, 16, "one event per key");
        assert_eq!(count(&db, "SELECT COUNT(*) FROM events").await, before + 16);
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM event_steps s JOIN events e ON e.id = s.event_id \
                 WHERE e.idem_key LIKE '%:k-par-%'"
            )
            .await,
            16,
            "one first step per event"
        );
        let _ = std::fs::remove_dir_all(&data);
        db.drop_db().await;
    }
}
