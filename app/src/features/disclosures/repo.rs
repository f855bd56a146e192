//! Disclosures in the database. Publishing writes the disclosure, its table, its files and the
//! audit row in one transaction; the unique index on (unit, kind, month) decides a second one.
//! An open question is counted by one conditional upsert, never past the limit.

use sqlx::AnyPool;

use super::types::{FinanceLine, Question};
use crate::domain::disclosures::{Kind, Table, MAX_OPEN_QUESTIONS};
use crate::domain::org::OrgLevel;
use crate::error::AppError;
use crate::features::events::intake::StoredPhoto;
use crate::ssr::{audit, parse_level, unique_violation};

/// (path, level, name) of an org unit.
pub async fn unit(pool: &AnyPool, id: i64) -> Result<Option<(String, OrgLevel, String)>, AppError> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT path, level, name FROM org_units WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(p, l, n)| (p, parse_level(&l), n)))
}

pub struct NewDisclosure<'a> {
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub kind: Kind,
    pub period: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub table: Option<&'a Table>,
    pub day: &'a str,
}

/// The new disclosure's id; `Ok(None)` when the unit already put up this kind for this month.
pub async fn publish(
    pool: &AnyPool,
    user: i64,
    d: &NewDisclosure<'_>,
    photos: &[StoredPhoto],
    pdf: Option<&StoredPhoto>,
    now: i64,
) -> Result<Option<i64>, AppError> {
    let mut tx = pool.begin().await?;
    let inserted: Result<i64, sqlx::Error> = sqlx::query_scalar(
        "INSERT INTO disclosures (org_unit_id, unit_path, kind, period, title, body, income_fen, \
         expense_fen, published_by, published_at, published_day) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(d.unit_id)
    .bind(d.unit_path)
    .bind(d.kind.as_str())
    .bind(d.period)
    .bind(d.title)
    .bind(d.body)
    .bind(d.table.map(|t| t.income_fen))
    .bind(d.table.map(|t| t.expense_fen))
    .bind(user)
    .bind(now)
    .bind(d.day)
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(e) if unique_violation(&e) => {
            tx.rollback().await?;
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(t) = d.table {
        for (pos, l) in t.lines.iter().enumerate() {
            sqlx::query(
                "INSERT INTO disclosure_lines (disclosure_id, pos, item, income_fen, expense_fen) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(pos as i64)
            .bind(&l.item)
            .bind(l.income_fen)
            .bind(l.expense_fen)
            .execute(&mut *tx)
            .await?;
        }
    }
    let files = photos
        .iter()
        .map(|p| ("photo", p))
        .chain(pdf.map(|p| ("pdf", p)));
    for (kind, f) in files {
        sqlx::query(
            "INSERT INTO disclosure_files (disclosure_id, kind, file, bytes, at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(kind)
        .bind(&f.file)
        .bind(f.bytes)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    audit(
        &mut tx,
        Some(user),
        "disclosure.publish",
        &format!("disclosure:{id}"),
        &format!("{} {} {}", d.kind.as_str(), d.period, d.unit_path),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(id))
}

/// A disclosure row: (id, unit id, unit path, unit level, unit name, kind, period, title, body,
/// income, expense, published_at, published_day).
pub type Row = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
    i64,
    String,
);

const SELECT: &str = "SELECT d.id, d.org_unit_id, d.unit_path, o.level, o.name, d.kind, d.period, \
     d.title, d.body, d.income_fen, d.expense_fen, d.published_at, d.published_day \
     FROM disclosures d JOIN org_units o ON o.id = d.org_unit_id";

pub async fn get(pool: &AnyPool, id: i64) -> Result<Option<Row>, AppError> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE d.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?)
}

/// The disclosures a caller at `path` may be shown, newest first: those of the units on its
/// path (its village, township, county) and of the units below it. The caller's access to each
/// is still decided by `domain::disclosures::access`.
pub async fn near(pool: &AnyPool, path: &str, limit: i64) -> Result<Vec<Row>, AppError> {
    let ids = crate::domain::org::path_ids(path);
    let mut ancestors: Vec<String> = Vec::new();
    let mut p = String::from("/");
    for id in ids.iter().take(3) {
        p = format!("{p}{id}/");
        ancestors.push(p.clone());
    }
    while ancestors.len() < 3 {
        ancestors.push(String::new());
    }
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE d.unit_path IN ($1, $2, $3) OR d.unit_path LIKE ($4 || '%') \
         ORDER BY d.published_at DESC, d.id DESC LIMIT $5"
    ))
    .bind(&ancestors[0])
    .bind(&ancestors[1])
    .bind(&ancestors[2])
    .bind(path)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// (files, questions) per disclosure.
pub async fn counts(pool: &AnyPool, id: i64) -> Result<(i64, i64), AppError> {
    Ok(sqlx::query_as(
        "SELECT (SELECT CAST(COUNT(*) AS BIGINT) FROM disclosure_files WHERE disclosure_id = $1), \
                (SELECT CAST(COUNT(*) AS BIGINT) FROM disclosure_questions WHERE disclosure_id = $1 \
                 AND answer IS NOT NULL)",
    )
    .bind(id)
    .fetch_one(pool)
    .await?)
}

pub async fn lines(pool: &AnyPool, id: i64) -> Result<Vec<FinanceLine>, AppError> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT item, income_fen, expense_fen FROM disclosure_lines WHERE disclosure_id = $1 \
         ORDER BY pos",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(item, income_fen, expense_fen)| FinanceLine {
            item,
            income_fen,
            expense_fen,
        })
        .collect())
}

/// (id, kind) of the files, in the order they were attached.
pub async fn files(pool: &AnyPool, id: i64) -> Result<Vec<(i64, String)>, AppError> {
    Ok(
        sqlx::query_as(
            "SELECT id, kind FROM disclosure_files WHERE disclosure_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?,
    )
}

/// (disclosure id, kind, stored file) of one file.
pub async fn file(pool: &AnyPool, id: i64) -> Result<Option<(i64, String, String)>, AppError> {
    Ok(
        sqlx::query_as("SELECT disclosure_id, kind, file FROM disclosure_files WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?,
    )
}

/// (id, asker, asker's name, text, asked_at, answer, answered_at).
type QuestionRow = (i64, i64, String, String, i64, Option<String>, Option<i64>);

/// Every question, oldest first, with its asker's user id and name (the page masks it).
pub async fn questions(pool: &AnyPool, id: i64) -> Result<Vec<(i64, Question)>, AppError> {
    let rows: Vec<QuestionRow> = sqlx::query_as(
        "SELECT q.id, q.user_id, COALESCE(r.name, u.display_name), q.text, q.asked_at, q.answer, \
         q.answered_at FROM disclosure_questions q JOIN users u ON u.id = q.user_id \
         LEFT JOIN residents r ON r.id = u.resident_id WHERE q.disclosure_id = $1 \
         ORDER BY q.asked_at, q.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(qid, user, name, text, asked_at, answer, answered_at)| {
            (
                user,
                Question {
                    id: qid,
                    asker: name,
                    mine: false,
                    text,
                    asked_at,
                    answer,
                    answered_at,
                },
            )
        })
        .collect())
}

/// The caller's unanswered questions on a disclosure.
pub async fn open_questions(pool: &AnyPool, id: i64, user: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT open FROM disclosure_askers WHERE disclosure_id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(user)
    .fetch_optional(pool)
    .await?
    .unwrap_or(0))
}

/// The question's id; `Ok(None)` when the asker already has `MAX_OPEN_QUESTIONS` waiting.
pub async fn ask(
    pool: &AnyPool,
    user: i64,
    id: i64,
    text: &str,
    now: i64,
) -> Result<Option<i64>, AppError> {
    let mut tx = pool.begin().await?;
    let counted = sqlx::query(
        "INSERT INTO disclosure_askers (disclosure_id, user_id, open) VALUES ($1, $2, 1) \
         ON CONFLICT (disclosure_id, user_id) DO UPDATE SET open = disclosure_askers.open + 1 \
         WHERE disclosure_askers.open < $3",
    )
    .bind(id)
    .bind(user)
    .bind(MAX_OPEN_QUESTIONS)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if counted != 1 {
        tx.rollback().await?;
        return Ok(None);
    }
    let qid: i64 = sqlx::query_scalar(
        "INSERT INTO disclosure_questions (disclosure_id, user_id, text, asked_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(id)
    .bind(user)
    .bind(text)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    audit(
        &mut tx,
        Some(user),
        "disclosure.ask",
        &format!("disclosure:{id}"),
        &format!("question:{qid}"),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(qid))
}

/// (disclosure id, asker) of a question.
pub async fn question(pool: &AnyPool, qid: i64) -> Result<Option<(i64, i64)>, AppError> {
    Ok(
        sqlx::query_as("SELECT disclosure_id, user_id FROM disclosure_questions WHERE id = $1")
            .bind(qid)
            .fetch_optional(pool)
            .await?,
    )
}

/// True when this answered it; false when it already had an answer.
pub async fn answer(
    pool: &AnyPool,
    user: i64,
    qid: i64,
    text: &str,
    now: i64,
) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query(
        "UPDATE disclosure_questions SET answer = $1, answered_by = $2, answered_at = $3 \
         WHERE id = $4 AND answer IS NULL",
    )
    .bind(text)
    .bind(user)
    .bind(now)
    .bind(qid)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    sqlx::query(
        "UPDATE disclosure_askers SET open = open - 1 WHERE open > 0 AND (disclosure_id, user_id) \
         = (SELECT disclosure_id, user_id FROM disclosure_questions WHERE id = $1)",
    )
    .bind(qid)
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        Some(user),
        "disclosure.answer",
        &format!("question:{qid}"),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The villages under `path` with, per (kind, period) from `first` on, the first local day
/// (`YYYY-MM-DD`) it was put up: (village id, name, kind, period, day).
pub async fn published_since(
    pool: &AnyPool,
    path: &str,
    first: &str,
) -> Result<(Vec<(i64, String)>, Vec<(i64, String, String, String)>), AppError> {
    let villages: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM org_units WHERE level = 'village' AND path LIKE ($1 || '%') \
         ORDER BY name, id",
    )
    .bind(path)
    .fetch_all(pool)
    .await?;
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT d.org_unit_id, d.kind, d.period, MIN(d.published_day) FROM disclosures d \
         JOIN org_units o ON o.id = d.org_unit_id WHERE o.level = 'village' \
         AND d.unit_path LIKE ($1 || '%') AND d.kind <> 'notice' AND d.period >= $2 \
         GROUP BY d.org_unit_id, d.kind, d.period",
    )
    .bind(path)
    .bind(first)
    .fetch_all(pool)
    .await?;
    Ok((villages, rows))
}

/// The earliest month any village under `path` put a monthly disclosure up for.
pub async fn first_period(pool: &AnyPool, path: &str) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT MIN(period) FROM disclosures WHERE unit_path LIKE ($1 || '%') AND kind <> 'notice'",
    )
    .bind(path)
    .fetch_one(pool)
    .await?)
}
