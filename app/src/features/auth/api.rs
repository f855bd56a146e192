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

#[cfg(feature = "ssr")]
mod imp {
    use std::sync::OnceLock;

    use super::super::repo;
    use super::CurrentUser;
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

        let session = session().await?;
        // A fresh id at login defeats session fixation.
        session.cycle_id().await.map_err(internal)?;
        session
            .insert(SESSION_USER_KEY, creds.id)
            .await
            .map_err(internal)?;
        let user = repo::current_user(&pool, creds.id)
            .await?
            .ok_or(AppError::Internal)?;
        leptos_axum::redirect("/org");
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
