//! 代办 in the store, on both databases: ten proxies taking one request at once (one holds it),
//! a request carried to its rating with a step and an audit row each and the proxy's ledger
//! line, one open request per item, and the proxies' task list against the domain's rule.

use app::domain::roles::Role;
use app::domain::services::{may_proxy, proxy_next, ProxyAction, ProxyActor, ProxyState};
use app::features::services::proxy_repo as repo;

use crate::common::TestDb;

async fn seeded(db: &TestDb) {
    server::seed::services::seed_services(&db.pool, "330825", app::ssr::now())
        .await
        .unwrap();
}

/// The full-proxy item and resident1's id and grid path.
async fn facts(db: &TestDb) -> (i64, i64, i64, String) {
    let (item, days): (i64, i64) = sqlx::query_as(
        "SELECT id, time_limit_days FROM service_items WHERE label = 'full_proxy' ORDER BY id LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let (user, path): (i64, String) = sqlx::query_as(
        "SELECT u.id, g.path FROM users u JOIN org_units g ON g.id = u.org_unit_id \
         WHERE u.username = 'resident1'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    (item, days, user, path)
}

/// `n` grid-worker accounts in the grid at `path`.
async fn proxies(db: &TestDb, tag: &str, path: &str, n: usize) -> Vec<i64> {
    let grid: i64 = sqlx::query_scalar("SELECT id FROM org_units WHERE path = $1")
        .bind(path)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let mut out = Vec::new();
    for i in 0..n {
        out.push(
            sqlx::query_scalar(
                "INSERT INTO users (username, display_name, role, org_unit_id, created_at) \
                 VALUES ($1, $2, 'grid_worker', $3, 0) RETURNING id",
            )
            .bind(format!("{tag}{i}"))
            .bind(format!("网格员{i}"))
            .bind(grid)
            .fetch_one(&db.pool)
            .await
            .unwrap(),
        );
    }
    out
}

async fn count(db: &TestDb, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn ten_proxies_take_one_request_and_one_holds_it() {
    for db in TestDb::seeded_both().await {
        seeded(&db).await;
        let (item, days, user, path) = facts(&db).await;
        let now = app::ssr::now();
        let id = repo::request(&db.pool, user, item, &path, "", days, now)
            .await
            .unwrap();
        let takers = proxies(&db, "taker", &path, 10).await;
        let tasks: Vec<_> = takers
            .iter()
            .map(|&p| {
                let pool = db.pool.clone();
                tokio::spawn(async move {
                    let step = repo::Step {
                        by: p,
                        role: "grid_worker",
                        action: ProxyAction::Take,
                        from: ProxyState::Requested,
                        to: ProxyState::Taken,
                        note: "",
                    };
                    repo::advance(&pool, id, &step, now).await.unwrap()
                })
            })
            .collect();
        let mut won = 0;
        for t in tasks {
            won += usize::from(t.await.unwrap());
        }
        assert_eq!(won, 1, "{:?}", db.backend);
        let holder = repo::get(&db.pool, id)
            .await
            .unwrap()
            .unwrap()
            .proxy
            .unwrap();
        assert!(takers.contains(&holder));
        assert_eq!(
            count(
                &db,
                "SELECT CAST(COUNT(*) AS BIGINT) FROM proxy_steps WHERE request_id = $1",
                id
            )
            .await,
            2,
            "asked and taken, no step for a lost race"
        );
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_request_is_carried_to_its_rating_and_the_proxy_scores() {
    for db in TestDb::seeded_both().await {
        seeded(&db).await;
        let (item, days, user, path) = facts(&db).await;
        let now = app::ssr::now();
        let id = repo::request(&db.pool, user, item, &path, "腿脚不便", days, now)
            .await
            .unwrap();
        // One open request per item.
        assert!(matches!(
            repo::request(&db.pool, user, item, &path, "", days, now).await,
            Err(app::error::AppError::Invalid { reason, .. }) if reason == "proxy_open"
        ));
        let grid1: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'grid1'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        let mut state = ProxyState::Requested;
        let steps = [
            (
                ProxyAction::Take,
                ProxyActor::Eligible,
                grid1,
                "grid_worker",
            ),
            (
                ProxyAction::Advance,
                ProxyActor::Holder,
                grid1,
                "grid_worker",
            ),
            (
                ProxyAction::Advance,
                ProxyActor::Holder,
                grid1,
                "grid_worker",
            ),
            (
                ProxyAction::Advance,
                ProxyActor::Holder,
                grid1,
                "grid_worker",
            ),
            (
                ProxyAction::Rate(5),
                ProxyActor::Requester,
                user,
                "resident",
            ),
        ];
        for (action, who, by, role) in steps {
            let to = proxy_next(state, action, who).unwrap();
            let step = repo::Step {
                by,
                role,
                action,
                from: state,
                to,
                note: "",
            };
            assert!(
                repo::advance(&db.pool, id, &step, now + 60).await.unwrap(),
                "{:?} {action:?}",
                db.backend
            );
            // The same step again is refused: the state has moved on.
            assert!(!repo::advance(&db.pool, id, &step, now + 60).await.unwrap());
            state = to;
        }
        assert_eq!(state, ProxyState::Rated);
        let view = repo::mine(&db.pool, user, now).await.unwrap();
        let v = view.iter().find(|v| v.id == id).unwrap();
        let seen: Vec<&str> = v.steps.iter().map(|s| s.state.as_str()).collect();
        assert_eq!(
            seen,
            [
                "requested",
                "taken",
                "collected",
                "submitted",
                "returned",
                "rated"
            ]
        );
        assert_eq!(v.light, None, "a finished request has no light");
        assert_eq!(v.stars, Some(5));
        assert!(v.due_at > now);
        assert_eq!(
            count(
                &db,
                "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE target = 'proxy:' || CAST($1 AS TEXT)",
                id
            )
            .await,
            6
        );
        assert_eq!(
            count(
                &db,
                "SELECT CAST(COUNT(*) AS BIGINT) FROM score_entries WHERE rule_code = 'g_proxy' \
                 AND source = 'proxy:' || CAST($1 AS TEXT)",
                id
            )
            .await,
            1,
            "{:?}: the grid worker's ledger line",
            db.backend
        );
        // Finished, the resident may ask again for the same item.
        repo::request(&db.pool, user, item, &path, "", days, now)
            .await
            .unwrap();
        db.drop_db().await;
    }
}

/// The task list's SQL (the village's unheld requests and one's own) against `may_proxy`.
#[tokio::test]
async fn the_task_list_shows_what_the_rule_lets_a_proxy_take() {
    for db in TestDb::seeded_both().await {
        seeded(&db).await;
        let (item, days, user, path) = facts(&db).await;
        let now = app::ssr::now();
        let id = repo::request(&db.pool, user, item, &path, "", days, now)
            .await
            .unwrap();
        // A grid of each village of the township, and a grid worker there.
        let grids: Vec<String> = sqlx::query_scalar(
            "SELECT g.path FROM org_units g WHERE g.level = 'grid' AND g.path LIKE ($1 || '%') \
             ORDER BY g.path",
        )
        .bind(app::domain::org::ancestor_path(&path, app::domain::org::OrgLevel::Township).unwrap())
        .fetch_all(&db.pool)
        .await
        .unwrap();
        let mut checked = (0, 0);
        let sample = std::iter::once(path.clone()).chain(grids.into_iter().step_by(7).take(12));
        for (i, g) in sample.enumerate() {
            let g = &g;
            let p = proxies(&db, &format!("tl{i}-"), g, 1).await[0];
            let village = app::domain::services::village_of(g).unwrap();
            let listed = repo::tasks(&db.pool, p, &village, now)
                .await
                .unwrap()
                .iter()
                .any(|v| v.id == id);
            let rule = may_proxy(Role::GridWorker, g, &path);
            assert_eq!(listed, rule, "{:?} {g}", db.backend);
            if rule {
                checked.0 += 1;
            } else {
                checked.1 += 1;
            }
        }
        assert!(
            checked.0 > 0 && checked.1 > 0,
            "grids in and outside the village were checked"
        );
        db.drop_db().await;
    }
}
