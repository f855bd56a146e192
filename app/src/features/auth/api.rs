//! Sign-in and sign-out. Sessions live on the server (tower-sessions); the cookie holds only an id.

use leptos::prelude::*;

use super::types::CurrentUser;
use crate::error::AppError;

/// `next`: the page to go on to after signing in (checked by the one safe-path rule).
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(
    username: String,
    password: String,
    next: Option<String>,
) -> Result<CurrentUser, AppError> {
    crate::error::with_status(imp::login(username.trim(), &password, next).await)
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    crate::error::with_status(imp::logout().await)
}

/// Replaces the caller's password (the current one must be given); required before anything
/// else when it was given out once.
#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(
    current: String,
    new: String,
    confirm: String,
) -> Result<(), AppError> {
    crate::error::with_status(imp::change_password(current, new, confirm).await)
}

/// The signed-in user, or None for a visitor.
#[server(prefix = "/api", endpoint = "current_user")]
pub async fn whoami() -> Result<Option<CurrentUser>, AppError> {
    crate::error::with_status(imp::current_user().await)
}

/// Sends a one-time sign-in code to a mobile number (residents); answers the number it went to,
/// which the session also keeps, so the code form does not ask for it again (with or without
/// JavaScript).
#[server(prefix = "/api", endpoint = "send_code")]
pub async fn send_code(phone: String) -> Result<String, AppError> {
    crate::error::with_status(imp::send_code(phone.trim()).await)
}

/// Signs a resident in with the code; the first sign-in creates their account. Without a
/// number, the one the code was sent to in this session.
#[server(prefix = "/api", endpoint = "phone_login")]
pub async fn phone_login(phone: Option<String>, code: String) -> Result<CurrentUser, AppError> {
    crate::error::with_status(imp::phone_login(phone, code.trim()).await)
}

#[cfg(feature = "ssr")]
mod imp {
    use super::super::{hashing, repo};
    use super::CurrentUser;
    use crate::domain::identity::is_mobile_phone;
    use crate::error::AppError;
    use crate::ssr::{audit, ctx, internal, now, session, SESSION_USER_KEY};

    pub async fn login(
        username: &str,
        password: &str,
        next: Option<String>,
    ) -> Result<CurrentUser, AppError> {
        if username.is_empty() || password.is_empty() || password.len() > 1024 {
            return Err(AppError::BadCredentials);
        }
        let pool = ctx()?.pool;
        let Some(creds) = repo::credentials(&pool, username).await? else {
            hashing::verify(password.into(), None).await?;
            return Err(AppError::BadCredentials);
        };
        // A core first: a request turned away as busy has not used up one of the five tries.
        let turn = hashing::turn().await?;
        let t = now();
        // Counted before it is checked: parallel guesses cannot outrun the lock.
        if repo::claim_attempt(&pool, creds.id, t).await?.is_none() {
            return Err(AppError::Locked {
                minutes: creds.login_state().refusal_minutes(t),
            });
        }
        let ok = turn
            .verify(password.into(), creds.password_hash.clone())
            .await?;
        let mut tx = pool.begin().await?;
        if !ok {
            let next = repo::record_failure(&mut tx, creds.id, t).await?;
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
        repo::record_success(&mut tx, creds.id).await?;
        audit(&mut tx, Some(creds.id), "login", username, "").await?;
        tx.commit().await?;

        let s = session().await?;
        crate::ssr::start_session(&s, creds.id).await?;
        let user = repo::current_user(&pool, creds.id)
            .await?
            .ok_or(AppError::Internal)?;
        if user.must_change_password {
            s.insert(crate::ssr::SESSION_MUST_CHANGE_KEY, true)
                .await
                .map_err(internal)?;
        }
        // Where the sign-in was asked for (`?back=` on the sign-in page), else the role's work;
        // a password given out once is changed first.
        let to = if user.must_change_password {
            "/password".to_string()
        } else {
            crate::domain::nav::safe_back(next.as_deref(), user.role.home())
        };
        crate::ssr::redirect_form_post(&to);
        Ok(user)
    }

    const CODE_TTL: i64 = 300;
    const RESEND_AFTER: i64 = 60;
    const MAX_ATTEMPTS: i64 = 5;

    pub async fn send_code(phone: &str) -> Result<String, AppError> {
        if !is_mobile_phone(phone) {
            return Err(AppError::invalid("phone", "bad_phone"));
        }
        let c = ctx()?;
        let t = now();
        // A cheap look first, so a repeated request costs no hash; the store decides atomically.
        if let Some(row) = repo::code_of(&c.pool, phone).await? {
            if t - row.sent_at < RESEND_AFTER {
                return Err(AppError::RateLimited);
            }
        }
        let code = {
            use rand_core::RngCore;
            format!("{:06}", rand_core::OsRng.next_u32() % 1_000_000)
        };
        let hash = hashing::hash(code.clone()).await?;
        if !repo::store_code(&c.pool, phone, &hash, t, CODE_TTL, RESEND_AFTER).await? {
            return Err(AppError::RateLimited);
        }
        let text =
            format!("【连心】验证码 {code}，5分钟内有效。Lianxin code {code}, valid 5 minutes.");
        c.sms.send(phone, &text).map_err(internal)?;
        session()
            .await?
            .insert(crate::ssr::SESSION_CODE_PHONE_KEY, phone)
            .await
            .map_err(internal)?;
        Ok(phone.to_string())
    }

    pub async fn phone_login(phone: Option<String>, code: &str) -> Result<CurrentUser, AppError> {
        let phone = match phone
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
        {
            Some(p) => p,
            None => session()
                .await?
                .get::<String>(crate::ssr::SESSION_CODE_PHONE_KEY)
                .await
                .map_err(internal)?
                .unwrap_or_default(),
        };
        let phone = phone.as_str();
        if !is_mobile_phone(phone) {
            return Err(AppError::invalid("phone", "bad_phone"));
        }
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AppError::invalid("code", "bad_code"));
        }
        let pool = ctx()?.pool;
        // Each try is counted before it is checked; past the limit there is nothing to check.
        let hash = repo::claim_code_attempt(&pool, phone, now(), MAX_ATTEMPTS)
            .await?
            .ok_or_else(|| AppError::invalid("code", "bad_code"))?;
        if !hashing::verify(code.into(), Some(hash.clone())).await? {
            return Err(AppError::invalid("code", "bad_code"));
        }
        if !repo::take_code(&pool, phone, &hash).await? {
            return Err(AppError::invalid("code", "bad_code"));
        }
        let uid = repo::find_or_create_resident(&pool, Some(phone), None).await?;
        let mut tx = pool.begin().await?;
        audit(&mut tx, Some(uid), "login", "phone", "").await?;
        tx.commit().await?;
        crate::ssr::start_session(&session().await?, uid).await?;
        let user = repo::current_user(&pool, uid)
            .await?
            .ok_or(AppError::Internal)?;
        crate::ssr::redirect_form_post("/report");
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
        let id = session.id();
        session.flush().await.map_err(internal)?;
        if let Some(id) = id {
            // Live streams opened under this session close now rather than at their next check.
            (ctx()?.session_ended)(id.to_string());
        }
        crate::ssr::redirect_form_post("/login");
        Ok(())
    }

    pub async fn change_password(
        current: String,
        new: String,
        confirm: String,
    ) -> Result<(), AppError> {
        let s = session().await?;
        let uid: i64 = s
            .get(SESSION_USER_KEY)
            .await
            .map_err(internal)?
            .ok_or(AppError::Unauthenticated)?;
        let pool = ctx()?.pool;
        let user = repo::current_user(&pool, uid)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        if new != confirm {
            return Err(AppError::invalid("password", "password_mismatch"));
        }
        crate::domain::password::check_new(&new, &user.username, &current)
            .map_err(|r| AppError::invalid("password", r))?;
        let hash = repo::password_hash(&pool, uid).await?;
        if !hashing::verify(current, hash).await? {
            return Err(AppError::invalid("current_password", "bad_credentials"));
        }
        let new_hash = hashing::hash(new).await?;
        repo::set_password(&pool, uid, &new_hash).await?;
        // A fresh session id, without the "must change" mark.
        crate::ssr::start_session(&s, uid).await?;
        let _ = s.remove::<bool>(crate::ssr::SESSION_MUST_CHANGE_KEY).await;
        crate::ssr::redirect_form_post(user.role.home());
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
