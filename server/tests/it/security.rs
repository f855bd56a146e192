//! What an outside probe found, each with the test that now guards it: sign-in races, bounded
//! hashing, the visibility rule, sessions that slide and end, bad input, redirects, stray photos
//! and the Content-Security-Policy. Both databases where the store is involved.

use std::time::Duration;

use crate::common::http::{config, signed_in, Client, Part};
use crate::common::{resident_report, TestDb, PASSWORD};
use app::domain::lockout::{LoginState, MAX_FAILURES};
use app::error::AppError;
use axum::body::Body;
use axum::http::{header, Request};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use server::http::limits::Limits;
use tower::ServiceExt;

fn unlimited_router(db: &TestDb) -> Router {
    let mut cfg = config();
    cfg.limits = Some(Limits::unlimited());
    server::http::router(db.pool.clone(), &cfg)
}

fn form(path: &str, body: String, cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header("sec-fetch-site", "same-origin");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::from(body)).unwrap()
}

/// Sends all requests at once and returns their statuses, in order.
async fn parallel(app: &Router, reqs: Vec<Request<Body>>) -> Vec<u16> {
    let tasks: Vec<_> = reqs
        .into_iter()
        .map(|r| {
            let app = app.clone();
            tokio::spawn(async move { app.oneshot(r).await.unwrap().status().as_u16() })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

async fn scalar(db: &TestDb, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sign_in_races_and_hashing_are_bounded() {
    for db in TestDb::seeded_both().await {
        claim_sql_is_the_domain_rule(&db).await;
        parallel_guesses_cannot_pass_the_lock(&db).await;
        parallel_codes_cannot_pass_the_limit(&db).await;
        hashing_turns_strangers_away(&db).await;
        sign_in_is_limited_per_address(&db).await;
        db.drop_db().await;
    }
}

/// The store's one-statement claim gives what `LoginState::claim` gives, for every kind of state.
async fn claim_sql_is_the_domain_rule(db: &TestDb) {
    let uid = scalar(db, "SELECT id FROM users WHERE username = 'village1'").await;
    let now = 1_000_000;
    let states = [
        (0, 0),
        (3, 0),
        (4, 0),
        (5, 0),
        (5, now + 60),
        (5, now - 60),
        (7, now),
    ];
    for (failures, locked_until) in states {
        sqlx::query("UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3")
            .bind(failures)
            .bind(locked_until)
            .bind(uid)
            .execute(&db.pool)
            .await
            .unwrap();
        let state = LoginState {
            failures,
            locked_until,
        };
        let got = app::features::auth::repo::claim_attempt(&db.pool, uid, now)
            .await
            .unwrap();
        assert_eq!(
            got,
            state.claim(now),
            "{failures} failures, locked {locked_until}"
        );
    }
    sqlx::query("UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = $1")
        .bind(uid)
        .execute(&db.pool)
        .await
        .unwrap();
}

/// 30 wrong guesses at once: at most five passwords are ever checked, the account ends locked,
/// and then even the right password waits for the lock. (A right password among the first five
/// would clear the count, as it should: whoever knows it is not guessing.)
async fn parallel_guesses_cannot_pass_the_lock(db: &TestDb) {
    let app = unlimited_router(db);
    let reqs = (0..30)
        .map(|_| {
            form(
                "/api/login",
                "username=grid1&password=wrong-guess".into(),
                None,
            )
        })
        .collect();
    let statuses = parallel(&app, reqs).await;
    let checked = scalar(
        db,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'login_failed' AND target = 'grid1'",
    )
    .await;
    assert!(
        checked <= MAX_FAILURES,
        "{checked} wrong passwords checked: {statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| matches!(s, 401 | 423 | 503)),
        "{statuses:?}"
    );
    let mut c = Client::new(app.clone());
    let r = c.login("grid1", PASSWORD).await;
    assert_eq!(r.status.as_u16(), 423, "locked: {}", r.body);
    sqlx::query("UPDATE users SET failed_logins = 0, locked_until = 0 WHERE username = 'grid1'")
        .execute(&db.pool)
        .await
        .unwrap();
}

/// 20 wrong codes at once: the code's tries stop at five, and the right code afterwards is
/// refused (the code is used up).
async fn parallel_codes_cannot_pass_the_limit(db: &TestDb) {
    use std::sync::{Arc, Mutex};
    #[derive(Default)]
    struct Outbox(Mutex<Vec<String>>);
    impl app::ssr::SmsSender for Outbox {
        fn send(&self, _phone: &str, text: &str) -> Result<(), String> {
            self.0.lock().unwrap().push(text.into());
            Ok(())
        }
    }
    let outbox = Arc::new(Outbox::default());
    let mut cfg = config();
    cfg.limits = Some(Limits::unlimited());
    cfg.sms = Some(outbox.clone());
    let app = server::http::router(db.pool.clone(), &cfg);
    let phone = "13912345678";
    let mut c = Client::new(app.clone());
    let r = c.call("send_code", &format!("phone={phone}")).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    let text = outbox.0.lock().unwrap().last().unwrap().clone();
    let code = text
        .split(|ch: char| !ch.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap()
        .to_string();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let reqs = (0..20)
        .map(|_| {
            form(
                "/api/phone_login",
                format!("phone={phone}&code={wrong}"),
                None,
            )
        })
        .collect();
    let statuses = parallel(&app, reqs).await;
    assert!(
        statuses.iter().all(|s| *s == 422 || *s == 503),
        "{statuses:?}"
    );
    let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM otp_codes WHERE phone = $1")
        .bind(app::crypto::blind("phone", phone).unwrap())
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(attempts, 5, "tries are counted only up to the limit");
    let r = c
        .call("phone_login", &format!("phone={phone}&code={code}"))
        .await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
}

/// Strangers at once for names that do not exist: the hashing queue stays short and the rest
/// are told the system is busy (the memory this saves is in `server bench`'s security line).
async fn hashing_turns_strangers_away(db: &TestDb) {
    let app = unlimited_router(db);
    let reqs = (0..120)
        .map(|i| form("/api/login", format!("username=nobody{i}&password=x"), None))
        .collect();
    let statuses = parallel(&app, reqs).await;
    let busy = statuses.iter().filter(|s| **s == 503).count();
    let refused = statuses.iter().filter(|s| **s == 401).count();
    assert_eq!(busy + refused, 120, "{statuses:?}");
    assert!(
        busy > 0,
        "a queue of 120 hashes was let through: {statuses:?}"
    );
    let mut c = Client::new(app.clone());
    let r = c.login("nobody", "x").await;
    assert_eq!(r.status.as_u16(), 401, "the queue drains: {}", r.body);
}

/// One address, many sign-ins: the address limit answers before any hashing.
async fn sign_in_is_limited_per_address(db: &TestDb) {
    let app = server::http::router(db.pool.clone(), &config());
    let mut c = Client::new(app);
    let mut statuses = Vec::new();
    for _ in 0..25 {
        statuses.push(c.login("nobody", "x").await.status.as_u16());
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    assert_eq!(statuses[0], 401);
}

async fn get_json(c: &mut Client, f: &str, body: &str) -> (u16, Value) {
    let r = c.call(f, body).await;
    (
        r.status.as_u16(),
        serde_json::from_str(&r.body).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn events_are_read_by_the_visibility_rule() {
    for db in TestDb::seeded_both().await {
        let app = server::http::router(db.pool.clone(), &config());
        let ev = resident_report(&db, None, Some("L02"), "村口路灯坏了三天").await;
        let (lng, lat): (f64, f64) = sqlx::query_as(
            "SELECT g.center_lng, g.center_lat FROM events e JOIN org_units g ON g.id = e.grid_id \
             WHERE e.id = $1",
        )
        .bind(ev.id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        sqlx::query("UPDATE events SET lng = $1, lat = $2 WHERE id = $3")
            .bind(lng)
            .bind(lat)
            .bind(ev.id)
            .execute(&db.pool)
            .await
            .unwrap();
        let cat = scalar(&db, "SELECT id FROM categories WHERE code = 'L02'").await;

        // A department sees only what was given to it; a party member only their own reports.
        for who in ["dept1", "member1", "town2"] {
            let mut c = signed_in(&app, who).await;
            let (status, _) = get_json(&mut c, "event_detail", &format!("id={}", ev.id)).await;
            assert_eq!(status, 404, "{who} must not open another's event");
        }
        // The reporter is masked for those who watch without handling it.
        let mut county = signed_in(&app, "county").await;
        let (status, d) = get_json(&mut county, "event_detail", &format!("id={}", ev.id)).await;
        assert_eq!(status, 200, "{d}");
        assert_eq!(d["reporter_name"], "居*");
        assert_eq!(d["reporter_phone"], "138****8000");
        assert_eq!(
            d["steps"][0]["actor_name"], "居*",
            "the report step names them too"
        );
        let mut town = signed_in(&app, "town1").await;
        let (_, d) = get_json(&mut town, "event_detail", &format!("id={}", ev.id)).await;
        assert_eq!(
            d["reporter_name"], "居民",
            "the handling unit sees who reported"
        );
        assert_eq!(d["reporter_phone"], "13800138000");

        // "Already reported nearby?": the handling unit may open it; others learn that it
        // exists, its category, state and a distance in 50 m steps, nothing more.
        let q = format!("category_id={cat}&lng={lng}&lat={lat}");
        let (status, list) = get_json(&mut town, "nearby_events", &q).await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(list[0]["id"].as_i64(), Some(ev.id));
        // resident2 is another resident of the same grid.
        for who in ["town2", "resident2", "member1"] {
            let mut c = signed_in(&app, who).await;
            let (status, list) = get_json(&mut c, "nearby_events", &q).await;
            assert_eq!(status, 200, "{who}: {list}");
            let first = &list[0];
            assert!(
                first["id"].is_null() && first["tracking_no"].is_null(),
                "{who}: {first}"
            );
            assert!(first.get("description").is_none() && first.get("address").is_none());
            assert!(first.get("lng").is_none() && first.get("assignee_name").is_none());
            assert_eq!(first["within_m"], 50);
            assert_eq!(first["state"], "reported");
        }
        // …and it is rate limited.
        let mut c = signed_in(&app, "resident1").await;
        let mut limited = false;
        for _ in 0..40 {
            if c.call("nearby_events", &q).await.status.as_u16() == 429 {
                limited = true;
                break;
            }
        }
        assert!(limited, "nearby_events has no limit");

        // A submission key belongs to its submitter: another account's same key makes its own
        // event and never sees the first.
        let mut first = signed_in(&app, "resident1").await;
        let mut second = signed_in(&app, "grid1").await;
        let post = |key: &str| {
            vec![
                Part::Text("idem_key", key.to_string()),
                Part::Text("channel", "mailbox".into()),
                Part::Text("category", cat.to_string()),
                Part::Text("description", "信箱：村道需要修补".into()),
            ]
        };
        let a = first.multipart("/report", &post("shared-key"), true).await;
        let b = second.multipart("/report", &post("shared-key"), true).await;
        assert_eq!(a.status.as_u16(), 201, "{}", a.body);
        assert_eq!(
            b.status.as_u16(),
            201,
            "a second submitter gets their own event: {}",
            b.body
        );
        let ida = serde_json::from_str::<Value>(&a.body).unwrap()["id"].clone();
        let idb = serde_json::from_str::<Value>(&b.body).unwrap()["id"].clone();
        assert_ne!(ida, idb);
        db.drop_db().await;
    }
}

/// Reads SSE bytes until the stream ends or `wait` passes; true when it ended.
async fn ends_within(body: &mut Body, wait: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, body.frame()).await {
            Err(_) => return false,
            Ok(None) => return true,
            Ok(Some(Err(_))) => return true,
            Ok(Some(Ok(_))) => continue,
        }
    }
}

fn session_id(c: &Client) -> tower_sessions::session::Id {
    let value = c.cookie.as_ref().unwrap().split_once('=').unwrap().1;
    value.parse().unwrap()
}

#[tokio::test]
async fn sessions_slide_stop_at_the_cap_and_close_their_streams() {
    use tower_sessions::SessionStore;
    let db = TestDb::seeded_sqlite().await;
    let app = server::http::router(db.pool.clone(), &config());
    let store = server::http::sessions::DbSessionStore::new(db.pool.clone());
    let now = app::ssr::now();
    async fn set_clock(
        store: &server::http::sessions::DbSessionStore,
        c: &Client,
        since: i64,
        seen: i64,
    ) {
        let mut rec = store.load(&session_id(c)).await.unwrap().unwrap();
        rec.data.insert("since".into(), since.into());
        rec.data.insert("seen".into(), seen.into());
        store.save(&rec).await.unwrap();
    }
    async fn whoami(c: &mut Client) -> Value {
        serde_json::from_str(&c.call("current_user", "").await.body).unwrap()
    }

    // Used two minutes ago: still signed in, and the use is recorded (the limit slides).
    let mut c = signed_in(&app, "town1").await;
    set_clock(&store, &c, now - 3600, now - 120).await;
    assert_eq!(whoami(&mut c).await["username"], "town1");
    let rec = store.load(&session_id(&c)).await.unwrap().unwrap();
    assert!(rec.data["seen"].as_i64().unwrap() >= now, "{:?}", rec.data);
    // Idle for 31 minutes: signed out, whatever the row's expiry says.
    set_clock(&store, &c, now - 3600, now - 31 * 60).await;
    assert!(whoami(&mut c).await.is_null());
    // Busy all the time but signed in 13 hours ago: over.
    let mut c = signed_in(&app, "town1").await;
    set_clock(&store, &c, now - 13 * 3600, now - 10).await;
    assert!(whoami(&mut c).await.is_null());

    // A live stream ends when its session does.
    let mut c = signed_in(&app, "town1").await;
    let req = Request::get("/live")
        .header(header::ACCEPT, "text/event-stream")
        .header(header::COOKIE, c.cookie.clone().unwrap())
        .body(Body::empty())
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let mut body = res.into_body();
    assert!(!ends_within(&mut body, Duration::from_millis(300)).await);
    let r = c.call("logout", "").await;
    assert!(
        r.status.is_success() || r.status.is_redirection(),
        "{}",
        r.status
    );
    assert!(
        ends_within(&mut body, Duration::from_secs(3)).await,
        "the stream outlived its session"
    );
    db.drop_db().await;
}

#[tokio::test]
async fn bad_input_gets_a_clear_4xx_and_redirects_stay_on_the_site() {
    let db = TestDb::seeded_sqlite().await;
    let app = server::http::router(db.pool.clone(), &config());
    let mut town = signed_in(&app, "town1").await;

    for (f, body, status) in [
        ("event_detail", "id=abc", 400),
        ("event_detail", "", 400),
        ("org_view", "node=1.5", 400),
    ] {
        let r = town.call(f, body).await;
        assert_eq!(r.status.as_u16(), status, "{f}({body}): {}", r.body);
        assert_eq!(
            serde_json::from_str::<AppError>(&r.body).unwrap(),
            AppError::BadRequest,
            "{f}({body})"
        );
        assert!(!r.body.contains("invalid digit") && !r.body.contains("missing"));
    }
    let r = town
        .call_json("event_act", &serde_json::json!({"id": "x"}))
        .await;
    assert_eq!(r.status.as_u16(), 400, "{}", r.body);
    assert!(!r.body.contains("invalid type"), "{}", r.body);
    let r = town.call("no_such_function", "").await;
    assert_eq!(r.status.as_u16(), 404, "{}", r.body);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["message"], "未找到该对象，或您无权查看。");
    assert!(!r.body.contains("server function"));

    // A form that is not one: the user is told so, not that a photo is too large.
    let mut resident = signed_in(&app, "resident1").await;
    let req = Request::post("/report")
        .header(
            header::CONTENT_TYPE,
            "multipart/form-data; boundary=----lianxin",
        )
        .header(header::ACCEPT, "application/json")
        .header("sec-fetch-site", "same-origin")
        .header(header::COOKIE, resident.cookie.clone().unwrap())
        .body(Body::from(
            "------lianxin\r\nContent-Disposition: form-data; name=\"channel\"\r\n\r\nmail",
        ))
        .unwrap();
    let r = resident.send(req).await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["error"]["Invalid"]["reason"], "bad_form", "{v}");

    // Without JavaScript a wrong password comes back to the sign-in page, which says why.
    let req = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::REFERER, "http://127.0.0.1:3000/login")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from("username=grid1&password=wrong"))
        .unwrap();
    let mut anon = Client::new(app.clone());
    let r = anon.send(req).await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.body);
    let to = r.location.unwrap();
    assert!(to.contains("/login") && to.contains("__err"), "{to}");
    let path = to.trim_start_matches("http://127.0.0.1:3000");
    let page = anon.get(path).await;
    assert_eq!(page.status.as_u16(), 200);
    assert!(page.body.contains("用户名或密码错误"), "{}", page.body);

    // Return addresses: the one check, on the language switch (and WeChat's).
    for back in [
        "/%09/127.0.0.1:3399/phish",
        "//evil.example",
        "/%5Cevil.example",
        "%2F%2Fevil.example",
    ] {
        let r = anon.get(&format!("/lang/en?back={back}")).await;
        assert_eq!(r.location.as_deref(), Some("/"), "{back}");
    }
    let r = anon.get("/lang/en?back=/kpi%3Fdays%3D90").await;
    assert_eq!(r.location.as_deref(), Some("/kpi?days=90"));
    db.drop_db().await;
}

#[tokio::test]
async fn photos_cut_off_by_a_crash_are_swept() {
    let db = TestDb::seeded_sqlite().await;
    let dir = tempfile::tempdir().unwrap();
    let img = image::RgbImage::from_fn(40, 30, |x, y| image::Rgb([x as u8, y as u8, 9]));
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    // Two uploads written; the server "crashed" before either row was committed, and then
    // one of them got its row after all (the commit landed, the note was not removed yet).
    let lost = server::http::photos::store(dir.path(), png.clone())
        .await
        .unwrap();
    let kept = server::http::photos::store(dir.path(), png).await.unwrap();
    let ev = resident_report(&db, None, None, "照片测试").await;
    let mut tx = db.pool.begin().await.unwrap();
    app::features::events::repo::insert_photo(&mut tx, ev.id, None, &kept, 1)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // Too fresh: a request may still be on its way to the commit.
    assert_eq!(
        server::http::photos::sweep_pending(dir.path(), &db.pool, 3600).await,
        0
    );
    assert!(dir.path().join(&lost.file).exists());
    assert_eq!(
        server::http::photos::sweep_pending(dir.path(), &db.pool, 0).await,
        1
    );
    assert!(
        !dir.path().join(&lost.file).exists(),
        "a photo without a row stays behind"
    );
    assert!(
        dir.path().join(&kept.file).exists(),
        "a committed photo was removed"
    );
    let notes = std::fs::read_dir(dir.path().join("photos/pending"))
        .unwrap()
        .count();
    assert_eq!(notes, 0);
    db.drop_db().await;
}

#[tokio::test]
async fn pages_carry_a_nonce_policy_and_every_answer_the_safety_headers() {
    let db = TestDb::seeded_sqlite().await;
    let app = server::http::router(db.pool.clone(), &config());
    let mut c = Client::new(app.clone());
    for path in ["/login", "/report", "/no-such-page"] {
        let req = Request::get(path).body(Body::empty()).unwrap();
        let res = app.clone().oneshot(req).await.unwrap();
        let h = res.headers().clone();
        let csp = h
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let html = String::from_utf8_lossy(&res.into_body().collect().await.unwrap().to_bytes())
            .into_owned();
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|r| r.split('\'').next())
            .unwrap_or_else(|| panic!("{path}: no nonce in {csp:?}"));
        assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("object-src 'none'"));
        assert!(csp.contains("base-uri 'none'") && csp.contains("frame-ancestors 'self'"));
        // Every inline script carries this response's nonce; the others come from the site.
        for tag in html.split("<script").skip(1) {
            let open = &tag[..tag.find('>').unwrap()];
            assert!(
                open.contains(&format!("nonce=\"{nonce}\"")) || open.contains("src=\"/"),
                "{path}: script without the nonce: <script{open}>"
            );
        }
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
    }
    let r = c.call("current_user", "").await;
    assert_eq!(r.status.as_u16(), 200);
    let req = Request::get("/healthz").body(Body::empty()).unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    assert_eq!(
        res.headers()[header::CONTENT_SECURITY_POLICY],
        app::security::OTHER_POLICY
    );
    db.drop_db().await;
}
