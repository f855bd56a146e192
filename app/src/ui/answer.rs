//! A server function's answer on a page: the data's view, a sign-in link for visitors, or the
//! error in the user's language.

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::{tr, use_locale};

/// Shows a server function's error in the user's language.
#[component]
pub fn ErrorText(error: AppError) -> impl IntoView {
    let msg = error.message(use_locale().code());
    view! { <p class="error" role="alert">{msg}</p> }
}

/// A server function's answer on a page: the data's view, a sign-in link for visitors, or the
/// error in the user's language.
pub fn answer<T>(r: Result<T, AppError>, ok: impl FnOnce(T) -> AnyView) -> AnyView {
    match r {
        Ok(v) => ok(v),
        Err(AppError::Unauthenticated) => view! {
            <p><a href="/login">{tr("login.please")}</a></p>
        }
        .into_any(),
        Err(e) => view! { <ErrorText error=e/> }.into_any(),
    }
}
