//! Photos of a branch meeting: uploaded by its secretary through the same checked path as event
//! photos (content-checked, re-encoded without EXIF, sizes made at once, bounded), served only
//! to those who may see the meeting (`domain::party::meeting_access`).

use app::domain::party::MeetingAccess;
use app::domain::photo::PhotoSize;
use app::error::AppError;
use app::features::party::repo;
use axum::extract::{Multipart, Path as UrlPath, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use crate::http::photos::{receive, SizeQuery};
use crate::http::reply;
use crate::http::AppState;

/// `POST /party/meetings/{id}/photos`: a plain form works without WASM (back to the meeting).
pub async fn upload(
    State(st): State<AppState>,
    UrlPath(id): UrlPath<i64>,
    session: Session,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let back = format!("/party/meetings/{id}");
    match upload_inner(&st, id, &session, &mut form).await {
        Ok(n) if reply::wants_json(&headers) => axum::Json(n).into_response(),
        Ok(_) => Redirect::to(&back).into_response(),
        Err(e) => reply::error(&e, &headers, &back),
    }
}

async fn upload_inner(
    st: &AppState,
    id: i64,
    session: &Session,
    form: &mut Multipart,
) -> Result<usize, AppError> {
    let pool = &st.ctx.pool;
    let c = super::caller::caller(pool, session).await?;
    match access(pool, &c, id).await? {
        MeetingAccess::Hidden => return Err(AppError::NotFound),
        MeetingAccess::Manage => {}
        _ => return Err(AppError::Forbidden),
    }
    receive(
        &st.data_dir,
        form,
        repo::MAX_MEETING_PHOTOS,
        async |stored| {
            if stored.is_empty() {
                return Err(AppError::invalid("photo", "required"));
            }
            repo::add_photos(pool, c.user_id, id, stored).await?;
            Ok(stored.len())
        },
    )
    .await
}

/// What the caller may do with the meeting.
async fn access(
    pool: &sqlx::AnyPool,
    c: &app::domain::scope::Caller,
    meeting_id: i64,
) -> Result<MeetingAccess, AppError> {
    let branch = repo::member_of(pool, c.resident_id).await?.map(|m| m.1);
    repo::access_of(pool, c, branch, meeting_id).await
}

/// `GET /party/photos/{id}?size=thumb|medium`: for those who see the meeting; "not found" to
/// anyone else.
pub async fn serve(
    State(st): State<AppState>,
    UrlPath(id): UrlPath<i64>,
    Query(q): Query<SizeQuery>,
    session: Session,
    headers: HeaderMap,
) -> Response {
    let size = PhotoSize::from_query(q.size.as_deref());
    let pool = &st.ctx.pool;
    let found = async {
        let c = super::caller::caller(pool, &session).await?;
        let (meeting, file) = repo::photo_file(pool, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if access(pool, &c, meeting).await? == MeetingAccess::Hidden {
            return Err(AppError::NotFound);
        }
        crate::http::photos::read_sized(&st.data_dir, &file, size).await
    }
    .await;
    match found {
        Ok(bytes) => crate::http::photos::jpeg_response(bytes),
        Err(e) => reply::error(&e, &headers, "/party"),
    }
}
