//! Server functions of 务工信息: caller → `domain::jobs::sees_job` / `demand_area` → repo. A
//! job of another county answers exactly like one that does not exist. The spreadsheet of the
//! demand picture is `GET /jobs/demand.xlsx` in the server.

// A posting is ten form fields; the client stub `#[server]` makes for it carries them all.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::types::{Job, JobsDesk, JobsHome};
use crate::error::AppError;

/// `trade` empty for all.
#[server(prefix = "/api", endpoint = "jobs_home")]
pub async fn get_jobs(trade: String) -> Result<JobsHome, AppError> {
    crate::error::with_status(imp::home(trade).await)
}

/// One job; opening it counts the caller's view (once a day).
#[server(prefix = "/api", endpoint = "job_detail")]
pub async fn get_job(id: i64) -> Result<Job, AppError> {
    crate::error::with_status(imp::detail(id).await)
}

/// True when this registered the interest, false when it already was.
#[server(prefix = "/api", endpoint = "job_interest")]
pub async fn job_interest(id: i64) -> Result<bool, AppError> {
    crate::error::with_status(imp::interest(id).await)
}

#[server(prefix = "/api", endpoint = "post_job")]
pub async fn post_job(
    title: String,
    employer: String,
    trade: String,
    place: String,
    wage_low: i64,
    wage_high: i64,
    headcount: i64,
    contact: String,
    detail: String,
    job_days: i64,
) -> Result<i64, AppError> {
    crate::error::with_status(
        imp::post(
            title, employer, trade, place, wage_low, wage_high, headcount, contact, detail,
            job_days,
        )
        .await,
    )
}

/// The demand picture over the last `days` days (7 to 366).
#[server(prefix = "/api", endpoint = "jobs_desk")]
pub async fn get_jobs_desk(days: i64) -> Result<JobsDesk, AppError> {
    crate::error::with_status(imp::desk(days).await)
}

#[cfg(feature = "ssr")]
pub mod imp {
    use super::super::repo::{self, Facts, NewJob};
    use super::super::types::{Job, JobsDesk, JobsHome};
    use crate::domain::calendar::{local_date, local_day};
    use crate::domain::jobs::{
        age_band, cell_keys, demand_area, may_post, picture_of, sees_job, sex_of, spike,
        validate_job, window, Picture, Trade,
    };
    use crate::domain::org::{ancestor_path, path_ids, OrgLevel};
    use crate::domain::scope::Caller;
    use crate::error::AppError;
    use crate::ssr::{caller, ctx, now, redirect_form_post};

    fn county_of(c: &Caller) -> Result<String, AppError> {
        ancestor_path(&c.unit_path, OrgLevel::County).ok_or(AppError::Forbidden)
    }

    pub async fn home(trade: String) -> Result<JobsHome, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let trade = trade.trim();
        let trade = if trade.is_empty() {
            None
        } else {
            Some(
                Trade::parse(trade)
                    .ok_or_else(|| AppError::invalid("trade", "invalid_value"))?
                    .as_str(),
            )
        };
        let mine = repo::my_interest(&pool, c.user_id).await?;
        let mut jobs = repo::open(&pool, &county_of(&c)?, trade, now()).await?;
        for j in &mut jobs {
            j.mine = mine.contains(&j.id);
            // The contact is on the job's own page, where opening it is counted.
            j.contact.clear();
        }
        Ok(JobsHome {
            jobs,
            desk: demand_area(c.role, &c.unit_path).is_some(),
        })
    }

    /// The job if the caller sees it, with the cell the caller's views fall in.
    async fn visible(c: &Caller, id: i64) -> Result<(Job, String), AppError> {
        let (job, county) = repo::get(&ctx()?.pool, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !sees_job(&c.unit_path, &county) {
            return Err(AppError::NotFound);
        }
        Ok((job, county))
    }

    /// (township id, band, sex) of the caller; a county account counts under township 0.
    async fn who(c: &Caller, t: i64) -> Result<(i64, &'static str, &'static str), AppError> {
        let (path, birth, gender) = repo::facts_of(&ctx()?.pool, c.user_id)
            .await?
            .unwrap_or_default();
        let township = ancestor_path(&path, OrgLevel::Township)
            .and_then(|p| path_ids(&p).last().copied())
            .unwrap_or(0);
        let year = i64::from(local_date(t).year());
        Ok((township, age_band(birth, year), sex_of(&gender)))
    }

    pub async fn detail(id: i64) -> Result<Job, AppError> {
        let c = caller().await?;
        let (mut job, county) = visible(&c, id).await?;
        let t = now();
        let (township_id, band, sex) = who(&c, t).await?;
        let day = local_day(t);
        let pool = ctx()?.pool;
        if t < job.until_at {
            let f = Facts {
                county_path: &county,
                day: &day,
                township_id,
                trade: &job.trade,
                band,
                sex,
            };
            if repo::view(&pool, c.user_id, id, &f).await? {
                job.views += 1;
            }
        }
        job.mine = repo::my_interest(&pool, c.user_id).await?.contains(&id);
        Ok(job)
    }

    pub async fn interest(id: i64) -> Result<bool, AppError> {
        let c = caller().await?;
        let (job, county) = visible(&c, id).await?;
        let t = now();
        if t >= job.until_at {
            return Err(AppError::invalid("job_id", "job_closed"));
        }
        let (township_id, band, sex) = who(&c, t).await?;
        let day = local_day(t);
        let f = Facts {
            county_path: &county,
            day: &day,
            township_id,
            trade: &job.trade,
            band,
            sex,
        };
        let new = repo::interest(&ctx()?.pool, c.user_id, id, &f, t).await?;
        redirect_form_post(&format!("/jobs/{id}"));
        Ok(new)
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn post(
        title: String,
        employer: String,
        trade: String,
        place: String,
        wage_low: i64,
        wage_high: i64,
        headcount: i64,
        contact: String,
        detail: String,
        days: i64,
    ) -> Result<i64, AppError> {
        let c = caller().await?;
        if !may_post(c.role) {
            return Err(AppError::Forbidden);
        }
        let trade = Trade::parse(trade.trim())
            .ok_or_else(|| AppError::invalid("trade", "invalid_value"))?;
        validate_job(&title, &employer, wage_low, wage_high, headcount, days)
            .map_err(|(f, r)| AppError::invalid(f, r))?;
        for (field, text, max) in [
            ("place", &place, 120usize),
            ("contact", &contact, 60),
            ("job_detail", &detail, 2000),
        ] {
            if text.trim().chars().count() > max {
                return Err(AppError::invalid(field, "too_long"));
            }
        }
        let t = now();
        let county = county_of(&c)?;
        let id = repo::post(
            &ctx()?.pool,
            c.user_id,
            &NewJob {
                county_path: &county,
                unit_path: &c.unit_path,
                title: title.trim(),
                employer: employer.trim(),
                trade: trade.as_str(),
                place: place.trim(),
                wage_low,
                wage_high,
                headcount,
                contact: contact.trim(),
                detail: detail.trim(),
                until_at: t + days * 86_400,
            },
            t,
        )
        .await?;
        redirect_form_post("/jobs/desk");
        Ok(id)
    }

    /// The demand picture of the caller's area over the last `days` days (also for the
    /// spreadsheet, which is made outside a server function).
    pub async fn picture_for(
        pool: &sqlx::AnyPool,
        c: &Caller,
        days: i64,
    ) -> Result<(String, Picture), AppError> {
        let area = demand_area(c.role, &c.unit_path).ok_or(AppError::Forbidden)?;
        if !(7..=366).contains(&days) {
            return Err(AppError::invalid("days", "out_of_range"));
        }
        let (county, township) = cell_keys(&area).ok_or(AppError::Forbidden)?;
        let window = window(now(), days);
        let (first, last) = (window[0].clone(), window[window.len() - 1].clone());
        let by_day = repo::by_day(pool, &county, township, &first, &last).await?;
        let cells = repo::collapsed(pool, &county, township, &first, &last).await?;
        Ok((area, picture_of(by_day, &cells, &window)))
    }

    pub async fn desk(days: i64) -> Result<JobsDesk, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let (area, picture) = picture_for(&pool, &c, days).await?;
        Ok(JobsDesk {
            area_name: repo::unit_name(&pool, &area).await?,
            days,
            spike: spike(&picture.days),
            picture,
            posted: repo::posted_in(&pool, &area).await?,
        })
    }
}
