//! The login page and the user menu. Both work as plain HTML forms before WASM arrives.

use leptos::prelude::*;

use super::api::{ChangePassword, Login, Logout};
use super::types::CurrentUser;
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
            let to = if u.must_change_password {
                "/password".to_string()
            } else {
                crate::domain::nav::safe_back(Some(&back()), u.role.home())
            };
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

/// Choosing one's own password: required at the first sign-in with a password given out once.
#[component]
pub fn PasswordPage() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let locale = use_locale();
    let error = move || {
        change.value().with(|v| match v {
            Some(Err(e)) => Some(e.message(locale.code())),
            _ => None,
        })
    };
    let user = crate::root::use_current_user;
    Effect::new(move |_| {
        if let Some(Ok(())) = change.value().get() {
            let home = user().map(|u| u.role.home()).unwrap_or("/");
            #[cfg(feature = "hydrate")]
            crate::js::go(home);
            #[cfg(not(feature = "hydrate"))]
            let _ = home;
        }
    });
    view! {
        <section class="login-card" data-testid="password-page">
            <h1>{tr("password.title")}</h1>
            <p class="muted">{tr("password.why")}</p>
            <ActionForm action=change attr:class="stack">
                <label>
                    {tr("password.current")}
                    <input type="password" name="current" autocomplete="current-password" required data-testid="pw-current"/>
                </label>
                <label>
                    {tr("password.new")}
                    <input type="password" name="new" autocomplete="new-password" required minlength="10" data-testid="pw-new"/>
                </label>
                <label>
                    {tr("password.confirm")}
                    <input type="password" name="confirm" autocomplete="new-password" required minlength="10" data-testid="pw-confirm"/>
                </label>
                <p class="muted">{tr("password.rule")}</p>
                <p class="error" role="alert" data-testid="pw-error">{error}</p>
                <button type="submit" class="primary" data-testid="pw-submit">{tr("password.submit")}</button>
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
