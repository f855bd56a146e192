//! The volunteering rows of the matrix: anyone reads what serves them; a place is taken only
//! in an activity of a team serving the caller's area; desks are for those who run or oversee
//! teams; teams are founded at one's own unit by village and township; activities published
//! and closed only by those who run the team.

use super::{check, RoleCase, Want};
use crate::common::http::Client;

pub struct VolunteerObjects {
    village_team: i64,
    sibling_team: i64,
    /// Tomorrow, the village team's.
    upcoming: i64,
    /// Tomorrow, the township team's.
    township_upcoming: i64,
    /// Under way now, the village team's.
    running: i64,
    /// Upcoming, the sibling township's team's.
    sibling_activity: i64,
}

async fn one(pool: &sqlx::AnyPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

pub async fn objects(pool: &sqlx::AnyPool, second_town: &str) -> VolunteerObjects {
    let now = app::ssr::now();
    server::seed::volunteers::seed_volunteers(pool, now)
        .await
        .unwrap();
    let village_team = one(
        pool,
        "SELECT t.id FROM volunteer_teams t JOIN org_units v ON v.id = t.org_unit_id \
         WHERE v.level = 'village'",
    )
    .await;
    let activity = |team: i64, running: bool| async move {
        let cond = if running {
            "starts_at <= $2 AND ends_at > $2"
        } else {
            "starts_at > $2"
        };
        sqlx::query_scalar::<_, i64>(&format!(
            "SELECT id FROM volunteer_activities WHERE team_id = $1 AND {cond} ORDER BY starts_at LIMIT 1"
        ))
        .bind(team)
        .bind(now)
        .fetch_one(pool)
        .await
        .unwrap()
    };
    let township_team = one(
        pool,
        "SELECT t.id FROM volunteer_teams t JOIN org_units o ON o.id = t.org_unit_id \
         WHERE o.level = 'township'",
    )
    .await;
    let (sibling_unit, sibling_path): (i64, String) =
        sqlx::query_as("SELECT id, path FROM org_units WHERE code = $1")
            .bind(second_town)
            .fetch_one(pool)
            .await
            .unwrap();
    let sibling_team = app::features::volunteers::repo::add_team(
        pool,
        1,
        sibling_unit,
        &sibling_path,
        "邻镇志愿队",
        now,
    )
    .await
    .unwrap();
    let sibling_activity = app::features::volunteers::repo::add_activity(
        pool,
        1,
        &app::features::volunteers::repo::NewActivity {
            team: sibling_team,
            path: &sibling_path,
            title: "邻镇活动",
            place: "",
            starts_at: now + 86_400,
            ends_at: now + 90_000,
            limit: 50,
        },
        now,
    )
    .await
    .unwrap();
    VolunteerObjects {
        upcoming: activity(village_team, false).await,
        running: activity(village_team, true).await,
        township_upcoming: activity(township_team, false).await,
        village_team,
        sibling_team,
        sibling_activity,
    }
}

pub async fn rows(
    c: &mut Client,
    case: &RoleCase,
    pool: &sqlx::AnyPool,
    o: &VolunteerObjects,
) -> usize {
    let who = case.user;
    check(
        &format!("{who} volunteer_home"),
        &c.call("volunteer_home", "").await,
        Want::Ok,
    );
    let in_village = matches!(who, "village1" | "grid1" | "member1" | "resident1");
    let in_township = in_village || matches!(who, "town1" | "dept1");
    for (what, id, joins) in [
        ("village", o.upcoming, in_village),
        ("township", o.township_upcoming, in_township),
        ("sibling", o.sibling_activity, false),
    ] {
        let want = if joins { Want::Ok } else { Want::NotFound };
        let body = format!("activity_id={id}");
        check(
            &format!("{who} volunteer_sign_up {what}"),
            &c.call("volunteer_sign_up", &body).await,
            want,
        );
        check(
            &format!("{who} volunteer_withdraw {what}"),
            &c.call("volunteer_withdraw", &body).await,
            want,
        );
    }
    // Under way: a place on the spot, then a wrong code is a clear refusal, not a check-in.
    let running = format!("activity_id={}", o.running);
    let r = c.call("volunteer_sign_up", &running).await;
    check(
        &format!("{who} volunteer_sign_up running"),
        &r,
        if in_village { Want::Ok } else { Want::NotFound },
    );
    let r = c
        .call("volunteer_check_in", &format!("{running}&code=000000x"))
        .await;
    if in_village {
        assert_eq!(
            r.status.as_u16(),
            422,
            "{who} check-in with a malformed code: {}",
            r.body
        );
    } else {
        check(&format!("{who} volunteer_check_in"), &r, Want::NotFound);
    }
    let desks = matches!(who, "admin" | "county" | "town1" | "village1");
    check(
        &format!("{who} volunteer_desk"),
        &c.call("volunteer_desk", "").await,
        if desks { Want::Ok } else { Want::Forbidden },
    );
    check(
        &format!("{who} add_volunteer_team"),
        &c.call("add_volunteer_team", &format!("name=队伍{who}"))
            .await,
        if matches!(who, "town1" | "village1") {
            Want::Ok
        } else {
            Want::Forbidden
        },
    );
    let day = app::domain::calendar::local_day(app::ssr::now() + 2 * 86_400);
    let publish = |team: i64| {
        format!("team_id={team}&title=巡河&place=&day={day}&start=09:00&minutes=120&limit=5")
    };
    let runs = matches!(who, "admin" | "town1" | "village1");
    check(
        &format!("{who} add_volunteer_activity own"),
        &c.call("add_volunteer_activity", &publish(o.village_team))
            .await,
        match who {
            _ if runs => Want::Ok,
            "dept1" => Want::NotFound,
            _ => Want::Forbidden,
        },
    );
    check(
        &format!("{who} add_volunteer_activity sibling"),
        &c.call("add_volunteer_activity", &publish(o.sibling_team))
            .await,
        match who {
            "admin" => Want::Ok,
            "county" => Want::Forbidden,
            _ => Want::NotFound,
        },
    );
    // A fresh activity under way for each role to close.
    let now = app::ssr::now();
    let started: i64 = sqlx::query_scalar(
        "INSERT INTO volunteer_activities (team_id, unit_path, title, place, starts_at, ends_at, \
         sign_up_limit, code, state, created_at) SELECT id, unit_path, '巡查', '', $2, $3, 5, '123456', \
         'open', $2 FROM volunteer_teams WHERE id = $1 RETURNING id",
    )
    .bind(o.village_team)
    .bind(now - 600)
    .bind(now + 3600)
    .fetch_one(pool)
    .await
    .unwrap();
    check(
        &format!("{who} close_volunteer_activity"),
        &c.call(
            "close_volunteer_activity",
            &format!("activity_id={started}"),
        )
        .await,
        match who {
            _ if runs => Want::Ok,
            "dept1" => Want::NotFound,
            _ => Want::Forbidden,
        },
    );
    13
}
