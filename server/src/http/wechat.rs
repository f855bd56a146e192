//! WeChat sign-in for residents inside WeChat (OAuth 2.0, scope snsapi_base: the openid only, no
//! consent screen). The endpoints are configurable so that tests run against a local fake.

use app::error::AppError;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tower_sessions::Session;

use crate::http::reply;
use crate::http::AppState;

#[derive(Clone, Debug)]
pub struct WechatConfig {
    pub app_id: String,
    pub secret: String,
    pub authorize_url: String,
    pub token_url: String,
    /// This site as WeChat's browser reaches it, e.g. https://lianxin.example.gov.cn
    pub public_url: String,
}

pub const AUTHORIZE_URL: &str = "https://open.weixin.qq.com/connect/oauth2/authorize";
pub const TOKEN_URL: &str = "https://api.weixin.qq.com/sns/oauth2/access_token";
const STATE_KEY: &str = "wx_state";

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Deserialize)]
pub struct Start {
    back: Option<String>,
}

/// `GET /auth/wechat`: off to WeChat's authorize page with a one-use state.
pub async fn start(
    State(st): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Query(q): Query<Start>,
) -> Response {
    let Some(cfg) = st.wechat.clone() else {
        return reply::error(&AppError::NotFound, &headers, "/login");
    };
    let state = app::ssr::random_hex(16);
    if let Err(e) = session
        .insert(
            STATE_KEY,
            (
                state.clone(),
                app::domain::nav::safe_back(q.back.as_deref(), "/report"),
            ),
        )
        .await
    {
        return reply::error(&app::ssr::internal(e), &headers, "/login");
    }
    let redirect = format!(
        "{}/auth/wechat/callback",
        cfg.public_url.trim_end_matches('/')
    );
    let to = format!(
        "{}?appid={}&redirect_uri={}&response_type=code&scope=snsapi_base&state={}#wechat_redirect",
        cfg.authorize_url,
        enc(&cfg.app_id),
        enc(&redirect),
        state
    );
    (StatusCode::FOUND, [(header::LOCATION, to)]).into_response()
}

#[derive(Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
}

#[derive(Deserialize)]
struct TokenReply {
    openid: Option<String>,
    errcode: Option<i64>,
    errmsg: Option<String>,
}

/// `GET /auth/wechat/callback`: exchanges the code for the openid and signs the resident in.
pub async fn callback(
    State(st): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Query(q): Query<Callback>,
) -> Response {
    match finish(&st, &session, q).await {
        Ok(back) => (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response(),
        Err(e) => reply::error(&e, &headers, "/login"),
    }
}

async fn finish(st: &AppState, session: &Session, q: Callback) -> Result<String, AppError> {
    let cfg = st.wechat.clone().ok_or(AppError::NotFound)?;
    let saved: Option<(String, String)> = session
        .remove(STATE_KEY)
        .await
        .map_err(app::ssr::internal)?;
    let (state, back) = saved.ok_or(AppError::invalid("code", "bad_code"))?;
    // Declined, replayed or forged: no code, or a state this session never issued.
    let code = q.code.filter(|c| !c.is_empty());
    if q.state.as_deref() != Some(state.as_str()) || code.is_none() {
        return Err(AppError::invalid("code", "bad_code"));
    }
    let reply: TokenReply = st
        .http
        .get(&cfg.token_url)
        .query(&[
            ("appid", cfg.app_id.as_str()),
            ("secret", cfg.secret.as_str()),
            ("code", code.as_deref().unwrap_or_default()),
            ("grant_type", "authorization_code"),
        ])
        .send()
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "WeChat token endpoint unreachable");
            AppError::Transport("wechat".into())
        })?
        .json()
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "WeChat token reply unreadable");
            AppError::Transport("wechat".into())
        })?;
    let openid = match (reply.openid, reply.errcode) {
        (Some(o), None | Some(0)) if !o.is_empty() && o.len() <= 64 => o,
        (_, code) => {
            tracing::warn!(?code, msg = ?reply.errmsg, "WeChat refused the code");
            return Err(AppError::invalid("code", "bad_code"));
        }
    };
    let pool = &st.ctx.pool;
    let uid = app::features::auth::repo::find_or_create_resident(pool, None, Some(&openid)).await?;
    let mut tx = pool.begin().await?;
    app::ssr::audit(&mut tx, Some(uid), "login", "wechat", "").await?;
    tx.commit().await?;
    app::ssr::start_session(session, uid).await?;
    Ok(app::domain::nav::safe_back(Some(&back), "/report"))
}
