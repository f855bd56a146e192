//! The HTTP application: Leptos pages and server functions, plus health, language switch,
//! sessions and the cross-site guard.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use app::ssr::{AppCtx, LogSms, SmsSender};
use app::{shell, App};
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::extract::{FromRef, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use serde::Deserialize;
use sqlx::AnyPool;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::limits::Limits;
use crate::live::Live;
use crate::locate::Locator;
use crate::sessions::{DbSessionStore, SessionEnds};
use crate::wechat::WechatConfig;

#[derive(Clone)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub ctx: AppCtx,
    pub data_dir: PathBuf,
    pub live: Live,
    pub screens: crate::screen::ScreenHub,
    pub locator: Locator,
    pub limits: Limits,
    pub wechat: Option<WechatConfig>,
    pub http: reqwest::Client,
    pub session_ends: SessionEnds,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos.clone()
    }
}

pub struct WebConfig {
    pub site_root: PathBuf,
    pub addr: SocketAddr,
    pub tile_url: Option<String>,
    pub secure_cookies: bool,
    /// Uploads go under `data_dir/photos`.
    pub data_dir: PathBuf,
    pub wechat: Option<WechatConfig>,
    /// None: the demo sender, which writes codes to the log.
    pub sms: Option<Arc<dyn SmsSender>>,
    /// None: the production quotas (`Limits::default`).
    pub limits: Option<Limits>,
}

pub fn leptos_options(cfg: &WebConfig) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("lianxin")
        .site_root(cfg.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(cfg.addr)
        .build()
}

pub fn router(pool: AnyPool, cfg: &WebConfig) -> Router {
    router_with_live(pool, cfg, None).0
}

/// The router and its live hub (the background jobs publish through the same hub).
pub fn router_with_live(pool: AnyPool, cfg: &WebConfig, live: Option<Live>) -> (Router, Live) {
    let live = live.unwrap_or_else(|| Live::new(pool.clone()));
    let store = DbSessionStore::new(pool.clone());
    let session_ends = SessionEnds::new(store.clone());
    let state = AppState {
        leptos: leptos_options(cfg),
        ctx: AppCtx {
            pool: pool.clone(),
            tile_url: cfg.tile_url.clone(),
            sms: cfg.sms.clone().unwrap_or_else(|| Arc::new(LogSms)),
            notify: live.notifier(),
            session_ended: session_ends.notifier(),
            wechat_enabled: cfg.wechat.is_some(),
        },
        data_dir: cfg.data_dir.clone(),
        live: live.clone(),
        screens: crate::screen::ScreenHub::new(pool.clone(), live.clone()),
        locator: Locator::default(),
        limits: cfg.limits.clone().unwrap_or_default(),
        wechat: cfg.wechat.clone(),
        http: reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .unwrap_or_default(),
        session_ends,
    };
    // The cookie and the stored row live up to the absolute limit; the idle limit is ours
    // (`sessions::slide`), so a busy user's cookie never runs out under them.
    let sessions = SessionManagerLayer::new(store)
        .with_name("lianxin_sid")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(cfg.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(
            app::domain::session::MAX_SECONDS,
        )));
    let routes = generate_route_list(App);
    let ctx = state.ctx.clone();
    let opts = state.leptos.clone();
    let limits = state.limits.clone();
    // Nine photos of up to 10 MB each, plus the text fields.
    let uploads = DefaultBodyLimit::max(9 * crate::photos::MAX_BYTES + 1024 * 1024);
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/lang/{code}", get(set_lang))
        .route("/report", post(crate::intake::report).layer(uploads))
        .route(
            "/events/{id}/photos",
            post(crate::photos::upload).layer(uploads),
        )
        .route("/photos/{id}", get(crate::photos::serve))
        .route("/live", get(crate::live::sse))
        .route("/screen/live", get(crate::screen::sse))
        .route("/auth/wechat", get(crate::wechat::start))
        .route("/auth/wechat/callback", get(crate::wechat::callback))
        .route(
            "/api/{*fn_name}",
            get(unknown_server_fn).post(unknown_server_fn),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(ctx.clone()),
            move || shell(opts.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(
            limits,
            crate::limits::guard,
        ))
        .layer(axum::middleware::from_fn(crate::headers::api_errors))
        .layer(axum::middleware::from_fn(crate::csrf::guard))
        .layer(axum::middleware::from_fn(crate::sessions::slide))
        .layer(sessions)
        .layer(axum::middleware::from_fn(crate::headers::secure))
        // The map's 5,000 pins and the WASM bundle shrink several times over; SSE streams are
        // left alone by the default predicate so pushes are not held in a compressor's buffer.
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state);
    (router, live)
}

/// Known server functions are routed by Leptos; what reaches this is a name nobody serves: a
/// 404 in the user's language, not Leptos's developer message.
async fn unknown_server_fn(req: Request<Body>) -> Response {
    crate::reply::error(&app::error::AppError::NotFound, req.headers(), "/")
}

async fn healthz(State(state): State<AppState>) -> Response {
    let db_ok = sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(&state.ctx.pool)
        .await
        .is_ok();
    let body = serde_json::json!({
        "status": if db_ok { "ok" } else { "degraded" },
        "version": env!("CARGO_PKG_VERSION"),
        "database": if db_ok { "reachable" } else { "unreachable" },
    });
    let code = if db_ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, Json(body)).into_response()
}

#[derive(Deserialize)]
struct Back {
    back: Option<String>,
}

async fn set_lang(Path(code): Path<String>, Query(q): Query<Back>) -> Response {
    let Some(locale) = app::i18n::Locale::from_code(&code) else {
        return (StatusCode::NOT_FOUND, "unknown language").into_response();
    };
    let cookie = format!(
        "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
        locale.code()
    );
    Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header(
            header::LOCATION,
            app::domain::nav::safe_back(q.back.as_deref(), "/"),
        )
        .header(header::SET_COOKIE, cookie)
        .body(Body::empty())
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}
