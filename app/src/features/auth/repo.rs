//! Accounts: look-up, the login counter, and the current user's summary.

use sqlx::AnyPool;

use super::types::CurrentUser;
use crate::domain::lockout::LoginState;
use crate::domain::roles::Role;
use crate::error::AppError;

#[derive(sqlx::FromRow)]
pub struct Credentials {
    pub id: i64,
    pub password_hash: Option<String>,
    pub failed_logins: i64,
    pub locked_until: i64,
}

impl Credentials {
    pub fn login_state(&self) -> LoginState {
        LoginState {
            failures: self.failed_logins,
            locked_until: self.locked_until,
        }
    }
}

pub async fn credentials(pool: &AnyPool, username: &str) -> Result<Option<Credentials>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, password_hash, failed_logins, locked_until FROM users \
         WHERE username = $1 AND disabled = 0",
    )
    .bind(username)
    .fetch_optional(pool)
    .await?)
}

pub async fn store_login_state(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: i64,
    state: LoginState,
) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3")
        .bind(state.failures)
        .bind(state.locked_until)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    unit_id: i64,
    unit_name: String,
}

pub async fn current_user(pool: &AnyPool, user_id: i64) -> Result<Option<CurrentUser>, AppError> {
    let row: Option<UserRow> = sqlx::query_as(
        "SELECT u.id, u.username, u.display_name, u.role, o.id AS unit_id, o.name AS unit_name \
         FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.id = $1 AND u.disabled = 0",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|r| {
        Some(CurrentUser {
            id: r.id,
            username: r.username,
            display_name: r.display_name,
            role: Role::parse(&r.role)?,
            unit_id: r.unit_id,
            unit_name: r.unit_name,
        })
    }))
}

/// Argon2id with the crate's recommended parameters.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let salt = SaltString::generate(&mut rand_core::OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(crate::ssr::internal)
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash)
        .map(|h| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}
