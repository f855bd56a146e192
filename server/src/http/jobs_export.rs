//! `GET /jobs/demand.xlsx?days=N`: the demand picture of the caller's area as a spreadsheet
//! (rust_xlsxwriter), one sheet per view of it — by day, age band, sex, township, trade — with
//! counts only, never a name. Same rule as the desk (`domain::jobs::demand_area`).

use app::domain::jobs::{Picture, Row};
use app::error::AppError;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook};
use tower_sessions::Session;

use crate::http::reply;
use crate::http::AppState;

#[derive(serde::Deserialize)]
pub struct Days {
    days: Option<i64>,
}

pub async fn export(
    State(st): State<AppState>,
    Query(q): Query<Days>,
    session: Session,
    headers: HeaderMap,
) -> Response {
    let loc = reply::locale(&headers);
    let made = async {
        let pool = &st.ctx.pool;
        let c = super::caller::caller(pool, &session).await?;
        let days = q.days.unwrap_or(90);
        let (area, picture) = app::features::jobs::api::imp::picture_for(pool, &c, days).await?;
        tokio::task::spawn_blocking(move || workbook(&picture, loc))
            .await
            .map_err(app::ssr::internal)?
            .map(|bytes| (area, days, bytes))
    }
    .await;
    match made {
        Ok((_, days, bytes)) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"jobs-demand-{days}d.xlsx\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => reply::error(&e, &headers, "/jobs/desk"),
    }
}

fn workbook(p: &Picture, loc: app::i18n::Locale) -> Result<Vec<u8>, AppError> {
    let t = |k: &str| app::i18n::translate(k, loc);
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let label = |prefix: &str, rows: &[Row]| -> Vec<Row> {
        rows.iter()
            .map(|(k, a, b)| {
                let name = if prefix.is_empty() {
                    if k.is_empty() || k == "unknown" {
                        t("jobs.unknown")
                    } else {
                        k.clone()
                    }
                } else {
                    t(&format!("{prefix}{k}"))
                };
                (name, *a, *b)
            })
            .collect()
    };
    let sheets = [
        ("jobs.sheet_days", "jobs.col_day", p.days.clone()),
        ("jobs.sheet_bands", "jobs.col_label", label("", &p.bands)),
        (
            "jobs.sheet_sexes",
            "jobs.col_label",
            label("jobs.sex_", &p.sexes),
        ),
        (
            "jobs.sheet_townships",
            "jobs.col_label",
            label("", &p.townships),
        ),
        (
            "jobs.sheet_trades",
            "jobs.col_label",
            label("jobs.trade_", &p.trades),
        ),
    ];
    let fail = |e: rust_xlsxwriter::XlsxError| app::ssr::internal(e);
    for (name, first, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(t(name)).map_err(fail)?;
        sheet
            .write_with_format(0, 0, t(first), &bold)
            .map_err(fail)?;
        sheet
            .write_with_format(0, 1, t("jobs.views"), &bold)
            .map_err(fail)?;
        sheet
            .write_with_format(0, 2, t("jobs.interested"), &bold)
            .map_err(fail)?;
        for (i, (k, a, b)) in rows.iter().enumerate() {
            let r = i as u32 + 1;
            sheet.write(r, 0, k.as_str()).map_err(fail)?;
            sheet.write(r, 1, *a as f64).map_err(fail)?;
            sheet.write(r, 2, *b as f64).map_err(fail)?;
        }
        sheet.set_column_width(0, 16).map_err(fail)?;
    }
    book.save_to_buffer().map_err(fail)
}
