//! Rectification on both databases: the township asks a branch to make good last month's
//! missed committee meeting (once per cell, only for a real miss, within 30 days), the
//! secretary answers once, and the lists show open, overdue and done.

use crate::common::http::{json, refused, router, signed_in};
use crate::common::TestDb;
use app::domain::calendar::local_date;
use app::domain::scoring::{Period, PeriodKind};

#[tokio::test]
async fn a_miss_is_followed_up_and_answered() {
    for db in TestDb::seeded_both().await {
        flow(&db).await;
        db.drop_db().await;
    }
}

async fn flow(db: &TestDb) {
    let app = router(db.pool.clone());
    let mut town = signed_in(&app, "town1").await;
    let mut sec = signed_in(&app, "village1").await;
    let mut member = signed_in(&app, "member1").await;
    let mut dept = signed_in(&app, "dept1").await;
    let branch: i64 = sqlx::query_scalar(
        "SELECT pm.branch_id FROM users u JOIN party_members pm ON pm.resident_id = u.resident_id \
         WHERE u.username = 'member1'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let this = Period::containing(PeriodKind::Month, local_date(app::ssr::now()));
    let last = Period::containing(PeriodKind::Month, this.start - time::Duration::days(1)).label();
    let ask = |period: &str, days: i64| {
        format!("branch_id={branch}&kind=committee&period={period}&days={days}&note=请尽快补开")
    };
    refused(
        &town
            .call("request_rectification", &ask(&this.label(), 7))
            .await,
        "rectify_not_missed",
    );
    refused(
        &town.call("request_rectification", &ask(&last, 0)).await,
        "rectify_days",
    );
    refused(
        &town.call("request_rectification", &ask(&last, 31)).await,
        "rectify_days",
    );
    assert_eq!(
        sec.call("request_rectification", &ask(&last, 7))
            .await
            .status
            .as_u16(),
        403,
        "the secretary does not ask themselves"
    );
    json(&town.call("request_rectification", &ask(&last, 7)).await);
    refused(
        &town.call("request_rectification", &ask(&last, 7)).await,
        "rectify_exists",
    );

    let home = json(&sec.call("party_home", "").await);
    let open = home["rectify"].as_array().unwrap();
    assert_eq!(open.len(), 1, "{home}");
    assert_eq!(open[0]["state"], "open");
    let id = open[0]["id"].as_i64().unwrap();
    assert_eq!(
        member
            .call("answer_rectification", &format!("id={id}&note=x"))
            .await
            .status
            .as_u16(),
        403
    );
    assert_eq!(
        dept.call("answer_rectification", &format!("id={id}&note=x"))
            .await
            .status
            .as_u16(),
        404
    );
    refused(
        &sec.call("answer_rectification", &format!("id={id}&note="))
            .await,
        "required",
    );
    json(
        &sec.call(
            "answer_rectification",
            &format!("id={id}&note=已补开支委会"),
        )
        .await,
    );
    refused(
        &sec.call("answer_rectification", &format!("id={id}&note=again"))
            .await,
        "rectify_answered",
    );
    assert!(json(&sec.call("party_home", "").await)["rectify"]
        .as_array()
        .unwrap()
        .is_empty());

    // A request past its deadline shows red until answered.
    let path: String = sqlx::query_scalar(
        "SELECT o.path FROM party_branches b JOIN org_units o ON o.id = b.org_unit_id WHERE b.id = $1",
    )
    .bind(branch)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO rectifications (branch_id, unit_path, kind, period, due_day, requested_at) \
         VALUES ($1, $2, 'group', $3, '2026-01-05', 0)",
    )
    .bind(branch)
    .bind(&path)
    .bind(&last)
    .execute(&db.pool)
    .await
    .unwrap();
    let list = json(&town.call("rectifications", "").await);
    let states: Vec<&str> = list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, vec!["overdue", "done"], "{list}");
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('rectify.request', 'rectify.answer')",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(audited, 2);
}
