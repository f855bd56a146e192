//! What the plain axum routes answer errors with: in the user's language as JSON (for scripts and the WASM client) or as a small HTML page (no-JS forms).

use app::error::AppError;
use app::i18n::Locale;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};

pub fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"))
}

pub fn locale(headers: &HeaderMap) -> Locale {
    let get = |h| headers.get(h).and_then(|v| v.to_str().ok());
    Locale::negotiate(get(header::COOKIE), get(header::ACCEPT_LANGUAGE))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The error as `{"error": …, "message": …}` or as a page with a way back.
pub fn error(e: &AppError, headers: &HeaderMap, back: &str) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let loc = locale(headers);
    let message = e.message(loc.code());
    if wants_json(headers) {
        let body = serde_json::json!({ "error": e, "message": message });
        return (status, axum::Json(body)).into_response();
    }
    let back_label = app::i18n::translate("common.back", loc);
    let page = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <link rel=\"stylesheet\" href=\"/pkg/lianxin.css\"><title>{}</title></head>\
         <body><main><p class=\"error\" role=\"alert\" data-testid=\"form-error\">{}</p>\
         <p><a href=\"{}\">{}</a></p></main></body></html>",
        loc.code(),
        escape(&message),
        escape(&message),
        escape(back),
        escape(&back_label)
    );
    (status, Html(page)).into_response()
}
