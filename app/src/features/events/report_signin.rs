//! A resident's sign-in on the report page: a mobile number, then the code sent to it (the
//! number is not asked twice), or WeChat when configured. Plain forms, so it works without WASM:
//! the code's number is kept in the session, and the page shows the code form when one was sent.

use leptos::prelude::*;

use crate::error::AppError;
use crate::features::auth::api::{PhoneLogin, SendCode};
use crate::i18n::{tr, use_locale};

#[component]
pub fn ResidentSignIn(wechat: bool, code_phone: Option<String>) -> impl IntoView {
    let send = ServerAction::<SendCode>::new();
    let login = ServerAction::<PhoneLogin>::new();
    let locale = use_locale();
    // The number the code went to: from this render's session, or the last send's answer.
    let sent_to = Memo::new(move |_| match send.value().get() {
        Some(Ok(p)) => Some(p),
        _ => code_phone.clone(),
    });
    let send_error = move || match send.value().get() {
        Some(Err(e)) => Some(e.message(locale.code())),
        _ => None,
    };
    let login_error = move || {
        login
            .value()
            .get()
            .and_then(|r: Result<_, AppError>| r.err())
            .map(|e| e.message(locale.code()))
    };
    Effect::new(move |_| {
        if let Some(Ok(_)) = login.value().get() {
            #[cfg(feature = "hydrate")]
            crate::js::go("/report");
        }
    });
    let phone_form = move || {
        view! {
            <ActionForm action=send attr:class="stack">
                <label>
                    {tr("fields.phone")}
                    <input type="tel" name="phone" inputmode="numeric" maxlength="11" required
                        autocomplete="tel" data-testid="otp-phone"/>
                </label>
                <button type="submit" class="primary" data-testid="otp-send">{tr("report.send_code")}</button>
                <p class="error" role="alert">{send_error}</p>
            </ActionForm>
        }
    };
    let code_form = move |phone: String| {
        let masked = crate::domain::identity::mask_phone(&phone);
        view! {
            <ActionForm action=login attr:class="stack">
                <p class="ok" data-testid="code-sent">{tr("report.code_sent_to")} " " {masked}</p>
                <input type="hidden" name="phone" value=phone/>
                <label>
                    {tr("fields.code")}
                    <input type="text" name="code" inputmode="numeric" maxlength="6"
                        autocomplete="one-time-code" required data-testid="otp-code"/>
                </label>
                <p class="error" role="alert" data-testid="otp-error">{login_error}</p>
                <button type="submit" class="primary" data-testid="otp-login">{tr("nav.login")}</button>
            </ActionForm>
            // Native disclosure: works without WASM.
            <details class="other-number">
                <summary data-testid="otp-change">{tr("report.other_number")}</summary>
                {phone_form()}
            </details>
        }
    };
    view! {
        <div class="stack signin">
            <p class="muted">{tr("report.signin_first")}</p>
            {wechat.then(|| view! {
                <a class="button primary" href="/auth/wechat?back=/report" rel="external">
                    {tr("report.wechat")}
                </a>
            })}
            {move || match sent_to.get() {
                Some(p) => code_form(p).into_any(),
                None => phone_form().into_any(),
            }}
            <p class="muted"><a href="/login">{tr("report.staff_login")}</a></p>
        </div>
    }
}
