//! The 三务公开 rows of the matrix: everyone reads the list; a village's disclosure is read by
//! those living or working in it and overseen by the units above; a township's notice by all
//! of its area; a sibling township's by nobody here but the county. Residents and staff living
//! there ask; the publishing unit's cadres answer; desks are for those who publish or oversee.

use app::domain::disclosures::{Kind, Month1};
use app::features::disclosures::repo::{self, NewDisclosure};

use super::{check, RoleCase, Want};
use crate::common::http::Client;

pub struct DisclosureObjects {
    village: i64,
    notice: i64,
    sibling: i64,
    /// resident1's question on the village disclosure.
    question: i64,
    sibling_question: i64,
}

async fn unit(pool: &sqlx::AnyPool, sql: &str, arg: &str) -> (i64, String) {
    sqlx::query_as(sql).bind(arg).fetch_one(pool).await.unwrap()
}

async fn put_up(pool: &sqlx::AnyPool, (id, path): &(i64, String), kind: Kind) -> i64 {
    let month = Month1::of(app::domain::calendar::local_date(app::ssr::now())).as_string();
    repo::publish(
        pool,
        1,
        &NewDisclosure {
            unit_id: *id,
            unit_path: path,
            kind,
            period: &month,
            title: "公开",
            body: "内容",
            table: None,
            day: "2026-12-01",
        },
        &[],
        None,
        app::ssr::now(),
    )
    .await
    .unwrap()
    .unwrap()
}

pub async fn objects(pool: &sqlx::AnyPool, second_town: &str) -> DisclosureObjects {
    let village = unit(
        pool,
        "SELECT o.id, o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.username = $1",
        "village1",
    )
    .await;
    let town = unit(
        pool,
        "SELECT o.id, o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.username = $1",
        "town1",
    )
    .await;
    let sibling_village = unit(
        pool,
        "SELECT id, path FROM org_units WHERE level = 'village' AND code LIKE ($1 || '%') ORDER BY id LIMIT 1",
        second_town,
    )
    .await;
    let village_id = put_up(pool, &village, Kind::Village).await;
    let sibling = put_up(pool, &sibling_village, Kind::Notice).await;
    let resident: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'resident1'")
        .fetch_one(pool)
        .await
        .unwrap();
    let now = app::ssr::now();
    DisclosureObjects {
        question: repo::ask(pool, resident, village_id, "问", now)
            .await
            .unwrap()
            .unwrap(),
        sibling_question: repo::ask(pool, 1, sibling, "问", now)
            .await
            .unwrap()
            .unwrap(),
        notice: put_up(pool, &town, Kind::Notice).await,
        village: village_id,
        sibling,
    }
}

pub async fn rows(c: &mut Client, case: &RoleCase, o: &DisclosureObjects) -> usize {
    let who = case.user;
    check(
        &format!("{who} open_home"),
        &c.call("open_home", "").await,
        Want::Ok,
    );
    let lives_in_village = matches!(who, "grid1" | "member1" | "resident1");
    let above_village = matches!(who, "admin" | "county" | "town1");
    let county = matches!(who, "admin" | "county");
    for (what, id, sees) in [
        (
            "village",
            o.village,
            lives_in_village || above_village || who == "village1",
        ),
        ("notice", o.notice, true),
        ("sibling", o.sibling, county),
    ] {
        check(
            &format!("{who} open_disclosure {what}"),
            &c.call("open_disclosure", &format!("id={id}")).await,
            if sees { Want::Ok } else { Want::NotFound },
        );
    }
    check(
        &format!("{who} open_ask village"),
        &c.call("open_ask", &format!("id={}&question=问题", o.village))
            .await,
        match who {
            _ if lives_in_village => Want::Ok,
            "dept1" => Want::NotFound,
            _ => Want::Forbidden,
        },
    );
    // A township's notice: its own dispatcher publishes it, the others of its area ask.
    check(
        &format!("{who} open_ask notice"),
        &c.call("open_ask", &format!("id={}&question=问题", o.notice))
            .await,
        match who {
            "admin" | "county" | "town1" => Want::Forbidden,
            _ => Want::Ok,
        },
    );
    check(
        &format!("{who} open_ask sibling"),
        &c.call("open_ask", &format!("id={}&question=问题", o.sibling))
            .await,
        if county {
            Want::Forbidden
        } else {
            Want::NotFound
        },
    );
    check(
        &format!("{who} open_answer village"),
        &c.call(
            "open_answer",
            &format!("question_id={}&answer=答复", o.question),
        )
        .await,
        match who {
            "village1" => Want::Ok,
            "dept1" => Want::NotFound,
            _ => Want::Forbidden,
        },
    );
    check(
        &format!("{who} open_answer sibling"),
        &c.call(
            "open_answer",
            &format!("question_id={}&answer=答复", o.sibling_question),
        )
        .await,
        if county {
            Want::Forbidden
        } else {
            Want::NotFound
        },
    );
    check(
        &format!("{who} open_desk"),
        &c.call("open_desk", "").await,
        if matches!(who, "admin" | "county" | "town1" | "village1") {
            Want::Ok
        } else {
            Want::Forbidden
        },
    );
    10
}
