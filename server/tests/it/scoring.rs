//! The points ledger on both databases: every score a board shows is the sum of the ledger lines
//! it opens to; caps hold; a backfill twice writes once; a rule change applies from its period and
//! leaves the closed one alone; manual awards count only once someone else approves them.

use crate::common::http::{router, signed_in, Client};
use crate::common::TestDb;
use serde_json::Value;

fn json(r: &crate::common::http::Reply) -> Value {
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

async fn history(db: &TestDb) {
    let end = app::ssr::now();
    server::seed::history::seed(
        &db.pool,
        &server::seed::history::HistoryOptions {
            county: "330825".into(),
            days: 75,
            per_day: 25.0,
            end,
            seed: 11,
            with_steps: true,
            quiet: true,
        },
    )
    .await
    .unwrap();
    let a = server::seed::activities::seed_activities(&db.pool, "330825", end, 5, true)
        .await
        .unwrap();
    assert!(a > 0);
}

/// Every row of a board opens to a ledger whose counted lines sum to the row's score.
async fn check_board(c: &mut Client, subject: &str, period: &str) -> usize {
    let board = json(
        &c.call("score_board", &format!("subject={subject}&period={period}"))
            .await,
    );
    let rows = board["rows"].as_array().unwrap().clone();
    for row in rows.iter().take(12) {
        let id = row["subject_id"].as_i64().unwrap();
        let ledger = json(
            &c.call(
                "score_ledger",
                &format!("subject={subject}&subject_id={id}&period={period}"),
            )
            .await,
        );
        let lines = ledger["lines"].as_array().unwrap();
        let sum: i64 = lines
            .iter()
            .filter(|l| l["status"] == "approved")
            .map(|l| l["amount"].as_i64().unwrap())
            .sum();
        assert_eq!(sum, row["score"].as_i64().unwrap(), "{subject} {id}");
        assert_eq!(ledger["total"], row["score"], "{subject} {id}");
        assert!(!lines.is_empty());
    }
    rows.len()
}

#[tokio::test]
async fn every_score_shown_is_the_sum_of_its_ledger() {
    let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    for db in TestDb::seeded_both().await {
        history(&db).await;
        let written = server::commands::score_backfill::backfill(&db.pool, true)
            .await
            .unwrap();
        assert!(written > 100, "{written}");
        assert_eq!(
            server::commands::score_backfill::backfill(&db.pool, true)
                .await
                .unwrap(),
            0
        );

        // No subject passes a rule's cap in any period.
        let over: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT e.rule_code, e.subject_id, e.period, \
             SUM(e.amount) AS s, MAX(r.cap) AS cap FROM score_entries e JOIN score_rules r ON r.id = e.rule_id \
             WHERE e.status = 'approved' GROUP BY e.rule_code, e.subject, e.subject_id, e.period) t \
             WHERE t.cap IS NOT NULL AND ABS(t.s) > t.cap",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(over, 0);

        let app = router(db.pool.clone());
        let mut county = signed_in(&app, "county").await;
        let month = app::domain::scoring::Period::containing(
            app::domain::scoring::PeriodKind::Month,
            app::domain::calendar::local_date(app::ssr::now()),
        );
        let last = app::domain::scoring::Period::containing(
            app::domain::scoring::PeriodKind::Month,
            month.start - time::Duration::days(1),
        );
        for period in [month.label(), last.label()] {
            assert!(check_board(&mut county, "grid_worker", &period).await > 0);
            assert!(check_board(&mut county, "member", &period).await > 0);
        }
        // The branches' totals are their members' scores.
        let (_, branches): (String, Vec<Value>) = serde_json::from_value(json(
            &county
                .call("score_branches", &format!("period={}", last.label()))
                .await,
        ))
        .unwrap();
        let members_total: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM score_entries \
             WHERE subject = 'member' AND period = $1 AND status = 'approved'",
        )
        .bind(last.label())
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let shown: i64 = branches.iter().map(|b| b["total"].as_i64().unwrap()).sum();
        assert_eq!(shown, members_total);

        // A rule change scheduled for this month: last month keeps its entries to the point.
        let before: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT subject, subject_id, CAST(SUM(amount) AS BIGINT) FROM score_entries \
             WHERE period = $1 GROUP BY subject, subject_id ORDER BY subject, subject_id",
        )
        .bind(last.label())
        .fetch_all(&db.pool)
        .await
        .unwrap();
        let new_rule: i64 = sqlx::query_scalar(
            "INSERT INTO score_rules (code, subject, source, points, cap, needs_approval, \
             effective_from, name_zh, name_en, created_at) SELECT code, subject, source, 7, 70, 0, $1, \
             name_zh, name_en, $2 FROM score_rules WHERE code = 'g_on_time' RETURNING id",
        )
        .bind(app::domain::calendar::format_date(month.start))
        .bind(app::ssr::now())
        .fetch_one(&db.pool)
        .await
        .unwrap();
        sqlx::query("DELETE FROM score_entries WHERE period = $1 AND subject = 'grid_worker'")
            .bind(month.label())
            .execute(&db.pool)
            .await
            .unwrap();
        assert!(
            server::commands::score_backfill::backfill(&db.pool, true)
                .await
                .unwrap()
                > 0
        );
        let after: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT subject, subject_id, CAST(SUM(amount) AS BIGINT) FROM score_entries \
             WHERE period = $1 GROUP BY subject, subject_id ORDER BY subject, subject_id",
        )
        .bind(last.label())
        .fetch_all(&db.pool)
        .await
        .unwrap();
        assert_eq!(before, after);
        let amounts: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT rule_id, amount FROM score_entries WHERE rule_code = 'g_on_time' AND period = $1",
        )
        .bind(month.label())
        .fetch_all(&db.pool)
        .await
        .unwrap();
        assert!(!amounts.is_empty());
        assert!(amounts
            .iter()
            .all(|(r, a)| *r == new_rule && *a <= 7 && *a > 0));
        assert!(amounts.iter().any(|(_, a)| *a == 7));
        db.drop_db().await;
    }
}

async fn household_ledger(c: &mut Client, household: i64) -> Value {
    json(
        &c.call(
            "score_ledger",
            &format!("subject=household&subject_id={household}"),
        )
        .await,
    )
}

#[tokio::test]
async fn manual_awards_count_only_after_someone_else_approves() {
    for db in TestDb::seeded_both().await {
        let app = router(db.pool.clone());
        let mut village = signed_in(&app, "village1").await;
        let mut town = signed_in(&app, "town1").await;
        let household: i64 = sqlx::query_scalar(
            "SELECT h.id FROM households h JOIN org_units g ON g.id = h.grid_id \
             JOIN users u ON u.org_unit_id = g.parent_id WHERE u.username = 'village1' ORDER BY h.id LIMIT 1",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let outside: i64 = sqlx::query_scalar(
            "SELECT h.id FROM households h JOIN org_units g ON g.id = h.grid_id \
             WHERE g.parent_id <> (SELECT org_unit_id FROM users WHERE username = 'village1') \
             ORDER BY h.id LIMIT 1",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let target = format!("household:{household}");
        let r = village
            .call(
                "propose_award",
                &format!("rule=h_good_deed&target={target}&reason="),
            )
            .await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        assert!(r.body.contains("\"reason\":\"required\""), "{}", r.body);
        let r = village
            .call(
                "propose_award",
                &format!("rule=h_good_deed&target=household:{outside}&reason=好人好事"),
            )
            .await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        let id = json(
            &village
                .call(
                    "propose_award",
                    &format!("rule=h_good_deed&target={target}&reason=帮助邻居抢收"),
                )
                .await,
        )
        .as_i64()
        .unwrap();
        let l = household_ledger(&mut town, household).await;
        assert_eq!(l["total"], 0);
        assert_eq!(l["lines"][0]["status"], "pending");
        // Nobody approves their own proposal.
        let r = village
            .call("decide_award", &format!("id={id}&decision=approve"))
            .await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        assert!(r.body.contains("own_proposal"), "{}", r.body);
        json(
            &town
                .call("decide_award", &format!("id={id}&decision=approve"))
                .await,
        );
        let l = household_ledger(&mut town, household).await;
        assert_eq!(l["total"], 5);
        assert!(l["lines"][0]["approved_by"].as_str().is_some());
        let r = town
            .call("decide_award", &format!("id={id}&decision=approve"))
            .await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        let audits: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action IN ('score.propose','score.approve')",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(audits, 2);
        // Residents see no boards.
        let mut resident = signed_in(&app, "resident1").await;
        assert_eq!(
            resident
                .call("score_board", "subject=household")
                .await
                .status
                .as_u16(),
            403
        );
        db.drop_db().await;
    }
}
