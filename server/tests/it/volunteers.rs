//! Volunteering in the store, on both databases: fifty volunteers racing for five places, one
//! volunteer's parallel taps, sign-ups and withdrawals at once never leaving the count wrong,
//! check-ins racing the closing (everyone checked in is credited, nobody twice), and the
//! rankings' SQL against the domain's order.

use app::domain::volunteers::{credited_tenths, rank, Refusal};
use app::features::volunteers::repo::{self, NewActivity};

use crate::common::{residents, TestDb};

/// A team at resident1's village and an activity of it: (team, activity).
async fn activity(db: &TestDb, name: &str, starts: i64, minutes: i64, limit: i64) -> (i64, i64) {
    let (unit, path): (i64, String) = sqlx::query_as(
        "SELECT v.id, v.path FROM users u JOIN org_units g ON g.id = u.org_unit_id \
         JOIN org_units v ON v.id = g.parent_id WHERE u.username = 'resident1'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let team = repo::add_team(&db.pool, 1, unit, &path, name, 0)
        .await
        .unwrap();
    let id = repo::add_activity(
        &db.pool,
        1,
        &NewActivity {
            team,
            path: &path,
            title: name,
            place: "",
            starts_at: starts,
            ends_at: starts + minutes * 60,
            limit,
        },
        0,
    )
    .await
    .unwrap();
    (team, id)
}

async fn count(db: &TestDb, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

const HELD: &str = "SELECT CAST(COUNT(*) AS BIGINT) FROM volunteer_signups \
                    WHERE activity_id = $1 AND state <> 'withdrawn'";
const SIGNED: &str = "SELECT signed FROM volunteer_activities WHERE id = $1";

#[tokio::test]
async fn fifty_volunteers_race_for_five_places_and_five_get_one() {
    for db in TestDb::seeded_both().await {
        let now = app::ssr::now();
        let (_, id) = activity(&db, "赛跑队", now + 86_400, 120, 5).await;
        let users = residents(&db, "vrace", "志愿者", 50).await;
        let tasks: Vec<_> = users
            .iter()
            .map(|&u| {
                let pool = db.pool.clone();
                tokio::spawn(async move { repo::sign_up(&pool, u, id, now).await.unwrap() })
            })
            .collect();
        let mut won = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(()) => won += 1,
                Err(r) => assert_eq!(r, Refusal::Full),
            }
        }
        assert_eq!(won, 5, "{:?}", db.backend);
        assert_eq!(count(&db, SIGNED, id).await, 5);
        assert_eq!(count(&db, HELD, id).await, 5);
        assert_eq!(
            count(
                &db,
                "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'volunteer.sign_up' \
                 AND target = 'activity:' || CAST($1 AS TEXT)",
                id
            )
            .await,
            5,
            "one audit row per place given"
        );
        db.drop_db().await;
    }
}

#[tokio::test]
async fn one_volunteers_taps_and_withdrawals_at_once_leave_the_count_right() {
    for db in TestDb::seeded_both().await {
        let now = app::ssr::now();
        let (_, id) = activity(&db, "连点队", now + 86_400, 120, 10).await;
        let users = residents(&db, "vtap", "志愿者", 4).await;
        // Each volunteer taps 报名 eight times at once: one place each.
        let mut tasks = Vec::new();
        for &u in &users {
            for _ in 0..8 {
                let pool = db.pool.clone();
                tasks.push(tokio::spawn(async move {
                    repo::sign_up(&pool, u, id, now).await.unwrap()
                }));
            }
        }
        let mut ok = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(()) => ok += 1,
                Err(r) => assert_eq!(r, Refusal::AlreadySigned),
            }
        }
        assert_eq!(ok, users.len(), "{:?}", db.backend);
        assert_eq!(count(&db, SIGNED, id).await, users.len() as i64);
        // Then everyone withdraws and signs up again, all at once, three rounds.
        for _ in 0..3 {
            let mut tasks = Vec::new();
            for &u in &users {
                let pool = db.pool.clone();
                tasks.push(tokio::spawn(async move {
                    repo::withdraw(&pool, u, id, now).await.unwrap()
                }));
                let pool = db.pool.clone();
                tasks.push(tokio::spawn(async move {
                    repo::sign_up(&pool, u, id, now).await.unwrap()
                }));
            }
            for t in tasks {
                let _ = t.await.unwrap();
            }
            assert_eq!(
                count(&db, SIGNED, id).await,
                count(&db, HELD, id).await,
                "{:?}: the count is the places held",
                db.backend
            );
        }
        // Once it has begun a place is no longer given back. The rounds may end with nobody
        // holding one (every withdrawal can land after its sign-up), so one signs up first.
        let _ = repo::sign_up(&db.pool, users[0], id, now).await.unwrap();
        let held: i64 = sqlx::query_scalar(
            "SELECT user_id FROM volunteer_signups WHERE activity_id = $1 AND state = 'signed' LIMIT 1",
        )
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(
            repo::withdraw(&db.pool, held, id, now + 86_400)
                .await
                .unwrap(),
            Err(Refusal::Started)
        );
        db.drop_db().await;
    }
}

/// Twenty volunteers check in while the organiser closes: whoever checked in before the close
/// is credited exactly once, whoever came after is refused, and the ledger equals the check-ins.
#[tokio::test]
async fn check_ins_racing_the_close_are_credited_exactly_when_they_landed() {
    for db in TestDb::seeded_both().await {
        let now = app::ssr::now();
        let (_, id) = activity(&db, "收尾队", now - 600, 150, 30).await;
        let users = residents(&db, "vclose", "志愿者", 20).await;
        for &u in &users {
            repo::sign_up(&db.pool, u, id, now).await.unwrap().unwrap();
        }
        let mut tasks = Vec::new();
        for (i, &u) in users.iter().enumerate() {
            let pool = db.pool.clone();
            tasks.push(tokio::spawn(async move {
                repo::check_in(&pool, u, id, now).await.unwrap().map(|_| ())
            }));
            if i == 10 {
                let pool = db.pool.clone();
                tasks.push(tokio::spawn(async move {
                    repo::close(&pool, 1, id, now).await.unwrap().map(|_| ())
                }));
            }
        }
        for t in tasks {
            if let Err(r) = t.await.unwrap() {
                assert_eq!(r, Refusal::Closed);
            }
        }
        let checked = count(
            &db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM volunteer_signups WHERE activity_id = $1 AND state = 'checked_in'",
            id,
        )
        .await;
        let credited = count(
            &db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM volunteer_hours WHERE activity_id = $1",
            id,
        )
        .await;
        assert_eq!(credited, checked, "{:?}", db.backend);
        assert_eq!(
            count(
                &db,
                "SELECT checked FROM volunteer_activities WHERE id = $1",
                id
            )
            .await,
            checked
        );
        let tenths = count(
            &db,
            "SELECT CAST(COALESCE(MAX(tenths), 0) AS BIGINT) FROM volunteer_hours WHERE activity_id = $1",
            id,
        )
        .await;
        if credited > 0 {
            assert_eq!(tenths, credited_tenths(now - 600, now - 600 + 150 * 60));
        }
        // Closed: a second close and late check-ins change nothing.
        assert_eq!(
            repo::close(&db.pool, 1, id, now).await.unwrap(),
            Err(Refusal::Closed)
        );
        db.drop_db().await;
    }
}

/// The rankings' SQL sums what the ledger holds, and the domain orders it.
#[tokio::test]
async fn the_rankings_sum_the_ledger() {
    for db in TestDb::seeded_both().await {
        let now = app::ssr::now();
        let users = residents(&db, "vrank", "志愿者", 3).await;
        let mut expected = std::collections::HashMap::new();
        for (k, minutes) in [(0usize, 120i64), (1, 90), (2, 240)] {
            let (_, id) = activity(&db, &format!("排行队{k}"), now - 3600, minutes, 10).await;
            for &u in &users[..=k] {
                repo::sign_up(&db.pool, u, id, now).await.unwrap().unwrap();
                repo::check_in(&db.pool, u, id, now).await.unwrap().unwrap();
                *expected.entry(u).or_insert(0i64) += credited_tenths(0, minutes * 60);
            }
            repo::close(&db.pool, 1, id, now).await.unwrap().unwrap();
        }
        let village: String = sqlx::query_scalar(
            "SELECT v.path FROM users u JOIN org_units g ON g.id = u.org_unit_id \
             JOIN org_units v ON v.id = g.parent_id WHERE u.username = 'resident1'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let got = repo::volunteer_hours(&db.pool, &village, now - 86_400, 10)
            .await
            .unwrap();
        assert_eq!(got.len(), 3);
        for (u, _, tenths) in &got {
            assert_eq!(Some(tenths), expected.get(u), "{:?}", db.backend);
        }
        let ranked = rank(got);
        assert_eq!(ranked[0].1, users[0], "the one at every activity leads");
        assert!(ranked.windows(2).all(|w| w[0].3 >= w[1].3));
        let teams = repo::team_hours(&db.pool, &village, now - 86_400)
            .await
            .unwrap();
        let total: i64 = teams.iter().map(|t| t.2).sum();
        assert_eq!(total, expected.values().sum::<i64>());
        let (lines, all, year) = repo::ledger(&db.pool, users[0], now - 86_400)
            .await
            .unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!(all, expected[&users[0]]);
        assert_eq!(year, all);
        db.drop_db().await;
    }
}
