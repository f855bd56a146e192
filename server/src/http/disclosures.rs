//! `POST /open/publish`: a unit's disclosure or notice as a plain multipart form — the text
//! fields first (refused before any file is read), then up to `MAX_PHOTOS` photos through the
//! checked photo path and one PDF checked by its content and size; the disclosure, its table,
//! its files and the audit row are one transaction. `GET /open/files/{id}`: a photo (in a
//! size) or the PDF, for those who see the disclosure; "not found" for anyone else.

use app::domain::calendar::{local_date, local_day};
use app::domain::disclosures::{
    access, check_table, kind_fits, looks_like_pdf, may_publish_for, Access, Kind, Month1,
    MAX_BODY_CHARS, MAX_PDF_BYTES, MAX_PHOTOS,
};
use app::domain::photo::PhotoSize;
use app::error::AppError;
use app::features::disclosures::repo::{self, NewDisclosure};
use app::features::events::intake::StoredPhoto;
use axum::extract::multipart::Field;
use axum::extract::{Multipart, Path as UrlPath, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use crate::http::photos::{discard, multipart_error, read_limited, settle, store, SizeQuery};
use crate::http::reply;
use crate::http::AppState;

const BACK: &str = "/open/desk";

pub async fn publish(
    State(st): State<AppState>,
    session: Session,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    match publish_inner(&st, &session, &mut form).await {
        Ok(id) if reply::wants_json(&headers) => axum::Json(id).into_response(),
        Ok(id) => Redirect::to(&format!("/open/{id}")).into_response(),
        Err(e) => reply::error(&e, &headers, BACK),
    }
}

#[derive(Default)]
struct Texts {
    kind: String,
    period: String,
    title: String,
    body: String,
    items: Vec<String>,
    incomes: Vec<String>,
    expenses: Vec<String>,
    income_total: String,
    expense_total: String,
}

/// A text field, refused past `max` characters.
async fn text(field: Field<'_>, name: &str, max: usize) -> Result<String, AppError> {
    let t = field.text().await.map_err(multipart_error)?;
    if t.chars().count() > max {
        return Err(AppError::invalid(name, "too_long"));
    }
    Ok(t)
}

/// A PDF, refused as soon as it passes the limit.
async fn read_pdf(field: &mut Field<'_>) -> Result<Vec<u8>, AppError> {
    let mut buf = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
        if buf.len() + chunk.len() > MAX_PDF_BYTES {
            return Err(AppError::invalid("pdf", "pdf_too_large"));
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

async fn publish_inner(
    st: &AppState,
    session: &Session,
    form: &mut Multipart,
) -> Result<i64, AppError> {
    let pool = &st.ctx.pool;
    let c = super::caller::caller(pool, session).await?;
    // Who may publish is settled before any file is read: the cadres of their own unit.
    let unit_id = *app::domain::org::path_ids(&c.unit_path)
        .last()
        .ok_or(AppError::Forbidden)?;
    let (path, level, _) = repo::unit(pool, unit_id)
        .await?
        .ok_or(AppError::Forbidden)?;
    if access(c.role, &c.unit_path, &path, level) != Access::Publish {
        return Err(AppError::Forbidden);
    }
    let now = app::ssr::now();
    let today = local_date(now);
    let mut t = Texts::default();
    let mut checked: Option<(Kind, String)> = None;
    let mut photos: Vec<StoredPhoto> = Vec::new();
    let mut pdf: Option<StoredPhoto> = None;
    let result = async {
        while let Some(mut field) = form.next_field().await.map_err(multipart_error)? {
            let name = field.name().unwrap_or_default().to_string();
            match name.as_str() {
                "kind" => t.kind = text(field, "disclosure_kind", 20).await?,
                "period" => t.period = text(field, "disclosure_period", 20).await?,
                "title" => t.title = text(field, "disclosure_title", 80).await?,
                "body" => t.body = text(field, "disclosure_body", MAX_BODY_CHARS).await?,
                "item" => t.items.push(text(field, "line_item", 60).await?),
                "income" => t.incomes.push(text(field, "line_amount", 20).await?),
                "expense" => t.expenses.push(text(field, "line_amount", 20).await?),
                "income_total" => t.income_total = text(field, "income_total", 20).await?,
                "expense_total" => t.expense_total = text(field, "expense_total", 20).await?,
                "photo" | "pdf" => {
                    // The text comes first in the form: it is checked before any file is read.
                    if checked.is_none() {
                        checked = Some(check_texts(&t, level, today)?);
                    }
                    if name == "photo" {
                        let bytes = read_limited(&mut field).await?;
                        if bytes.is_empty() {
                            continue;
                        }
                        if photos.len() >= MAX_PHOTOS {
                            return Err(AppError::invalid("photo", "out_of_range"));
                        }
                        photos.push(store(&st.data_dir, bytes).await?);
                    } else {
                        let bytes = read_pdf(&mut field).await?;
                        if bytes.is_empty() {
                            continue;
                        }
                        if pdf.is_some() {
                            return Err(AppError::invalid("pdf", "out_of_range"));
                        }
                        if !looks_like_pdf(&bytes) {
                            return Err(AppError::invalid("pdf", "not_pdf"));
                        }
                        pdf = Some(crate::http::photos::store_pdf(&st.data_dir, bytes).await?);
                    }
                }
                _ => {}
            }
        }
        let (kind, period) = match checked.take() {
            Some(k) => k,
            None => check_texts(&t, level, today)?,
        };
        let table = if kind == Kind::Finance {
            let rows: Vec<(String, String, String)> = (0..t.items.len().max(t.incomes.len()))
                .map(|i| {
                    let get = |v: &Vec<String>| v.get(i).cloned().unwrap_or_default();
                    (get(&t.items), get(&t.incomes), get(&t.expenses))
                })
                .collect();
            Some(
                check_table(&rows, &t.income_total, &t.expense_total)
                    .map_err(|(f, r)| AppError::invalid(f, r))?,
            )
        } else {
            None
        };
        let d = NewDisclosure {
            unit_id,
            unit_path: &path,
            kind,
            period: &period,
            title: t.title.trim(),
            body: t.body.trim(),
            table: table.as_ref(),
            day: &local_day(now),
        };
        repo::publish(pool, c.user_id, &d, &photos, pdf.as_ref(), now)
            .await?
            .ok_or_else(|| AppError::invalid("disclosure_period", "already_published"))
    }
    .await;
    let mut files = photos;
    files.extend(pdf);
    if result.is_err() {
        discard(&st.data_dir, &files).await;
    } else {
        settle(&st.data_dir, &files).await;
    }
    result
}

/// The kind (fitting the unit's level), the month (a notice's is this one) and the title.
fn check_texts(
    t: &Texts,
    level: app::domain::org::OrgLevel,
    today: time::Date,
) -> Result<(Kind, String), AppError> {
    let kind = Kind::parse(t.kind.trim())
        .filter(|k| kind_fits(*k, level))
        .ok_or_else(|| AppError::invalid("disclosure_kind", "invalid_value"))?;
    AppError::required_text("disclosure_title", &t.title, 80)?;
    let period = if kind.monthly() {
        let m = Month1::parse(&t.period)
            .ok_or_else(|| AppError::invalid("disclosure_period", "invalid_value"))?;
        if !may_publish_for(m, today) {
            return Err(AppError::invalid("disclosure_period", "out_of_range"));
        }
        m
    } else {
        Month1::of(today)
    };
    if kind != Kind::Finance && t.body.trim().is_empty() {
        return Err(AppError::invalid("disclosure_body", "required"));
    }
    Ok((kind, period.as_string()))
}

/// `GET /open/files/{id}?size=thumb|medium`.
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
        let (disclosure, kind, file) = repo::file(pool, id).await?.ok_or(AppError::NotFound)?;
        let row = repo::get(pool, disclosure)
            .await?
            .ok_or(AppError::NotFound)?;
        let level = app::ssr::parse_level(&row.3);
        if !access(c.role, &c.unit_path, &row.2, level).sees() {
            return Err(AppError::NotFound);
        }
        let bytes = crate::http::photos::read_sized(&st.data_dir, &file, size).await?;
        Ok((kind, bytes))
    }
    .await;
    match found {
        Ok((kind, bytes)) if kind == "photo" => crate::http::photos::jpeg_response(bytes),
        Ok((_, bytes)) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (header::CACHE_CONTROL, "private, max-age=86400".to_string()),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
                // Downloaded, never shown inside the site's origin.
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"disclosure-{id}.pdf\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => reply::error(&e, &headers, "/open"),
    }
}
