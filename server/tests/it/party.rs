//! Branch life on both databases: a secretary plans a meeting, members check in with its code
//! (once, however often they try), an absence is recorded with its reason, the meeting is closed
//! with minutes, the compliance matrix counts it, the points reach the member's ledger; codes of
//! another branch, too early or too late are refused each with its reason; the lists show
//! exactly what `domain::party::meeting_access` allows.

use crate::common::http::{json, refused, router, signed_in, Client, Part};
use crate::common::TestDb;
use app::domain::party::{meeting_access, MeetingAccess, MeetingViewer};
use app::domain::roles::Role;

/// `branch_id=…&day=…&time=…` for a meeting starting `offset` seconds from now (local time).
fn plan_body(branch: i64, kind: &str, offset: i64, minutes: i64) -> String {
    let t = app::ssr::now() + offset;
    let day = app::domain::calendar::local_day(t);
    let secs = (t + 8 * 3600).rem_euclid(86_400);
    format!(
        "branch_id={branch}&kind={kind}&topic=学习会议精神&place=党群服务中心&day={day}&time={:02}:{:02}&duration={minutes}",
        secs / 3600,
        (secs % 3600) / 60
    )
}

async fn plan(c: &mut Client, branch: i64, kind: &str, offset: i64, minutes: i64) -> (i64, String) {
    let id = json(
        &c.call("plan_meeting", &plan_body(branch, kind, offset, minutes))
            .await,
    )
    .as_i64()
    .unwrap();
    let d = json(&c.call("meeting_detail", &format!("id={id}")).await);
    (id, d["code"].as_str().unwrap().to_string())
}

async fn scalar(db: &TestDb, sql: &str, arg: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(arg)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

/// (member id, branch id) of a demo account.
async fn member(db: &TestDb, user: &str) -> (i64, i64) {
    sqlx::query_as(
        "SELECT pm.id, pm.branch_id FROM party_members pm JOIN users u ON u.resident_id = pm.resident_id \
         WHERE u.username = $1",
    )
    .bind(user)
    .fetch_one(&db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_meeting_from_plan_to_compliance_and_points() {
    for db in TestDb::seeded_both().await {
        meeting_flow(&db).await;
        db.drop_db().await;
    }
}

async fn meeting_flow(db: &TestDb) {
    let app = router(db.pool.clone());
    let mut sec = signed_in(&app, "village1").await;
    let mut m1 = signed_in(&app, "member1").await;
    let mut m2 = signed_in(&app, "member2").await;
    let (member1, branch) = member(db, "member1").await;
    let (member2, branch2) = member(db, "member2").await;
    assert_eq!(branch, branch2, "the demo's two members share a branch");
    let home = json(&sec.call("party_home", "").await);
    assert!(home["branches"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["id"] == branch));
    // Nothing was held last month: the secretary is reminded of every miss, and of what falls
    // due within a week.
    use app::domain::scoring::{Period, PeriodKind};
    let this = Period::containing(
        PeriodKind::Month,
        app::domain::calendar::local_date(app::ssr::now()),
    );
    let last = Period::containing(PeriodKind::Month, this.start - time::Duration::days(1)).label();
    let alerts = home["alerts"].as_array().unwrap();
    assert!(
        alerts
            .iter()
            .any(|a| a["state"] == "missed" && a["kind"] == "committee" && a["period"] == last),
        "{alerts:?}"
    );
    assert!(alerts
        .iter()
        .all(|a| a["state"] == "missed" || a["days_left"].as_i64().unwrap() <= 7));
    assert!(json(&m1.call("party_home", "").await)["alerts"]
        .as_array()
        .unwrap()
        .is_empty());

    // Started ten minutes ago, ninety minutes long.
    let (id, code) = plan(&mut sec, branch, "committee", -600, 90).await;
    assert_eq!(code.len(), 6);
    let audit = scalar(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'meeting.plan' AND target = 'meeting:' || CAST($1 AS TEXT)", id).await;
    assert_eq!(audit, 1);
    // Bad input, each with its field.
    refused(
        &sec.call("plan_meeting", &plan_body(branch, "committee", 0, 5))
            .await,
        "out_of_range",
    );
    refused(
        &sec.call("plan_meeting", &plan_body(branch, "dinner", 0, 60))
            .await,
        "invalid_value",
    );

    let wrong = if code == "000000" { "000001" } else { "000000" };
    refused(
        &m1.call("party_check_in", &format!("code={wrong}")).await,
        "wrong_code",
    );
    refused(
        &m1.call("party_check_in", "code=12ab").await,
        "invalid_value",
    );
    let first = json(&m1.call("party_check_in", &format!("code={code}")).await);
    assert_eq!(
        (first["meeting_id"].as_i64(), first["new"].as_bool()),
        (Some(id), Some(true))
    );
    assert_eq!(first["mode"], "present");
    let again = json(&m1.call("party_check_in", &format!("code={code}")).await);
    assert_eq!(again["new"], false, "a second check-in changes nothing");
    let remote = json(
        &m2.call("party_check_in", &format!("code={code}&remote=1"))
            .await,
    );
    assert_eq!(remote["mode"], "remote");

    let present = scalar(
        db,
        "SELECT COUNT(*) FROM meeting_attendance WHERE member_id = $1 AND mode = 'present'",
        member1,
    )
    .await;
    assert_eq!(present, 1);
    let lines = "SELECT COUNT(*) FROM score_entries e JOIN meeting_attendance a \
        ON e.source = 'activity:' || CAST(a.activity_id AS TEXT) \
        WHERE a.member_id = $1 AND e.subject = 'member' AND e.subject_id = a.member_id";
    assert_eq!(
        scalar(db, lines, member1).await,
        1,
        "one set of points for one attendance"
    );
    assert_eq!(scalar(db, lines, member2).await, 1);

    // The member sees their own line; the secretary everyone, with the code.
    let mine = json(&m1.call("meeting_detail", &format!("id={id}")).await);
    assert_eq!(mine["access"], "attend");
    assert!(
        mine["code"].is_null(),
        "the code is shown in the room, not sent to phones"
    );
    assert!(mine["qr"].is_null(), "nor the QR code of it");
    assert_eq!(mine["roster"].as_array().unwrap().len(), 1);
    let full = json(&sec.call("meeting_detail", &format!("id={id}")).await);
    // Beside the code its QR code (a version 3 code or larger, margin included); the unit test
    // of checkin_qr reads the link back from it.
    assert!(full["qr"]["size"].as_u64().unwrap() >= 29, "{}", full["qr"]);
    assert!(full["qr"]["path"].as_str().unwrap().starts_with('M'));
    let roster = full["roster"].as_array().unwrap();
    assert!(roster.len() >= 3, "{roster:?}");
    let absentee = roster
        .iter()
        .find(|r| r["mode"].is_null())
        .and_then(|r| r["member_id"].as_i64())
        .expect("a member not checked in");

    // An absence needs a reason, cannot replace a check-in, and is recorded once.
    refused(
        &sec.call(
            "record_absence",
            &format!("meeting_id={id}&member_id={absentee}&reason=+"),
        )
        .await,
        "required",
    );
    refused(
        &sec.call(
            "record_absence",
            &format!("meeting_id={id}&member_id={member1}&reason=外出"),
        )
        .await,
        "already_attended",
    );
    json(
        &sec.call(
            "record_absence",
            &format!("meeting_id={id}&member_id={absentee}&reason=外出务工请假"),
        )
        .await,
    );
    let r = m1
        .call(
            "record_absence",
            &format!("meeting_id={id}&member_id={absentee}&reason=x"),
        )
        .await;
    assert_eq!(
        r.status.as_u16(),
        403,
        "a member does not record others: {}",
        r.body
    );

    // Another branch's code; a meeting tomorrow; one that ended yesterday.
    let mut admin = signed_in(&app, "admin").await;
    let other: i64 =
        sqlx::query_scalar("SELECT id FROM party_branches WHERE id <> $1 ORDER BY id LIMIT 1")
            .bind(branch)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let (_, other_code) = plan(&mut admin, other, "group", -60, 60).await;
    refused(
        &m1.call("party_check_in", &format!("code={other_code}"))
            .await,
        "other_branch",
    );
    let (_, later) = plan(&mut sec, branch, "lecture", 86_400, 60).await;
    refused(
        &m1.call("party_check_in", &format!("code={later}")).await,
        "checkin_not_yet",
    );
    let (_, past) = plan(&mut sec, branch, "lecture", -2 * 86_400, 60).await;
    refused(
        &m2.call("party_check_in", &format!("code={past}")).await,
        "checkin_over",
    );

    // Closing: the secretary only, with minutes, once; no check-in after.
    let r = m1
        .call("close_meeting", &format!("id={id}&minutes=x"))
        .await;
    assert_eq!(r.status.as_u16(), 403, "{}", r.body);
    refused(
        &sec.call("close_meeting", &format!("id={id}&minutes=+"))
            .await,
        "required",
    );
    json(
        &sec.call(
            "close_meeting",
            &format!("id={id}&minutes=传达学习了上级会议精神。"),
        )
        .await,
    );
    refused(
        &sec.call("close_meeting", &format!("id={id}&minutes=again"))
            .await,
        "already_closed",
    );
    refused(
        &m2.call("party_check_in", &format!("code={code}")).await,
        "checkin_over",
    );

    // Photos of the meeting: the secretary uploads (a plain form comes back to the meeting);
    // members of the branch and oversight see them; nobody else; a non-image is refused.
    let jpeg = crate::common::jpeg(800, 600);
    let url = format!("/party/meetings/{id}/photos");
    let r = sec
        .multipart(&url, &[Part::File("photo", "a.jpg", jpeg.clone())], false)
        .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/party/meetings/{id}").as_str())
    );
    let r = sec
        .multipart(
            &url,
            &[Part::File(
                "photo",
                "x.jpg",
                b"<svg onload=alert(1)>".to_vec(),
            )],
            true,
        )
        .await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    let r = m1
        .multipart(&url, &[Part::File("photo", "a.jpg", jpeg.clone())], true)
        .await;
    assert_eq!(r.status.as_u16(), 403, "{}", r.body);
    let photos = json(&m1.call("meeting_detail", &format!("id={id}")).await)["photos"].clone();
    assert_eq!(photos.as_array().unwrap().len(), 1, "{photos}");
    let pid = photos[0].as_i64().unwrap();
    let thumb = m1.get(&format!("/party/photos/{pid}?size=thumb")).await;
    assert_eq!(thumb.status.as_u16(), 200);
    assert_eq!(thumb.content_type.as_deref(), Some("image/jpeg"));
    assert!(thumb.bytes.len() < jpeg.len() * 2 && !thumb.bytes.is_empty());
    let mut stranger = signed_in(&app, "town2").await;
    assert_eq!(
        stranger
            .get(&format!("/party/photos/{pid}"))
            .await
            .status
            .as_u16(),
        404
    );
    let audit = scalar(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'meeting.photos' AND target = 'meeting:' || CAST($1 AS TEXT)", id).await;
    assert_eq!(audit, 1);

    // The township's matrix: this branch has met its committee requirement this month.
    let mut town = signed_in(&app, "town1").await;
    let c = json(&town.call("party_compliance", "").await);
    let col = c["columns"]
        .as_array()
        .unwrap()
        .iter()
        .position(|k| k["kind"] == "committee")
        .unwrap();
    let row = c["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["branch_id"] == branch)
        .expect("the branch is in the township's matrix")
        .clone();
    assert_eq!(row["cells"][col]["state"], "met");
    assert_eq!(row["cells"][col]["held"], 1);
    // Its rows are exactly the township's branches.
    let town_path: String = sqlx::query_scalar(
        "SELECT o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.username = 'town1'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let in_town: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM party_branches b JOIN org_units o ON o.id = b.org_unit_id WHERE o.path LIKE ($1 || '%')",
    )
    .bind(&town_path)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let per = app::features::party::api::COMPLIANCE_PAGE as i64;
    assert_eq!(c["rows"].as_array().unwrap().len() as i64, in_town.min(per));
    assert_eq!(c["branches"].as_i64().unwrap(), in_town);
    let mut town_rows = Vec::new();
    for n in 1..=c["pages"].as_u64().unwrap() {
        let p = json(&town.call("party_compliance", &format!("page={n}")).await);
        town_rows.extend(p["rows"].as_array().unwrap().iter().cloned());
    }
    assert_eq!(town_rows.len() as i64, in_town);
    // The county's matrix a hundred branches at a time: the pages hold every branch once, and a
    // page past the last shows the last.
    let mut county = signed_in(&app, "county").await;
    let first = json(&county.call("party_compliance", "").await);
    let pages = first["pages"].as_u64().unwrap();
    let mut ids = std::collections::BTreeSet::new();
    for n in 1..=pages {
        let p = json(&county.call("party_compliance", &format!("page={n}")).await);
        assert_eq!(p["page"].as_u64().unwrap(), n);
        let rows = p["rows"].as_array().unwrap();
        assert!(rows.len() <= app::features::party::api::COMPLIANCE_PAGE);
        for r in rows {
            assert!(
                ids.insert(r["branch_id"].as_i64().unwrap()),
                "a branch on two pages"
            );
        }
        assert_eq!(p["met"], first["met"], "totals count every page");
    }
    let all: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM party_branches")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(ids.len() as i64, all);
    assert_eq!(first["branches"].as_i64().unwrap(), all);
    let past = json(&county.call("party_compliance", "page=999").await);
    assert_eq!(past["page"], first["pages"]);
    // A month with nothing held: every cell of a past month is missed.
    let jan = json(&town.call("party_compliance", "period=2026-01").await);
    let mut jan_rows = Vec::new();
    for n in 1..=jan["pages"].as_u64().unwrap() {
        let p = json(
            &town
                .call("party_compliance", &format!("period=2026-01&page={n}"))
                .await,
        );
        jan_rows.extend(p["rows"].as_array().unwrap().iter().cloned());
    }
    assert!(jan["rows"][0]["cells"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["state"] == "missed"));
    // Only what needs following up: every row has a cell due or missed, and none is lost.
    let open = json(&town.call("party_compliance", "open=1").await);
    let open_rows = open["rows"].as_array().unwrap();
    assert!(open_rows.iter().all(|r| r["cells"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["state"] == "due" || x["state"] == "missed")));
    let needing = town_rows
        .iter()
        .filter(|r| {
            r["cells"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["state"] != "met")
        })
        .count();
    assert_eq!(open["branches"].as_u64().unwrap() as usize, needing);
    assert_eq!(open_rows.len(), needing.min(per as usize));
    refused(
        &town.call("party_compliance", "period=2026-13").await,
        "invalid_value",
    );

    // The branch ranking counts the same cells: January's misses cost each branch its index,
    // and this month's meeting shows as met.
    let jan_rank = json(&town.call("score_branches", "period=2026-01").await);
    for r in jan_rank[1].as_array().unwrap() {
        let row = jan_rows
            .iter()
            .find(|x| x["branch_id"] == r["branch_id"])
            .expect("every ranked branch is in the matrix");
        let missed = row["cells"].as_array().unwrap().len() as i64;
        assert_eq!(r["meetings_missed"].as_i64().unwrap(), missed, "{r}");
        if r["total"] == 0 {
            assert_eq!(
                r["index"].as_f64().unwrap(),
                -app::domain::scoring::MISSED_MEETING_INDEX * missed as f64
            );
        }
    }
    // Last month nothing was held: every village carries its branches' three monthly misses
    // on this week's lists (a quiet village would score 50 without them).
    let lists = json(&town.call("village_lists", "").await);
    let black = lists["black"].as_array().unwrap();
    assert!(!black.is_empty(), "{lists}");
    for v in black {
        assert!(
            v["score"].as_f64().unwrap()
                <= 50.0 - 3.0 * app::domain::scoring::MISSED_MEETING_POINTS,
            "{v}"
        );
    }
    let now_rank = json(&town.call("score_branches", "").await);
    let ours = now_rank[1]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["branch_id"] == branch)
        .unwrap()
        .clone();
    assert!(ours["meetings_met"].as_i64().unwrap() >= 1, "{ours}");

    // The member's ledger shows the attendance line under the branch-life rule.
    let ledger = json(
        &m1.call(
            "score_ledger",
            &format!("subject=member&subject_id={member1}"),
        )
        .await,
    );
    assert!(ledger["lines"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["rule_code"] == "m_branch_life"));

    // Guessing codes is slowed down: a fresh session gets a few tries, then waits.
    let mut guesser = signed_in(&app, "member1").await;
    let mut statuses = Vec::new();
    for n in 0..8 {
        statuses.push(
            guesser
                .call("party_check_in", &format!("code=99999{n}"))
                .await
                .status
                .as_u16(),
        );
    }
    assert!(statuses[..6].iter().all(|s| *s == 422), "{statuses:?}");
    assert_eq!(statuses[7], 429, "{statuses:?}");
}

/// Many check-ins of one member at once: one attendance, one activity, one ledger line.
#[tokio::test]
async fn check_in_at_once_counts_once() {
    for db in TestDb::seeded_both().await {
        let app = router(db.pool.clone());
        let mut sec = signed_in(&app, "village1").await;
        let (member1, branch) = member(&db, "member1").await;
        let (id, _) = plan(&mut sec, branch, "theme_day", -60, 60).await;
        let path: String = sqlx::query_scalar(
            "SELECT o.path FROM party_branches b JOIN org_units o ON o.id = b.org_unit_id WHERE b.id = $1",
        )
        .bind(branch)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let tasks: Vec<_> = (0..40)
            .map(|_| {
                let pool = db.pool.clone();
                let path = path.clone();
                tokio::spawn(async move {
                    app::features::party::repo::attend(
                        &pool,
                        1,
                        id,
                        member1,
                        &path,
                        app::domain::party::AttendMode::Present,
                    )
                    .await
                })
            })
            .collect();
        let mut changed = 0;
        for t in tasks {
            if t.await.unwrap().unwrap() {
                changed += 1;
            }
        }
        assert_eq!(changed, 1, "exactly one check-in took effect");
        assert_eq!(
            scalar(
                &db,
                "SELECT COUNT(*) FROM meeting_attendance WHERE meeting_id = $1",
                id
            )
            .await,
            1
        );
        let activities = scalar(
            &db,
            "SELECT COUNT(*) FROM activities WHERE note = 'meeting:' || CAST($1 AS TEXT)",
            id,
        )
        .await;
        assert_eq!(activities, 1);
        let lines = scalar(
            &db,
            "SELECT COUNT(*) FROM score_entries e JOIN activities a ON e.source = 'activity:' || CAST(a.id AS TEXT) \
             WHERE a.note = 'meeting:' || CAST($1 AS TEXT)",
            id,
        )
        .await;
        assert_eq!(lines, 1);
        db.drop_db().await;
    }
}

/// The meeting lists show exactly the meetings `meeting_access` lets each viewer see.
#[tokio::test]
async fn lists_follow_the_one_rule() {
    for db in TestDb::seeded_both().await {
        let app = router(db.pool.clone());
        let mut admin = signed_in(&app, "admin").await;
        // A meeting in every township's first branch.
        let branches: Vec<i64> = sqlx::query_scalar(
            "SELECT MIN(b.id) FROM party_branches b JOIN org_units g ON g.id = b.org_unit_id \
             JOIN org_units v ON v.id = g.parent_id GROUP BY v.parent_id",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap();
        let (_, first_branch) = member(&db, "member1").await;
        for b in branches
            .iter()
            .take(6)
            .chain(std::iter::once(&first_branch))
        {
            plan(&mut admin, *b, "group", 3600, 60).await;
        }
        let all: Vec<(i64, i64, String)> =
            sqlx::query_as("SELECT id, branch_id, unit_path FROM meetings")
                .fetch_all(&db.pool)
                .await
                .unwrap();
        for user in ["county", "town1", "town2", "village1", "member1", "member2"] {
            let mut c = signed_in(&app, user).await;
            let (role, path): (String, String) = sqlx::query_as(
                "SELECT u.role, o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.username = $1",
            )
            .bind(user)
            .fetch_one(&db.pool)
            .await
            .unwrap();
            let member_branch: Option<i64> = sqlx::query_scalar(
                "SELECT pm.branch_id FROM party_members pm JOIN users u ON u.resident_id = pm.resident_id WHERE u.username = $1",
            )
            .bind(user)
            .fetch_optional(&db.pool)
            .await
            .unwrap();
            let v = MeetingViewer {
                role: Role::parse(&role).unwrap(),
                unit_path: &path,
                member_branch,
            };
            let mut want: Vec<i64> = all
                .iter()
                .filter(|(_, b, p)| meeting_access(&v, *b, p) != MeetingAccess::Hidden)
                .map(|m| m.0)
                .collect();
            let home = json(&c.call("party_home", "").await);
            let mut got: Vec<i64> = home["meetings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["id"].as_i64().unwrap())
                .collect();
            want.sort_unstable();
            got.sort_unstable();
            assert_eq!(got, want, "{user}");
            assert!(
                !want.is_empty() || user == "town2",
                "{user} sees some meeting"
            );
        }
        db.drop_db().await;
    }
}
