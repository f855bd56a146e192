//! A member's bonus declaration (加分申报): a plain multipart form with what was done and up
//! to three photos, stored through the checked photo path and written with its pending
//! `m_declared` award in one transaction; the branch's secretary approves it on
//! `/party/affairs`. Photos are served only to the member and those who see the branch.

use app::domain::party::affairs::{
    validate_declaration, MAX_DECLARATION_NOTE, MAX_DECLARATION_PHOTOS,
};
use app::domain::party::MeetingAccess;
use app::domain::photo::PhotoSize;
use app::error::AppError;
use app::features::events::intake::StoredPhoto;
use app::features::party::{affairs_repo, repo};
use axum::extract::{Multipart, Path as UrlPath, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use crate::http::photos::{discard, multipart_error, read_limited, settle, store, SizeQuery};
use crate::http::reply;
use crate::http::AppState;

/// The rule a declaration is awarded under.
const RULE: &str = "m_declared";

/// `POST /party/declarations`: back to the member's affairs page.
pub async fn upload(
    State(st): State<AppState>,
    session: Session,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let back = "/party/affairs";
    match upload_inner(&st, &session, &mut form).await {
        Ok(id) if reply::wants_json(&headers) => axum::Json(id).into_response(),
        Ok(_) => Redirect::to(back).into_response(),
        Err(e) => reply::error(&e, &headers, back),
    }
}

async fn upload_inner(
    st: &AppState,
    session: &Session,
    form: &mut Multipart,
) -> Result<i64, AppError> {
    let pool = &st.ctx.pool;
    let c = super::caller::caller(pool, session).await?;
    // Who may declare is settled before any photo is read: a member of a branch.
    let (member, branch, _) = repo::member_of(pool, c.resident_id)
        .await?
        .ok_or(AppError::Forbidden)?;
    let (path, _) = repo::branch(pool, branch)
        .await?
        .ok_or(AppError::NotFound)?;
    let rule = app::features::scoring::repo::manual_rules(pool)
        .await?
        .into_iter()
        .find(|r| r.code == RULE)
        .ok_or_else(|| AppError::invalid("declaration_note", "duty_rule_retired"))?;
    let today = app::domain::calendar::local_day(app::ssr::now());
    if affairs_repo::declared_on(pool, member, &today).await? {
        return Err(AppError::invalid("declaration_note", "declared_today"));
    }
    let mut note = String::new();
    let mut stored: Vec<StoredPhoto> = Vec::new();
    let result = async {
        while let Some(mut field) = form.next_field().await.map_err(multipart_error)? {
            match field.name() {
                Some("note") => {
                    let text = field.text().await.map_err(multipart_error)?;
                    if text.chars().count() > MAX_DECLARATION_NOTE {
                        return Err(AppError::invalid("declaration_note", "too_long"));
                    }
                    note = text;
                }
                Some("photo") => {
                    // The note comes first in the form: an empty one is refused before any
                    // photo is decoded.
                    if note.trim().is_empty() {
                        return Err(AppError::invalid("declaration_note", "required"));
                    }
                    let bytes = read_limited(&mut field).await?;
                    if bytes.is_empty() {
                        continue;
                    }
                    if stored.len() >= MAX_DECLARATION_PHOTOS {
                        return Err(AppError::invalid("photo", "out_of_range"));
                    }
                    stored.push(store(&st.data_dir, bytes).await?);
                }
                _ => {}
            }
        }
        validate_declaration(&note, stored.len()).map_err(|(f, r)| AppError::invalid(f, r))?;
        affairs_repo::declare(
            pool,
            c.user_id,
            member,
            branch,
            &path,
            &rule,
            note.trim(),
            &stored,
        )
        .await?
        .ok_or_else(|| AppError::invalid("declaration_note", "declared_today"))
    }
    .await;
    if result.is_err() {
        discard(&st.data_dir, &stored).await;
    } else {
        settle(&st.data_dir, &stored).await;
    }
    result
}

/// `GET /party/declaration-photos/{id}?size=thumb|medium`: for the declaring member and
/// those who see the branch (its secretary, the township, the county); "not found" to others.
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
        let (branch, member, file) = affairs_repo::declaration_photo(pool, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let me = repo::member_of(pool, c.resident_id).await?.map(|m| m.0);
        let (a, ..) = repo::branch_access(pool, &c, branch).await?;
        let sees = matches!(a, MeetingAccess::Manage | MeetingAccess::Watch) || me == Some(member);
        if !sees {
            return Err(AppError::NotFound);
        }
        crate::http::photos::read_sized(&st.data_dir, &file, size).await
    }
    .await;
    match found {
        Ok(bytes) => crate::http::photos::jpeg_response(bytes),
        Err(e) => reply::error(&e, &headers, "/party/affairs"),
    }
}
