//! Sign-in and sign-out. Sessions live on the server (tower-sessions); the cookie holds only an id.

use leptos::prelude::*;

use super::types::CurrentUser;
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "login")]
pub async fn login(username: String, password: String) -> Result<CurrentUser, AppError> {
    crate::error::with_status(imp::login(username.trim(), &password).await)
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    crate::error::with_status(imp::logout().await)
}

/// The signed-in user, or None for a visitor.
#[server(prefix = "/api", endpoint = "current_user")]
pub async fn whoami() -> Result<Option<CurrentUser>, AppError> {
    crate::error::with_status(imp::current_user().await)
}

/// Sends a one-time sign-in code to a mobile number (residents).
#[server(prefix = "/api", endpoint = "send_code")]
pub async fn send_code(phone: String) -> Result<(), AppError> {
    crate::error::with_status(imp::send_code(phone.trim()).await)
}

/// Signs a resident in with the code; the first sign-in creates their account.
#[server(prefix = "/api", endpoint = "phone_login")]
pub async fn phone_login(phone: String, code: String) -> Result<CurrentUser, AppError> {
    crate::error::with_status(imp::phone_login(phone.trim(), code.trim()).await)
}

#[cfg(feature = "ssr")]
mod imp {
    use std::sync::OnceLock;

    use super::super::repo;
    use super::CurrentUser;
    use crate::domain::identity::is_mobile_phone;
    use crate::domain::lockout::LoginState;
    use crate::error::AppError;
    use crate::ssr::{audit, ctx, internal, now, session, SESSION_USER_KEY};

    /// Verifying against a throwaway hash keeps unknown usernames as slow as wrong passwords.
    fn decoy_hash() -> &'static str {
        static DECOY: OnceLock<String> = OnceLock::new();
        DECOY.get_or_init(|| repo::hash_password("decoy-password").unwrap_or_default())
    }

    async fn verify(password: String, hash: String) -> Result<bool, AppError> {
        tokio::task::spawn_blocking(move || repo::verify_password(&password, &hash))
            .await
            .map_err(internal)
    }

    pub async fn login(username: &str, password: &str) -> Result<CurrentUser, AppError> {
        if username.is_empty() || password.is_empty() {
            return Err(AppError::BadCredentials);
        }
        let pool = ctx()?.pool;
        let Some(creds) = repo::credentials(&pool, username).await? else {
            verify(password.into(), decoy_hash().into()).await?;
            return Err(AppError::BadCredentials);
        };
        let t = now();
        let state = creds.login_state();
        if state.is_locked(t) {
            return Err(AppError::Locked {
                minutes: state.minutes_left(t),
            });
        }
        let hash = creds
            .password_hash
            .clone()
            .unwrap_or_else(|| decoy_hash().into());
        let ok = creds.password_hash.is_some() && verify(password.into(), hash).await?;
        let mut tx = pool.begin().await?;
        if !ok {
            let next = state.after_failure(t);
            repo::store_login_state(&mut tx, creds.id, next).await?;
            audit(&mut tx, Some(creds.id), "login_failed", username, "").await?;
            tx.commit().await?;
            return Err(if next.is_locked(t) {
                AppError::Locked {
                    minutes: next.minutes_left(t),
                }
            } else {
                AppError::BadCredentials
            });
        }
        repo::store_login_state(&mut tx, creds.id, LoginState::after_success()).await?;
        audit(&mut tx, Some(creds.id), "login", username, "").await?;
        tx.commit().await?;

        crate::ssr::start_session(&session().await?, creds.id).await?;
        let user = repo::current_user(&pool, creds.id)
            .await?
            .ok_or(AppError::Internal)?;
        leptos_axum::redirect("/org");
        Ok(user)
    }

    const CODE_TTL: i64 = 300;
    const RESEND_AFTER: i64 = 60;
    const MAX_ATTEMPTS: i64 = 5;

    pub async fn send_code(phone: &str) -> Result<(), AppError> {
        if !is_mobile_phone(phone) {
            return Err(AppError::invalid("phone", "bad_phone"));
        }
        let c = ctx()?;
        let t = now();
        if let Some(row) = repo::code_of(&c.pool, phone).await? {
            if t - row.sent_at < RESEND_AFTER {
                return Err(AppError::RateLimited);
            }
        }
        let code = {
            use rand_core::RngCore;
            format!("{:06}", rand_core::OsRng.next_u32() % 1_000_000)
        };
        let hash = tokio::task::spawn_blocking({
            let code = code.clone();
            move || repo::hash_password(&code)
        })
        .await
        .map_err(internal)??;
        repo::store_code(&c.pool, phone, &hash, t, CODE_TTL).await?;
        let text =
            format!("【连心】验证码 {code}，5分钟内有效。Lianxin code {code}, valid 5 minutes.");
        c.sms.send(phone, &text).map_err(internal)?;
        Ok(())
    }

    pub async fn phone_login(phone: &str, code: &str) -> Result<CurrentUser, AppError> {
        if !is_mobile_phone(phone) {
            return Err(AppError::invalid("phone", "bad_phone"));
        }
        let pool = ctx()?.pool;
        let row = repo::code_of(&pool, phone)
            .await?
            .ok_or_else(|| AppError::invalid("code", "bad_code"))?;
        if row.attempts >= MAX_ATTEMPTS || now() > row.expires_at {
            repo::drop_code(&pool, phone).await?;
            return Err(AppError::invalid("code", "bad_code"));
        }
        repo::count_attempt(&pool, phone).await?;
        if !verify(code.into(), row.code_hash).await? {
            return Err(AppError::invalid("code", "bad_code"));
        }
        repo::drop_code(&pool, phone).await?;
        let uid = repo::find_or_create_resident(&pool, Some(phone), None).await?;
        let mut tx = pool.begin().await?;
        audit(&mut tx, Some(uid), "login", "phone", "").await?;
        tx.commit().await?;
        crate::ssr::start_session(&session().await?, uid).await?;
        let user = repo::current_user(&pool, uid)
            .await?
            .ok_or(AppError::Internal)?;
        leptos_axum::redirect("/report");
        Ok(user)
    }

    pub async fn logout() -> Result<(), AppError> {
        let session = session().await?;
        let uid: Option<i64> = session.get(SESSION_USER_KEY).await.map_err(internal)?;
        if let Some(uid) = uid {
            let pool = ctx()?.pool;
            let mut tx = pool.begin().await?;
            audit(&mut tx, Some(uid), "logout", "", "").await?;
            tx.commit().await?;
        }
        session.flush().await.map_err(internal)?;
        leptos_axum::redirect("/login");
        Ok(())
    }

    pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
        let session = session().await?;
        let uid: Option<i64> = session.get(SESSION_USER_KEY).await.map_err(internal)?;
        match uid {
            Some(uid) => repo::current_user(&ctx()?.pool, uid).await,
            None => Ok(None),
        }
    }
}
