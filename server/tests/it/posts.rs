//! Posts and duties (设岗定责) on both databases: the secretary sets up a post and gives it to a
//! member without one; the member records a duty (once a day, however often sent), which waits
//! as a pending award until the secretary approves it into the member's ledger.

use crate::common::http::{json, refused, router, signed_in};
use crate::common::TestDb;

#[tokio::test]
async fn a_post_a_duty_and_its_points() {
    for db in TestDb::seeded_both().await {
        flow(&db).await;
        db.drop_db().await;
    }
}

async fn flow(db: &TestDb) {
    let app = router(db.pool.clone());
    let mut sec = signed_in(&app, "village1").await;
    let mut m1 = signed_in(&app, "member1").await;
    let mut m2 = signed_in(&app, "member2").await;
    let (member1, branch): (i64, i64) = sqlx::query_as(
        "SELECT pm.id, pm.branch_id FROM users u JOIN party_members pm ON pm.resident_id = u.resident_id \
         WHERE u.username = 'member1'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let p = json(
        &sec.call("party_posts", &format!("branch_id={branch}"))
            .await,
    );
    assert_eq!(p["manage"], true);
    assert!(p["without_post"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["id"] == member1));
    let post = |name: &str, duties: &str| format!("branch_id={branch}&name={name}&duties={duties}");
    assert_eq!(
        m1.call("create_post", &post("环境监督岗", "x"))
            .await
            .status
            .as_u16(),
        403
    );
    refused(
        &sec.call("create_post", &post("环境监督岗", "")).await,
        "required",
    );
    json(
        &sec.call(
            "create_post",
            &post("环境监督岗", "监督村内环境卫生，每周巡查一次"),
        )
        .await,
    );
    refused(
        &sec.call("create_post", &post("环境监督岗", "又一个")).await,
        "post_exists",
    );
    let p = json(
        &sec.call("party_posts", &format!("branch_id={branch}"))
            .await,
    );
    let post_id = p["posts"][0]["id"].as_i64().unwrap();
    let outsider: i64 =
        sqlx::query_scalar("SELECT id FROM party_members WHERE branch_id <> $1 LIMIT 1")
            .bind(branch)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    refused(
        &sec.call(
            "assign_post",
            &format!("post_id={post_id}&member_id={outsider}"),
        )
        .await,
        "invalid_value",
    );
    json(
        &sec.call(
            "assign_post",
            &format!("post_id={post_id}&member_id={member1}"),
        )
        .await,
    );
    json(
        &sec.call(
            "assign_post",
            &format!("post_id={post_id}&member_id={member1}"),
        )
        .await,
    );
    let mine = json(&m1.call("party_posts", "").await);
    assert_eq!(mine["mine"][0]["id"], post_id);
    assert!(!mine["without_post"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["id"] == member1));

    assert_eq!(
        m2.call("record_duty", &format!("post_id={post_id}&note=x"))
            .await
            .status
            .as_u16(),
        404,
        "only the post's holders record its duties"
    );
    refused(
        &m1.call("record_duty", &format!("post_id={post_id}&note="))
            .await,
        "required",
    );
    json(
        &m1.call(
            "record_duty",
            &format!("post_id={post_id}&note=清理村口垃圾堆"),
        )
        .await,
    );
    refused(
        &m1.call("record_duty", &format!("post_id={post_id}&note=再记一次"))
            .await,
        "duty_today",
    );
    // The duty waits for approval, then is in the member's ledger.
    let awards = json(&sec.call("awards", "").await);
    let pending = awards[0]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["subject_id"] == member1 && a["reason"].as_str().unwrap().contains("清理村口垃圾堆")
        })
        .expect("the duty is pending for the secretary")
        .clone();
    json(
        &sec.call(
            "decide_award",
            &format!("id={}&decision=approve", pending["id"]),
        )
        .await,
    );
    let ledger = json(
        &m1.call(
            "score_ledger",
            &format!("subject=member&subject_id={member1}"),
        )
        .await,
    );
    assert!(ledger["lines"].as_array().unwrap().iter().any(|l| {
        l["source"].as_str().unwrap().starts_with("duty:") && l["status"] == "approved"
    }));

    // Many sends at once on another day's record: exactly one.
    sqlx::query("DELETE FROM duty_records WHERE post_id = $1")
        .bind(post_id)
        .execute(&db.pool)
        .await
        .unwrap();
    let rule = app::features::scoring::repo::manual_rules(&db.pool)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.code == "m_manual")
        .unwrap();
    let path: String = sqlx::query_scalar("SELECT unit_path FROM party_posts WHERE id = $1")
        .bind(post_id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let (pool, rule, path) = (db.pool.clone(), rule.clone(), path.clone());
            tokio::spawn(async move {
                app::features::party::posts_repo::record(
                    &pool,
                    1,
                    post_id,
                    "环境监督岗",
                    member1,
                    &path,
                    &rule,
                    "巡查",
                )
                .await
                .unwrap()
            })
        })
        .collect();
    let written = crate::common::successes(tasks).await;
    assert_eq!(written, 1);
}
