//! 务工信息 on both databases: one person's taps count one view a day and one interest, however
//! many arrive at once; the picture the database sums equals the domain's sums over the cells,
//! and the cells equal the views and interests they counted; the spreadsheet opens as one; a
//! job of another county is not found.

use app::domain::jobs::{picture, picture_of, Cell};
use app::features::jobs::repo::{self, Facts, NewJob};

use crate::common::http::{json, signed_in};
use crate::common::{residents, TestDb};

async fn county(db: &TestDb) -> String {
    sqlx::query_scalar("SELECT path FROM org_units WHERE code = '330825' AND level = 'county'")
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

async fn a_job(db: &TestDb, county: &str, trade: &str) -> i64 {
    let now = app::ssr::now();
    repo::post(
        &db.pool,
        1,
        &NewJob {
            county_path: county,
            unit_path: county,
            title: "焊工",
            employer: "某厂",
            trade,
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

#[tokio::test]
async fn taps_count_once_and_the_picture_is_its_cells() {
    for db in TestDb::seeded_both().await {
        let county = county(&db).await;
        let jobs = [
            a_job(&db, &county, "construction").await,
            a_job(&db, &county, "catering").await,
        ];
        let users = residents(&db, "seeker", "求职者", 6).await;
        let bands = ["16-25", "26-35", "unknown"];
        let mut tasks = Vec::new();
        for (i, &u) in users.iter().enumerate() {
            for (k, &job) in jobs.iter().enumerate() {
                for day in ["2026-11-01", "2026-11-02"] {
                    // Eight taps at once on the same job and day: one view.
                    for _ in 0..8 {
                        let pool = db.pool.clone();
                        let county = county.clone();
                        let trade = ["construction", "catering"][k];
                        let band = bands[i % 3];
                        let sex = ["male", "female"][i % 2];
                        tasks.push(tokio::spawn(async move {
                            let f = Facts {
                                county_path: &county,
                                day,
                                township_id: (i % 2) as i64 + 1,
                                trade,
                                band,
                                sex,
                            };
                            let v = repo::view(&pool, u, job, &f).await.unwrap();
                            let w = repo::interest(&pool, u, job, &f, 0).await.unwrap();
                            (v, w)
                        }));
                    }
                }
            }
        }
        let (mut views, mut interests) = (0, 0);
        for t in tasks {
            let (v, w) = t.await.unwrap();
            views += i64::from(v);
            interests += i64::from(w);
        }
        let n = users.len() as i64;
        assert_eq!(
            views,
            n * 2 * 2,
            "{:?}: one view per person, job and day",
            db.backend
        );
        assert_eq!(
            interests,
            n * 2,
            "{:?}: one interest per person and job",
            db.backend
        );
        let counted: (i64, i64) = sqlx::query_as(
            "SELECT CAST(SUM(views) AS BIGINT), CAST(SUM(interested) AS BIGINT) FROM jobs \
             WHERE county_path = $1",
        )
        .bind(&county)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(counted, (views, interests));
        // The database's sums per dimension equal the domain's over the cells.
        let cells: Vec<Cell> = repo::cells(&db.pool, &county, None, "2026-10-01", "2026-11-30")
            .await
            .unwrap();
        let days: Vec<String> = ["2026-11-01", "2026-11-02"].map(String::from).to_vec();
        let want = picture(&cells, &days);
        assert_eq!((want.views, want.interest), (views, interests));
        let by_day = repo::by_day(&db.pool, &county, None, "2026-11-01", "2026-11-02")
            .await
            .unwrap();
        let collapsed = repo::collapsed(&db.pool, &county, None, "2026-11-01", "2026-11-02")
            .await
            .unwrap();
        assert_eq!(
            picture_of(by_day, &collapsed, &days),
            want,
            "{:?}",
            db.backend
        );
        // One township's share alone.
        let one = repo::by_day(&db.pool, &county, Some(1), "2026-11-01", "2026-11-02")
            .await
            .unwrap();
        assert_eq!(one.iter().map(|r| r.1).sum::<i64>(), views / 2);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_resident_opens_a_job_and_the_bureau_exports_the_picture() {
    for db in TestDb::seeded_both().await {
        let county = county(&db).await;
        let job = a_job(&db, &county, "logistics").await;
        let app = crate::common::http::router(db.pool.clone());
        let mut r1 = signed_in(&app, "resident1").await;
        let home = json(&r1.call("jobs_home", "trade=logistics").await);
        let listed = &home["jobs"][0];
        assert_eq!(listed["id"], job);
        assert_eq!(
            listed["contact"], "",
            "the contact is on the job's own page"
        );
        assert_eq!(home["desk"], false);
        assert_eq!(
            r1.call("jobs_home", "trade=spaceflight")
                .await
                .status
                .as_u16(),
            422
        );
        let seen = json(&r1.call("job_detail", &format!("id={job}")).await);
        assert_eq!(seen["views"], 1);
        let again = json(&r1.call("job_detail", &format!("id={job}")).await);
        assert_eq!(again["views"], 1, "{:?}: once a day", db.backend);
        assert_eq!(
            json(&r1.call("job_interest", &format!("id={job}")).await),
            true
        );
        assert_eq!(
            json(&r1.call("job_interest", &format!("id={job}")).await),
            false
        );
        let mut bureau = signed_in(&app, "county").await;
        let desk = json(&bureau.call("jobs_desk", "days=30").await);
        assert_eq!(desk["picture"]["views"], 1, "{desk}");
        assert_eq!(desk["picture"]["interest"], 1);
        assert_eq!(desk["picture"]["days"].as_array().unwrap().len(), 30);
        assert!(
            !desk.to_string().contains("居民"),
            "no names in the picture"
        );
        assert_eq!(
            bureau.call("jobs_desk", "days=5").await.status.as_u16(),
            422
        );
        let x = bureau.get("/jobs/demand.xlsx?days=30").await;
        assert_eq!(x.status.as_u16(), 200, "{}", x.body);
        assert!(x.bytes.starts_with(b"PK"), "an XLSX is a zip");
        assert!(x.bytes.len() > 2000);
        assert_eq!(r1.get("/jobs/demand.xlsx").await.status.as_u16(), 403);
        db.drop_db().await;
    }
}

/// The wall's job chart reads the same cells: today's views in the scope's area, the county's
/// screen seeing both townships and a township's screen only its own.
#[tokio::test]
async fn the_wall_shows_the_areas_views_by_day() {
    use app::domain::calendar::{format_date, local_date};
    use app::features::screen::repo::snapshot;
    use app::features::screen::types::JOB_DAYS;
    for db in TestDb::seeded_both().await {
        let county = county(&db).await;
        let townships: Vec<String> = sqlx::query_scalar(
            "SELECT path FROM org_units WHERE level = 'township' AND path LIKE ($1 || '%') \
             ORDER BY id LIMIT 2",
        )
        .bind(&county)
        .fetch_all(&db.pool)
        .await
        .unwrap();
        let job = a_job(&db, &county, "construction").await;
        let users = residents(&db, "wall", "看墙者", 5).await;
        let now = app::ssr::now();
        let today = format_date(local_date(now));
        for (i, &u) in users.iter().enumerate() {
            // Three in the first township, two in the second.
            let t = &townships[usize::from(i >= 3)];
            let f = Facts {
                county_path: &county,
                day: &today,
                township_id: *app::domain::org::path_ids(t).last().unwrap(),
                trade: "construction",
                band: "26-35",
                sex: "male",
            };
            assert!(repo::view(&db.pool, u, job, &f).await.unwrap());
        }
        let wall = snapshot(&db.pool, &county, 30, now).await.unwrap().jobs;
        assert_eq!(wall.days.len(), JOB_DAYS as usize);
        assert_eq!(wall.days.last().unwrap().0, today);
        assert_eq!(wall.days.last().unwrap().1, 5, "{:?}", db.backend);
        assert_eq!(wall.spike, None, "no views before today: no baseline");
        let mine = snapshot(&db.pool, &townships[1], 30, now)
            .await
            .unwrap()
            .jobs;
        assert_eq!(mine.days.last().unwrap().1, 2, "{:?}", db.backend);
        db.drop_db().await;
    }
}
