//! Photos: at most 10 MB, checked by content (JPEG, PNG or WebP), turned upright, scaled to at
//! most 2048 px and re-encoded as JPEG, which drops EXIF (GPS, device) with everything else.
//! A thumbnail and a medium size (`domain::photo`) are made at the same time, beside it.
//! Files live under the data folder and are served only to those who may see the event.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use app::domain::photo::{PhotoSize, THUMB_MAX_BYTES};
use app::error::AppError;
use app::features::events::api::imp::load_visible;
use app::features::events::intake::StoredPhoto;
use app::features::events::repo;
use app::features::events::types::PhotoRef;
use axum::extract::multipart::Field;
use axum::extract::{Multipart, Path as UrlPath, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use tower_sessions::Session;

use crate::http::reply;
use crate::http::AppState;

pub const MAX_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_SIDE: u32 = 2048;

fn bad() -> AppError {
    AppError::invalid("photo", "bad_image")
}

/// One upload re-encoded: the original's JPEG and pixel size, and the smaller sizes.
pub struct Encoded {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub sizes: Vec<(PhotoSize, Vec<u8>)>,
}

fn jpeg(img: &image::RgbImage, quality: u8) -> Result<Vec<u8>, AppError> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .map_err(app::ssr::internal)?;
    Ok(out)
}

/// The smaller sizes of an upright original; a thumbnail's quality steps down until it is
/// within `THUMB_MAX_BYTES`.
fn smaller(img: &DynamicImage) -> Result<Vec<(PhotoSize, Vec<u8>)>, AppError> {
    let mut out = Vec::new();
    for size in PhotoSize::MADE {
        let (w, h) = size.fit(img.width(), img.height());
        let rgb = img
            .resize_exact(w, h, image::imageops::FilterType::Triangle)
            .to_rgb8();
        let mut q = size.quality();
        let mut bytes = jpeg(&rgb, q)?;
        while size == PhotoSize::Thumb && bytes.len() > THUMB_MAX_BYTES && q > 30 {
            q -= 10;
            bytes = jpeg(&rgb, q)?;
        }
        out.push((size, bytes));
    }
    Ok(out)
}

/// Decodes, rights and re-encodes one image, and makes its smaller sizes.
pub fn encode(bytes: &[u8]) -> Result<Encoded, AppError> {
    let (jpeg, width, height, img) = decode_upright(bytes)?;
    Ok(Encoded {
        jpeg,
        width,
        height,
        sizes: smaller(&img)?,
    })
}

/// Decodes, rights and re-encodes one image: the JPEG, its size in pixels, and the upright
/// image the smaller sizes are made from.
fn decode_upright(bytes: &[u8]) -> Result<(Vec<u8>, u32, u32, DynamicImage), AppError> {
    if bytes.len() > MAX_BYTES {
        return Err(AppError::invalid("photo", "too_large"));
    }
    let format = image::guess_format(bytes).map_err(|_| bad())?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(bad());
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(16_000);
    limits.max_image_height = Some(16_000);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| bad())?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|_| bad())?;
    img.apply_orientation(orientation);
    if img.width() > MAX_SIDE || img.height() > MAX_SIDE {
        img = img.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle);
    }
    let rgb = img.to_rgb8();
    let out = jpeg(&rgb, PhotoSize::Full.quality())?;
    Ok((out, rgb.width(), rgb.height(), img))
}

/// What a broken multipart body tells the user: too large only when it was the size.
pub fn multipart_error(e: axum::extract::multipart::MultipartError) -> AppError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        AppError::invalid("photo", "too_large")
    } else {
        tracing::info!(error = %e, "unreadable multipart body");
        AppError::invalid("form", "bad_form")
    }
}

/// Reads one multipart file, refusing it as soon as it passes the limit.
pub async fn read_limited(field: &mut Field<'_>) -> Result<Vec<u8>, AppError> {
    let mut buf = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
        if buf.len() + chunk.len() > MAX_BYTES {
            return Err(AppError::invalid("photo", "too_large"));
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

/// Where uploads whose rows may not be written yet leave a note: written before the photo and
/// removed after the commit, so a crash in between leaves a note the sweep follows up.
const PENDING: &str = "photos/pending";

fn marker(data_dir: &Path, rel: &str) -> PathBuf {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    data_dir.join(PENDING).join(name)
}

/// Re-encodes and writes an upload under `data_dir/photos/<yyyymm>/`, with its pending note.
pub async fn store(data_dir: &Path, bytes: Vec<u8>) -> Result<StoredPhoto, AppError> {
    let enc = tokio::task::spawn_blocking(move || encode(&bytes))
        .await
        .map_err(app::ssr::internal)??;
    let month = app::domain::calendar::local_day(app::ssr::now())
        .replace('-', "")
        .chars()
        .take(6)
        .collect::<String>();
    let name = app::ssr::random_hex(16);
    let rel = format!("photos/{month}/{name}.jpg");
    let full = data_dir.join(&rel);
    let note = marker(data_dir, &rel);
    for dir in [full.parent(), note.parent()].into_iter().flatten() {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(app::ssr::internal)?;
    }
    tokio::fs::write(&note, rel.as_bytes())
        .await
        .map_err(app::ssr::internal)?;
    // The sizes first: once the original is there, so are they.
    for (size, bytes) in &enc.sizes {
        tokio::fs::write(data_dir.join(size.file(&rel)), bytes)
            .await
            .map_err(app::ssr::internal)?;
    }
    tokio::fs::write(&full, &enc.jpeg)
        .await
        .map_err(app::ssr::internal)?;
    Ok(StoredPhoto {
        file: rel,
        width: enc.width as i64,
        height: enc.height as i64,
        bytes: enc.jpeg.len() as i64,
    })
}

/// Writes a PDF (its content already checked) under `data_dir/photos/<yyyymm>/` with its
/// pending note, as `store` does a photo: the same sweep follows up a crash before the commit.
pub async fn store_pdf(data_dir: &Path, bytes: Vec<u8>) -> Result<StoredPhoto, AppError> {
    let month = app::domain::calendar::local_day(app::ssr::now())
        .replace('-', "")
        .chars()
        .take(6)
        .collect::<String>();
    let rel = format!("photos/{month}/{}.pdf", app::ssr::random_hex(16));
    let full = data_dir.join(&rel);
    let note = marker(data_dir, &rel);
    for dir in [full.parent(), note.parent()].into_iter().flatten() {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(app::ssr::internal)?;
    }
    tokio::fs::write(&note, rel.as_bytes())
        .await
        .map_err(app::ssr::internal)?;
    tokio::fs::write(&full, &bytes)
        .await
        .map_err(app::ssr::internal)?;
    Ok(StoredPhoto {
        file: rel,
        width: 0,
        height: 0,
        bytes: bytes.len() as i64,
    })
}

/// After the commit: the photos are the rows' now, their notes go.
pub async fn settle(data_dir: &Path, photos: &[StoredPhoto]) {
    for p in photos {
        let _ = tokio::fs::remove_file(marker(data_dir, &p.file)).await;
    }
}

/// Removes files whose database rows were never written.
pub async fn discard(data_dir: &Path, photos: &[StoredPhoto]) {
    for p in photos {
        remove_all(data_dir, &p.file).await;
        let _ = tokio::fs::remove_file(marker(data_dir, &p.file)).await;
    }
}

/// A stored photo with its smaller sizes; true when the original was there.
async fn remove_all(data_dir: &Path, rel: &str) -> bool {
    for size in PhotoSize::MADE {
        if let Some(path) = file_path(data_dir, &size.file(rel)) {
            let _ = tokio::fs::remove_file(path).await;
        }
    }
    match file_path(data_dir, rel) {
        Some(path) => tokio::fs::remove_file(path).await.is_ok(),
        None => false,
    }
}

/// Follows up notes older than `min_age_secs` (left by a crash between writing a photo and its
/// commit): a photo whose row exists stays, one without is removed. Returns the files removed.
pub async fn sweep_pending(data_dir: &Path, pool: &sqlx::AnyPool, min_age_secs: u64) -> usize {
    let Ok(mut dir) = tokio::fs::read_dir(data_dir.join(PENDING)).await else {
        return 0;
    };
    let mut removed = 0;
    while let Ok(Some(entry)) = dir.next_entry().await {
        let old = entry
            .metadata()
            .await
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() >= min_age_secs);
        if !old {
            continue;
        }
        let Ok(rel) = tokio::fs::read_to_string(entry.path()).await else {
            continue;
        };
        let kept: Result<Option<i64>, _> = sqlx::query_scalar(
            "SELECT id FROM event_photos WHERE file = $1 \
                 UNION ALL SELECT id FROM meeting_photos WHERE file = $1 \
                 UNION ALL SELECT id FROM declaration_photos WHERE file = $1 \
                 UNION ALL SELECT id FROM disclosure_files WHERE file = $1",
        )
        .bind(&rel)
        .fetch_optional(pool)
        .await;
        match kept {
            Ok(Some(_)) => {}
            Ok(None) => {
                if remove_all(data_dir, &rel).await {
                    removed += 1;
                }
            }
            // The database cannot tell: keep both and ask again next time.
            Err(_) => continue,
        }
        let _ = tokio::fs::remove_file(entry.path()).await;
    }
    if removed > 0 {
        tracing::info!(removed, "photos without a row removed");
    }
    removed
}

fn file_path(data_dir: &Path, rel: &str) -> Option<PathBuf> {
    // Stored names are ours, but a path that climbs out is refused all the same.
    (!rel.contains("..") && rel.starts_with("photos/")).then(|| data_dir.join(rel))
}

/// `POST /events/{id}/photos`: photos for a step the caller is about to take (result photos).
pub async fn upload(
    State(st): State<AppState>,
    UrlPath(id): UrlPath<i64>,
    session: Session,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    match upload_inner(&st, id, &session, &mut form).await {
        Ok(refs) => axum::Json(refs).into_response(),
        Err(e) => reply::error(&e, &headers, &format!("/events/{id}")),
    }
}

async fn upload_inner(
    st: &AppState,
    id: i64,
    session: &Session,
    form: &mut Multipart,
) -> Result<Vec<PhotoRef>, AppError> {
    let pool = &st.ctx.pool;
    let c = super::caller::caller(pool, session).await?;
    let facts = load_visible(pool, &c, id).await?.facts;
    let actor = app::features::events::api::imp::actor_of(&c);
    if app::domain::event::allowed(&actor, &facts).is_empty() {
        return Err(AppError::Forbidden);
    }
    receive(
        &st.data_dir,
        form,
        app::features::events::intake::MAX_PHOTOS,
        async |stored| {
            let mut tx = pool.begin().await?;
            let mut refs = Vec::new();
            for p in stored {
                let pid = repo::insert_photo(&mut tx, id, None, p, c.user_id).await?;
                refs.push(PhotoRef {
                    id: pid,
                    step_id: None,
                    width: p.width,
                    height: p.height,
                });
            }
            tx.commit().await?;
            Ok(refs)
        },
    )
    .await
}

/// Stores the `photo` fields of an upload (at most `max`), then lets `write` record them: if
/// reading, storing or `write` fails the files are removed again, otherwise their pending notes
/// go. Empty file fields are skipped.
pub async fn receive<T>(
    data_dir: &Path,
    form: &mut Multipart,
    max: usize,
    write: impl AsyncFnOnce(&[StoredPhoto]) -> Result<T, AppError>,
) -> Result<T, AppError> {
    let mut stored = Vec::new();
    let result = async {
        while let Some(mut field) = form.next_field().await.map_err(multipart_error)? {
            if field.name() != Some("photo") {
                continue;
            }
            let bytes = read_limited(&mut field).await?;
            if bytes.is_empty() {
                continue;
            }
            if stored.len() >= max {
                return Err(AppError::invalid("photo", "out_of_range"));
            }
            stored.push(store(data_dir, bytes).await?);
        }
        write(&stored).await
    }
    .await;
    if result.is_err() {
        discard(data_dir, &stored).await;
    } else {
        settle(data_dir, &stored).await;
    }
    result
}

#[derive(serde::Deserialize)]
pub struct SizeQuery {
    pub size: Option<String>,
}

/// A stored photo in `size` (its original when that size was never made).
pub async fn read_sized(data_dir: &Path, file: &str, size: PhotoSize) -> Result<Vec<u8>, AppError> {
    if size != PhotoSize::Full {
        if let Some(path) = file_path(data_dir, &size.file(file)) {
            if let Ok(bytes) = tokio::fs::read(path).await {
                return Ok(bytes);
            }
        }
    }
    let path = file_path(data_dir, file).ok_or(AppError::NotFound)?;
    tokio::fs::read(path).await.map_err(|_| AppError::NotFound)
}

/// A photo for one signed-in viewer: cached by their browser only.
pub fn jpeg_response(bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "private, max-age=86400"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /photos/{id}?size=thumb|medium`: the image in that size (the original without one),
/// for those who may see its event; "not found" for anyone else. A photo stored before sizes
/// were made answers with its original.
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
        let (event_id, file) = repo::photo_file(pool, id)
            .await?
            .ok_or(AppError::NotFound)?;
        load_visible(pool, &c, event_id).await?;
        read_sized(&st.data_dir, &file, size).await
    }
    .await;
    match found {
        Ok(bytes) => jpeg_response(bytes),
        Err(e) => reply::error(&e, &headers, "/"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg_with_exif(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 255) as u8, (y % 255) as u8, 90])
        });
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&img)
            .unwrap();
        // An APP1 Exif segment right after SOI, as cameras write it.
        let mut exif = vec![0xFF, 0xE1];
        let payload = b"Exif\0\0MM\0*\0\0\0\x08GPS-SECRET-LOCATION";
        exif.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        exif.extend_from_slice(payload);
        let mut with = out[..2].to_vec();
        with.extend_from_slice(&exif);
        with.extend_from_slice(&out[2..]);
        with
    }

    #[test]
    fn reencoding_drops_exif_and_scales_down() {
        let src = jpeg_with_exif(3000, 1000);
        assert!(src.windows(10).any(|w| w == b"GPS-SECRET"));
        let Encoded {
            jpeg: out,
            width: w,
            height: h,
            ..
        } = encode(&src).unwrap();
        assert_eq!((w, h), (2048, 683));
        assert!(!out.windows(4).any(|w| w == b"Exif"));
        assert!(!out.windows(10).any(|w| w == b"GPS-SECRET"));
        assert_eq!(image::guess_format(&out).unwrap(), ImageFormat::Jpeg);
    }

    #[test]
    fn sizes_are_made_small_and_upright() {
        // Noise is the worst case for JPEG: the thumbnail still has to fit its budget.
        let mut seed = 7u32;
        let img = image::RgbImage::from_fn(2400, 1800, |_, _| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let b = seed.to_be_bytes();
            image::Rgb([b[0], b[1], b[2]])
        });
        let mut src = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut src, 90)
            .encode_image(&img)
            .unwrap();
        let enc = encode(&src).unwrap();
        assert_eq!((enc.width, enc.height), (2048, 1536));
        let of = |size| &enc.sizes.iter().find(|(s, _)| *s == size).unwrap().1;
        let (thumb, medium) = (of(PhotoSize::Thumb), of(PhotoSize::Medium));
        assert!(
            thumb.len() <= THUMB_MAX_BYTES,
            "thumbnail {} bytes",
            thumb.len()
        );
        let t = image::load_from_memory(thumb).unwrap();
        assert_eq!((t.width(), t.height()), (320, 240));
        let m = image::load_from_memory(medium).unwrap();
        assert_eq!((m.width(), m.height()), (960, 720));
        assert!(medium.len() < enc.jpeg.len());
    }

    #[test]
    fn content_decides_not_the_name() {
        assert_eq!(
            encode(b"<html>not an image</html>").err(),
            Some(AppError::invalid("photo", "bad_image"))
        );
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
        assert_eq!(
            encode(gif).err(),
            Some(AppError::invalid("photo", "bad_image"))
        );
        let big = vec![0u8; MAX_BYTES + 1];
        assert_eq!(
            encode(&big).err(),
            Some(AppError::invalid("photo", "too_large"))
        );
    }

    #[test]
    fn stored_paths_cannot_climb_out() {
        let d = Path::new("/data");
        assert!(file_path(d, "photos/202611/ab.jpg").is_some());
        assert!(file_path(d, "photos/../../etc/passwd").is_none());
        assert!(file_path(d, "/etc/passwd").is_none());
    }
}
