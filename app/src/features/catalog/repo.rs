//! The catalogue's tables. Writes take a transaction whose first statement writes (SQLite cannot
//! upgrade a reading transaction while another writer is busy).

use sqlx::{Any, AnyPool, Transaction};

use super::types::{CalendarEntry, CatalogEntry};
use crate::error::AppError;
use crate::features::events::types::Category;

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    board: String,
    code: String,
    name_zh: String,
    name_en: String,
    limit_kind: String,
    limit_value: i64,
    default_level: String,
    active: i64,
    township_department: String,
    county_department: String,
    open_events: i64,
}

const ENTRY_SQL: &str = concat!("SELECT c.id, c.board, c.code, c.name_zh, c.name_en, c.limit_kind, \
     c.limit_value, c.default_level, c.active, \
     COALESCE((SELECT department FROM responsibilities r WHERE r.category_id = c.id AND r.level = 'township'), '') AS township_department, \
     COALESCE((SELECT department FROM responsibilities r WHERE r.category_id = c.id AND r.level = 'county'), '') AS county_department, \
     (SELECT COUNT(*) FROM events e WHERE e.category_id = c.id AND e.state NOT IN ",
    crate::terminal_states_sql!(),
    ") AS open_events FROM categories c"
);

fn entry(r: EntryRow) -> CatalogEntry {
    CatalogEntry {
        category: Category {
            id: r.id,
            board: r.board,
            code: r.code,
            name_zh: r.name_zh,
            name_en: r.name_en,
            limit_kind: r.limit_kind,
            limit_value: r.limit_value,
            default_level: r.default_level,
        },
        active: r.active != 0,
        township_department: r.township_department,
        county_department: r.county_department,
        open_events: r.open_events,
    }
}

/// Every category, retired ones too, in code order.
pub async fn entries(pool: &AnyPool) -> Result<Vec<CatalogEntry>, AppError> {
    let rows: Vec<EntryRow> = sqlx::query_as(&format!("{ENTRY_SQL} ORDER BY c.code"))
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(entry).collect())
}

pub async fn entry_by_id(pool: &AnyPool, id: i64) -> Result<Option<CatalogEntry>, AppError> {
    let row: Option<EntryRow> = sqlx::query_as(&format!("{ENTRY_SQL} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(entry))
}

/// Department names at `level` (`township` or `county`) as the responsibility list writes them:
/// a township's stations carry the township's name in front (龙洲街道综治中心), the list does not
/// (综治中心), and the dispatcher's suggestion matches on that ending.
pub async fn department_names(pool: &AnyPool, level: &str) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT CASE WHEN d.name LIKE (o.name || '%') AND LENGTH(d.name) > LENGTH(o.name) \
         THEN SUBSTR(d.name, LENGTH(o.name) + 1) ELSE d.name END AS n \
         FROM departments d JOIN org_units o ON o.id = d.org_unit_id \
         WHERE o.level = $1 ORDER BY n",
    )
    .bind(level)
    .fetch_all(pool)
    .await?)
}

/// The editable part of a category.
pub struct CategoryEdit<'a> {
    pub limit_kind: &'a str,
    pub limit_value: i64,
    pub default_level: &'a str,
    pub active: bool,
    pub township_department: &'a str,
    pub county_department: &'a str,
}

pub async fn update_category(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    e: &CategoryEdit<'_>,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE categories SET limit_kind = $1, limit_value = $2, default_level = $3, active = $4 \
         WHERE id = $5",
    )
    .bind(e.limit_kind)
    .bind(e.limit_value)
    .bind(e.default_level)
    .bind(i64::from(e.active))
    .bind(id)
    .execute(&mut **tx)
    .await?;
    set_owners(tx, id, e).await
}

async fn set_owners(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    e: &CategoryEdit<'_>,
) -> Result<(), AppError> {
    for (level, dept) in [
        ("township", e.township_department),
        ("county", e.county_department),
    ] {
        sqlx::query(
            "INSERT INTO responsibilities (category_id, level, department) VALUES ($1, $2, $3) \
             ON CONFLICT (category_id, level) DO UPDATE SET department = excluded.department",
        )
        .bind(id)
        .bind(level)
        .bind(dept)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A new category under `board`, numbered after the board's highest code (L42 → L43).
pub async fn insert_category(
    tx: &mut Transaction<'_, Any>,
    board: &str,
    name_zh: &str,
    name_en: &str,
    e: &CategoryEdit<'_>,
) -> Result<(i64, String), AppError> {
    // The insert comes first (see the module note); the code is set once the board is known.
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO categories (board, code, name_zh, name_en, limit_kind, limit_value, \
         default_level, active) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(board)
    .bind(format!("tmp-{board}-{}", crate::ssr::random_hex(6)))
    .bind(name_zh)
    .bind(name_en)
    .bind(e.limit_kind)
    .bind(e.limit_value)
    .bind(e.default_level)
    .bind(i64::from(e.active))
    .fetch_one(&mut **tx)
    .await?;
    let codes: Vec<String> =
        sqlx::query_scalar("SELECT code FROM categories WHERE board = $1 AND id <> $2")
            .bind(board)
            .bind(id)
            .fetch_all(&mut **tx)
            .await?;
    let code = crate::domain::catalog::next_code(board, &codes);
    sqlx::query("UPDATE categories SET code = $1 WHERE id = $2")
        .bind(&code)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    set_owners(tx, id, e).await?;
    Ok((id, code))
}

pub async fn calendar_entries(pool: &AnyPool, year: i32) -> Result<Vec<CalendarEntry>, AppError> {
    Ok(sqlx::query_as(
        "SELECT day, kind, name FROM calendar_days WHERE day >= $1 AND day < $2 ORDER BY day",
    )
    .bind(format!("{year:04}-01-01"))
    .bind(format!("{:04}-01-01", year + 1))
    .fetch_all(pool)
    .await?)
}

pub async fn calendar_years(pool: &AnyPool) -> Result<Vec<i32>, AppError> {
    let days: Vec<String> = sqlx::query_scalar("SELECT day FROM calendar_days ORDER BY day")
        .fetch_all(pool)
        .await?;
    let mut years: Vec<i32> = days
        .iter()
        .filter_map(|d| d.get(..4).and_then(|y| y.parse().ok()))
        .collect();
    years.dedup();
    Ok(years)
}

pub async fn calendar_entry(pool: &AnyPool, day: &str) -> Result<Option<CalendarEntry>, AppError> {
    Ok(
        sqlx::query_as("SELECT day, kind, name FROM calendar_days WHERE day = $1")
            .bind(day)
            .fetch_optional(pool)
            .await?,
    )
}

/// Sets a day's kind, or returns it to the plain week with `None`.
pub async fn set_calendar_day(
    tx: &mut Transaction<'_, Any>,
    day: &str,
    kind_and_name: Option<(&str, &str)>,
) -> Result<(), AppError> {
    match kind_and_name {
        Some((kind, name)) => {
            sqlx::query(
                "INSERT INTO calendar_days (day, kind, name) VALUES ($1, $2, $3) \
                 ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name",
            )
            .bind(day)
            .bind(kind)
            .bind(name)
            .execute(&mut **tx)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM calendar_days WHERE day = $1")
                .bind(day)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}
