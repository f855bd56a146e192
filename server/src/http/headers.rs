//! Headers every answer carries (defence in depth: the Content-Security-Policy, no sniffing, no
//! framing by others, no referrer off the site), and the status of a server function's error.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Pages set their own policy with the response's nonce (`app::security`); every other answer
/// (JSON, images, the small no-JS error pages) may load styles and scripts from this site only.
pub async fn secure(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(app::security::OTHER_POLICY),
        );
    }
    for (name, value) in app::security::HEADERS {
        h.entry(*name).or_insert(HeaderValue::from_static(value));
    }
    res
}

/// Middleware for `/api/*`: every server function's error keeps its own status.
pub async fn api_errors(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if api {
        error_status(res).await
    } else {
        res
    }
}

/// Server functions answer errors as 500 whatever they were; this gives each error its own
/// status (400 for a request that could not be read, 404, 403, …). Redirects (no-JS form posts)
/// are left alone.
pub async fn error_status(res: Response) -> Response {
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1 << 20).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(e) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        if let Ok(code) = StatusCode::from_u16(e.status()) {
            parts.status = code;
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
