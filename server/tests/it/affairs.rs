//! A branch's housekeeping (支部事务) on both databases: an election near the end of its term
//! reminds the secretary; dues paid move the month paid up to once however many payments race;
//! a transfer is answered by the receiving branch only and moves the member; leave is asked
//! before a meeting, not after it began; a declaration with a photo waits for the secretary
//! and lands in the member's ledger; requirement changes start with a later period.

use crate::common::http::{json, refused, router, signed_in, Client, Part, Reply};
use crate::common::TestDb;
use app::domain::calendar::{format_date, local_date};
use app::features::party::affairs_repo;

#[tokio::test]
async fn branch_housekeeping() {
    for db in TestDb::seeded_both().await {
        flow(&db).await;
        db.drop_db().await;
    }
}

/// A declaration as the form sends it: the note first, then one photo.
async fn declare(c: &mut Client, note: &str, photo: &[u8], json: bool) -> Reply {
    c.multipart(
        "/party/declarations",
        &[
            Part::Text("note", note.into()),
            Part::File("photo", "a.jpg", photo.to_vec()),
        ],
        json,
    )
    .await
}

async fn flow(db: &TestDb) {
    let app = router(db.pool.clone());
    let mut sec = signed_in(&app, "village1").await;
    let mut m1 = signed_in(&app, "member1").await;
    let mut admin = signed_in(&app, "admin").await;
    let mut town = signed_in(&app, "town1").await;
    let (member1, branch): (i64, i64) = sqlx::query_as(
        "SELECT pm.id, pm.branch_id FROM users u JOIN party_members pm ON pm.resident_id = u.resident_id \
         WHERE u.username = 'member1'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let today = local_date(app::ssr::now());

    // 换届: five years ago and a month: the term ends within half a year.
    let elected = format_date(today - time::Duration::days(5 * 365 - 30));
    refused(
        &sec.call(
            "record_term",
            &format!(
                "branch_id={branch}&elected_on={}&years=5&note=",
                format_date(today + time::Duration::days(1))
            ),
        )
        .await,
        "in_future",
    );
    refused(
        &sec.call(
            "record_term",
            &format!("branch_id={branch}&elected_on={elected}&years=4&note="),
        )
        .await,
        "invalid_value",
    );
    assert_eq!(
        m1.call(
            "record_term",
            &format!("branch_id={branch}&elected_on={elected}&years=5&note=")
        )
        .await
        .status
        .as_u16(),
        403
    );
    json(
        &sec.call(
            "record_term",
            &format!("branch_id={branch}&elected_on={elected}&years=5&note=第九届"),
        )
        .await,
    );
    refused(
        &sec.call(
            "record_term",
            &format!("branch_id={branch}&elected_on={elected}&years=5&note="),
        )
        .await,
        "term_exists",
    );
    let a = json(
        &sec.call("party_affairs", &format!("branch_id={branch}"))
            .await,
    );
    assert_eq!(a["term"]["status"], "soon", "{}", a["term"]);
    let home = json(&sec.call("party_home", "").await);
    assert!(
        home["terms"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["branch_id"] == branch && t["status"] == "soon"),
        "{}",
        home["terms"]
    );
    let o = json(&town.call("party_affairs", "").await);
    assert!(o["overview"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["branch_id"] == branch && r["term_status"] == "soon"));

    // 党费: a rate in yuan, payments that move the month paid up to.
    refused(
        &sec.call("set_dues_rate", &format!("member_id={member1}&rate=abc"))
            .await,
        "invalid_value",
    );
    refused(
        &sec.call("pay_dues", &format!("member_id={member1}&months=1&seen="))
            .await,
        "dues_rate_missing",
    );
    json(
        &sec.call("set_dues_rate", &format!("member_id={member1}&rate=12.5"))
            .await,
    );
    assert_eq!(
        m1.call("set_dues_rate", &format!("member_id={member1}&rate=0.1"))
            .await
            .status
            .as_u16(),
        403
    );
    json(
        &sec.call("pay_dues", &format!("member_id={member1}&months=2&seen="))
            .await,
    );
    // The same form sent twice: the second sees the record moved and writes nothing.
    refused(
        &sec.call("pay_dues", &format!("member_id={member1}&months=2&seen="))
            .await,
        "dues_changed",
    );
    let next = app::domain::party::affairs::add_months(today, 1);
    let mine = json(&m1.call("party_affairs", "").await);
    assert_eq!(mine["access"], "attend");
    let lines = mine["dues"].as_array().unwrap();
    assert_eq!(lines.len(), 1, "a member sees only their own dues");
    assert_eq!(lines[0]["rate_fen"], 1250);
    assert_eq!(
        lines[0]["paid_to"],
        app::domain::party::affairs::month_label(next)
    );
    let paid: i64 = sqlx::query_scalar(
        "SELECT CAST(SUM(amount_fen) AS BIGINT) FROM dues_payments WHERE member_id = $1",
    )
    .bind(member1)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(paid, 2500);
    // Many payments from the same view at once: exactly one counts.
    let seen = format_date(next);
    let to = format_date(app::domain::party::affairs::add_months(next, 1));
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let (pool, seen, to) = (db.pool.clone(), seen.clone(), to.clone());
            tokio::spawn(async move {
                affairs_repo::pay(&pool, 1, member1, branch, 1, 1250, Some(&seen), &to)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let landed = crate::common::successes(tasks).await;
    assert_eq!(landed, 1);
    let payments: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM dues_payments WHERE member_id = $1",
    )
    .bind(member1)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(payments, 2);

    // 组织关系转接: a member without an account moves to a branch of another village.
    let (mover, other): (i64, i64) = sqlx::query_as(
        "SELECT pm.id, (SELECT b.id FROM party_branches b JOIN org_units o ON o.id = b.org_unit_id \
           WHERE b.id <> $1 AND o.path NOT LIKE ( \
             (SELECT v.path FROM users u JOIN org_units v ON v.id = u.org_unit_id WHERE u.username = 'village1') \
             || '%') ORDER BY b.id LIMIT 1) \
         FROM party_members pm WHERE pm.branch_id = $1 AND pm.id <> $2 ORDER BY pm.id LIMIT 1",
    )
    .bind(branch)
    .bind(member1)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO member_households (household_id, member_id, since) \
         SELECT MIN(id), $1, 0 FROM households WHERE true ON CONFLICT (household_id) DO NOTHING",
    )
    .bind(mover)
    .execute(&db.pool)
    .await
    .unwrap();
    refused(
        &sec.call(
            "start_transfer",
            &format!("member_id={mover}&to_branch={branch}&note="),
        )
        .await,
        "transfer_same_branch",
    );
    json(
        &sec.call(
            "start_transfer",
            &format!("member_id={mover}&to_branch={other}&note=外出务工转入"),
        )
        .await,
    );
    refused(
        &sec.call(
            "start_transfer",
            &format!("member_id={mover}&to_branch={other}&note="),
        )
        .await,
        "transfer_waiting",
    );
    let a = json(
        &sec.call("party_affairs", &format!("branch_id={branch}"))
            .await,
    );
    let t = a["transfers"][0].clone();
    assert_eq!(t["state"], "pending");
    let tid = t["id"].as_i64().unwrap();
    // The sending secretary cannot accept for the other branch.
    assert_eq!(
        sec.call(
            "answer_transfer",
            &format!("id={tid}&action=accept&reason=")
        )
        .await
        .status
        .as_u16(),
        403
    );
    refused(
        &admin
            .call(
                "answer_transfer",
                &format!("id={tid}&action=refuse&reason="),
            )
            .await,
        "required",
    );
    json(
        &admin
            .call(
                "answer_transfer",
                &format!("id={tid}&action=accept&reason="),
            )
            .await,
    );
    refused(
        &sec.call(
            "answer_transfer",
            &format!("id={tid}&action=withdraw&reason="),
        )
        .await,
        "transfer_settled",
    );
    let now_in: i64 = sqlx::query_scalar("SELECT branch_id FROM party_members WHERE id = $1")
        .bind(mover)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(now_in, other);
    let links: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM member_households WHERE member_id = $1",
    )
    .bind(mover)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        links, 0,
        "the households served in the old village are handed back"
    );
    // Many transfers of one member at once: one waits, the rest are refused.
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let pool = db.pool.clone();
            tokio::spawn(async move {
                affairs_repo::start_transfer(&pool, 1, mover, other, branch, "")
                    .await
                    .unwrap()
                    .is_some()
            })
        })
        .collect();
    let started = crate::common::successes(tasks).await;
    assert_eq!(started, 1);

    // 请假: before the start, by a member of the branch; not once the meeting has begun.
    let day = format_date(today + time::Duration::days(2));
    let mid = json(
        &sec.call(
            "plan_meeting",
            &format!(
                "branch_id={branch}&kind=group&topic=学习&place=村部&day={day}&time=19:00&duration=60"
            ),
        )
        .await,
    )
    .as_i64()
    .unwrap();
    refused(
        &m1.call("ask_leave", &format!("meeting_id={mid}&reason="))
            .await,
        "required",
    );
    json(
        &m1.call("ask_leave", &format!("meeting_id={mid}&reason=外出务工"))
            .await,
    );
    json(
        &m1.call("ask_leave", &format!("meeting_id={mid}&reason=在外地务工"))
            .await,
    );
    let d = json(&sec.call("meeting_detail", &format!("id={mid}")).await);
    let line = d["roster"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["member_id"] == member1)
        .unwrap()
        .clone();
    assert_eq!(line["mode"], "absent");
    assert_eq!(line["on_leave"], 1);
    assert_eq!(line["reason"], "在外地务工");
    sqlx::query("UPDATE meetings SET starts_at = $1 WHERE id = $2")
        .bind(app::ssr::now() - 60)
        .bind(mid)
        .execute(&db.pool)
        .await
        .unwrap();
    refused(
        &m1.call("ask_leave", &format!("meeting_id={mid}&reason=临时有事"))
            .await,
        "leave_too_late",
    );

    // 加分申报: a note and a photo; the secretary approves it into the member's ledger.
    let jpeg = crate::common::jpeg(320, 240);
    let r = declare(&mut m1, "", &jpeg, true).await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    let r = declare(&mut sec, "x", &jpeg, true).await;
    assert_eq!(r.status.as_u16(), 403, "only members declare: {}", r.body);
    let r = declare(&mut m1, "组织志愿者清扫村道", &jpeg, false).await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    let r = declare(&mut m1, "又一件", &jpeg, true).await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    assert!(r.body.contains("declared_today"), "{}", r.body);
    let a = json(
        &sec.call("party_affairs", &format!("branch_id={branch}"))
            .await,
    );
    let dec = a["declarations"][0].clone();
    assert_eq!(dec["status"], "pending");
    let pid = dec["photos"][0].as_i64().unwrap();
    assert_eq!(
        sec.get(&format!("/party/declaration-photos/{pid}?size=thumb"))
            .await
            .status
            .as_u16(),
        200
    );
    let mut resident = signed_in(&app, "resident1").await;
    assert_eq!(
        resident
            .get(&format!("/party/declaration-photos/{pid}?size=thumb"))
            .await
            .status
            .as_u16(),
        404
    );
    assert_eq!(
        m1.call(
            "decide_declaration",
            &format!("id={}&decision=approve", dec["id"])
        )
        .await
        .status
        .as_u16(),
        403
    );
    json(
        &sec.call(
            "decide_declaration",
            &format!("id={}&decision=approve", dec["id"]),
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
        l["source"].as_str().unwrap().starts_with("declaration:") && l["status"] == "approved"
    }));

    // Requirements: from a later period's first day only, by the administrator.
    refused(
        &admin
            .call(
                "schedule_requirement",
                &format!(
                    "kind=group&cadence=month&min_count=2&effective_from={}",
                    format_date(today)
                ),
            )
            .await,
        "not_next_period",
    );
    let first = format_date(app::domain::party::affairs::add_months(today, 1));
    json(
        &admin
            .call(
                "schedule_requirement",
                &format!("kind=group&cadence=month&min_count=2&effective_from={first}"),
            )
            .await,
    );
    let versions = json(&admin.call("meeting_requirements", "").await);
    assert!(versions
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["kind"] == "group" && v["min_count"] == 2 && v["scheduled"] == true));
    let book = app::features::party::repo::requirements(&db.pool)
        .await
        .unwrap();
    assert_eq!(
        book.in_force(
            app::domain::party::MeetingKind::Group,
            app::domain::party::affairs::add_months(today, 1)
        )
        .map(|r| r.min_count),
        Some(2)
    );
    assert_eq!(
        book.in_force(app::domain::party::MeetingKind::Group, today)
            .map(|r| r.min_count),
        Some(1),
        "the running month keeps its requirement"
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action IN \
         ('branch.term','dues.rate','dues.pay','transfer.start','transfer.settle','meeting.leave', \
          'declaration.create','requirement.schedule')",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert!(audited >= 10, "{audited}");
}
