//! Sign-in, sessions and request guards through the real router.

use crate::common::http::{router, Client};
use crate::common::{TestDb, PASSWORD};
use app::error::AppError;
use axum::body::Body;
use axum::http::{header, Request};

#[tokio::test]
async fn five_failures_lock_the_account_for_thirty_minutes() {
    let db = TestDb::seeded_sqlite().await;
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
    let db = TestDb::seeded_sqlite().await;
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
    let db = TestDb::seeded_sqlite().await;
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
    let db = TestDb::seeded_sqlite().await;
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

/// Without `--demo` a database gets one administrator, whose one-time password opens nothing
/// but the page to choose a new one; an empty database gets none until a county is imported.
#[tokio::test]
async fn the_first_administrator_must_choose_a_password() {
    let db = TestDb::sqlite().await;
    let err = server::commands::admin::create(&db.pool, "admin", None)
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("server import"), "{err:#}");
    server::geo::import::run(&db.pool, &crate::common::tiny_import("990101"))
        .await
        .unwrap();
    let (user, once) = server::commands::admin::create(&db.pool, "admin", None)
        .await
        .unwrap();
    assert_eq!(once.len(), 16);
    assert!(server::commands::admin::create(&db.pool, "admin", None)
        .await
        .is_err());
    let app = router(db.pool.clone());
    let mut c = Client::new(app.clone());
    let r = c.login(&user, &once).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    let me: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(me["must_change_password"], true);
    // Nothing else until the password is changed.
    let r = c.call("org_view", "").await;
    assert_eq!(r.status.as_u16(), 403, "{}", r.body);
    assert_eq!(
        serde_json::from_str::<AppError>(&r.body).unwrap(),
        AppError::PasswordChange
    );
    for (current, new, why) in [
        (once.as_str(), "short1", "password_short"),
        (once.as_str(), "admin-admin-2026", "password_name"),
        ("wrong-current-1", "Better-pass-2026", "bad_credentials"),
    ] {
        let r = c
            .call(
                "change_password",
                &format!("current={current}&new={new}&confirm={new}"),
            )
            .await;
        assert_eq!(r.status.as_u16(), 422, "{why}: {}", r.body);
        assert!(r.body.contains(why), "{why}: {}", r.body);
    }
    let r = c
        .call(
            "change_password",
            &format!("current={once}&new=Better-pass-2026&confirm=Better-pass-2026"),
        )
        .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    assert_eq!(c.call("org_view", "").await.status.as_u16(), 200);
    // The one-time password is gone; the new one works.
    let mut d = Client::new(app.clone());
    assert_eq!(d.login(&user, &once).await.status.as_u16(), 401);
    let r = d.login(&user, "Better-pass-2026").await;
    let me: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(me["must_change_password"], false);
    db.drop_db().await;
}
