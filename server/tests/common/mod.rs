//! Test support: real databases (a SQLite file, a PostgreSQL database of the test's own),
//! and the demo county imported into them.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

pub mod http;

use app::domain::org::OrgLevel;
use app::features::events::repo::{self, NewEvent};
use server::db::{self, Backend};
use server::demo::{self, DemoOptions};
use server::import::{self, ImportOptions};
use sqlx::{AnyPool, Connection, Executor};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn pg_admin_url() -> String {
    std::env::var("LIANXIN_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    pub pool: AnyPool,
    pg_name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = db::default_sqlite_url(dir.path());
        let pool = db::connect(&url).await.expect("sqlite connect");
        TestDb {
            backend: Backend::Sqlite,
            url,
            pool,
            pg_name: None,
            _dir: Some(dir),
        }
    }

    pub async fn postgres() -> TestDb {
        let admin = pg_admin_url();
        let name = format!(
            "lianxin_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_millis()
                % 1_000_000
        );
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at {admin} is needed for the store tests: {e}"));
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .unwrap();
        let (base, _) = admin.rsplit_once('/').unwrap();
        let url = format!("{base}/{name}");
        let pool = db::connect(&url).await.expect("postgres connect");
        TestDb {
            backend: Backend::Postgres,
            url,
            pool,
            pg_name: Some(name),
            _dir: None,
        }
    }

    /// Both databases, SQLite first.
    pub async fn both() -> Vec<TestDb> {
        vec![TestDb::sqlite().await, TestDb::postgres().await]
    }

    pub async fn drop_db(self) {
        self.pool.close().await;
        if let Some(name) = self.pg_name {
            let mut conn = sqlx::PgConnection::connect(&pg_admin_url()).await.unwrap();
            conn.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await
                .unwrap();
        }
    }
}

pub fn demo_import() -> ImportOptions {
    let dir = repo_root().join("seed/divisions/330825");
    ImportOptions {
        county: "330825".into(),
        divisions_dir: dir.clone(),
        outline: dir.join("outline.geojson"),
        outline_name: None,
        generate_grids: true,
        grids: None,
        quiet: true,
    }
}

pub fn tiny_import(county: &str) -> ImportOptions {
    let dir = fixtures().join("tiny");
    ImportOptions {
        county: county.into(),
        divisions_dir: dir.clone(),
        outline: dir.join("outline.geojson"),
        outline_name: None,
        generate_grids: true,
        grids: None,
        quiet: true,
    }
}

pub const PASSWORD: &str = "test-password-1";

/// The demo county with a few households per grid, and the tiny neighbour county.
pub async fn seeded(db: &TestDb) {
    import::run(&db.pool, &demo_import()).await.unwrap();
    import::run(&db.pool, &tiny_import("990101")).await.unwrap();
    demo::seed(
        &db.pool,
        db.backend,
        &DemoOptions {
            county: "330825".into(),
            households_per_grid: 2,
            password: PASSWORD.into(),
            quiet: true,
        },
    )
    .await
    .unwrap();
}

/// A report by resident1 in their own grid, written straight through the store (category by
/// code, or the first one).
pub async fn resident_report(
    db: &TestDb,
    key: Option<&str>,
    category: Option<&str>,
    description: &str,
) -> repo::Inserted {
    let (resident, grid, grid_path): (i64, i64, String) = sqlx::query_as(
        "SELECT u.id, o.id, o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id \
         WHERE u.username = 'resident1'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let category = repo::categories(&db.pool)
        .await
        .unwrap()
        .into_iter()
        .find(|c| category.is_none_or(|code| c.code == code))
        .unwrap();
    let cal = repo::calendar(&db.pool).await.unwrap();
    let mut tx = db.pool.begin().await.unwrap();
    let out = repo::insert_event(
        &mut tx,
        &cal,
        &NewEvent {
            idem_key: key.map(str::to_owned),
            channel: "app",
            category,
            grid_id: grid,
            grid_path,
            reporter_user_id: Some(resident),
            reporter_name: "居民".into(),
            reporter_phone: "13800138000".into(),
            description: description.into(),
            address: "村口".into(),
            lng: None,
            lat: None,
            level: OrgLevel::Township,
            urgency: Default::default(),
            at: app::ssr::now(),
        },
        "居民",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    out
}

/// A stable digest of the org network, to prove that a failed import changed nothing.
pub async fn org_digest(pool: &AnyPool) -> String {
    let rows: Vec<(String, String, String, Option<String>)> =
        sqlx::query_as("SELECT code, name, path, geometry FROM org_units ORDER BY code")
            .fetch_all(pool)
            .await
            .unwrap();
    let runs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM import_runs")
        .fetch_one(pool)
        .await
        .unwrap();
    let mut h: u64 = 0xcbf29ce484222325;
    for (a, b, c, d) in &rows {
        for s in [a, b, c, d.as_ref().unwrap_or(&String::new())] {
            for byte in s.bytes() {
                h = (h ^ byte as u64).wrapping_mul(0x100000001b3);
            }
        }
    }
    format!("{}:{}:{h:x}", rows.len(), runs)
}
