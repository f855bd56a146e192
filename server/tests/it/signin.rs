//! Resident sign-in: a phone number and a one-time code (through a recording SMS sender), and
//! WeChat OAuth (snsapi_base) against a local fake of WeChat's endpoints.

use std::sync::{Arc, Mutex};

use crate::common::http::{config, Client};
use crate::common::TestDb;
use app::ssr::SmsSender;
use axum::extract::Query;
use axum::routing::get;
use serde_json::Value;

#[derive(Default)]
struct Outbox(Mutex<Vec<(String, String)>>);

impl SmsSender for Outbox {
    fn send(&self, phone: &str, text: &str) -> Result<(), String> {
        self.0.lock().unwrap().push((phone.into(), text.into()));
        Ok(())
    }
}

impl Outbox {
    fn last_code(&self) -> String {
        let text = self.0.lock().unwrap().last().unwrap().1.clone();
        text.split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
            .unwrap()
            .to_string()
    }
}

async fn whoami(c: &mut Client) -> Value {
    serde_json::from_str(&c.call("current_user", "").await.body).unwrap()
}

#[tokio::test]
async fn a_resident_signs_in_with_a_phone_code() {
    for db in TestDb::seeded_both().await {
        // A phone from the household register: the account lands in that household's grid.
        let (phone, name, grid): (String, String, i64) = sqlx::query_as(
            "SELECT r.phone, r.name, h.grid_id FROM residents r JOIN households h ON h.id = r.household_id \
             WHERE r.phone <> '' AND NOT EXISTS (SELECT 1 FROM users u WHERE u.resident_id = r.id) \
             ORDER BY r.id LIMIT 1",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let phone = app::crypto::open("residents.phone", &phone).unwrap();
        let outbox = Arc::new(Outbox::default());
        let mut cfg = config();
        cfg.sms = Some(outbox.clone());
        let app = server::http::router(db.pool.clone(), &cfg);
        let mut c = Client::new(app.clone());

        let r = c.call("send_code", "phone=12345").await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        let r = c.call("send_code", &format!("phone={phone}")).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        // A second code within the minute is refused.
        let r = c.call("send_code", &format!("phone={phone}")).await;
        assert_eq!(r.status.as_u16(), 429, "{}", r.body);
        let code = outbox.last_code();
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let r = c
            .call("phone_login", &format!("phone={phone}&code={wrong}"))
            .await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        assert!(whoami(&mut c).await.is_null());
        let r = c
            .call("phone_login", &format!("phone={phone}&code={code}"))
            .await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let me = whoami(&mut c).await;
        assert_eq!(me["role"], "Resident");
        assert_eq!(me["display_name"], name.as_str());
        assert_eq!(me["unit_id"].as_i64(), Some(grid));
        // The code is used up.
        let mut d = Client::new(app.clone());
        let r = d
            .call("phone_login", &format!("phone={phone}&code={code}"))
            .await;
        assert_eq!(r.status.as_u16(), 422);

        // Five wrong tries burn a code, even the right one after them.
        let stranger = "13712345678";
        sqlx::query("UPDATE otp_codes SET sent_at = 0")
            .execute(&db.pool)
            .await
            .unwrap();
        // A fresh router: the per-address limit below must not mask the per-code one.
        let mut d = Client::new(server::http::router(db.pool.clone(), &cfg));
        let r = d.call("send_code", &format!("phone={stranger}")).await;
        assert_eq!(r.status.as_u16(), 200);
        let code = outbox.last_code();
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for _ in 0..5 {
            d.call("phone_login", &format!("phone={stranger}&code={wrong}"))
                .await;
        }
        let r = d
            .call("phone_login", &format!("phone={stranger}&code={code}"))
            .await;
        assert_eq!(r.status.as_u16(), 422);
        // One address may try sign-in only so often (a burst of ten, then twenty a minute).
        let mut codes = Vec::new();
        for i in 0..5 {
            let r = d.call("send_code", &format!("phone=1360000002{i}")).await;
            codes.push(r.status.as_u16());
        }
        // Seven calls so far on this router; the burst of ten ends with the third here.
        assert_eq!(codes, vec![200, 200, 200, 429, 429], "{codes:?}");

        // Staff accounts keep to passwords.
        sqlx::query("UPDATE users SET phone = $1, phone_bidx = $2 WHERE username = 'town1'")
            .bind(app::crypto::seal("users.phone", "13600000001").unwrap())
            .bind(app::crypto::blind("phone", "13600000001").unwrap())
            .execute(&db.pool)
            .await
            .unwrap();
        let mut d = Client::new(server::http::router(db.pool.clone(), &cfg));
        let r = d.call("send_code", "phone=13600000001").await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let code = outbox.last_code();
        let r = d
            .call("phone_login", &format!("phone=13600000001&code={code}"))
            .await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        assert!(whoami(&mut d).await.is_null());
        db.drop_db().await;
    }
}

#[derive(serde::Deserialize)]
struct TokenQuery {
    appid: String,
    secret: String,
    code: String,
    grant_type: String,
}

/// WeChat's token endpoint, as far as snsapi_base uses it.
async fn fake_wechat() -> String {
    let app = axum::Router::new().route(
        "/sns/oauth2/access_token",
        get(|Query(q): Query<TokenQuery>| async move {
            let ok = q.appid == "wx-test"
                && q.secret == "s3cret"
                && q.grant_type == "authorization_code";
            axum::Json(if ok && q.code == "good-code" {
                serde_json::json!({"access_token": "at", "expires_in": 7200, "refresh_token": "rt",
                    "openid": "oTEST_openid_123", "scope": "snsapi_base"})
            } else {
                serde_json::json!({"errcode": 40029, "errmsg": "invalid code"})
            })
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

fn query_param(url: &str, key: &str) -> Option<String> {
    let q = url.split_once('?')?.1.split('#').next()?;
    q.split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.to_string())
}

#[tokio::test]
async fn a_resident_signs_in_with_wechat() {
    let db = TestDb::seeded_sqlite().await;
    let fake = fake_wechat().await;
    let mut cfg = config();
    cfg.wechat = Some(server::http::wechat::WechatConfig {
        app_id: "wx-test".into(),
        secret: "s3cret".into(),
        authorize_url: format!("{fake}/connect/oauth2/authorize"),
        token_url: format!("{fake}/sns/oauth2/access_token"),
        public_url: "http://lianxin.test".into(),
    });
    let app = server::http::router(db.pool.clone(), &cfg);

    let mut c = Client::new(app.clone());
    let r = c.get("/auth/wechat?back=/report").await;
    assert_eq!(r.status.as_u16(), 302);
    let to = r.location.unwrap();
    assert!(
        to.starts_with(&format!("{fake}/connect/oauth2/authorize?appid=wx-test")),
        "{to}"
    );
    assert_eq!(query_param(&to, "scope").as_deref(), Some("snsapi_base"));
    assert_eq!(
        query_param(&to, "redirect_uri").as_deref(),
        Some("http%3A%2F%2Flianxin.test%2Fauth%2Fwechat%2Fcallback")
    );
    let state = query_param(&to, "state").unwrap();

    // A forged state is refused and signs nobody in.
    let r = c
        .get("/auth/wechat/callback?code=good-code&state=forged")
        .await;
    assert_eq!(r.status.as_u16(), 422);
    assert!(whoami(&mut c).await.is_null());

    let r = c.get("/auth/wechat?back=/report").await;
    let state2 = query_param(&r.location.unwrap(), "state").unwrap();
    assert_ne!(state, state2);
    let r = c
        .get(&format!(
            "/auth/wechat/callback?code=good-code&state={state2}"
        ))
        .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    assert_eq!(r.location.as_deref(), Some("/report"));
    let me = whoami(&mut c).await;
    assert_eq!(me["role"], "Resident");
    let openid: String = sqlx::query_scalar("SELECT wechat_openid FROM users WHERE id = $1")
        .bind(me["id"].as_i64().unwrap())
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(openid, "oTEST_openid_123");

    // A code WeChat does not accept.
    let mut d = Client::new(app.clone());
    let r = d.get("/auth/wechat").await;
    let s = query_param(&r.location.unwrap(), "state").unwrap();
    let r = d
        .get(&format!("/auth/wechat/callback?code=bad&state={s}"))
        .await;
    assert_eq!(r.status.as_u16(), 422);
    assert!(whoami(&mut d).await.is_null());
    // The same WeChat user again: the same account.
    let r = d.get("/auth/wechat").await;
    let s = query_param(&r.location.unwrap(), "state").unwrap();
    d.get(&format!("/auth/wechat/callback?code=good-code&state={s}"))
        .await;
    assert_eq!(whoami(&mut d).await["id"], me["id"]);
    db.drop_db().await;
}

/// Without JavaScript: "获取验证码" comes back to the report page, which now asks only for the
/// code (the number kept in the session), and the code signs the resident in.
#[tokio::test]
async fn the_phone_code_works_without_javascript_and_asks_the_number_once() {
    use axum::body::Body;
    use axum::http::{header, Request};
    let db = TestDb::seeded_sqlite().await;
    let outbox = Arc::new(Outbox::default());
    let mut cfg = config();
    cfg.sms = Some(outbox.clone());
    let app = server::http::router(db.pool.clone(), &cfg);
    let mut c = Client::new(app.clone());
    let form = |path: &str, body: String, cookie: Option<String>| {
        let mut req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .header(header::REFERER, "http://127.0.0.1:3000/report")
            .header("sec-fetch-site", "same-origin");
        if let Some(k) = cookie {
            req = req.header(header::COOKIE, k);
        }
        req.body(Body::from(body)).unwrap()
    };
    let page = c.get("/report").await;
    assert!(page.body.contains("otp-phone") && !page.body.contains("otp-code"));
    let r = c
        .send(form(
            "/api/send_code",
            "phone=13955556666".into(),
            c.cookie.clone(),
        ))
        .await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.body);
    let to = r.location.unwrap();
    assert!(to.contains("/report"), "{to}");
    let page = c.get("/report").await;
    assert!(
        page.body.contains("data-testid=\"code-sent\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("139****6666"));
    let code = outbox.last_code();
    let r = c
        .send(form(
            "/api/phone_login",
            format!("code={code}"),
            c.cookie.clone(),
        ))
        .await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.body);
    assert_eq!(whoami(&mut c).await["role"], "Resident");
    db.drop_db().await;
}
