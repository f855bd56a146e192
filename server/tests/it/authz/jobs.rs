//! The 务工信息 rows of the matrix: everyone in the county browses its jobs, opens one and
//! registers interest; a job of another county answers not found; posting and the demand
//! picture are for the county's accounts, its departments and the townships.

use app::features::jobs::repo::{self, NewJob};

use super::{check, RoleCase, Want};
use crate::common::http::Client;

pub struct JobObjects {
    ours: i64,
    elsewhere: i64,
}

async fn job(pool: &sqlx::AnyPool, county_code: &str) -> i64 {
    let county: String =
        sqlx::query_scalar("SELECT path FROM org_units WHERE code = $1 AND level = 'county'")
            .bind(county_code)
            .fetch_one(pool)
            .await
            .unwrap();
    let now = app::ssr::now();
    repo::post(
        pool,
        1,
        &NewJob {
            county_path: &county,
            unit_path: &county,
            title: "焊工",
            employer: "某厂",
            trade: "manufacturing",
            place: "",
            wage_low: 5000,
            wage_high: 7000,
            headcount: 3,
            contact: "",
            detail: "",
            until_at: now + 86_400,
        },
        now,
    )
    .await
    .unwrap()
}

pub async fn objects(pool: &sqlx::AnyPool) -> JobObjects {
    JobObjects {
        ours: job(pool, "330825").await,
        elsewhere: job(pool, "990101").await,
    }
}

pub async fn rows(c: &mut Client, case: &RoleCase, o: &JobObjects) -> usize {
    let who = case.user;
    check(
        &format!("{who} jobs_home"),
        &c.call("jobs_home", "trade=").await,
        Want::Ok,
    );
    for (what, id, want) in [
        ("ours", o.ours, Want::Ok),
        ("elsewhere", o.elsewhere, Want::NotFound),
    ] {
        check(
            &format!("{who} job_detail {what}"),
            &c.call("job_detail", &format!("id={id}")).await,
            want,
        );
        check(
            &format!("{who} job_interest {what}"),
            &c.call("job_interest", &format!("id={id}")).await,
            want,
        );
    }
    let posts = matches!(who, "admin" | "county" | "town1" | "dept1");
    let want = if posts { Want::Ok } else { Want::Forbidden };
    check(
        &format!("{who} post_job"),
        &c.call(
            "post_job",
            "title=电工&employer=某厂&trade=construction&place=&wage_low=0&wage_high=0&headcount=1&contact=&detail=&job_days=30",
        )
        .await,
        want,
    );
    check(
        &format!("{who} jobs_desk"),
        &c.call("jobs_desk", "days=30").await,
        want,
    );
    let r = c.get("/jobs/demand.xlsx?days=30").await;
    assert_eq!(
        r.status.as_u16(),
        want.status(),
        "{who} jobs export: {}",
        r.body
    );
    7
}
