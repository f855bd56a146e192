//! 党员联户 on both databases: the secretary links a household to a member, the member sees it
//! and records a visit (once a day, however often it is sent, with its ledger line), no other
//! member may; the resident sees their member and asks them for help directly.

use crate::common::http::{json, refused, router, signed_in};
use crate::common::TestDb;

async fn id_of(db: &TestDb, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap()
}

#[tokio::test]
async fn a_member_serves_a_household() {
    for db in TestDb::seeded_both().await {
        flow(&db).await;
        db.drop_db().await;
    }
}

async fn flow(db: &TestDb) {
    let app = router(db.pool.clone());
    let mut sec = signed_in(&app, "village1").await;
    let mut town = signed_in(&app, "town1").await;
    let mut m1 = signed_in(&app, "member1").await;
    let mut m2 = signed_in(&app, "member2").await;
    let mut resident = signed_in(&app, "resident1").await;
    let household = id_of(
        db,
        "SELECT r.household_id FROM users u JOIN residents r ON r.id = u.resident_id \
         WHERE u.username = 'resident1'",
    )
    .await;
    let member1 = id_of(
        db,
        "SELECT pm.id FROM users u JOIN party_members pm ON pm.resident_id = u.resident_id \
         WHERE u.username = 'member1'",
    )
    .await;
    // Before any link the resident has nobody to ask.
    assert!(json(&resident.call("wish_wall", "").await)["my_member"].is_null());
    refused(
        &resident.call("post_wish", "title=帮我看看电表&ask=1").await,
        "no_member_linked",
    );

    let links = json(&sec.call("party_links", "").await);
    assert!(links["unlinked_total"].as_i64().unwrap() > 0);
    assert!(links["members"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["member_id"] == member1));
    let body = format!("household_id={household}&member_id={member1}");
    assert_eq!(
        town.call("link_household", &body).await.status.as_u16(),
        403
    );
    assert_eq!(m1.call("link_household", &body).await.status.as_u16(), 403);
    json(&sec.call("link_household", &body).await);
    // A household of another village cannot be linked to this branch's member.
    let elsewhere = id_of(
        db,
        "SELECT h.id FROM households h JOIN org_units g ON g.id = h.grid_id \
         WHERE g.parent_id <> (SELECT g2.parent_id FROM households h2 JOIN org_units g2 ON g2.id = h2.grid_id \
         JOIN residents r ON r.household_id = h2.id JOIN users u ON u.resident_id = r.id \
         WHERE u.username = 'resident1') ORDER BY h.id LIMIT 1",
    )
    .await;
    let r = sec
        .call(
            "link_household",
            &format!("household_id={elsewhere}&member_id={member1}"),
        )
        .await;
    assert!(matches!(r.status.as_u16(), 404 | 422), "{}", r.body);

    let home = json(&m1.call("party_home", "").await);
    assert!(home["households"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["household_id"] == household));

    // The visit: notes required; once a day; only by the member serving the household.
    refused(
        &m1.call("record_visit", &format!("household_id={household}&notes="))
            .await,
        "required",
    );
    json(
        &m1.call(
            "record_visit",
            &format!("household_id={household}&place=家中&notes=了解用电情况"),
        )
        .await,
    );
    refused(
        &m1.call(
            "record_visit",
            &format!("household_id={household}&notes=又来了"),
        )
        .await,
        "visit_today",
    );
    assert_eq!(
        m2.call("record_visit", &format!("household_id={household}&notes=x"))
            .await
            .status
            .as_u16(),
        404
    );
    let lines: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM score_entries e JOIN member_visits v ON e.source = 'activity:' || CAST(v.activity_id AS TEXT) \
         WHERE v.household_id = $1 AND e.rule_code = 'm_visit'",
    )
    .bind(household)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(lines, 1);

    // The resident sees their member and asks them directly: the wish is theirs at once.
    let wall = json(&resident.call("wish_wall", "").await);
    assert!(wall["my_member"][0].is_string(), "{wall}");
    let id = json(&resident.call("post_wish", "title=帮我看看电表&ask=1").await)
        .as_i64()
        .unwrap();
    let d = json(&m1.call("wish_detail", &format!("id={id}")).await);
    assert_eq!(d["wish"]["state"], "claimed");
    assert_eq!(d["access"], "claimer");
    assert!(json(&m1.call("wish_wall", "").await)["taken"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["id"] == id));

    // Many sends of one visit at once: one visit, one activity.
    // Another household of the same grid (where the member's branch is).
    let other: i64 = sqlx::query_scalar(
        "INSERT INTO households (grid_id, address, head_name) \
         SELECT grid_id, '同组2号', '王大爷' FROM households WHERE id = $1 RETURNING id",
    )
    .bind(household)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    json(
        &sec.call(
            "link_household",
            &format!("household_id={other}&member_id={member1}"),
        )
        .await,
    );
    let path: String = sqlx::query_scalar(
        "SELECT g.path FROM households h JOIN org_units g ON g.id = h.grid_id WHERE h.id = $1",
    )
    .bind(other)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let at = app::ssr::now();
    let tasks: Vec<_> = (0..12)
        .map(|_| {
            let (pool, path) = (db.pool.clone(), path.clone());
            tokio::spawn(async move {
                app::features::party::links_repo::visit(
                    &pool, 1, member1, other, &path, at, "", "走访",
                )
                .await
                .unwrap()
            })
        })
        .collect();
    let written = crate::common::successes(tasks).await;
    assert_eq!(written, 1);
    let visits: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM member_visits WHERE household_id = $1")
            .bind(other)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(visits, 1);
    // Unlinking leaves the resident without a member again.
    json(
        &sec.call("unlink_household", &format!("household_id={household}"))
            .await,
    );
    assert!(json(&resident.call("wish_wall", "").await)["my_member"].is_null());
}
