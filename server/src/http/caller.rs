//! The signed-in caller of a plain axum route (server functions use `app::ssr::caller`).

use app::domain::scope::Caller;
use app::error::AppError;
use sqlx::AnyPool;
use tower_sessions::Session;

pub async fn caller(pool: &AnyPool, session: &Session) -> Result<Caller, AppError> {
    let uid: Option<i64> = session
        .get(app::ssr::SESSION_USER_KEY)
        .await
        .map_err(app::ssr::internal)?;
    let uid = uid.ok_or(AppError::Unauthenticated)?;
    if session
        .get::<bool>(app::ssr::SESSION_MUST_CHANGE_KEY)
        .await
        .map_err(app::ssr::internal)?
        .unwrap_or(false)
    {
        return Err(AppError::PasswordChange);
    }
    app::ssr::load_caller(pool, uid)
        .await?
        .ok_or(AppError::Unauthenticated)
}
