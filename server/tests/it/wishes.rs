//! Small wishes on both databases: a resident posts, a member of the village claims, fulfils,
//! is told it is not done yet, fulfils again, and the resident confirms; the member's ledger
//! gets its line, once. Races: many members claiming one wish (one wins) and one resident
//! posting many at once (the quota holds). The wall masks the poster for neighbours.

use crate::common::http::{json, refused, router, signed_in};
use crate::common::TestDb;
use app::domain::party::{WishAction, WishState, MAX_ACTIVE_WISHES};
use app::features::party::wish_repo;

async fn scalar(db: &TestDb, sql: &str, arg: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(arg)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_wish_from_post_to_points() {
    for db in TestDb::seeded_both().await {
        wish_flow(&db).await;
        db.drop_db().await;
    }
}

async fn wish_flow(db: &TestDb) {
    let app = router(db.pool.clone());
    let mut resident = signed_in(&app, "resident1").await;
    let mut m1 = signed_in(&app, "member1").await;
    let mut m2 = signed_in(&app, "member2").await;
    let mut dept = signed_in(&app, "dept1").await;

    refused(
        &resident.call("post_wish", "title=灯&detail=").await,
        "wish_title_length",
    );
    let id = json(
        &resident
            .call(
                "post_wish",
                "title=帮忙修一下院门口的路灯&detail=晚上出门看不见",
            )
            .await,
    )
    .as_i64()
    .unwrap();

    // The wall: a neighbour member sees the wish with the poster masked and no address.
    let wall = json(&m1.call("wish_wall", "").await);
    let entry = wall["wall"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] == id)
        .expect("the wish is on the member's wall")
        .clone();
    assert_eq!(entry["state"], "open");
    assert!(entry["poster"].as_str().unwrap().ends_with('*'), "{entry}");
    assert!(entry["address"].is_null());
    assert!(wall["claimable"].as_bool().unwrap());
    let d = json(&m1.call("wish_detail", &format!("id={id}")).await);
    assert_eq!(d["access"], "member");
    assert_eq!(d["actions"], serde_json::json!(["claim"]));
    assert_eq!(
        dept.call("wish_detail", &format!("id={id}"))
            .await
            .status
            .as_u16(),
        404
    );

    // The poster cannot claim their own; member1 claims; member2 comes too late.
    assert_eq!(
        resident
            .call("wish_act", &format!("id={id}&action=claim"))
            .await
            .status
            .as_u16(),
        403
    );
    json(&m1.call("wish_act", &format!("id={id}&action=claim")).await);
    refused(
        &m2.call("wish_act", &format!("id={id}&action=claim")).await,
        "wish_moved_on",
    );
    let d = json(&m1.call("wish_detail", &format!("id={id}")).await);
    assert_eq!(d["access"], "claimer");
    assert!(
        d["wish"]["address"].is_string(),
        "the claimer knows where to go"
    );
    assert_eq!(d["wish"]["poster"], "居民");

    // Fulfilling needs a word about what was done.
    refused(
        &m1.call("wish_act", &format!("id={id}&action=fulfil&note="))
            .await,
        "required",
    );
    json(
        &m1.call("wish_act", &format!("id={id}&action=fulfil&note=已换灯泡"))
            .await,
    );
    json(
        &resident
            .call(
                "wish_act",
                &format!("id={id}&action=not_yet&note=灯还是不亮"),
            )
            .await,
    );
    let d = json(&resident.call("wish_detail", &format!("id={id}")).await);
    assert_eq!(d["wish"]["state"], "claimed");
    assert_eq!(d["wish"]["not_yet_note"], "灯还是不亮");
    json(
        &m1.call("wish_act", &format!("id={id}&action=fulfil&note=换了线路"))
            .await,
    );
    let member1: i64 = sqlx::query_scalar(
        "SELECT pm.id FROM party_members pm JOIN users u ON u.resident_id = pm.resident_id \
         WHERE u.username = 'member1'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let lines = "SELECT COUNT(*) FROM score_entries WHERE subject = 'member' AND subject_id = $1 \
                 AND rule_code = 'm_wish'";
    assert_eq!(
        scalar(db, lines, member1).await,
        0,
        "no points before the resident confirms"
    );
    json(
        &resident
            .call("wish_act", &format!("id={id}&action=confirm"))
            .await,
    );
    refused(
        &resident
            .call("wish_act", &format!("id={id}&action=confirm"))
            .await,
        "wish_moved_on",
    );
    assert_eq!(scalar(db, lines, member1).await, 1);
    let ledger = json(
        &m1.call(
            "score_ledger",
            &format!("subject=member&subject_id={member1}"),
        )
        .await,
    );
    assert!(
        ledger["lines"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["source"] == format!("wish:{id}") && l["rule_code"] == "m_wish"),
        "{ledger}"
    );
    let audited = scalar(
        db,
        "SELECT COUNT(*) FROM audit_log WHERE target = 'wish:' || CAST($1 AS TEXT)",
        id,
    )
    .await;
    assert_eq!(audited, 6, "post, claim, fulfil, not yet, fulfil, confirm");
    // Replaying the ledger finds the confirmed wish already scored.
    app::features::scoring::ledger::backfill(&db.pool, |_, _| {})
        .await
        .unwrap();
    assert_eq!(scalar(db, lines, member1).await, 1);

    // A wish withdrawn while open leaves the wall and frees its place in the quota.
    let w2 = json(
        &resident
            .call("post_wish", "title=想借一辆轮椅&detail=")
            .await,
    )
    .as_i64()
    .unwrap();
    let before = json(&resident.call("wish_wall", "").await)["active"]
        .as_i64()
        .unwrap();
    json(
        &resident
            .call("wish_act", &format!("id={w2}&action=withdraw"))
            .await,
    );
    let after = json(&resident.call("wish_wall", "").await);
    assert_eq!(after["active"].as_i64().unwrap(), before - 1);
    assert!(!after["wall"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["id"] == w2));
    assert_eq!(after["come_true"].as_i64().unwrap(), 1);
}

/// Many members claiming one wish at once: one claimer, one audit row of a claim.
#[tokio::test]
async fn one_wish_one_claimer_however_many_race() {
    for db in TestDb::seeded_both().await {
        let (user, household, path): (i64, i64, String) = sqlx::query_as(
            "SELECT u.id, h.id, o.path FROM users u JOIN residents r ON r.id = u.resident_id \
             JOIN households h ON h.id = r.household_id JOIN org_units o ON o.id = h.grid_id \
             WHERE u.username = 'resident1'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let id = wish_repo::post(&db.pool, user, household, &path, "帮忙搬煤气罐", "", None)
            .await
            .unwrap()
            .unwrap();
        let members: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM party_members ORDER BY id LIMIT 30")
                .fetch_all(&db.pool)
                .await
                .unwrap();
        assert!(members.len() >= 20, "{}", members.len());
        let tasks: Vec<_> = members
            .iter()
            .map(|&m| {
                let pool = db.pool.clone();
                tokio::spawn(async move {
                    wish_repo::act(
                        &pool,
                        1,
                        id,
                        user,
                        WishAction::Claim,
                        WishState::Open,
                        WishState::Claimed,
                        Some(m),
                        "",
                    )
                    .await
                    .unwrap()
                })
            })
            .collect();
        let won = crate::common::successes(tasks).await;
        assert_eq!(won, 1);
        let claims = scalar(
            &db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'wish.claim' AND target = 'wish:' || CAST($1 AS TEXT)",
            id,
        )
        .await;
        assert_eq!(claims, 1);
        assert!(
            scalar(
                &db,
                "SELECT COUNT(*) FROM wishes WHERE id = $1 AND claimer_id IS NOT NULL",
                id
            )
            .await
                == 1
        );
        db.drop_db().await;
    }
}

/// One resident posting many wishes at once: the quota lets exactly its limit through.
#[tokio::test]
async fn the_quota_holds_under_parallel_posts() {
    for db in TestDb::seeded_both().await {
        let (user, household, path): (i64, i64, String) = sqlx::query_as(
            "SELECT u.id, h.id, o.path FROM users u JOIN residents r ON r.id = u.resident_id \
             JOIN households h ON h.id = r.household_id JOIN org_units o ON o.id = h.grid_id \
             WHERE u.username = 'resident2'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let tasks: Vec<_> = (0..12)
            .map(|i| {
                let (pool, path) = (db.pool.clone(), path.clone());
                tokio::spawn(async move {
                    wish_repo::post(&pool, user, household, &path, &format!("心愿{i}"), "", None)
                        .await
                        .unwrap()
                        .is_some()
                })
            })
            .collect();
        let posted = crate::common::successes(tasks).await;
        assert_eq!(posted, MAX_ACTIVE_WISHES);
        assert_eq!(
            scalar(
                &db,
                "SELECT COUNT(*) FROM wishes WHERE poster_id = $1",
                user
            )
            .await,
            MAX_ACTIVE_WISHES
        );
        assert_eq!(
            scalar(
                &db,
                "SELECT active FROM wish_quota WHERE user_id = $1",
                user
            )
            .await,
            MAX_ACTIVE_WISHES
        );
        db.drop_db().await;
    }
}
