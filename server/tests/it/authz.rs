//! The authorization matrix: every role × every server function × an object in scope and one
//! out of scope, through the real router with real sessions.

use crate::common::http::{router, Client};
use crate::common::{resident_report, TestDb, PASSWORD};
use app::error::AppError;

mod archive;
mod disclosures;
mod jobs;
mod proxy;
mod volunteers;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Want {
    Ok,
    NotFound,
    Forbidden,
}

impl Want {
    fn status(self) -> u16 {
        match self {
            Want::Ok => 200,
            Want::NotFound => 404,
            Want::Forbidden => 403,
        }
    }
}

struct RoleCase {
    user: &'static str,
    role: &'static str,
    view: Want,
    edit: Want,
    /// Out of scope within the county too (a sibling township), not only in another county.
    narrow: bool,
}

const ROLES: &[RoleCase] = &[
    RoleCase {
        user: "admin",
        role: "Admin",
        view: Want::Ok,
        edit: Want::Ok,
        narrow: false,
    },
    RoleCase {
        user: "county",
        role: "CountySupervisor",
        view: Want::Ok,
        edit: Want::Forbidden,
        narrow: false,
    },
    RoleCase {
        user: "town1",
        role: "TownshipDispatcher",
        view: Want::Ok,
        edit: Want::Ok,
        narrow: true,
    },
    RoleCase {
        user: "dept1",
        role: "DepartmentStaff",
        view: Want::Ok,
        edit: Want::Forbidden,
        narrow: true,
    },
    RoleCase {
        user: "village1",
        role: "VillageCadre",
        view: Want::Ok,
        edit: Want::Ok,
        narrow: true,
    },
    RoleCase {
        user: "grid1",
        role: "GridWorker",
        view: Want::Ok,
        edit: Want::Forbidden,
        narrow: true,
    },
    RoleCase {
        user: "member1",
        role: "PartyMember",
        view: Want::Ok,
        edit: Want::Forbidden,
        narrow: true,
    },
    RoleCase {
        user: "resident1",
        role: "Resident",
        view: Want::NotFound,
        edit: Want::NotFound,
        narrow: true,
    },
];

async fn id(pool: &sqlx::AnyPool, sql: &str, arg: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(arg)
        .fetch_one(pool)
        .await
        .unwrap()
}

fn check(what: &str, reply: &crate::common::http::Reply, want: Want) {
    assert_eq!(
        reply.status.as_u16(),
        want.status(),
        "{what}: body {}",
        reply.body
    );
    let decoded = serde_json::from_str::<AppError>(&reply.body);
    match want {
        Want::Ok => assert!(decoded.is_err(), "{what}: unexpected error {}", reply.body),
        Want::NotFound => assert_eq!(decoded.unwrap(), AppError::NotFound, "{what}"),
        Want::Forbidden => assert_eq!(decoded.unwrap(), AppError::Forbidden, "{what}"),
    }
}

#[tokio::test]
async fn every_role_every_function_in_and_out_of_scope() {
    for db in TestDb::seeded_both().await {
        matrix(&db).await;
        db.drop_db().await;
    }
}

async fn matrix(db: &TestDb) {
    let pool = &db.pool;
    let app = router(pool.clone());
    // Out of scope for everyone: a grid of another county.
    let foreign_grid = id(
        pool,
        "SELECT id FROM org_units WHERE level = 'grid' AND code LIKE $1 ORDER BY code LIMIT 1",
        "990101%",
    )
    .await;
    // Out of scope for everyone below the county: a grid of the second township.
    let second_town: String =
        sqlx::query_scalar("SELECT code FROM org_units WHERE level = 'township' AND code LIKE '330825%' ORDER BY code LIMIT 1 OFFSET 1")
            .fetch_one(pool)
            .await
            .unwrap();
    let sibling_grid = id(
        pool,
        "SELECT id FROM org_units WHERE level = 'grid' AND code LIKE $1 ORDER BY code LIMIT 1",
        &format!("{second_town}%"),
    )
    .await;
    let sibling_household: i64 = sqlx::query_scalar(
        "SELECT h.id FROM households h JOIN org_units g ON g.id = h.grid_id \
         WHERE g.code LIKE ($1 || '%') ORDER BY h.id LIMIT 1",
    )
    .bind(&second_town)
    .fetch_one(pool)
    .await
    .unwrap();
    // Events: one in the first township's first grid, reported by resident1 and held by the
    // township; one in the sibling township, phoned in to its hotline.
    let mine = resident_report(db, None, Some("L02"), "路灯不亮").await.id;
    let sibling_event = sibling_report(db, sibling_grid).await;
    let cat: i64 = sqlx::query_scalar("SELECT id FROM categories WHERE code = 'L02'")
        .fetch_one(pool)
        .await
        .unwrap();
    let no_of = |id: i64| async move {
        sqlx::query_scalar::<_, String>("SELECT tracking_no FROM events WHERE id = $1")
            .bind(id)
            .fetch_one(pool)
            .await
            .unwrap()
    };
    let (mine_no, sibling_no) = (no_of(mine).await, no_of(sibling_event).await);
    let services = services_for_rows(pool, &second_town).await;
    let volunteering = volunteers::objects(pool, &second_town).await;
    let proxying = proxy::objects(pool, &second_town).await;
    let disclosing = disclosures::objects(pool, &second_town).await;
    let hiring = jobs::objects(pool).await;
    let archiving = archive::objects(pool, &second_town).await;
    let mut calls = 0;
    for case in ROLES {
        let mut c = Client::new(app.clone());
        let r = c.login(case.user, PASSWORD).await;
        assert_eq!(r.status.as_u16(), 200, "{} logs in: {}", case.user, r.body);
        let me: serde_json::Value =
            serde_json::from_str(&c.call("current_user", "").await.body).unwrap();
        assert_eq!(me["role"], case.role);
        let unit = me["unit_id"].as_i64().unwrap();
        let unit_path: String = sqlx::query_scalar("SELECT path FROM org_units WHERE id = $1")
            .bind(unit)
            .fetch_one(pool)
            .await
            .unwrap();
        let own_grid = id(
            pool,
            "SELECT id FROM org_units WHERE level = 'grid' AND path LIKE $1 ORDER BY code LIMIT 1",
            &format!("{unit_path}%"),
        )
        .await;

        let mut outside = vec![foreign_grid];
        if case.narrow {
            outside.push(sibling_grid);
        }
        let who = case.user;
        check(
            &format!("{who} org_view own"),
            &c.call("org_view", "").await,
            case.view,
        );
        check(
            &format!("{who} org_view in"),
            &c.call("org_view", &format!("node={unit}")).await,
            case.view,
        );
        check(
            &format!("{who} map_layers in"),
            &c.call("map_layers", &format!("node={unit}")).await,
            case.view,
        );
        check(
            &format!("{who} grid_ledger in"),
            &c.call("grid_ledger", &format!("grid={own_grid}")).await,
            case.view,
        );
        check(
            &format!("{who} kpi_report own"),
            &c.call("kpi_report", "days=30").await,
            // Staff see their subtree's KPIs; a resident's "subtree" is not theirs to rank.
            if case.view == Want::Ok {
                Want::Ok
            } else {
                Want::Forbidden
            },
        );
        // The catalogue and the calendar are the admin's alone.
        let admin_only = if case.user == "admin" {
            Want::Ok
        } else {
            Want::Forbidden
        };
        check(
            &format!("{who} catalog"),
            &c.call("catalog", "").await,
            admin_only,
        );
        check(
            &format!("{who} calendar_year"),
            &c.call("calendar_year", "year=2026").await,
            admin_only,
        );
        if case.user != "admin" {
            check(
                &format!("{who} save_category"),
                &c.call(
                    "save_category",
                    "id=1&limit_kind=days&limit_value=1&default_level=grid&township_department=x&county_department=y",
                )
                .await,
                Want::Forbidden,
            );
            check(
                &format!("{who} set_calendar_day"),
                &c.call("set_calendar_day", "day=2026-12-01&kind=holiday&name=x")
                    .await,
                Want::Forbidden,
            );
        }
        // Boards and the screen: everyone with the org view; awards: cadres and above.
        let viewer = if case.user == "resident1" {
            Want::Forbidden
        } else {
            Want::Ok
        };
        check(
            &format!("{who} score_board"),
            &c.call("score_board", "subject=member").await,
            viewer,
        );
        check(
            &format!("{who} screen"),
            &c.call("screen", "").await,
            viewer,
        );
        let awarder = if matches!(case.user, "admin" | "county" | "town1" | "village1") {
            Want::Ok
        } else {
            Want::Forbidden
        };
        check(
            &format!("{who} awards"),
            &c.call("awards", "").await,
            awarder,
        );
        check(
            &format!("{who} score_ledger sibling"),
            &c.call(
                "score_ledger",
                &format!("subject=household&subject_id={sibling_household}"),
            )
            .await,
            if case.narrow {
                Want::NotFound
            } else {
                Want::Ok
            },
        );
        check(
            &format!("{who} score_ledger missing"),
            &c.call("score_ledger", "subject=household&subject_id=987654321")
                .await,
            Want::NotFound,
        );
        calls += 5;
        calls += party_rows(&mut c, case, pool, &unit_path, &second_town).await;
        calls += wish_rows(&mut c, case, pool, &second_town).await;
        calls += services_rows(&mut c, case, pool, &services).await;
        calls += volunteers::rows(&mut c, case, pool, &volunteering).await;
        calls += proxy::rows(&mut c, case, pool, &proxying).await;
        calls += disclosures::rows(&mut c, case, &disclosing).await;
        calls += jobs::rows(&mut c, case, &hiring).await;
        calls += archive::rows(&mut c, case, &archiving).await;
        calls += development_rows(&mut c, case, pool, &second_town).await;
        calls += links_rows(&mut c, case, pool).await;
        calls += rectify_rows(&mut c, case, pool).await;
        calls += posts_rows(&mut c, case, pool).await;
        calls += affairs_rows(&mut c, case, pool).await;
        check(
            &format!("{who} rename_unit in"),
            &c.call("rename_unit", &format!("id={own_grid}&name=新网格名"))
                .await,
            case.edit,
        );
        for o in &outside {
            check(
                &format!("{who} org_view out {o}"),
                &c.call("org_view", &format!("node={o}")).await,
                Want::NotFound,
            );
            check(
                &format!("{who} map_layers out {o}"),
                &c.call("map_layers", &format!("node={o}")).await,
                Want::NotFound,
            );
            check(
                &format!("{who} grid_ledger out {o}"),
                &c.call("grid_ledger", &format!("grid={o}")).await,
                Want::NotFound,
            );
            check(
                &format!("{who} rename_unit out {o}"),
                &c.call("rename_unit", &format!("id={o}&name=x")).await,
                Want::NotFound,
            );
            calls += 4;
        }
        // A node that does not exist answers exactly like one out of scope.
        check(
            &format!("{who} org_view missing"),
            &c.call("org_view", "node=987654321").await,
            Want::NotFound,
        );
        calls += events_rows(
            &mut c,
            case,
            (mine, sibling_event),
            (&mine_no, &sibling_no),
            cat,
        )
        .await;
        let mine = c.call("my_records", "").await;
        check(&format!("{who} my_records"), &mine, Want::Ok);
        let mine: serde_json::Value = serde_json::from_str(&mine.body).unwrap();
        if case.user == "resident1" || case.user == "member1" {
            let household = mine["household"].as_array().unwrap();
            assert!(!household.is_empty(), "{who} sees their household");
            for m in household {
                assert!(
                    m["id_number"].as_str().unwrap().contains("********"),
                    "ID numbers are masked"
                );
            }
        } else {
            assert!(mine["household"].as_array().unwrap().is_empty());
        }
        calls += 10;
    }
    // Nobody signed in: every function that needs a caller says so.
    let mut anon = Client::new(app.clone());
    for (f, body) in [
        ("org_view", ""),
        ("map_layers", ""),
        ("grid_ledger", "grid=1"),
        ("rename_unit", "id=1&name=x"),
        ("my_records", ""),
        ("kpi_report", "days=30"),
        ("event_queue", ""),
        ("nearby_events", "category_id=1&lng=119.1&lat=29.0"),
        ("catalog", ""),
        ("calendar_year", "year=2026"),
        ("set_calendar_day", "day=2026-12-01&kind=holiday&name=x"),
        ("score_board", "subject=member"),
        ("score_ledger", "subject=household&subject_id=1"),
        ("awards", ""),
        (
            "propose_award",
            "rule=h_good_deed&target=household:1&reason=x",
        ),
        ("decide_award", "id=1&decision=approve"),
        ("screen", ""),
        ("event_detail", "id=1"),
        ("dispatch_targets", "id=1"),
        ("event_categories", ""),
        ("command_map", ""),
        ("map_pin", "id=1"),
        ("overdue", "light=all"),
        ("reminders", ""),
        ("mark_reminders_read", ""),
        ("satisfaction", "by=township&days=30"),
        ("score_branches", ""),
        ("village_lists", ""),
        ("add_category", "board=livelihood&name_zh=x&name_en=x&limit_kind=days&limit_value=1&default_level=grid&township_department=x&county_department=y"),
        ("reply_templates", "id=1"),
        ("join_report", "join=1.ab&note="),
        ("my_reports", ""),
        ("find_report", "tracking_no=LX1"),
        ("party_home", ""),
        ("plan_meeting", "branch_id=1&kind=committee&topic=x&place=&day=2026-12-01&time=09:00&duration=60"),
        ("meeting_detail", "id=1"),
        ("party_check_in", "code=123456"),
        ("record_absence", "meeting_id=1&member_id=1&reason=x"),
        ("close_meeting", "id=1&minutes=x"),
        ("party_compliance", ""),
        ("wish_wall", ""),
        ("post_wish", "title=修路灯&detail="),
        ("wish_detail", "id=1"),
        ("wish_act", "id=1&action=claim"),
        ("development", ""),
        ("add_applicant", "branch_id=1&name=x&gender=male&birth_date=1990-01-01&day=2026-01-01&document=x"),
        ("applicant_detail", "id=1"),
        ("record_step", "id=1&step=2&day=2026-01-02"),
        ("party_links", ""),
        ("link_household", "household_id=1&member_id=1"),
        ("unlink_household", "household_id=1"),
        ("record_visit", "household_id=1&notes=x"),
        ("rectifications", ""),
        ("request_rectification", "branch_id=1&kind=committee&period=2026-01&days=7"),
        ("answer_rectification", "id=1&note=x"),
        ("party_posts", ""),
        ("create_post", "branch_id=1&name=x&duties=x"),
        ("assign_post", "post_id=1&member_id=1"),
        ("record_duty", "post_id=1&note=x"),
        ("party_affairs", ""),
        ("record_term", "branch_id=1&elected_on=2024-01-01&years=5&note="),
        ("set_dues_rate", "member_id=1&rate=1"),
        ("pay_dues", "member_id=1&months=1&seen="),
        ("start_transfer", "member_id=1&to_branch=2&note="),
        ("answer_transfer", "id=1&action=accept&reason="),
        ("ask_leave", "meeting_id=1&reason=x"),
        ("decide_declaration", "id=1&decision=approve"),
        ("meeting_requirements", ""),
        ("schedule_requirement", "kind=group&cadence=month&min_count=1&effective_from=2030-01-01"),
        ("services_home", ""),
        ("book_slot", "slot_id=1"),
        ("cancel_booking", "booking_id=1"),
        ("change_booking", "booking_id=1&slot_id=1"),
        ("service_desk", ""),
        ("add_slot", "point_id=1&item_id=1&day=2030-01-01&start=09:00&minutes=60&capacity=5"),
        ("mark_booking", "booking_id=1&state=attended"),
        ("volunteer_home", ""),
        ("volunteer_sign_up", "activity_id=1"),
        ("volunteer_withdraw", "activity_id=1"),
        ("volunteer_check_in", "activity_id=1&code=123456"),
        ("volunteer_desk", ""),
        ("add_volunteer_team", "name=x"),
        ("add_volunteer_activity", "team_id=1&title=x&place=&day=2030-01-01&start=09:00&minutes=60&limit=5"),
        ("close_volunteer_activity", "activity_id=1"),
        ("open_home", ""),
        ("open_disclosure", "id=1"),
        ("open_ask", "id=1&question=x"),
        ("open_answer", "question_id=1&answer=x"),
        ("open_desk", ""),
        ("jobs_home", "trade="),
        ("job_detail", "id=1"),
        ("job_interest", "id=1"),
        ("post_job", "title=x&employer=y&trade=other&place=&wage_low=0&wage_high=0&headcount=1&contact=&detail=&job_days=1"),
        ("jobs_desk", "days=30"),
        ("request_proxy", "item_id=1&note="),
        ("proxy_tasks", ""),
        ("proxy_act", "id=1&action=take&note="),
    ] {
        let r = anon.call(f, body).await;
        assert_eq!(r.status.as_u16(), 401, "{f}");
        assert_eq!(
            serde_json::from_str::<AppError>(&r.body).unwrap(),
            AppError::Unauthenticated
        );
    }
    assert!(calls > 100, "{calls} calls checked");
    // Every successful rename was audited.
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'rename_unit'")
            .fetch_one(pool)
            .await
            .unwrap();
    assert_eq!(audited, 3, "admin, dispatcher and village cadre renamed");
    let refused: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('category_edit', 'calendar_set')",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(
        refused, 0,
        "no refused catalogue change left a trace of a change"
    );
}

/// Branch life: the home page for those in it, compliance for those who oversee, planning only
/// by a secretary in scope; a meeting elsewhere or missing answers not found. Returns calls made.
async fn party_rows(
    c: &mut Client,
    case: &RoleCase,
    pool: &sqlx::AnyPool,
    unit_path: &str,
    second_town: &str,
) -> usize {
    let who = case.user;
    let in_party = matches!(who, "admin" | "county" | "town1" | "village1" | "member1");
    let oversees = matches!(who, "admin" | "county" | "town1" | "village1");
    let yes_or = |ok: bool| if ok { Want::Ok } else { Want::Forbidden };
    check(
        &format!("{who} party_home"),
        &c.call("party_home", "").await,
        yes_or(in_party),
    );
    check(
        &format!("{who} party_compliance"),
        &c.call("party_compliance", "").await,
        yes_or(oversees),
    );
    let branch_where = |path: String| async move {
        sqlx::query_scalar::<_, i64>(
            "SELECT b.id FROM party_branches b JOIN org_units o ON o.id = b.org_unit_id \
             WHERE o.path LIKE ($1 || '%') ORDER BY o.code LIMIT 1",
        )
        .bind(path)
        .fetch_one(pool)
        .await
        .unwrap()
    };
    let own_branch = branch_where(unit_path.to_string()).await;
    let sibling_path: String = sqlx::query_scalar("SELECT path FROM org_units WHERE code = $1")
        .bind(second_town)
        .fetch_one(pool)
        .await
        .unwrap();
    let sibling_branch = branch_where(sibling_path).await;
    let day = app::domain::calendar::local_day(app::ssr::now() + 86_400);
    let plan = |b: i64| {
        format!("branch_id={b}&kind=committee&topic=学习&place=&day={day}&time=09:00&duration=60")
    };
    // Planning: the secretary (village cadre) and the administrator; oversight may not plan.
    let planner = match who {
        "admin" | "village1" => Want::Ok,
        "county" | "town1" => Want::Forbidden,
        // The branch is theirs to attend at most; a grid worker, department or resident is not
        // in branch life, so it is not there for them.
        "member1" => Want::Forbidden,
        _ => Want::NotFound,
    };
    check(
        &format!("{who} plan_meeting own"),
        &c.call("plan_meeting", &plan(own_branch)).await,
        planner,
    );
    check(
        &format!("{who} plan_meeting sibling"),
        &c.call("plan_meeting", &plan(sibling_branch)).await,
        match who {
            "admin" => Want::Ok,
            "county" => Want::Forbidden,
            _ => Want::NotFound,
        },
    );
    // A meeting of the sibling township's branch: visible to the county and the administrator.
    let sibling_meeting: i64 =
        sqlx::query_scalar("SELECT id FROM meetings WHERE branch_id = $1 ORDER BY id DESC LIMIT 1")
            .bind(sibling_branch)
            .fetch_optional(pool)
            .await
            .unwrap()
            .unwrap_or(987_654_321);
    if sibling_meeting != 987_654_321 {
        check(
            &format!("{who} meeting_detail sibling"),
            &c.call("meeting_detail", &format!("id={sibling_meeting}"))
                .await,
            if matches!(who, "admin" | "county") {
                Want::Ok
            } else {
                Want::NotFound
            },
        );
        let r = c
            .call("close_meeting", &format!("id={sibling_meeting}&minutes=x"))
            .await;
        match who {
            // In scope and allowed, refused by the rule: tomorrow's meeting has not started.
            "admin" => assert_eq!(r.status.as_u16(), 422, "{who} close_meeting: {}", r.body),
            "county" => check(&format!("{who} close_meeting sibling"), &r, Want::Forbidden),
            _ => check(&format!("{who} close_meeting sibling"), &r, Want::NotFound),
        }
    }
    for (f, body) in [
        ("meeting_detail", "id=987654321".to_string()),
        ("close_meeting", "id=987654321&minutes=x".to_string()),
        (
            "record_absence",
            "meeting_id=987654321&member_id=1&reason=x".to_string(),
        ),
    ] {
        check(
            &format!("{who} {f} missing"),
            &c.call(f, &body).await,
            Want::NotFound,
        );
    }
    // Checking in is for party members; a wrong code is an invalid value, not a refusal.
    let r = c.call("party_check_in", "code=000001").await;
    if who == "member1" {
        assert_eq!(r.status.as_u16(), 422, "{who} party_check_in: {}", r.body);
    } else {
        check(&format!("{who} party_check_in"), &r, Want::Forbidden);
    }
    10
}

/// resident1's wish and one in the sibling township, made once (the roles run in turn).
async fn wishes_for_rows(pool: &sqlx::AnyPool, second_town: &str) -> (i64, i64) {
    let existing: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM wishes WHERE title LIKE '矩阵%' ORDER BY id")
            .fetch_all(pool)
            .await
            .unwrap();
    if let [own, sibling] = existing[..] {
        return (own, sibling);
    }
    let (user, household, path): (i64, i64, String) = sqlx::query_as(
        "SELECT u.id, h.id, o.path FROM users u JOIN residents r ON r.id = u.resident_id \
         JOIN households h ON h.id = r.household_id JOIN org_units o ON o.id = h.grid_id \
         WHERE u.username = 'resident1'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let (sib_household, sib_path): (i64, String) = sqlx::query_as(
        "SELECT h.id, o.path FROM households h JOIN org_units o ON o.id = h.grid_id \
         WHERE o.path LIKE (SELECT path FROM org_units WHERE code = $1) || '%' ORDER BY h.id LIMIT 1",
    )
    .bind(second_town)
    .fetch_one(pool)
    .await
    .unwrap();
    // Posted in the sibling township by an account none of the roles is (a stand-in poster).
    let other: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'resident2'")
        .fetch_one(pool)
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (title, poster, household, path) in [
        ("矩阵：门口路灯", user, household, path),
        ("矩阵：邻镇心愿", other, sib_household, sib_path),
    ] {
        ids.push(
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO wishes (poster_id, household_id, unit_path, title, state, created_at) \
                 VALUES ($1, $2, $3, $4, 'open', 0) RETURNING id",
            )
            .bind(poster)
            .bind(household)
            .bind(path)
            .bind(title)
            .fetch_one(pool)
            .await
            .unwrap(),
        );
    }
    (ids[0], ids[1])
}

/// Small wishes: the wall for staff over an area and for residents and members with a
/// household; posting for the latter; resident1's wish opens to its poster, the village's
/// members and the staff above it; only a member claims.
async fn wish_rows(
    c: &mut Client,
    case: &RoleCase,
    pool: &sqlx::AnyPool,
    second_town: &str,
) -> usize {
    let who = case.user;
    let (own, sibling) = wishes_for_rows(pool, second_town).await;
    let with_home = matches!(who, "resident1" | "member1");
    check(
        &format!("{who} wish_wall"),
        &c.call("wish_wall", "").await,
        if who == "dept1" {
            Want::Forbidden
        } else {
            Want::Ok
        },
    );
    check(
        &format!("{who} post_wish"),
        &c.call("post_wish", "title=帮忙修一下路灯&detail=").await,
        if with_home { Want::Ok } else { Want::Forbidden },
    );
    check(
        &format!("{who} wish_detail own"),
        &c.call("wish_detail", &format!("id={own}")).await,
        if who == "dept1" {
            Want::NotFound
        } else {
            Want::Ok
        },
    );
    check(
        &format!("{who} wish_detail sibling"),
        &c.call("wish_detail", &format!("id={sibling}")).await,
        if matches!(who, "admin" | "county") {
            Want::Ok
        } else {
            Want::NotFound
        },
    );
    check(
        &format!("{who} wish_act sibling"),
        &c.call("wish_act", &format!("id={sibling}&action=claim"))
            .await,
        if matches!(who, "admin" | "county") {
            Want::Forbidden
        } else {
            Want::NotFound
        },
    );
    // Claiming is a member's: the poster, staff and the rest are refused or see nothing.
    check(
        &format!("{who} wish_act own"),
        &c.call("wish_act", &format!("id={own}&action=claim")).await,
        match who {
            "member1" => Want::Ok,
            "dept1" => Want::NotFound,
            _ => Want::Forbidden,
        },
    );
    check(
        &format!("{who} wish_detail missing"),
        &c.call("wish_detail", "id=987654321").await,
        Want::NotFound,
    );
    7
}

/// An applicant of member1's branch and one of the sibling township, made once.
async fn applicants_for_rows(pool: &sqlx::AnyPool, second_town: &str) -> (i64, i64, i64) {
    let (branch, path): (i64, String) = sqlx::query_as(
        "SELECT b.id, o.path FROM party_members pm JOIN users u ON u.resident_id = pm.resident_id \
         JOIN party_branches b ON b.id = pm.branch_id JOIN org_units o ON o.id = b.org_unit_id \
         WHERE u.username = 'member1'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let existing: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM applicants WHERE name LIKE '矩阵%' ORDER BY id")
            .fetch_all(pool)
            .await
            .unwrap();
    if let [own, sibling] = existing[..] {
        return (branch, own, sibling);
    }
    let (sib_branch, sib_path): (i64, String) = sqlx::query_as(
        "SELECT b.id, o.path FROM party_branches b JOIN org_units o ON o.id = b.org_unit_id \
         WHERE o.path LIKE (SELECT path FROM org_units WHERE code = $1) || '%' ORDER BY b.id LIMIT 1",
    )
    .bind(second_town)
    .fetch_one(pool)
    .await
    .unwrap();
    let mut ids = Vec::new();
    for (name, b, p) in [("矩阵甲", branch, path), ("矩阵乙", sib_branch, sib_path)] {
        let id = app::features::party::dev_repo::add(
            pool,
            1,
            b,
            &p,
            name,
            "male",
            app::domain::calendar::parse_date("1995-01-01").unwrap(),
            app::domain::calendar::parse_date("2026-01-05").unwrap(),
            "入党申请书",
        )
        .await
        .unwrap();
        ids.push(id);
    }
    (branch, ids[0], ids[1])
}

/// Member development: the list for the secretary and those above; an applicant's file for
/// the same, never for the branch's members; registering for the secretary (and admin).
async fn development_rows(
    c: &mut Client,
    case: &RoleCase,
    pool: &sqlx::AnyPool,
    second_town: &str,
) -> usize {
    let who = case.user;
    let (branch, own, sibling) = applicants_for_rows(pool, second_town).await;
    let oversees = matches!(who, "admin" | "county" | "town1" | "village1");
    check(
        &format!("{who} development"),
        &c.call("development", "").await,
        if oversees { Want::Ok } else { Want::Forbidden },
    );
    check(
        &format!("{who} applicant_detail own"),
        &c.call("applicant_detail", &format!("id={own}")).await,
        if oversees { Want::Ok } else { Want::NotFound },
    );
    check(
        &format!("{who} applicant_detail sibling"),
        &c.call("applicant_detail", &format!("id={sibling}")).await,
        if matches!(who, "admin" | "county") {
            Want::Ok
        } else {
            Want::NotFound
        },
    );
    check(
        &format!("{who} add_applicant own"),
        &c.call(
            "add_applicant",
            &format!("branch_id={branch}&name=王五&gender=female&birth_date=1996-02-02&day=2026-02-02&document=申请书"),
        )
        .await,
        match who {
            "admin" | "village1" => Want::Ok,
            "county" | "town1" => Want::Forbidden,
            _ => Want::NotFound,
        },
    );
    // Step 2 (the talk) is the branch's: the township above may not take it.
    let r = c
        .call(
            "record_step",
            &format!("id={sibling}&step=2&day=2026-01-20"),
        )
        .await;
    match who {
        "admin" => check(&format!("{who} record_step sibling"), &r, Want::Ok),
        "county" => check(&format!("{who} record_step sibling"), &r, Want::Forbidden),
        _ => check(&format!("{who} record_step sibling"), &r, Want::NotFound),
    }
    check(
        &format!("{who} record_step missing"),
        &c.call("record_step", "id=987654321&step=2&day=2026-01-20")
            .await,
        Want::NotFound,
    );
    6
}

/// 党员联户: linking is the secretary's (and the administrator's), oversight may not, the rest
/// do not see the branch; a visit is the serving member's alone.
async fn links_rows(c: &mut Client, case: &RoleCase, pool: &sqlx::AnyPool) -> usize {
    let who = case.user;
    let (household, member): (i64, i64) = sqlx::query_as(
        "SELECT r.household_id, pm.id FROM users u JOIN residents r ON r.id = u.resident_id, \
         users mu JOIN party_members pm ON pm.resident_id = mu.resident_id \
         WHERE u.username = 'resident1' AND mu.username = 'member1'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    check(
        &format!("{who} party_links"),
        &c.call("party_links", "").await,
        match who {
            "admin" | "village1" => Want::Ok,
            _ => Want::Forbidden,
        },
    );
    check(
        &format!("{who} link_household"),
        &c.call(
            "link_household",
            &format!("household_id={household}&member_id={member}"),
        )
        .await,
        match who {
            "admin" | "village1" => Want::Ok,
            "county" | "town1" | "member1" => Want::Forbidden,
            _ => Want::NotFound,
        },
    );
    let r = c
        .call(
            "record_visit",
            &format!("household_id={household}&notes=走访"),
        )
        .await;
    match who {
        // The first try writes the visit; the secretary linked it before (admin went first).
        "member1" => check(&format!("{who} record_visit"), &r, Want::Ok),
        _ => check(&format!("{who} record_visit"), &r, Want::Forbidden),
    }
    check(
        &format!("{who} unlink_household missing"),
        &c.call("unlink_household", "household_id=987654321").await,
        Want::NotFound,
    );
    4
}

/// Rectification: the list for branch life's staff; asking for those above the branch (the
/// first to ask gets it, later ones hear it was asked); answering is the secretary's.
async fn rectify_rows(c: &mut Client, case: &RoleCase, pool: &sqlx::AnyPool) -> usize {
    let who = case.user;
    let branch: i64 = sqlx::query_scalar(
        "SELECT pm.branch_id FROM users u JOIN party_members pm ON pm.resident_id = u.resident_id \
         WHERE u.username = 'member1'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let oversees = matches!(who, "admin" | "county" | "town1" | "village1");
    check(
        &format!("{who} rectifications"),
        &c.call("rectifications", "").await,
        if oversees { Want::Ok } else { Want::Forbidden },
    );
    let r = c
        .call(
            "request_rectification",
            &format!("branch_id={branch}&kind=committee&period=2026-01&days=7"),
        )
        .await;
    match who {
        "admin" | "county" | "town1" => assert!(
            r.status.as_u16() == 200 || r.body.contains("rectify_exists"),
            "{who} request_rectification: {} {}",
            r.status,
            r.body
        ),
        "village1" | "member1" => {
            check(&format!("{who} request_rectification"), &r, Want::Forbidden)
        }
        _ => check(&format!("{who} request_rectification"), &r, Want::NotFound),
    }
    check(
        &format!("{who} answer_rectification missing"),
        &c.call("answer_rectification", "id=987654321&note=x").await,
        Want::NotFound,
    );
    3
}

/// 设岗定责: member1's branch's posts for its secretary (and admin), its members and those
/// above; setting up posts for the secretary; recording a duty for a holder only.
async fn posts_rows(c: &mut Client, case: &RoleCase, pool: &sqlx::AnyPool) -> usize {
    let who = case.user;
    let branch: i64 = sqlx::query_scalar(
        "SELECT pm.branch_id FROM users u JOIN party_members pm ON pm.resident_id = u.resident_id \
         WHERE u.username = 'member1'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let in_branch_life = matches!(who, "admin" | "county" | "town1" | "village1" | "member1");
    check(
        &format!("{who} party_posts"),
        &c.call("party_posts", &format!("branch_id={branch}")).await,
        if in_branch_life {
            Want::Ok
        } else {
            Want::NotFound
        },
    );
    let r = c
        .call(
            "create_post",
            &format!("branch_id={branch}&name=矩阵岗&duties=职责"),
        )
        .await;
    match who {
        // The first secretary hand sets it up; the next hears it exists.
        "admin" | "village1" => assert!(
            r.status.as_u16() == 200 || r.body.contains("post_exists"),
            "{who} create_post: {} {}",
            r.status,
            r.body
        ),
        "county" | "town1" | "member1" => check(&format!("{who} create_post"), &r, Want::Forbidden),
        _ => check(&format!("{who} create_post"), &r, Want::NotFound),
    }
    check(
        &format!("{who} record_duty missing"),
        &c.call("record_duty", "post_id=987654321&note=x").await,
        if who == "member1" {
            Want::NotFound
        } else {
            Want::Forbidden
        },
    );
    check(
        &format!("{who} assign_post missing"),
        &c.call("assign_post", "post_id=987654321&member_id=1").await,
        Want::NotFound,
    );
    4
}

/// 支部事务: member1's branch's housekeeping for its secretary (and admin), its members (their
/// own lines) and those above; elections and dues for the secretary; leave for members; the
/// requirements editor for the administrator.
async fn affairs_rows(c: &mut Client, case: &RoleCase, pool: &sqlx::AnyPool) -> usize {
    let who = case.user;
    let (member, branch): (i64, i64) = sqlx::query_as(
        "SELECT pm.id, pm.branch_id FROM users u JOIN party_members pm ON pm.resident_id = u.resident_id \
         WHERE u.username = 'member1'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let secretary = matches!(who, "admin" | "village1");
    let sees = secretary || matches!(who, "county" | "town1" | "member1");
    let hidden_or = |w: Want| if sees { w } else { Want::NotFound };
    check(
        &format!("{who} party_affairs"),
        &c.call("party_affairs", &format!("branch_id={branch}"))
            .await,
        hidden_or(Want::Ok),
    );
    let r = c
        .call(
            "record_term",
            &format!("branch_id={branch}&elected_on=2024-03-01&years=5&note="),
        )
        .await;
    if secretary {
        assert!(
            r.status.as_u16() == 200 || r.body.contains("term_exists"),
            "{who} record_term: {} {}",
            r.status,
            r.body
        );
    } else {
        check(
            &format!("{who} record_term"),
            &r,
            hidden_or(Want::Forbidden),
        );
    }
    check(
        &format!("{who} set_dues_rate"),
        &c.call("set_dues_rate", &format!("member_id={member}&rate=2"))
            .await,
        hidden_or(if secretary { Want::Ok } else { Want::Forbidden }),
    );
    for (f, body) in [
        ("pay_dues", "member_id=987654321&months=1&seen="),
        ("start_transfer", "member_id=987654321&to_branch=1&note="),
        ("answer_transfer", "id=987654321&action=accept&reason="),
        ("decide_declaration", "id=987654321&decision=approve"),
    ] {
        check(
            &format!("{who} {f} missing"),
            &c.call(f, body).await,
            Want::NotFound,
        );
    }
    check(
        &format!("{who} ask_leave missing"),
        &c.call("ask_leave", "meeting_id=987654321&reason=x").await,
        if who == "member1" {
            Want::NotFound
        } else {
            Want::Forbidden
        },
    );
    check(
        &format!("{who} meeting_requirements"),
        &c.call("meeting_requirements", "").await,
        if who == "admin" {
            Want::Ok
        } else {
            Want::Forbidden
        },
    );
    let r = c
        .call(
            "schedule_requirement",
            "kind=group&cadence=month&min_count=1&effective_from=2020-01-01",
        )
        .await;
    if who == "admin" {
        assert!(r.body.contains("not_next_period"), "{}", r.body);
    } else {
        check(&format!("{who} schedule_requirement"), &r, Want::Forbidden);
    }
    10
}

async fn sibling_report(db: &TestDb, grid: i64) -> i64 {
    use app::domain::org::OrgLevel;
    use app::features::events::repo::{self, NewEvent};
    let path: String = sqlx::query_scalar("SELECT path FROM org_units WHERE id = $1")
        .bind(grid)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let category = repo::categories(&db.pool).await.unwrap().remove(0);
    let cal = repo::calendar(&db.pool).await.unwrap();
    let mut tx = db.pool.begin().await.unwrap();
    let out = repo::insert_event(
        &mut tx,
        &cal,
        &NewEvent {
            idem_key: None,
            channel: "hotline",
            category,
            grid_id: grid,
            grid_path: path,
            reporter_user_id: None,
            reporter_name: "来电人".into(),
            reporter_phone: "13900001111".into(),
            description: "电话反映：河道有垃圾".into(),
            address: String::new(),
            lng: None,
            lat: None,
            level: OrgLevel::Township,
            urgency: Default::default(),
            at: app::ssr::now(),
        },
        "调度员",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    out.id
}

/// The event loop's functions for one role: who opens which event (the visibility rule's
/// decisions written out by hand), and who may use the rooms, maps and lists around them.
async fn events_rows(
    c: &mut Client,
    case: &RoleCase,
    (mine, sibling): (i64, i64),
    nos: (&str, &str),
    cat: i64,
) -> usize {
    let who = case.user;
    // resident1 reported `mine`; the township, its village and grid, the county and the admin
    // oversee it; the department and the party member were given nothing.
    let opens_mine = match who {
        "dept1" | "member1" => Want::NotFound,
        _ => Want::Ok,
    };
    let opens_sibling = match who {
        "admin" | "county" => Want::Ok,
        _ => Want::NotFound,
    };
    check(
        &format!("{who} event_detail mine"),
        &c.call("event_detail", &format!("id={mine}")).await,
        opens_mine,
    );
    check(
        &format!("{who} event_detail sibling"),
        &c.call("event_detail", &format!("id={sibling}")).await,
        opens_sibling,
    );
    check(
        &format!("{who} event_detail missing"),
        &c.call("event_detail", "id=987654321").await,
        Want::NotFound,
    );
    check(
        &format!("{who} dispatch_targets mine"),
        &c.call("dispatch_targets", &format!("id={mine}")).await,
        opens_mine,
    );
    check(
        &format!("{who} dispatch_targets sibling"),
        &c.call("dispatch_targets", &format!("id={sibling}")).await,
        opens_sibling,
    );
    // Nobody may accept a report that is not yet dispatched: refused as forbidden where the
    // event is seen, as missing where it is not.
    let accept = |id: i64| serde_json::json!({"id": id, "version": 0, "action": "Accept", "photos": [], "comment": ""});
    let refuse = |w: Want| {
        if w == Want::Ok {
            Want::Forbidden
        } else {
            Want::NotFound
        }
    };
    check(
        &format!("{who} event_act mine"),
        &c.call_json("event_act", &accept(mine)).await,
        refuse(opens_mine),
    );
    check(
        &format!("{who} event_act sibling"),
        &c.call_json("event_act", &accept(sibling)).await,
        refuse(opens_sibling),
    );
    check(
        &format!("{who} find_report mine"),
        &c.call("find_report", &format!("tracking_no={}", nos.0))
            .await,
        opens_mine,
    );
    check(
        &format!("{who} find_report sibling"),
        &c.call("find_report", &format!("tracking_no={}", nos.1))
            .await,
        opens_sibling,
    );
    check(
        &format!("{who} find_report missing"),
        &c.call("find_report", "tracking_no=LX20000101999999").await,
        Want::NotFound,
    );
    check(
        &format!("{who} reply_templates mine"),
        &c.call("reply_templates", &format!("id={mine}")).await,
        opens_mine,
    );
    check(
        &format!("{who} reply_templates sibling"),
        &c.call("reply_templates", &format!("id={sibling}")).await,
        opens_sibling,
    );
    let r = c.call("join_report", "join=1.deadbeef&note=").await;
    assert_eq!(
        r.status.as_u16(),
        422,
        "{who} join_report with a forged token: {}",
        r.body
    );
    for f in [
        "event_categories",
        "event_queue",
        "report_setup",
        "reminders",
        "mark_reminders_read",
        "my_reports",
    ] {
        check(&format!("{who} {f}"), &c.call(f, "").await, Want::Ok);
    }
    let r = c
        .call(
            "nearby_events",
            &format!("category_id={cat}&lng=119.17&lat=29.03"),
        )
        .await;
    check(&format!("{who} nearby_events"), &r, Want::Ok);
    let org_roles = if who == "resident1" {
        Want::Forbidden
    } else {
        Want::Ok
    };
    check(
        &format!("{who} command_map"),
        &c.call("command_map", "").await,
        org_roles,
    );
    let pin = c.call("map_pin", &format!("id={mine}")).await;
    check(&format!("{who} map_pin"), &pin, org_roles);
    if org_roles == Want::Ok {
        let on_map = !pin.body.trim().eq("null");
        assert_eq!(
            on_map,
            opens_mine == Want::Ok,
            "{who} map_pin: {}",
            pin.body
        );
    }
    let lists = if matches!(who, "member1" | "resident1") {
        Want::Forbidden
    } else {
        Want::Ok
    };
    check(
        &format!("{who} overdue"),
        &c.call("overdue", "light=all").await,
        lists,
    );
    check(
        &format!("{who} satisfaction"),
        &c.call("satisfaction", "by=township&days=30").await,
        org_roles,
    );
    check(
        &format!("{who} score_branches"),
        &c.call("score_branches", "").await,
        org_roles,
    );
    check(
        &format!("{who} village_lists"),
        &c.call("village_lists", "").await,
        org_roles,
    );
    if who != "admin" {
        check(
            &format!("{who} add_category"),
            &c.call("add_category", "board=livelihood&name_zh=x&name_en=x&limit_kind=days&limit_value=1&default_level=grid&township_department=x&county_department=y").await,
            Want::Forbidden,
        );
    }
    30
}

/// The objects of the services rows: the first township's centre (resident1 lives below it) and
/// the second's, a slot at each, an item, and a booking by resident2 in a slot that has begun.
struct ServiceObjects {
    own_point: i64,
    sibling_point: i64,
    own_slot: i64,
    sibling_slot: i64,
    item: i64,
    begun_booking: i64,
}

async fn services_for_rows(pool: &sqlx::AnyPool, second_town: &str) -> ServiceObjects {
    server::seed::services::seed_services(pool, "330825", app::ssr::now())
        .await
        .unwrap();
    let centre = |path_of: &'static str, arg: String| async move {
        sqlx::query_scalar::<_, i64>(path_of)
            .bind(arg)
            .fetch_one(pool)
            .await
            .unwrap()
    };
    let own_point = centre(
        "SELECT p.id FROM service_points p JOIN org_units t ON t.id = p.org_unit_id \
         JOIN users u ON u.username = $1 JOIN org_units g ON g.id = u.org_unit_id \
         WHERE t.level = 'township' AND g.path LIKE (t.path || '%')",
        "resident1".into(),
    )
    .await;
    let sibling_point = centre(
        "SELECT p.id FROM service_points p JOIN org_units t ON t.id = p.org_unit_id \
         WHERE t.code = $1",
        second_town.to_string(),
    )
    .await;
    let slot_of = |point: i64| async move {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT id, item_id FROM service_slots WHERE point_id = $1 ORDER BY starts_at, id LIMIT 1",
        )
        .bind(point)
        .fetch_one(pool)
        .await
        .unwrap()
    };
    let (own_slot, item) = slot_of(own_point).await;
    let (sibling_slot, _) = slot_of(sibling_point).await;
    // Room for every role that may book.
    sqlx::query("UPDATE service_slots SET capacity = 50 WHERE id = $1")
        .bind(own_slot)
        .execute(pool)
        .await
        .unwrap();
    let now = app::ssr::now();
    let begun: i64 = sqlx::query_scalar(
        "INSERT INTO service_slots (point_id, item_id, starts_at, ends_at, capacity, booked, created_at) \
         VALUES ($1, $2, $3, $4, 5, 1, $3) RETURNING id",
    )
    .bind(own_point)
    .bind(item)
    .bind(now - 3600)
    .bind(now + 3600)
    .fetch_one(pool)
    .await
    .unwrap();
    let begun_booking: i64 = sqlx::query_scalar(
        "INSERT INTO service_bookings (slot_id, item_id, user_id, state, created_at, changed_at) \
         SELECT $1, $2, id, 'booked', $3, $3 FROM users WHERE username = 'resident2' RETURNING id",
    )
    .bind(begun)
    .bind(item)
    .bind(now - 7200)
    .fetch_one(pool)
    .await
    .unwrap();
    ServiceObjects {
        own_point,
        sibling_point,
        own_slot,
        sibling_slot,
        item,
        begun_booking,
    }
}

/// Resident services: everyone reads what serves them; a place is booked only at a point
/// serving the caller (its runners and overseers do not book there); a booking is its owner's
/// alone; desks are for those who run or oversee points; slots are published and attendance
/// marked only by those who run the point.
async fn services_rows(
    c: &mut Client,
    case: &RoleCase,
    pool: &sqlx::AnyPool,
    o: &ServiceObjects,
) -> usize {
    let who = case.user;
    check(
        &format!("{who} services_home"),
        &c.call("services_home", "").await,
        Want::Ok,
    );
    let books = matches!(
        who,
        "dept1" | "village1" | "grid1" | "member1" | "resident1"
    );
    let r = c
        .call("book_slot", &format!("slot_id={}", o.own_slot))
        .await;
    check(
        &format!("{who} book_slot own"),
        &r,
        if books { Want::Ok } else { Want::NotFound },
    );
    if books {
        let id: i64 = r.body.trim().parse().unwrap();
        check(
            &format!("{who} cancel_booking own"),
            &c.call("cancel_booking", &format!("booking_id={id}")).await,
            Want::Ok,
        );
    }
    check(
        &format!("{who} book_slot sibling"),
        &c.call("book_slot", &format!("slot_id={}", o.sibling_slot))
            .await,
        Want::NotFound,
    );
    // resident2's booking is nobody else's to cancel or move.
    check(
        &format!("{who} cancel_booking other's"),
        &c.call("cancel_booking", &format!("booking_id={}", o.begun_booking))
            .await,
        Want::NotFound,
    );
    check(
        &format!("{who} change_booking other's"),
        &c.call(
            "change_booking",
            &format!("booking_id={}&slot_id={}", o.begun_booking, o.own_slot),
        )
        .await,
        Want::NotFound,
    );
    let desks = matches!(who, "admin" | "county" | "town1" | "village1");
    check(
        &format!("{who} service_desk"),
        &c.call("service_desk", "").await,
        if desks { Want::Ok } else { Want::Forbidden },
    );
    let day = app::domain::calendar::local_day(app::ssr::now() + 2 * 86_400);
    let slot = |point: i64| {
        format!(
            "point_id={point}&item_id={}&day={day}&start=10:00&minutes=60&capacity=5",
            o.item
        )
    };
    let runs_own = matches!(who, "admin" | "town1");
    check(
        &format!("{who} add_slot own"),
        &c.call("add_slot", &slot(o.own_point)).await,
        if runs_own { Want::Ok } else { Want::Forbidden },
    );
    check(
        &format!("{who} add_slot sibling"),
        &c.call("add_slot", &slot(o.sibling_point)).await,
        match who {
            "admin" => Want::Ok,
            "county" => Want::Forbidden,
            _ => Want::NotFound,
        },
    );
    check(
        &format!("{who} mark_booking"),
        &c.call(
            "mark_booking",
            &format!("booking_id={}&state=attended", o.begun_booking),
        )
        .await,
        match who {
            "admin" | "town1" => Want::Ok,
            "county" => Want::Forbidden,
            _ => Want::NotFound,
        },
    );
    // Marked: put it back for the next role.
    sqlx::query("UPDATE service_bookings SET state = 'booked' WHERE id = $1")
        .bind(o.begun_booking)
        .execute(pool)
        .await
        .unwrap();
    10
}
