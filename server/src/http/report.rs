//! `POST /report`: the one intake endpoint for the report page with WASM (fetch, JSON back), the
//! same page without it (a plain multipart form post, redirected to the tracking page), the
//! village mailbox, patrol reports and the hotline desk.

use app::error::AppError;
use app::features::events::intake::{self, ReportForm, Reported, StoredPhoto};
use axum::extract::{Multipart, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use super::{photos, reply};
use crate::http::AppState;

pub async fn report(
    State(st): State<AppState>,
    session: Session,
    headers: HeaderMap,
    ext: axum::http::Extensions,
    mut form: Multipart,
) -> Response {
    let c = match super::caller::caller(&st.ctx.pool, &session).await {
        Ok(c) => c,
        Err(e) if !reply::wants_json(&headers) && e == AppError::Unauthenticated => {
            return (
                StatusCode::SEE_OTHER,
                [(header::LOCATION, "/login?back=/report")],
            )
                .into_response()
        }
        Err(e) => return reply::error(&e, &headers, "/report"),
    };
    let ip = crate::http::limits::addr_of(&ext);
    if st.limits.report_user.check_key(&c.user_id).is_err()
        || st.limits.report_addr.check_key(&ip).is_err()
    {
        return reply::error(&AppError::RateLimited, &headers, "/report");
    }
    let mut stored: Vec<StoredPhoto> = Vec::new();
    let result = receive(&st, &c, &mut form, &mut stored).await;
    match result {
        Ok(r) => {
            photos::settle(&st.data_dir, &stored).await;
            (st.ctx.notify)(r.id);
            if reply::wants_json(&headers) {
                let code = if r.created {
                    StatusCode::CREATED
                } else {
                    StatusCode::OK
                };
                (code, axum::Json(r)).into_response()
            } else {
                let to = format!("/events/{}", r.id);
                (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
            }
        }
        Err(e) => {
            photos::discard(&st.data_dir, &stored).await;
            reply::error(&e, &headers, "/report")
        }
    }
}

fn number<T: std::str::FromStr>(field: &str, v: &str) -> Result<Option<T>, AppError> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse()
        .map(Some)
        .map_err(|_| AppError::invalid(field, "invalid_value"))
}

async fn receive(
    st: &AppState,
    c: &app::domain::scope::Caller,
    form: &mut Multipart,
    stored: &mut Vec<StoredPhoto>,
) -> Result<Reported, AppError> {
    let mut f = ReportForm::default();
    while let Some(mut field) = form.next_field().await.map_err(photos::multipart_error)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "photo" {
            let bytes = photos::read_limited(&mut field).await?;
            // A form without a chosen file still sends an empty part.
            if bytes.is_empty() {
                continue;
            }
            if stored.len() >= intake::MAX_PHOTOS {
                return Err(AppError::invalid("photo", "out_of_range"));
            }
            stored.push(photos::store(&st.data_dir, bytes).await?);
            continue;
        }
        let text = field.text().await.map_err(photos::multipart_error)?;
        if text.len() > 8_000 {
            return Err(AppError::invalid("description", "too_long"));
        }
        match name.as_str() {
            "idem_key" => f.idem_key = Some(text.trim().to_string()).filter(|s| !s.is_empty()),
            "channel" => f.channel = text,
            "category" => f.category_id = number("category", &text)?.unwrap_or(0),
            "description" => f.description = text,
            "address" => f.address = text,
            "lng" => f.lng = number("location", &text)?,
            "lat" => f.lat = number("location", &text)?,
            "grid" => f.grid_id = number("location", &text)?,
            "reporter_name" => f.reporter_name = text,
            "reporter_phone" => f.reporter_phone = text,
            "urgency" => f.urgency = text,
            _ => {}
        }
    }
    let located = match (f.lng, f.lat) {
        (Some(lng), Some(lat)) => {
            if !(-180.0..=180.0).contains(&lng) || !(-90.0..=90.0).contains(&lat) {
                return Err(AppError::invalid("location", "out_of_range"));
            }
            st.locator.locate(&st.ctx.pool, lng, lat).await?
        }
        (None, None) => None,
        _ => return Err(AppError::invalid("location", "invalid_value")),
    };
    let r = intake::report(&st.ctx.pool, c, &f, located, stored).await?;
    if !r.created {
        // A retried post: the first one's photos stand; this one's copies go.
        photos::discard(&st.data_dir, stored).await;
        stored.clear();
    }
    Ok(r)
}
