//! The login page and the user menu. Both work as plain HTML forms before WASM arrives.

use leptos::prelude::*;

use super::api::{Login, Logout};
use super::types::CurrentUser;
use crate::error::AppError;
use crate::i18n::{tr, use_locale};

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let locale = use_locale();
    let error = move || {
        login.value().with(|v| match v {
            Some(Err(e)) => Some(e.message(locale.code())),
            _ => None,
        })
    };
    // Where to go on to: `?back=` when it is a page of this site, else the role's work.
    let query = leptos_router::hooks::use_query_map();
    let back = move || query.with(|q| q.get("back")).unwrap_or_default();
    // With WASM the action runs in place; follow up with a full load so the page reflects the session.
    Effect::new(move |_| {
        if let Some(Ok(u)) = login.value().get() {
            let to = crate::domain::nav::safe_back(Some(&back()), u.role.home());
            #[cfg(feature = "hydrate")]
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_href(&to);
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = to;
        }
    });
    view! {
        <section class="login-card">
            <h1>{tr("app.name")}</h1>
            <p class="muted">{tr("login.subtitle")}</p>
            <ActionForm action=login attr:class="stack">
                <label>
                    {tr("fields.username")}
                    <input type="text" name="username" autocomplete="username" required data-testid="username"/>
                </label>
                <label>
                    {tr("fields.password")}
                    <input type="password" name="password" autocomplete="current-password" required data-testid="password"/>
                </label>
                <input type="hidden" name="next" value=back/>
                <p class="error" role="alert" data-testid="login-error">{error}</p>
                <button type="submit" class="primary" data-testid="login-submit">{tr("login.submit")}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn UserMenu(user: Option<CurrentUser>) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            #[cfg(feature = "hydrate")]
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_href("/login");
            }
        }
    });
    match user {
        Some(u) => {
            let role_key = format!("roles.{}", u.role.as_str());
            let admin = (u.role == crate::domain::roles::Role::Admin).then(|| {
                view! { <a href="/admin/catalog" data-testid="admin-link">{tr("nav.admin")}</a> }
            });
            view! {
                {admin}
                <span class="user" data-testid="current-user">
                    {u.display_name} " · " {tr(&role_key)} " · " {u.unit_name}
                </span>
                <ActionForm action=logout attr:class="inline">
                    <button type="submit" class="link">{tr("nav.logout")}</button>
                </ActionForm>
            }
            .into_any()
        }
        None => view! { <a href="/login">{tr("nav.login")}</a> }.into_any(),
    }
}

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
