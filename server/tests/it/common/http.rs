//! A cookie-keeping client that drives the real router in-process (tower `oneshot`).
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;

/// A configuration for tests: uploads in a fresh temporary folder of the test's own.
pub fn config() -> server::http::WebConfig {
    let dir = std::env::temp_dir().join(format!(
        "lianxin-test-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    server::http::WebConfig {
        site_root: "target/site".into(),
        addr: "127.0.0.1:3000".parse().unwrap(),
        tile_url: None,
        secure_cookies: false,
        data_dir: dir,
        wechat: None,
        sms: None,
        public_url: None,
        limits: None,
    }
}

pub fn router(pool: sqlx::AnyPool) -> Router {
    server::http::router(pool, &config())
}

pub struct Client {
    pub app: Router,
    pub cookie: Option<String>,
    pub last_set_cookie: Option<String>,
}

pub struct Reply {
    pub status: StatusCode,
    pub body: String,
    pub bytes: Vec<u8>,
    pub set_cookie: Option<String>,
    pub location: Option<String>,
    pub content_type: Option<String>,
}

pub enum Part<'a> {
    Text(&'a str, String),
    File(&'a str, &'a str, Vec<u8>),
}

/// A client signed in as `user` (the seeded password), or the test stops.
pub async fn signed_in(app: &Router, user: &str) -> Client {
    let mut c = Client::new(app.clone());
    let r = c.login(user, super::PASSWORD).await;
    assert_eq!(r.status.as_u16(), 200, "{user}: {}", r.body);
    c
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
        let header_of = |h| {
            res.headers()
                .get(h)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let location = header_of(header::LOCATION);
        let content_type = header_of(header::CONTENT_TYPE);
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
            set_cookie,
            location,
            content_type,
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

    /// A multipart form post, as a browser without WASM sends it (or, with `json`, as the app does).
    pub async fn multipart(&mut self, path: &str, parts: &[Part<'_>], json: bool) -> Reply {
        let boundary = "----lianxin-test-boundary";
        let mut body: Vec<u8> = Vec::new();
        for p in parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match p {
                Part::Text(name, value) => {
                    body.extend_from_slice(
                        format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n")
                            .as_bytes(),
                    );
                    body.extend_from_slice(value.as_bytes());
                }
                Part::File(name, file, bytes) => {
                    body.extend_from_slice(
                        format!(
                            "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\
                             Content-Type: application/octet-stream\r\n\r\n"
                        )
                        .as_bytes(),
                    );
                    body.extend_from_slice(bytes);
                }
            }
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let mut req = Request::post(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(
                header::ACCEPT,
                if json {
                    "application/json"
                } else {
                    "text/html"
                },
            )
            .header("sec-fetch-site", "same-origin");
        if let Some(c) = &self.cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        let mut req = Request::get(path);
        if let Some(c) = &self.cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    /// One sign-in. The hashing gate is one per process, and the security tests fill it on
    /// purpose while others run beside them: "busy" (503) means try again, as a user would.
    pub async fn login(&mut self, user: &str, password: &str) -> Reply {
        let form = format!("username={user}&password={password}");
        let mut r = self.call("login", &form).await;
        for _ in 0..40 {
            if r.status.as_u16() != 503 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
            r = self.call("login", &form).await;
        }
        r
    }
}

/// The body of a 200 reply as JSON (fails the test on any other status).
pub fn json(r: &Reply) -> serde_json::Value {
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

/// Asserts a 422 refusal with this `errors.` reason.
pub fn refused(r: &Reply, reason: &str) {
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["Invalid"]["reason"], reason, "{}", r.body);
}
