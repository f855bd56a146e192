//! Server-side plumbing shared by every feature's server functions: the database handle,
//! the signed-in caller, and the audit log.

use std::sync::Arc;

use leptos::prelude::*;
use sqlx::AnyPool;

use crate::domain::org::OrgLevel;
use crate::domain::roles::Role;
use crate::domain::scope::Caller;
use crate::error::AppError;

/// Provided to every request's reactive context by the server.
#[derive(Clone)]
pub struct AppCtx {
    pub pool: AnyPool,
    /// A tile URL template for deployments that have a tile server.
    pub tile_url: Option<String>,
    /// Sends one-time sign-in codes.
    pub sms: Arc<dyn SmsSender>,
    /// Whether "sign in with WeChat" is configured.
    pub wechat_enabled: bool,
    /// Tells the live feed that an event changed (SSE to open consoles).
    pub notify: Arc<dyn Fn(i64) + Send + Sync>,
    /// Tells open live streams that a session (by id) has ended, so they close at once.
    pub session_ended: Arc<dyn Fn(String) + Send + Sync>,
    /// This site as users reach it (`--public-url`), for links that leave the browser.
    pub public_url: Option<String>,
}

/// This site's address for a link a phone opens from elsewhere (a QR code): the configured
/// public URL, else the host this request came to, which the people in the same room reach too.
pub fn site_url() -> String {
    if let Some(u) = use_context::<AppCtx>().and_then(|c| c.public_url) {
        return u.trim_end_matches('/').to_string();
    }
    let parts = use_context::<http::request::Parts>();
    let header = |name: &str| {
        parts
            .as_ref()
            .and_then(|p| p.headers.get(name))
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    // A host name and port only: the header is the client's word.
    let host = header("host")
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or_else(|| "localhost".into());
    let scheme = match header("x-forwarded-proto").as_deref() {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

/// Where one-time codes go: an SMS gateway in production, the log in the demo.
pub trait SmsSender: Send + Sync {
    fn send(&self, phone: &str, text: &str) -> Result<(), String>;
}

/// The demo sender: the text (with the code) goes to the server log, the phone masked.
pub struct LogSms;

impl SmsSender for LogSms {
    fn send(&self, phone: &str, text: &str) -> Result<(), String> {
        tracing::info!(
            phone = %crate::domain::identity::mask_phone(phone),
            text,
            "SMS (demo sender: written to the log, not sent)"
        );
        Ok(())
    }
}

pub const SESSION_USER_KEY: &str = "uid";
/// When the session was signed in (unix seconds): the absolute limit counts from here.
pub const SESSION_SINCE_KEY: &str = "since";
/// When the session was last marked used: the idle limit counts from here.
pub const SESSION_SEEN_KEY: &str = "seen";
/// Set while a password given out once has not been changed: nothing else is allowed.
pub const SESSION_MUST_CHANGE_KEY: &str = "must_change";
/// The number a sign-in code was last sent to from this browser.
pub const SESSION_CODE_PHONE_KEY: &str = "code_phone";

pub fn ctx() -> Result<AppCtx, AppError> {
    use_context::<AppCtx>().ok_or_else(|| {
        tracing::error!("AppCtx missing from context");
        AppError::Internal
    })
}

pub fn now() -> i64 {
    crate::clock::unix_now()
}

pub async fn session() -> Result<tower_sessions::Session, AppError> {
    leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "session layer missing");
            AppError::Internal
        })
}

/// Binds the session to a user; a fresh id at sign-in defeats session fixation.
pub async fn start_session(session: &tower_sessions::Session, uid: i64) -> Result<(), AppError> {
    session.cycle_id().await.map_err(internal)?;
    let t = now();
    session
        .insert(SESSION_USER_KEY, uid)
        .await
        .map_err(internal)?;
    session
        .insert(SESSION_SINCE_KEY, t)
        .await
        .map_err(internal)?;
    session.insert(SESSION_SEEN_KEY, t).await.map_err(internal)
}

/// Unguessable tokens (file names, OAuth state, submission keys): `bytes` random bytes as hex.
pub fn random_hex(bytes: usize) -> String {
    use rand_core::RngCore;
    let mut b = vec![0u8; bytes];
    rand_core::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A redirect for a plain form post only (no WASM): with WASM the page stays and shows the
/// answer itself. The target goes through the one safe-path check.
pub fn redirect_form_post(path: &str) {
    let form = use_context::<http::request::Parts>().is_some_and(|p| {
        p.headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"))
    });
    if form {
        leptos_axum::redirect(&crate::domain::nav::safe_back(Some(path), "/"));
    }
}

/// The server's signing key (made once, kept in `settings`).
async fn signing_key(pool: &AnyPool) -> Result<Vec<u8>, AppError> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ('signing_key', $1) ON CONFLICT (key) DO NOTHING",
    )
    .bind(random_hex(32))
    .execute(pool)
    .await?;
    let key: String = sqlx::query_scalar("SELECT value FROM settings WHERE key = 'signing_key'")
        .fetch_one(pool)
        .await?;
    Ok(key.into_bytes())
}

fn mac(key: &[u8], message: &str) -> Result<hmac::Hmac<sha2::Sha256>, AppError> {
    use hmac::Mac;
    let mut m = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(key).map_err(internal)?;
    m.update(message.as_bytes());
    Ok(m)
}

/// A token that proves the server issued `message` (HMAC-SHA256, hex), for handles given to a
/// browser that must not be forged (a "me too" for a report the caller cannot open).
pub async fn sign(pool: &AnyPool, message: &str) -> Result<String, AppError> {
    use hmac::Mac;
    let tag = mac(&signing_key(pool).await?, message)?
        .finalize()
        .into_bytes();
    Ok(tag.iter().map(|b| format!("{b:02x}")).collect())
}

/// Whether `tag` is the server's token for `message` (compared in constant time).
pub async fn verify_signed(pool: &AnyPool, message: &str, tag: &str) -> Result<bool, AppError> {
    use hmac::Mac;
    let Some(bytes) = (0..tag.len())
        .step_by(2)
        .map(|i| {
            tag.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect::<Option<Vec<u8>>>()
    else {
        return Ok(false);
    };
    Ok(mac(&signing_key(pool).await?, message)?
        .verify_slice(&bytes)
        .is_ok())
}

pub fn internal<E: std::fmt::Display>(e: E) -> AppError {
    tracing::error!(error = %e, "internal error");
    AppError::Internal
}

#[derive(sqlx::FromRow)]
struct CallerRow {
    id: i64,
    role: String,
    path: String,
    resident_id: Option<i64>,
    department_id: Option<i64>,
}

/// The signed-in caller, or `Unauthenticated`; `PasswordChange` while a password given out
/// once has not been changed.
pub async fn caller() -> Result<Caller, AppError> {
    let session = session().await?;
    let uid: Option<i64> = session.get(SESSION_USER_KEY).await.map_err(internal)?;
    let uid = uid.ok_or(AppError::Unauthenticated)?;
    if session
        .get::<bool>(SESSION_MUST_CHANGE_KEY)
        .await
        .map_err(internal)?
        .unwrap_or(false)
    {
        return Err(AppError::PasswordChange);
    }
    load_caller(&ctx()?.pool, uid)
        .await?
        .ok_or(AppError::Unauthenticated)
}

pub async fn load_caller(pool: &AnyPool, user_id: i64) -> Result<Option<Caller>, AppError> {
    let row: Option<CallerRow> = sqlx::query_as(
        "SELECT u.id, u.role, o.path, u.resident_id, u.department_id FROM users u \
         JOIN org_units o ON o.id = u.org_unit_id WHERE u.id = $1 AND u.disabled = 0",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|r| {
        Some(Caller {
            user_id: r.id,
            role: Role::parse(&r.role)?,
            unit_path: r.path,
            resident_id: r.resident_id,
            department_id: r.department_id,
        })
    }))
}

/// Whether a write failed on a unique index (a second booking, a team name taken, …).
pub fn unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
}

/// Appends to the audit log (its hash chain) inside the caller's transaction.
pub async fn audit(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: Option<i64>,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<(), AppError> {
    crate::features::audit::repo::append(tx, now(), user_id, action, target, detail).await
}

pub fn parse_level(s: &str) -> OrgLevel {
    OrgLevel::parse(s).unwrap_or(OrgLevel::Building)
}
