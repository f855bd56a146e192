//! The one error type of every server function. Its variants are safe to show to users;
//! internal details go to the server log only.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::domain::scope::Denial;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("not signed in")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("wrong username or password")]
    BadCredentials,
    #[error("account locked for {minutes} minutes")]
    Locked { minutes: i64 },
    /// `reason` is an i18n key under `errors.`.
    #[error("invalid {field}: {reason}")]
    Invalid { field: String, reason: String },
    /// Someone else changed the object first; `state` is its state now (an i18n key suffix).
    #[error("conflict: now {state}")]
    Conflict { state: String },
    #[error("too many requests")]
    RateLimited,
    /// The server is at capacity for this kind of work (sign-in hashing): try again shortly.
    #[error("busy")]
    Busy,
    /// A password given out once must be changed before anything else.
    #[error("password change required")]
    PasswordChange,
    /// The request itself could not be read (a missing or malformed argument).
    #[error("bad request")]
    BadRequest,
    #[error("internal error")]
    Internal,
    #[error("request failed: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The caller's input, not our fault: a 400 with a message, never serde's text.
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
                if cfg!(feature = "ssr") =>
            {
                AppError::BadRequest
            }
            other if cfg!(feature = "ssr") => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failed");
                let _ = other;
                AppError::Internal
            }
            // In the browser: the request did not get through (network, bad answer).
            other => AppError::Transport(other.to_string()),
        }
    }
}

impl From<Denial> for AppError {
    fn from(d: Denial) -> Self {
        match d {
            Denial::NotFound => AppError::NotFound,
            Denial::Forbidden => AppError::Forbidden,
        }
    }
}

impl AppError {
    pub fn invalid(field: &str, reason: &str) -> Self {
        AppError::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// A short text the user must give (a reason): trimmed, not empty, at most `max` characters.
    pub fn required_text<'a>(field: &str, text: &'a str, max: usize) -> Result<&'a str, AppError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(AppError::invalid(field, "required"));
        }
        if t.chars().count() > max {
            return Err(AppError::invalid(field, "too_long"));
        }
        Ok(t)
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthenticated | AppError::BadCredentials => 401,
            AppError::Forbidden => 403,
            AppError::Locked { .. } => 423,
            AppError::Invalid { .. } => 422,
            AppError::Conflict { .. } => 409,
            AppError::RateLimited => 429,
            AppError::Busy => 503,
            AppError::PasswordChange => 403,
            AppError::BadRequest => 400,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }

    /// The message in the user's language.
    pub fn message(&self, locale: &str) -> String {
        use rust_i18n::t;
        match self {
            AppError::NotFound => t!("errors.not_found", locale = locale).into_owned(),
            AppError::Unauthenticated => t!("errors.unauthenticated", locale = locale).into_owned(),
            AppError::Forbidden => t!("errors.forbidden", locale = locale).into_owned(),
            AppError::BadCredentials => t!("errors.bad_credentials", locale = locale).into_owned(),
            AppError::Locked { minutes } => {
                t!("errors.locked", locale = locale, minutes = minutes).into_owned()
            }
            AppError::Invalid { field, reason } => {
                let key = format!("errors.{reason}");
                let field_key = format!("fields.{field}");
                format!(
                    "{}: {}",
                    t!(&field_key, locale = locale),
                    t!(&key, locale = locale)
                )
            }
            AppError::Conflict { state } => {
                let state_key = format!("states.{state}");
                t!(
                    "errors.conflict",
                    locale = locale,
                    state = t!(&state_key, locale = locale)
                )
                .into_owned()
            }
            AppError::RateLimited => t!("errors.rate_limited", locale = locale).into_owned(),
            AppError::Busy => t!("errors.busy", locale = locale).into_owned(),
            AppError::PasswordChange => t!("errors.password_change", locale = locale).into_owned(),
            AppError::BadRequest => t!("errors.bad_request", locale = locale).into_owned(),
            AppError::Internal => t!("errors.internal", locale = locale).into_owned(),
            AppError::Transport(_) => t!("errors.transport", locale = locale).into_owned(),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        tracing::error!(error = %e, "database error");
        AppError::Internal
    }
}

/// Sets the HTTP status of a failed server function so that logs and clients see 404/403/….
/// A plain form post (no WASM) is answered with a redirect back to its page carrying the error,
/// which the page shows; its status must stay the redirect's.
#[cfg(feature = "ssr")]
pub fn with_status<T>(r: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(e) = &r {
        let form_post = leptos::prelude::use_context::<http::request::Parts>().is_some_and(|p| {
            p.method == http::Method::POST
                && p.headers
                    .get(http::header::ACCEPT)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|a| a.contains("text/html"))
        });
        if form_post {
            return r;
        }
        if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(code) = http::StatusCode::from_u16(e.status()) {
                opts.set_status(code);
            }
        }
    }
    r
}
