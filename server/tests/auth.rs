//! Sign-in, sessions and request guards through the real router.

mod common;

use app::error::AppError;
use axum::body::Body;
use axum::http::{header, Request};
use common::http::{router, Client};
use common::{seeded, TestDb, PASSWORD};

#[tokio::test]
async fn five_failures_lock_the_account_for_thirty_minutes() {
    let db = TestDb::sqlite().await;
    seeded(&db).await;
    let mut c = Client::new(router(db.pool.clone()));
    for _ in 0..4 {
        let r = c.login("grid1", "wrong").await;
        assert_eq!(
            serde_json::from_str::<AppError>(&r.body).unwrap(),
            AppError::BadCredentials
        );
    }
    let r = c.login("grid1", "wrong").await;
    assert_eq!(
        serde_json::from_str::<AppError>(&r.body).unwrap(),
        AppError::Locked { minutes: 30 }
    );
    // Even the right password is refused while locked.
    let r = c.login("grid1", PASSWORD).await;
    assert_eq!(r.status.as_u16(), 423);
    assert!(matches!(
        serde_json::from_str::<AppError>(&r.body).unwrap(),
        AppError::Locked { .. }
    ));
    // Unknown users get the same answer as wrong passwords.
    let r = c.login("nobody", "x").await;
    assert_eq!(
        serde_json::from_str::<AppError>(&r.body).unwrap(),
        AppError::BadCredentials
    );
    // Once the lock has passed, the right password works and resets the counter.
    sqlx::query("UPDATE users SET locked_until = 1 WHERE username = 'grid1'")
        .execute(&db.pool)
        .await
        .unwrap();
    assert_eq!(c.login("grid1", PASSWORD).await.status.as_u16(), 200);
    let failures: i64 =
        sqlx::query_scalar("SELECT failed_logins FROM users WHERE username = 'grid1'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(failures, 0);
    db.drop_db().await;
}

#[tokio::test]
async fn login_issues_a_fresh_session_id_and_logout_ends_it() {
    let db = TestDb::sqlite().await;
    seeded(&db).await;
    let app = router(db.pool.clone());
    let mut c = Client::new(app.clone());
    c.login("town1", PASSWORD).await;
    let first = c.cookie.clone().expect("a session cookie");
    let set = c.last_set_cookie.clone().unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    // The cookie lasts up to the absolute limit; the 30-minute idle limit is the server's.
    assert!(set.contains("Max-Age=43200"), "12-hour cookie: {set}");
    // Logging in again on the same cookie (as a fixation attack would) yields another id.
    c.login("town1", PASSWORD).await;
    let second = c.cookie.clone().unwrap();
    assert_ne!(first, second);
    let mut stale = Client::new(app.clone());
    stale.cookie = Some(first);
    assert_eq!(
        stale.call("current_user", "").await.body,
        "null",
        "the old id is dead"
    );
    assert_ne!(c.call("current_user", "").await.body, "null");
    c.call("logout", "").await;
    let mut after = Client::new(app);
    after.cookie = Some(second);
    assert_eq!(after.call("current_user", "").await.body, "null");
    let audit: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action IN ('login', 'logout')")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(audit, 3);
    db.drop_db().await;
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let db = TestDb::sqlite().await;
    seeded(&db).await;
    let mut c = Client::new(router(db.pool.clone()));
    let req = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, "http://evil.example")
        .header(header::HOST, "127.0.0.1:3000")
        .body(Body::from(format!("username=admin&password={PASSWORD}")))
        .unwrap();
    let r = c.send(req).await;
    assert_eq!(r.status.as_u16(), 403);
    assert!(r.set_cookie.is_none());
    let req = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(format!("username=admin&password={PASSWORD}")))
        .unwrap();
    assert_eq!(c.send(req).await.status.as_u16(), 403);
    db.drop_db().await;
}

#[tokio::test]
async fn healthz_and_language_switch() {
    let db = TestDb::sqlite().await;
    let mut c = Client::new(router(db.pool.clone()));
    let r = c.get("/healthz").await;
    assert_eq!(r.status.as_u16(), 200);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["database"], "reachable");
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    let res = tower::ServiceExt::oneshot(
        c.app.clone(),
        Request::get("/lang/en?back=/org")
            .body(Body::empty())
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(res.headers()[header::LOCATION], "/org");
    assert!(res.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .starts_with("lang=en"));
    db.pool.close().await;
    let r = c.get("/healthz").await;
    assert_eq!(r.status.as_u16(), 503);
}

#[tokio::test]
async fn pages_render_on_the_server_in_both_languages() {
    let db = TestDb::sqlite().await;
    seeded(&db).await;
    let app = router(db.pool.clone());
    let page = |lang: &'static str| {
        let app = app.clone();
        async move {
            let res = tower::ServiceExt::oneshot(
                app,
                Request::get("/login")
                    .header(header::COOKIE, format!("lang={lang}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
            let bytes = http_body_util::BodyExt::collect(res.into_body())
                .await
                .unwrap()
                .to_bytes();
            String::from_utf8(bytes.to_vec()).unwrap()
        }
    };
    let zh = page("zh-CN").await;
    assert!(
        zh.contains("<html lang=\"zh-CN\""),
        "{}",
        &zh[..200.min(zh.len())]
    );
    assert!(zh.contains("用户名") && zh.contains("name=\"username\""));
    let en = page("en").await;
    assert!(en.contains("<html lang=\"en\"") && en.contains("Username"));
    db.drop_db().await;
}
