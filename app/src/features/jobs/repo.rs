//! Jobs in the database. A view is counted once per person, job and day, an interest once per
//! person and job, each by its insert's conflict clause; the same transaction raises the job's
//! counter and the demand picture's cell.

use std::collections::HashSet;

use sqlx::AnyPool;

use super::types::Job;
use crate::domain::jobs::Cell;
use crate::error::AppError;
use crate::ssr::audit;

pub struct NewJob<'a> {
    pub county_path: &'a str,
    pub unit_path: &'a str,
    pub title: &'a str,
    pub employer: &'a str,
    pub trade: &'a str,
    pub place: &'a str,
    pub wage_low: i64,
    pub wage_high: i64,
    pub headcount: i64,
    pub contact: &'a str,
    pub detail: &'a str,
    pub until_at: i64,
}

pub async fn post(pool: &AnyPool, user: i64, j: &NewJob<'_>, now: i64) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO jobs (county_path, unit_path, title, employer, trade, place, wage_low, \
         wage_high, headcount, contact, detail, posted_by, posted_at, until_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(j.county_path)
    .bind(j.unit_path)
    .bind(j.title)
    .bind(j.employer)
    .bind(j.trade)
    .bind(j.place)
    .bind(j.wage_low)
    .bind(j.wage_high)
    .bind(j.headcount)
    .bind(j.contact)
    .bind(j.detail)
    .bind(user)
    .bind(now)
    .bind(j.until_at)
    .fetch_one(&mut *tx)
    .await?;
    audit(
        &mut tx,
        Some(user),
        "job.post",
        &format!("job:{id}"),
        j.title,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

type JobRow = (
    i64,
    String,
    String,
    String,
    String,
    i64,
    i64,
    i64,
    String,
    String,
    i64,
    i64,
    i64,
    i64,
);

const SELECT: &str = "SELECT id, title, employer, trade, place, wage_low, wage_high, headcount, \
     detail, contact, posted_at, until_at, views, interested FROM jobs";

fn job(r: JobRow) -> Job {
    Job {
        id: r.0,
        title: r.1,
        employer: r.2,
        trade: r.3,
        place: r.4,
        wage_low: r.5,
        wage_high: r.6,
        headcount: r.7,
        detail: r.8,
        contact: r.9,
        posted_at: r.10,
        until_at: r.11,
        views: r.12,
        interested: r.13,
        mine: false,
    }
}

/// Open jobs of a county, newest first (of a trade, when given).
pub async fn open(
    pool: &AnyPool,
    county_path: &str,
    trade: Option<&str>,
    now: i64,
) -> Result<Vec<Job>, AppError> {
    let rows: Vec<JobRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE county_path = $1 AND until_at > $2 AND ($3 = '' OR trade = $3) \
         ORDER BY posted_at DESC, id DESC LIMIT 200"
    ))
    .bind(county_path)
    .bind(now)
    .bind(trade.unwrap_or(""))
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(job).collect())
}

/// Jobs posted from within `area`, newest first.
pub async fn posted_in(pool: &AnyPool, area: &str) -> Result<Vec<Job>, AppError> {
    let rows: Vec<JobRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE unit_path LIKE ($1 || '%') ORDER BY posted_at DESC, id DESC LIMIT 100"
    ))
    .bind(area)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(job).collect())
}

/// (job, its county path).
pub async fn get(pool: &AnyPool, id: i64) -> Result<Option<(Job, String)>, AppError> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT id, county_path FROM jobs WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?;
    let Some((_, county)) = row else {
        return Ok(None);
    };
    let r: JobRow = sqlx::query_as(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_one(pool)
        .await?;
    Ok(Some((job(r), county)))
}

pub async fn my_interest(pool: &AnyPool, user: i64) -> Result<HashSet<i64>, AppError> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT job_id FROM job_interest WHERE user_id = $1")
        .bind(user)
        .fetch_all(pool)
        .await?;
    Ok(ids.into_iter().collect())
}

/// Who someone is to the picture: (township id, birth year, register gender).
pub async fn facts_of(
    pool: &AnyPool,
    user: i64,
) -> Result<Option<(String, Option<i64>, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT o.path, r.birth_year, COALESCE(r.gender, '') FROM users u \
         JOIN org_units o ON o.id = u.org_unit_id LEFT JOIN residents r ON r.id = u.resident_id \
         WHERE u.id = $1",
    )
    .bind(user)
    .fetch_optional(pool)
    .await?)
}

/// The cell a view or interest falls in.
pub struct Facts<'a> {
    pub county_path: &'a str,
    pub day: &'a str,
    pub township_id: i64,
    pub trade: &'a str,
    pub band: &'a str,
    pub sex: &'a str,
}

async fn raise(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    f: &Facts<'_>,
    views: i64,
    interest: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO job_demand (county_path, day, township_id, trade, band, sex, views, interest) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (county_path, day, township_id, trade, band, sex) DO UPDATE \
         SET views = job_demand.views + $7, interest = job_demand.interest + $8",
    )
    .bind(f.county_path)
    .bind(f.day)
    .bind(f.township_id)
    .bind(f.trade)
    .bind(f.band)
    .bind(f.sex)
    .bind(views)
    .bind(interest)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// True when this counted a view (the first of the day by this person for this job).
pub async fn view(pool: &AnyPool, user: i64, job: i64, f: &Facts<'_>) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    let new = sqlx::query(
        "INSERT INTO job_views (job_id, user_id, day) VALUES ($1, $2, $3) \
         ON CONFLICT (job_id, user_id, day) DO NOTHING",
    )
    .bind(job)
    .bind(user)
    .bind(f.day)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if new != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    sqlx::query("UPDATE jobs SET views = views + 1 WHERE id = $1")
        .bind(job)
        .execute(&mut *tx)
        .await?;
    raise(&mut tx, f, 1, 0).await?;
    tx.commit().await?;
    Ok(true)
}

/// True when this registered the interest; false when it already was.
pub async fn interest(
    pool: &AnyPool,
    user: i64,
    job: i64,
    f: &Facts<'_>,
    now: i64,
) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    let new = sqlx::query(
        "INSERT INTO job_interest (job_id, user_id, at) VALUES ($1, $2, $3) \
         ON CONFLICT (job_id, user_id) DO NOTHING",
    )
    .bind(job)
    .bind(user)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if new != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    sqlx::query("UPDATE jobs SET interested = interested + 1 WHERE id = $1")
        .bind(job)
        .execute(&mut *tx)
        .await?;
    raise(&mut tx, f, 0, 1).await?;
    audit(
        &mut tx,
        Some(user),
        "job.interest",
        &format!("job:{job}"),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The picture's cells of `area` (a county or a township) from `first` to `last` (days,
/// inclusive), townships by name.
pub async fn cells(
    pool: &AnyPool,
    county_path: &str,
    township_id: Option<i64>,
    first: &str,
    last: &str,
) -> Result<Vec<Cell>, AppError> {
    let rows: Vec<(String, String, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT d.day, COALESCE(o.name, ''), d.trade, d.band, d.sex, d.views, d.interest \
         FROM job_demand d LEFT JOIN org_units o ON o.id = d.township_id \
         WHERE d.county_path = $1 AND d.day >= $2 AND d.day <= $3 \
         AND ($4 = 0 OR d.township_id = $4)",
    )
    .bind(county_path)
    .bind(first)
    .bind(last)
    .bind(township_id.unwrap_or(0))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(day, township, trade, band, sex, views, interest)| Cell {
            day,
            township,
            trade,
            band,
            sex,
            views,
            interest,
        })
        .collect())
}

pub async fn unit_name(pool: &AnyPool, path: &str) -> Result<String, AppError> {
    Ok(
        sqlx::query_scalar("SELECT name FROM org_units WHERE path = $1")
            .bind(path)
            .fetch_optional(pool)
            .await?
            .unwrap_or_default(),
    )
}

/// The window's views and interest per day.
pub async fn by_day(
    pool: &AnyPool,
    county_path: &str,
    township_id: Option<i64>,
    first: &str,
    last: &str,
) -> Result<Vec<crate::domain::jobs::Row>, AppError> {
    Ok(sqlx::query_as(
        "SELECT day, CAST(SUM(views) AS BIGINT), CAST(SUM(interest) AS BIGINT) FROM job_demand \
         WHERE county_path = $1 AND day >= $2 AND day <= $3 AND ($4 = 0 OR township_id = $4) \
         GROUP BY day",
    )
    .bind(county_path)
    .bind(first)
    .bind(last)
    .bind(township_id.unwrap_or(0))
    .fetch_all(pool)
    .await?)
}

/// The window's cells summed over its days: one per township (by name), trade, band and sex.
pub async fn collapsed(
    pool: &AnyPool,
    county_path: &str,
    township_id: Option<i64>,
    first: &str,
    last: &str,
) -> Result<Vec<Cell>, AppError> {
    // Summed first, named after: the join meets a few hundred rows, not a year of cells.
    let rows: Vec<(String, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT COALESCE(o.name, ''), x.trade, x.band, x.sex, x.v, x.i FROM ( \
           SELECT township_id, trade, band, sex, CAST(SUM(views) AS BIGINT) AS v, \
           CAST(SUM(interest) AS BIGINT) AS i FROM job_demand WHERE county_path = $1 \
           AND day >= $2 AND day <= $3 AND ($4 = 0 OR township_id = $4) \
           GROUP BY township_id, trade, band, sex) x LEFT JOIN org_units o ON o.id = x.township_id",
    )
    .bind(county_path)
    .bind(first)
    .bind(last)
    .bind(township_id.unwrap_or(0))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(township, trade, band, sex, views, interest)| Cell {
            day: String::new(),
            township,
            trade,
            band,
            sex,
            views,
            interest,
        })
        .collect())
}
