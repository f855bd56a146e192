//! The command room's queue is SQL, and the visibility rule is Rust: for many random events
//! (any grid, state, holding level, assignee, co-handlers, reporter and joiners) and every demo
//! account, the queue holds only events the rule lets its caller see, and every open event the
//! caller handles (or, for residents, reported or joined).

use std::collections::HashSet;

use app::domain::event::{ancestor_path, Actor};
use app::domain::org::{path_ids, OrgLevel};
use app::domain::roles::Role;
use app::domain::visibility::{event_access, Access};
use app::features::events::repo;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

use crate::common::http::{router, signed_in};
use crate::common::{resident_report, TestDb};

const ACCOUNTS: &[&str] = &[
    "admin",
    "county",
    "countydept",
    "town1",
    "town2",
    "dept1",
    "village1",
    "grid1",
    "member1",
    "resident1",
    "resident2",
];
const STATES: &[&str] = &[
    "reported",
    "verified",
    "dispatched",
    "handling",
    "resolved",
    "closed",
    "rejected",
    "merged",
];
const LEVELS: &[OrgLevel] = &[
    OrgLevel::Grid,
    OrgLevel::Village,
    OrgLevel::Township,
    OrgLevel::County,
];

async fn actor(db: &TestDb, name: &str) -> Actor {
    let (user_id, role, unit_path, department_id): (i64, String, String, Option<i64>) =
        sqlx::query_as(
            "SELECT u.id, u.role, o.path, u.department_id FROM users u \
             JOIN org_units o ON o.id = u.org_unit_id WHERE u.username = $1",
        )
        .bind(name)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    Actor {
        user_id,
        role: Role::parse(&role).unwrap(),
        unit_path,
        department_id,
    }
}

async fn ids(db: &TestDb, sql: &str) -> Vec<i64> {
    sqlx::query_scalar(sql).fetch_all(&db.pool).await.unwrap()
}

/// Scatters `n` events over grids of two townships with random holders and people.
async fn scatter(db: &TestDb, rng: &mut ChaCha8Rng, n: usize, people: &[Actor]) -> Vec<i64> {
    let grid1: (i64, String) = sqlx::query_as(
        "SELECT o.id, o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id \
         WHERE u.username = 'grid1'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let town2: String = sqlx::query_scalar(
        "SELECT o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id \
         WHERE u.username = 'town2'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let village = ancestor_path(&grid1.1, OrgLevel::Village);
    let mut grids: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, path FROM org_units WHERE level = 'grid' \
         AND (path LIKE ($1 || '%') OR path LIKE ($2 || '%')) ORDER BY id LIMIT 400",
    )
    .bind(&village)
    .bind(&town2)
    .fetch_all(&db.pool)
    .await
    .unwrap();
    grids.truncate(6);
    grids.push(grid1);
    let depts = ids(db, "SELECT id FROM departments ORDER BY id").await;
    let dept_of = |name: &str| {
        people
            .iter()
            .zip(ACCOUNTS)
            .find(|(_, n)| **n == name)
            .and_then(|(a, _)| a.department_id)
    };
    let mut some_depts: Vec<i64> = depts.iter().take(3).copied().collect();
    some_depts.extend(dept_of("dept1"));
    some_depts.extend(dept_of("countydept"));
    let user = |name: &str| people[ACCOUNTS.iter().position(|n| *n == name).unwrap()].user_id;
    let assignable = [user("grid1"), user("village1"), user("dept1")];
    let reporters = [user("resident1"), user("resident2"), user("member1")];

    let mut out = Vec::new();
    for i in 0..n {
        let ev = resident_report(db, None, Some("L02"), &format!("第{i}件")).await;
        let (gid, gpath) = grids.choose(rng).unwrap().clone();
        let level = *LEVELS.choose(rng).unwrap();
        let holder = ancestor_path(&gpath, level);
        let pid = path_ids(&gpath);
        let state = *STATES.choose(rng).unwrap();
        let (dept, person) = match rng.gen_range(0..3) {
            0 => (None, None),
            1 => (some_depts.choose(rng).copied(), None),
            _ => (None, assignable.choose(rng).copied()),
        };
        let reporter = if rng.gen_bool(0.8) {
            reporters.choose(rng).copied()
        } else {
            None
        };
        sqlx::query(
            "UPDATE events SET grid_id = $1, grid_path = $2, township_id = $3, village_id = $4, \
             level = $5, holder_path = $6, state = $7, assignee_dept_id = $8, \
             assignee_user_id = $9, reporter_user_id = $10 WHERE id = $11",
        )
        .bind(gid)
        .bind(&gpath)
        .bind(pid.get(1).copied().unwrap_or(0))
        .bind(pid.get(2).copied().unwrap_or(0))
        .bind(level.as_str())
        .bind(&holder)
        .bind(state)
        .bind(dept)
        .bind(person)
        .bind(reporter)
        .bind(ev.id)
        .execute(&db.pool)
        .await
        .unwrap();
        for d in some_depts.iter().filter(|_| rng.gen_bool(0.2)) {
            sqlx::query("INSERT INTO event_co_handlers (event_id, department_id) VALUES ($1, $2)")
                .bind(ev.id)
                .bind(*d)
                .execute(&db.pool)
                .await
                .unwrap();
        }
        for u in reporters
            .iter()
            .filter(|u| Some(**u) != reporter && rng.gen_bool(0.2))
        {
            sqlx::query("INSERT INTO event_reporters (event_id, user_id, at) VALUES ($1, $2, 0)")
                .bind(ev.id)
                .bind(*u)
                .execute(&db.pool)
                .await
                .unwrap();
        }
        out.push(ev.id);
    }
    out
}

#[tokio::test]
async fn the_queue_agrees_with_the_visibility_rule() {
    for db in TestDb::seeded_both().await {
        let app = router(db.pool.clone());
        let mut people = Vec::new();
        for name in ACCOUNTS {
            people.push(actor(&db, name).await);
        }
        let mut rng = ChaCha8Rng::seed_from_u64(20261201);
        let events = scatter(&db, &mut rng, 120, &people).await;
        let mut facts = Vec::new();
        for id in &events {
            facts.push((
                *id,
                repo::facts_by_id(&db.pool, *id).await.unwrap().unwrap(),
            ));
        }
        let mut checked = 0;
        for (name, a) in ACCOUNTS.iter().zip(&people) {
            let mut c = signed_in(&app, name).await;
            let r = c.call("event_queue", "").await;
            assert_eq!(r.status.as_u16(), 200, "{name}: {}", r.body);
            let body: Value = serde_json::from_str(&r.body).unwrap();
            let queued: HashSet<i64> = body["cards"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|c| c["id"].as_i64())
                .collect();
            for (id, f) in &facts {
                let access = event_access(a, f);
                if queued.contains(id) {
                    assert!(
                        access.sees(),
                        "{name} is shown event {id} the rule hides: {f:?}"
                    );
                    checked += 1;
                }
                let own = matches!(a.role, Role::Resident | Role::PartyMember)
                    && matches!(access, Access::Reporter | Access::Joined);
                let works_on = access == Access::Handle && f.state.is_open();
                if own || works_on {
                    assert!(
                        queued.contains(id),
                        "{name} ({access:?}) misses event {id} from the queue: {f:?}"
                    );
                }
            }
        }
        assert!(checked > 40, "too few queued events to say much: {checked}");
        db.drop_db().await;
    }
}
