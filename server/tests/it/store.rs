//! The store on both real databases: migrations and settings, import, demo seed, the org
//! repository, and the session store.

use crate::common::TestDb;
use app::domain::identity::is_valid_id_number;
use app::features::org::repo;
use server::db::Backend;
use server::http::sessions::DbSessionStore;
use tower_sessions::session::{Id, Record};
use tower_sessions::SessionStore;

async fn count(db: &TestDb, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap()
}

#[tokio::test]
async fn sqlite_runs_in_wal_with_full_sync_and_foreign_keys() {
    let db = TestDb::sqlite().await;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(sync, 2, "synchronous=FULL");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(fk, 1);
    // A dangling reference is refused.
    let r = sqlx::query("INSERT INTO departments (org_unit_id, name) VALUES (424242, 'x')")
        .execute(&db.pool)
        .await;
    assert!(r.is_err());
    db.drop_db().await;
}

#[tokio::test]
async fn demo_county_imports_and_seeds_on_both_databases() {
    for db in TestDb::seeded_both().await {
        let label = format!("{:?}", db.backend);
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM org_units WHERE level = 'county' AND code = '330825'"
            )
            .await,
            1,
            "{label}"
        );
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM org_units WHERE level = 'township' AND code LIKE '330825%'"
            )
            .await,
            15
        );
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM org_units WHERE level = 'village' AND code LIKE '330825%'"
            )
            .await,
            288
        );
        let grids = count(
            &db,
            "SELECT COUNT(*) FROM org_units WHERE level = 'grid' AND code LIKE '330825%'",
        )
        .await;
        assert!((2 * 288..=6 * 288).contains(&grids), "{grids} grids");
        // Every grid sits under a village, every village under a township, and paths agree.
        let orphans = count(
            &db,
            "SELECT COUNT(*) FROM org_units c JOIN org_units p ON p.id = c.parent_id \
             WHERE NOT ((c.level = 'township' AND p.level = 'county') OR (c.level = 'village' AND p.level = 'township') \
               OR (c.level = 'grid' AND p.level = 'village') OR (c.level = 'building' AND p.level = 'grid')) \
               OR c.path <> p.path || CAST(c.id AS TEXT) || '/'",
        )
        .await;
        assert_eq!(orphans, 0, "{label}: misplaced units");
        // A party branch and staff on every grid.
        let no_branch = count(
            &db,
            "SELECT COUNT(*) FROM org_units g WHERE g.level = 'grid' AND g.code LIKE '330825%' \
             AND NOT EXISTS (SELECT 1 FROM party_branches b WHERE b.org_unit_id = g.id)",
        )
        .await;
        assert_eq!(no_branch, 0);
        for duty in ["leader", "worker", "instructor"] {
            let missing = count(
                &db,
                &format!(
                    "SELECT COUNT(*) FROM org_units g WHERE g.level = 'grid' AND g.code LIKE '330825%' \
                     AND NOT EXISTS (SELECT 1 FROM grid_staff s WHERE s.grid_id = g.id AND s.duty = '{duty}')"
                ),
            )
            .await;
            assert_eq!(missing, 0, "grids without a {duty}");
        }
        let ids: Vec<String> = sqlx::query_scalar("SELECT id_number FROM residents")
            .fetch_all(&db.pool)
            .await
            .unwrap();
        assert!(ids.len() > 1000);
        assert!(ids.iter().all(|i| i.starts_with("enc1:")), "sealed at rest");
        let ids: Vec<String> = ids
            .iter()
            .map(|i| app::crypto::open("residents.id_number", i).unwrap())
            .collect();
        assert!(
            ids.iter().all(|i| is_valid_id_number(i)),
            "every fake ID passes the check digit"
        );
        assert!(count(&db, "SELECT COUNT(*) FROM party_members WHERE post = ''").await > 0);
        assert!(count(&db, "SELECT COUNT(*) FROM party_members WHERE migrant = 1").await > 0);
        assert!(count(&db, "SELECT COUNT(*) FROM departments").await >= 15 * 8);
        // After explicit ids, PostgreSQL's identity sequences must still hand out fresh ids.
        let grid_id: i64 =
            sqlx::query_scalar("SELECT id FROM org_units WHERE level = 'grid' ORDER BY id LIMIT 1")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        sqlx::query("INSERT INTO households (grid_id, address, head_name) VALUES ($1, 'x', 'y')")
            .bind(grid_id)
            .execute(&db.pool)
            .await
            .expect("identity sequence is past the seeded ids");
        db.drop_db().await;
    }
}

#[tokio::test]
async fn org_repository_reads_on_both_databases() {
    for db in TestDb::seeded_both().await {
        let town: (i64, String, String) = sqlx::query_as(
            "SELECT id, code, path FROM org_units WHERE level = 'township' ORDER BY code LIMIT 1",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let node = repo::node(&db.pool, town.0).await.unwrap().unwrap();
        assert_eq!(node.code, town.1);
        let villages = repo::children(&db.pool, town.0).await.unwrap();
        assert!(!villages.is_empty());
        assert_eq!(node.child_count as usize, villages.len());
        assert!(villages
            .iter()
            .all(|v| v.level == "village" && v.code.starts_with(&town.1)));
        let (geojson, n) = repo::map_geojson(&db.pool, &town.2).await.unwrap();
        let parsed: serde_json::Value = serde_json::from_str(&geojson).unwrap();
        let features = parsed["features"].as_array().unwrap();
        assert_eq!(features.len(), n);
        assert!(features.iter().all(|f| f["properties"]["code"]
            .as_str()
            .unwrap()
            .starts_with(&town.1)));
        assert!(features.iter().any(|f| f["properties"]["level"] == "grid"));
        let grid = repo::children(&db.pool, villages[0].id)
            .await
            .unwrap()
            .remove(0);
        let ledger = repo::ledger(&db.pool, grid.id).await.unwrap();
        assert!(ledger.branch_name.unwrap().ends_with("党支部"));
        assert!(ledger.staff.iter().any(|s| s.duty == "leader"));
        assert!(
            ledger.staff.iter().all(|s| s.phone.contains("****")),
            "phones are masked"
        );
        assert!(ledger.households > 0 && ledger.residents >= ledger.households);
        assert!(!ledger.buildings.is_empty());
        db.drop_db().await;
    }
}

#[tokio::test]
async fn session_store_round_trip_on_both_databases() {
    for db in TestDb::both().await {
        let store = DbSessionStore::new(db.pool.clone());
        let mut data = std::collections::HashMap::new();
        data.insert("uid".to_string(), serde_json::json!(7));
        let mut record = Record {
            id: Id::default(),
            data,
            expiry_date: time::OffsetDateTime::now_utc() + time::Duration::minutes(30),
        };
        store.create(&mut record).await.unwrap();
        let loaded = store
            .load(&record.id)
            .await
            .unwrap()
            .expect("saved session loads");
        assert_eq!(loaded.data.get("uid"), Some(&serde_json::json!(7)));
        // Expired sessions do not load and are cleaned up.
        let mut old = record.clone();
        old.id = Id::default();
        old.expiry_date = time::OffsetDateTime::now_utc() - time::Duration::minutes(1);
        store.save(&old).await.unwrap();
        assert!(store.load(&old.id).await.unwrap().is_none());
        assert_eq!(store.delete_expired().await.unwrap(), 1);
        store.delete(&record.id).await.unwrap();
        assert!(store.load(&record.id).await.unwrap().is_none());
        assert!(matches!(db.backend, Backend::Sqlite | Backend::Postgres));
        db.drop_db().await;
    }
}

#[tokio::test]
async fn catalogue_is_seeded_once_on_both_databases() {
    for db in TestDb::both().await {
        let boards: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT board FROM categories ORDER BY board")
                .fetch_all(&db.pool)
                .await
                .unwrap();
        assert_eq!(
            boards,
            [
                "business",
                "dispute",
                "epidemic",
                "livelihood",
                "petition",
                "security"
            ]
        );
        let n = count(&db, "SELECT COUNT(*) FROM categories").await;
        assert!((36..=48).contains(&n), "{n} subcategories");
        // Every category has an owner at both levels of the responsibility list.
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM responsibilities").await,
            2 * n
        );
        let spring: String =
            sqlx::query_scalar("SELECT kind FROM calendar_days WHERE day = '2026-02-14'")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(
            spring, "workday",
            "a Saturday worked before Spring Festival"
        );
        // Connecting again (a restart) adds nothing.
        server::seed::catalogue::ensure(&db.pool).await.unwrap();
        assert_eq!(count(&db, "SELECT COUNT(*) FROM categories").await, n);
        db.drop_db().await;
    }
}

/// A test that panics still drops its PostgreSQL database (the guard's Drop does it).
#[test]
fn a_panicking_test_leaves_no_database_behind() {
    use std::sync::Mutex;
    static NAME: Mutex<String> = Mutex::new(String::new());
    let result = std::thread::spawn(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let db = TestDb::postgres().await;
            *NAME.lock().unwrap() = db.url.rsplit('/').next().unwrap().to_string();
            panic!("on purpose, with the database open");
        })
    })
    .join();
    assert!(result.is_err());
    let name = NAME.lock().unwrap().clone();
    assert!(name.starts_with("lianxin_test_"), "{name}");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let left: i64 = rt.block_on(async {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(&crate::common::pg_admin_url())
            .await
            .unwrap();
        sqlx::query_scalar("SELECT COUNT(*) FROM pg_database WHERE datname = $1")
            .bind(&name)
            .fetch_one(&mut c)
            .await
            .unwrap()
    });
    assert_eq!(left, 0, "{name} was left behind");
}
