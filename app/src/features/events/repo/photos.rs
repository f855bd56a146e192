//! Photo rows: written with the step they document, read back by id for serving.

use sqlx::{Any, AnyPool, Transaction};

use crate::error::AppError;
use crate::features::events::intake::StoredPhoto;
use crate::ssr::now;

/// A stored image attached to an event (and to a timeline step once one is known).
pub async fn insert_photo(
    tx: &mut Transaction<'_, Any>,
    event_id: i64,
    step_id: Option<i64>,
    p: &StoredPhoto,
    by: i64,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO event_photos (event_id, step_id, file, width, height, bytes, uploaded_by, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(event_id)
    .bind(step_id)
    .bind(&p.file)
    .bind(p.width)
    .bind(p.height)
    .bind(p.bytes)
    .bind(by)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?)
}

/// The stored file of a photo and the event it belongs to.
pub async fn photo_file(pool: &AnyPool, id: i64) -> Result<Option<(i64, String)>, AppError> {
    Ok(
        sqlx::query_as("SELECT event_id, file FROM event_photos WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?,
    )
}
