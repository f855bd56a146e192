//! A cookie-keeping client that drives the real router in-process (tower `oneshot`).
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;

pub fn router(pool: sqlx::AnyPool) -> Router {
    server::web::router(
        pool,
        &server::web::WebConfig {
            site_root: "target/site".into(),
            addr: "127.0.0.1:3000".parse().unwrap(),
            tile_url: None,
            secure_cookies: false,
        },
    )
}

pub struct Client {
    pub app: Router,
    pub cookie: Option<String>,
    pub last_set_cookie: Option<String>,
}

pub struct Reply {
    pub status: StatusCode,
    pub body: String,
    pub set_cookie: Option<String>,
}

impl Client {
    pub fn new(app: Router) -> Client {
        Client {
            app,
            cookie: None,
            last_set_cookie: None,
        }
    }

    pub async fn send(&mut self, req: Request<Body>) -> Reply {
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let set_cookie = res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("lianxin_sid="))
            .map(str::to_owned);
        if let Some(sc) = &set_cookie {
            let pair = sc.split(';').next().unwrap().to_string();
            if sc.contains("Max-Age=0") {
                self.cookie = None;
            } else {
                self.cookie = Some(pair);
            }
            self.last_set_cookie = Some(sc.clone());
        }
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            set_cookie,
        }
    }

    /// Calls a server function whose input is JSON.
    pub async fn call_json(&mut self, name: &str, body: &serde_json::Value) -> Reply {
        let mut req = Request::post(format!("/api/{name}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .header("sec-fetch-site", "same-origin");
        if let Some(c) = &self.cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body.to_string())).unwrap())
            .await
    }

    /// Calls a server function the way the browser does (URL-encoded POST, JSON back).
    pub async fn call(&mut self, name: &str, form: &str) -> Reply {
        let mut req = Request::post(format!("/api/{name}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header("sec-fetch-site", "same-origin");
        if let Some(c) = &self.cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(form.to_string())).unwrap())
            .await
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        let mut req = Request::get(path);
        if let Some(c) = &self.cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    pub async fn login(&mut self, user: &str, password: &str) -> Reply {
        self.call("login", &format!("username={user}&password={password}"))
            .await
    }
}
