//! Applicants for membership in the database. Recording a step moves `last_step` by one
//! guarded statement (from the step before), writes the step row (unique per applicant) and
//! the audit row in one transaction: a step is recorded once, in order, or not at all.

use std::collections::HashMap;

use sqlx::AnyPool;
use time::Date;

use super::types::{ApplicantRow, BranchChoice};
use crate::domain::calendar::{format_date, parse_date};
use crate::domain::party::development::{Done, StepInput};
use crate::error::AppError;
use crate::ssr::{audit, now};

const SELECT: &str = "SELECT a.id, a.branch_id, b.name AS branch_name, a.name, a.gender, \
     a.birth_date, a.last_step, a.last_on, a.standing, a.unit_path \
     FROM applicants a JOIN party_branches b ON b.id = a.branch_id";

/// The applicants of a subtree, those furthest behind first.
pub async fn list(pool: &AnyPool, path: &str) -> Result<Vec<ApplicantRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE a.unit_path LIKE $1 ORDER BY a.last_step, a.last_on, a.id LIMIT 500"
    ))
    .bind(format!("{path}%"))
    .fetch_all(pool)
    .await?)
}

pub async fn applicant(pool: &AnyPool, id: i64) -> Result<Option<ApplicantRow>, AppError> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?)
}

/// The steps done by each applicant of a subtree, in order.
pub async fn done_in(pool: &AnyPool, path: &str) -> Result<HashMap<i64, Vec<Done>>, AppError> {
    let rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT s.applicant_id, s.step, s.on_day FROM applicant_steps s \
         JOIN applicants a ON a.id = s.applicant_id WHERE a.unit_path LIKE $1 \
         ORDER BY s.applicant_id, s.step",
    )
    .bind(format!("{path}%"))
    .fetch_all(pool)
    .await?;
    let mut out: HashMap<i64, Vec<Done>> = HashMap::new();
    for (id, no, on) in rows {
        if let (Ok(no), Some(on)) = (u8::try_from(no), parse_date(&on)) {
            out.entry(id).or_default().push(Done { no, on });
        }
    }
    Ok(out)
}

/// A step as stored: (step, day, document, sponsors, votes).
pub type StoredStep = (i64, String, String, String, String);

pub async fn steps(pool: &AnyPool, id: i64) -> Result<Vec<StoredStep>, AppError> {
    Ok(sqlx::query_as(
        "SELECT step, on_day, document, sponsors, votes FROM applicant_steps \
         WHERE applicant_id = $1 ORDER BY step",
    )
    .bind(id)
    .fetch_all(pool)
    .await?)
}

/// The members of a branch, by name (sponsors are chosen among them).
pub async fn members(pool: &AnyPool, branch: i64) -> Result<Vec<BranchChoice>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, name FROM party_members WHERE branch_id = $1 ORDER BY name, id")
            .bind(branch)
            .fetch_all(pool)
            .await?,
    )
}

/// A new applicant with their application (step 1) in one transaction.
#[allow(clippy::too_many_arguments)]
pub async fn add(
    pool: &AnyPool,
    user: i64,
    branch: i64,
    path: &str,
    name: &str,
    gender: &str,
    birth: Date,
    on: Date,
    document: &str,
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO applicants (branch_id, unit_path, name, gender, birth_date, last_step, last_on, \
         standing, created_by, created_at) VALUES ($1, $2, $3, $4, $5, 1, $6, 'applicant', $7, $8) \
         RETURNING id",
    )
    .bind(branch)
    .bind(path)
    .bind(name)
    .bind(gender)
    .bind(format_date(birth))
    .bind(format_date(on))
    .bind(user)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO applicant_steps (applicant_id, step, on_day, document, recorded_by, at) \
         VALUES ($1, 1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(format_date(on))
    .bind(document)
    .bind(user)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        Some(user),
        "development.apply",
        &format!("applicant:{id}"),
        name,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Records step `no`; false when another hand recorded it (or a later one) first.
pub async fn record(
    pool: &AnyPool,
    user: i64,
    id: i64,
    no: u8,
    on: Date,
    input: &StepInput,
    standing: &str,
) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    let moved = sqlx::query(
        "UPDATE applicants SET last_step = $1, last_on = $2, standing = $3 \
         WHERE id = $4 AND last_step = $5",
    )
    .bind(i64::from(no))
    .bind(format_date(on))
    .bind(standing)
    .bind(id)
    .bind(i64::from(no) - 1)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !moved {
        return Ok(false);
    }
    let sponsors = input
        .sponsors
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
        .join(",");
    sqlx::query(
        "INSERT INTO applicant_steps (applicant_id, step, on_day, document, sponsors, votes, \
         recorded_by, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(i64::from(no))
    .bind(format_date(on))
    .bind(input.document.trim())
    .bind(sponsors)
    .bind(input.votes.map(|v| v.encode()).unwrap_or_default())
    .bind(user)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        Some(user),
        "development.step",
        &format!("applicant:{id}"),
        &format!("step {no} on {}", format_date(on)),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
