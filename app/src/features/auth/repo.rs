//! Accounts: look-up, the login counter, and the current user's summary.

use sqlx::AnyPool;

use super::types::CurrentUser;
use crate::domain::lockout::{LoginState, LOCK_SECONDS, MAX_FAILURES};
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

/// Claims one sign-in attempt in one statement (the store's copy of `LoginState::claim`): the
/// count after it, or None when no attempt is allowed now.
pub async fn claim_attempt(
    pool: &AnyPool,
    user_id: i64,
    now: i64,
) -> Result<Option<LoginState>, AppError> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "UPDATE users SET \
           failed_logins = CASE WHEN locked_until <> 0 AND locked_until <= $2 THEN 1 \
                           ELSE failed_logins + 1 END, \
           locked_until = CASE WHEN locked_until <= $2 THEN 0 ELSE locked_until END \
         WHERE id = $1 AND locked_until <= $2 AND (failed_logins < $3 OR locked_until <> 0) \
         RETURNING failed_logins, locked_until",
    )
    .bind(user_id)
    .bind(now)
    .bind(MAX_FAILURES)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(failures, locked_until)| LoginState {
        failures,
        locked_until,
    }))
}

/// A claimed attempt failed: locks the account if the count has reached the limit (the store's
/// copy of `LoginState::after_failed_claim`). A success in between has cleared the count.
pub async fn record_failure(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: i64,
    now: i64,
) -> Result<LoginState, AppError> {
    let (failures, locked_until): (i64, i64) = sqlx::query_as(
        "UPDATE users SET locked_until = CASE WHEN failed_logins >= $3 AND locked_until <= $2 \
           THEN $4 ELSE locked_until END WHERE id = $1 RETURNING failed_logins, locked_until",
    )
    .bind(user_id)
    .bind(now)
    .bind(MAX_FAILURES)
    .bind(now + LOCK_SECONDS)
    .fetch_one(&mut **tx)
    .await?;
    Ok(LoginState {
        failures,
        locked_until,
    })
}

pub async fn record_success(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: i64,
) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = $1")
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
    must_change_password: i64,
}

pub async fn current_user(pool: &AnyPool, user_id: i64) -> Result<Option<CurrentUser>, AppError> {
    let row: Option<UserRow> = sqlx::query_as(
        "SELECT u.id, u.username, u.display_name, u.role, o.id AS unit_id, o.name AS unit_name, \
         u.must_change_password \
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
            must_change_password: r.must_change_password != 0,
        })
    }))
}

/// Residents who sign in by phone or WeChat get an account on first sign-in: placed in the grid of
/// the household register entry with that phone when there is one, else at the county root.
pub async fn find_or_create_resident(
    pool: &AnyPool,
    phone: Option<&str>,
    openid: Option<&str>,
) -> Result<i64, AppError> {
    // A phone is looked up by its blind index and stored sealed (crate::crypto).
    let phone_index = phone
        .map(|p| crate::crypto::blind("phone", p))
        .transpose()?;
    let (col, key) = match (&phone_index, openid) {
        (Some(b), _) => ("phone_bidx", b.as_str()),
        (None, Some(o)) => ("wechat_openid", o),
        (None, None) => return Err(AppError::Internal),
    };
    let found: Option<(i64, String)> = sqlx::query_as(&format!(
        "SELECT id, role FROM users WHERE {col} = $1 AND disabled = 0"
    ))
    .bind(key)
    .fetch_optional(pool)
    .await?;
    if let Some((id, role)) = found {
        // Staff keep to their passwords: a phone code is not enough for a staff account.
        return match Role::parse(&role) {
            Some(Role::Resident | Role::PartyMember) => Ok(id),
            _ => Err(AppError::invalid("phone", "staff_use_password")),
        };
    }
    let mut tx = pool.begin().await?;
    let listed: Option<(i64, String, i64)> = match &phone_index {
        Some(p) => {
            sqlx::query_as(
                "SELECT r.id, r.name, h.grid_id FROM residents r \
                 JOIN households h ON h.id = r.household_id \
                 WHERE r.phone_bidx = $1 AND NOT EXISTS (SELECT 1 FROM users u WHERE u.resident_id = r.id) \
                 ORDER BY r.id LIMIT 1",
            )
            .bind(p)
            .fetch_optional(&mut *tx)
            .await?
        }
        None => None,
    };
    let (resident_id, name, unit) = match listed {
        Some((r, n, g)) => (Some(r), n, g),
        None => {
            let county: i64 = sqlx::query_scalar(
                "SELECT id FROM org_units WHERE level = 'county' ORDER BY id LIMIT 1",
            )
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::Internal)?;
            let tail: String = phone
                .unwrap_or(key)
                .chars()
                .rev()
                .take(4)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let who = if phone.is_some() {
                "居民"
            } else {
                "微信用户"
            };
            (None, format!("{who}{tail}"), county)
        }
    };
    let username = match phone {
        Some(p) => crate::crypto::phone_username(&*crate::crypto::ring()?, p),
        None => format!("wx_{key}"),
    };
    let sealed = phone
        .map(|p| crate::crypto::seal("users.phone", p))
        .transpose()?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (username, password_hash, display_name, role, org_unit_id, resident_id, \
         phone, phone_bidx, wechat_openid, created_at) \
         VALUES ($1, NULL, $2, 'resident', $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(&username)
    .bind(&name)
    .bind(unit)
    .bind(resident_id)
    .bind(sealed)
    .bind(&phone_index)
    .bind(openid)
    .bind(crate::ssr::now())
    .fetch_one(&mut *tx)
    .await?;
    crate::ssr::audit(
        &mut tx,
        Some(id),
        "resident_account_created",
        &username,
        if phone.is_some() { "phone" } else { col },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A fresh one-time code replaces any earlier one for the phone, unless the earlier one was sent
/// less than `resend_after` seconds ago: false then, and nothing changes (one statement, so two
/// requests at once send one code).
pub async fn store_code(
    pool: &AnyPool,
    phone: &str,
    code_hash: &str,
    at: i64,
    ttl: i64,
    resend_after: i64,
) -> Result<bool, AppError> {
    let r = sqlx::query(
        "INSERT INTO otp_codes (phone, code_hash, expires_at, attempts, sent_at) \
         VALUES ($1, $2, $3, 0, $4) \
         ON CONFLICT (phone) DO UPDATE SET code_hash = excluded.code_hash, \
           expires_at = excluded.expires_at, attempts = 0, sent_at = excluded.sent_at \
         WHERE otp_codes.sent_at <= $5",
    )
    .bind(crate::crypto::blind("phone", phone)?)
    .bind(code_hash)
    .bind(at + ttl)
    .bind(at)
    .bind(at - resend_after)
    .execute(pool)
    .await?;
    Ok(r.rows_affected() == 1)
}

#[derive(sqlx::FromRow)]
pub struct CodeRow {
    pub code_hash: String,
    pub expires_at: i64,
    pub attempts: i64,
    pub sent_at: i64,
}

pub async fn code_of(pool: &AnyPool, phone: &str) -> Result<Option<CodeRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT code_hash, expires_at, attempts, sent_at FROM otp_codes WHERE phone = $1",
    )
    .bind(crate::crypto::blind("phone", phone)?)
    .fetch_optional(pool)
    .await?)
}

/// Counts one try at the phone's code and hands out its hash, in one statement: None when there
/// is no live code or its tries are used up. Parallel guesses cannot pass the limit because each
/// is counted before any is checked.
pub async fn claim_code_attempt(
    pool: &AnyPool,
    phone: &str,
    now: i64,
    max_attempts: i64,
) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar(
        "UPDATE otp_codes SET attempts = attempts + 1 \
         WHERE phone = $1 AND attempts < $2 AND expires_at >= $3 RETURNING code_hash",
    )
    .bind(crate::crypto::blind("phone", phone)?)
    .bind(max_attempts)
    .bind(now)
    .fetch_optional(pool)
    .await?)
}

/// Uses the code up; true for the one caller that did (two right answers at once sign in once).
pub async fn take_code(pool: &AnyPool, phone: &str, code_hash: &str) -> Result<bool, AppError> {
    let r = sqlx::query("DELETE FROM otp_codes WHERE phone = $1 AND code_hash = $2")
        .bind(crate::crypto::blind("phone", phone)?)
        .bind(code_hash)
        .execute(pool)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn drop_code(pool: &AnyPool, phone: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM otp_codes WHERE phone = $1")
        .bind(crate::crypto::blind("phone", phone)?)
        .execute(pool)
        .await?;
    Ok(())
}

/// The stored hash of an account's password, for checking the current one before a change.
pub async fn password_hash(pool: &AnyPool, user_id: i64) -> Result<Option<String>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1 AND disabled = 0")
            .bind(user_id)
            .fetch_optional(pool)
            .await?
            .flatten(),
    )
}

/// Sets a new password (and clears "must change") with its audit row, in one transaction.
pub async fn set_password(pool: &AnyPool, user_id: i64, hash: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "UPDATE users SET password_hash = $1, must_change_password = 0, failed_logins = 0 \
         WHERE id = $2",
    )
    .bind(hash)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    crate::ssr::audit(&mut tx, Some(user_id), "password_changed", "", "").await?;
    tx.commit().await?;
    Ok(())
}
