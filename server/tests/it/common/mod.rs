//! Test support: real databases (a SQLite file, a PostgreSQL database of the test's own),
//! and the demo county imported into them.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

pub mod http;

use app::domain::org::OrgLevel;
use app::features::events::repo::{self, NewEvent};
use server::db::{self, Backend};
use server::geo::import::{self, ImportOptions};
use server::seed::demo::{self, DemoOptions};
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

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis()
            % 1_000_000
    )
}

async fn pg_admin() -> sqlx::PgConnection {
    let admin = pg_admin_url();
    sqlx::PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin} is needed for the store tests: {e}"))
}

fn pg_url(name: &str) -> String {
    let admin = pg_admin_url();
    let (base, _) = admin.rsplit_once('/').unwrap();
    format!("{base}/{name}")
}

/// Drops a PostgreSQL database from a thread of its own: a test that panicked has no runtime
/// left to do it in, and its database must go all the same.
fn drop_pg_now(name: String) {
    let _ = std::thread::spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        rt.block_on(async {
            if let Ok(mut c) = sqlx::PgConnection::connect(&pg_admin_url()).await {
                let _ = c
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await;
            }
        });
    })
    .join();
}

/// Whether the test process `pid` (from a database or folder name) is still running.
fn alive(pid: &str) -> bool {
    std::path::Path::new("/proc").join(pid).exists()
}

/// The demo county seeded once per test process, and copied for each test that needs it: a
/// SQLite file and a PostgreSQL template database.
struct Templates {
    sqlite_file: PathBuf,
    pg_name: String,
}

static TEMPLATES: tokio::sync::OnceCell<Templates> = tokio::sync::OnceCell::const_new();

async fn templates() -> &'static Templates {
    TEMPLATES
        .get_or_init(|| async {
            install_keys();
            // What earlier runs killed outright (no unwinding) left behind.
            let mut admin = pg_admin().await;
            let names: Vec<String> = sqlx::query_scalar(
                "SELECT datname FROM pg_database WHERE datname LIKE 'lianxin_test_%' \
                 OR datname LIKE 'lianxin_tpl_%'",
            )
            .fetch_all(&mut admin)
            .await
            .unwrap_or_default();
            for n in names {
                let pid = n.split('_').nth(2).unwrap_or_default();
                if !alive(pid) {
                    let _ = admin
                        .execute(format!("DROP DATABASE IF EXISTS {n} WITH (FORCE)").as_str())
                        .await;
                }
            }
            let tmp = std::env::temp_dir();
            if let Ok(dir) = std::fs::read_dir(&tmp) {
                for e in dir.flatten() {
                    let name = e.file_name().to_string_lossy().into_owned();
                    if let Some(pid) = name.strip_prefix("lianxin-tpl-") {
                        if !alive(pid) {
                            let _ = std::fs::remove_dir_all(e.path());
                        }
                    }
                }
            }
            // SQLite: seeded, closed (so the WAL is folded in), then copied per test.
            let dir = tmp.join(format!("lianxin-tpl-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            let url = db::default_sqlite_url(&dir);
            let pool = db::connect(&url).await.expect("sqlite template");
            seed_demo(&pool, Backend::Sqlite).await;
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
            // PostgreSQL: seeded under a temporary name, renamed when complete.
            let building = unique("lianxin_tpl_wip");
            let pg_name = building.replace("lianxin_tpl_wip", "lianxin_tpl");
            admin
                .execute(format!("CREATE DATABASE {building}").as_str())
                .await
                .unwrap();
            let pool = db::connect(&pg_url(&building)).await.expect("pg template");
            seed_demo(&pool, Backend::Postgres).await;
            pool.close().await;
            admin
                .execute(format!("ALTER DATABASE {building} RENAME TO {pg_name}").as_str())
                .await
                .unwrap();
            Templates {
                sqlite_file: dir.join("lianxin.db"),
                pg_name,
            }
        })
        .await
}

/// The text of this process's field keys.
pub fn keys_text() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(app::crypto::KeyRing::generate)
}

/// This process's field keys: one ring for every database the tests make, as a server has.
/// (The rotation test adds a key to it; the ring it installs still holds the first.)
pub fn install_keys() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| app::crypto::install(app::crypto::KeyRing::parse(keys_text()).unwrap()));
}

impl TestDb {
    /// The SQLite file in `dir` (migrated on connect).
    async fn sqlite_in(dir: tempfile::TempDir) -> TestDb {
        install_keys();
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

    /// The PostgreSQL database `name`, already created (migrated on connect).
    async fn postgres_named(name: String) -> TestDb {
        install_keys();
        let url = pg_url(&name);
        let pool = db::connect(&url).await.expect("postgres connect");
        TestDb {
            backend: Backend::Postgres,
            url,
            pool,
            pg_name: Some(name),
            _dir: None,
        }
    }

    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        TestDb::sqlite_in(dir).await
    }

    pub async fn postgres() -> TestDb {
        let name = unique("lianxin_test");
        pg_admin()
            .await
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .unwrap();
        TestDb::postgres_named(name).await
    }

    /// Both databases, SQLite first, empty but for the migrations and the catalogue.
    pub async fn both() -> Vec<TestDb> {
        vec![TestDb::sqlite().await, TestDb::postgres().await]
    }

    /// A SQLite file with the demo county (a copy of this process's template).
    pub async fn seeded_sqlite() -> TestDb {
        let t = templates().await;
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(&t.sqlite_file, dir.path().join("lianxin.db")).unwrap();
        TestDb::sqlite_in(dir).await
    }

    /// A PostgreSQL database with the demo county (created from this process's template).
    pub async fn seeded_postgres() -> TestDb {
        let t = templates().await;
        let name = unique("lianxin_test");
        let mut admin = pg_admin().await;
        // Two copies of one template at once can meet; the second waits its turn.
        let mut tries = 0;
        loop {
            match admin
                .execute(format!("CREATE DATABASE {name} TEMPLATE {}", t.pg_name).as_str())
                .await
            {
                Ok(_) => break,
                Err(e) if tries < 50 => {
                    tries += 1;
                    let _ = e;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => panic!("copying the template: {e}"),
            }
        }
        TestDb::postgres_named(name).await
    }

    /// Both databases with the demo county, SQLite first.
    pub async fn seeded_both() -> Vec<TestDb> {
        vec![
            TestDb::seeded_sqlite().await,
            TestDb::seeded_postgres().await,
        ]
    }

    pub async fn drop_db(self) {
        self.pool.close().await;
        // The rest is Drop's, which also runs when a test panics before it gets here.
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = self.pg_name.take() {
            drop_pg_now(name);
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
async fn seed_demo(pool: &AnyPool, backend: Backend) {
    import::run(pool, &demo_import()).await.unwrap();
    import::run(pool, &tiny_import("990101")).await.unwrap();
    demo::seed(
        pool,
        backend,
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

/// How many of attempts sent at once got through (each task answers whether it did).
pub async fn successes(tasks: Vec<tokio::task::JoinHandle<bool>>) -> i64 {
    let mut n = 0;
    for t in tasks {
        n += t.await.unwrap() as i64;
    }
    n
}

/// A `w` × `h` JPEG (a gradient), as a phone camera would send one.
pub fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 120]));
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&img)
        .unwrap();
    out
}

/// `n` resident accounts in resident1's grid, named `{tag}{i}` (display name `{label}{i}`).
pub async fn residents(db: &TestDb, tag: &str, label: &str, n: usize) -> Vec<i64> {
    let grid: i64 =
        sqlx::query_scalar("SELECT org_unit_id FROM users WHERE username = 'resident1'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, display_name, role, org_unit_id, created_at) \
             VALUES ($1, $2, 'resident', $3, 0) RETURNING id",
        )
        .bind(format!("{tag}{i}"))
        .bind(format!("{label}{i}"))
        .bind(grid)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        out.push(id);
    }
    out
}
