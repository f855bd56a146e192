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

/// The signed-in caller, or `Unauthenticated`.
pub async fn caller() -> Result<Caller, AppError> {
    let session = session().await?;
    let uid: Option<i64> = session.get(SESSION_USER_KEY).await.map_err(internal)?;
    let uid = uid.ok_or(AppError::Unauthenticated)?;
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

/// Appends to the audit log inside the caller's transaction.
pub async fn audit(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: Option<i64>,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, action, target, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(now())
    .bind(user_id)
    .bind(action)
    .bind(target)
    .bind(detail)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub fn parse_level(s: &str) -> OrgLevel {
    OrgLevel::parse(s).unwrap_or(OrgLevel::Building)
}
