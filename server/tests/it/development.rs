//! Member development on both databases: the secretary registers an application and takes
//! the branch's steps, the township the higher committee's; steps out of order, too early or
//! in the wrong hands are refused with their reasons; the county sees standings and overdue
//! applicants; a step recorded by many hands at once is recorded once.

use crate::common::http::{json, refused, router, signed_in, Client, Reply};
use crate::common::TestDb;
use app::domain::calendar::{format_date, local_date};
use app::domain::party::development::{add_months, StepInput};
use time::{Date, Duration};

fn today() -> Date {
    local_date(app::ssr::now())
}

async fn step(c: &mut Client, id: i64, no: u8, on: Date, extra: &str) -> Reply {
    c.call(
        "record_step",
        &format!("id={id}&step={no}&day={}{extra}", format_date(on)),
    )
    .await
}

#[tokio::test]
async fn an_applicant_goes_step_by_step() {
    for db in TestDb::seeded_both().await {
        flow(&db).await;
        db.drop_db().await;
    }
}

async fn flow(db: &TestDb) {
    let app = router(db.pool.clone());
    let mut sec = signed_in(&app, "village1").await;
    let mut town = signed_in(&app, "town1").await;
    let mut county = signed_in(&app, "county").await;
    let mut member = signed_in(&app, "member1").await;
    let home = json(&sec.call("development", "").await);
    let branch = home["branches"][0]["id"].as_i64().unwrap();
    let applied = today() - Duration::days(800);
    let add = |birth: &str, day: Date| {
        format!(
            "branch_id={branch}&name=李明&gender=male&birth_date={birth}&day={}&document=入党申请书",
            format_date(day)
        )
    };
    refused(
        &sec.call("add_applicant", &add("2010-01-01", applied)).await,
        "dev_underage",
    );
    assert_eq!(
        town.call("add_applicant", &add("1998-01-01", applied))
            .await
            .status
            .as_u16(),
        403,
        "the township does not register applications for the branch"
    );
    let id = json(&sec.call("add_applicant", &add("1998-01-01", applied)).await)
        .as_i64()
        .unwrap();
    let d = json(&sec.call("applicant_detail", &format!("id={id}")).await);
    assert_eq!(d["line"]["a"]["standing"], "applicant");
    assert_eq!(d["line"]["next_step"], 2);
    assert_eq!(d["steps"][0]["state"], "done");
    assert_eq!(d["steps"][1]["due_by"], format_date(add_months(applied, 1)));

    let mut on = applied + Duration::days(10);
    json(&step(&mut sec, id, 2, on, "").await);
    // Step 5 before 3 and 4; 3 without its document; 3 by the township.
    refused(
        &step(&mut sec, id, 5, on, "&document=x").await,
        "dev_out_of_order",
    );
    on += Duration::days(20);
    refused(&step(&mut sec, id, 3, on, "").await, "dev_no_document");
    assert_eq!(
        step(&mut town, id, 3, on, "&document=x")
            .await
            .status
            .as_u16(),
        403
    );
    json(&step(&mut sec, id, 3, on, "&document=支委会决议").await);
    let activist = on;
    assert_eq!(step(&mut sec, id, 4, on, "").await.status.as_u16(), 403);
    json(&step(&mut town, id, 4, on, "").await);
    json(&step(&mut sec, id, 5, on, "&document=培养联系人王芳、张强").await);
    json(
        &step(
            &mut sec,
            id,
            6,
            on + Duration::days(30),
            "&document=考察记录",
        )
        .await,
    );
    refused(
        &step(&mut sec, id, 7, add_months(activist, 11), "&document=x").await,
        "dev_too_early",
    );
    refused(
        &step(&mut sec, id, 7, today() + Duration::days(1), "&document=x").await,
        "dev_bad_day",
    );
    json(
        &step(
            &mut sec,
            id,
            7,
            add_months(activist, 12),
            "&document=发展对象公示",
        )
        .await,
    );
    let d = json(&sec.call("applicant_detail", &format!("id={id}")).await);
    assert_eq!(d["line"]["a"]["standing"], "candidate");

    // Who sees the file: the branch's secretary and those above; not the branch's members.
    assert_eq!(
        member
            .call("applicant_detail", &format!("id={id}"))
            .await
            .status
            .as_u16(),
        404
    );
    assert_eq!(member.call("development", "").await.status.as_u16(), 403);
    json(&county.call("applicant_detail", &format!("id={id}")).await);

    // An application two months old whose talk never happened is overdue for the county.
    let late = json(
        &sec.call(
            "add_applicant",
            &add("2000-06-01", today() - Duration::days(60)),
        )
        .await,
    )
    .as_i64()
    .unwrap();
    let list = json(&county.call("development", "").await);
    assert!(list["overdue"].as_i64().unwrap() >= 1, "{list}");
    let lines = list["lines"].as_array().unwrap();
    let row = |x: i64| lines.iter().find(|l| l["a"]["id"] == x).unwrap().clone();
    assert_eq!(row(late)["overdue"], true);
    assert_eq!(row(id)["overdue"], false);
    let candidates = list["counts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c[0] == "candidate")
        .unwrap()[1]
        .as_i64()
        .unwrap();
    assert!(candidates >= 1);
    let only = json(&county.call("development", "standing=candidate").await);
    assert!(only["lines"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["a"]["standing"] == "candidate"));
    assert_eq!(only["total"].as_i64().unwrap(), candidates);
    let late_only = json(&county.call("development", "overdue=1").await);
    assert!(late_only["lines"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["overdue"] == true));
    assert_eq!(late_only["total"], list["overdue"]);

    // Step 8 by many hands at once: one row, one move.
    let eight = add_months(activist, 12) + Duration::days(1);
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let pool = db.pool.clone();
            tokio::spawn(async move {
                app::features::party::dev_repo::record(
                    &pool,
                    1,
                    id,
                    8,
                    eight,
                    &StepInput::default(),
                    "candidate",
                )
                .await
                .unwrap()
            })
        })
        .collect();
    let moved = crate::common::successes(tasks).await;
    assert_eq!(moved, 1);
    let rows: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM applicant_steps WHERE applicant_id = $1 AND step = 8",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(rows, 1);
    // Sponsors: two different members of the branch.
    let members = d["members"].as_array().unwrap();
    let (a, b) = (
        members[0]["id"].as_i64().unwrap(),
        members[1]["id"].as_i64().unwrap(),
    );
    refused(
        &step(
            &mut sec,
            id,
            9,
            eight,
            &format!("&sponsor_a={a}&sponsor_b={a}"),
        )
        .await,
        "dev_sponsors",
    );
    refused(
        &step(
            &mut sec,
            id,
            9,
            eight,
            &format!("&sponsor_a={a}&sponsor_b=987654"),
        )
        .await,
        "dev_sponsors",
    );
    json(
        &step(
            &mut sec,
            id,
            9,
            eight,
            &format!("&sponsor_a={a}&sponsor_b={b}"),
        )
        .await,
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE target = 'applicant:' || CAST($1 AS TEXT)",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(audited, 9, "one audit row per step");
}
