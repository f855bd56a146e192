//! `server bench`: prints figures. Intake events per second through the HTTP report endpoint on
//! loopback beside the raw sqlx insert rate of the same rows, and KPI query latency (p50/p95) for
//! one township and for the county at a given number of events, branch life (`party`), booking
//! under load (`services`), the jobs demand picture over a year (`jobs`), the audit chain and a
//! key rotation (`archive`), on SQLite
//! and, when one answers, PostgreSQL.

pub mod archive;
pub mod jobs;
pub mod party;
pub mod photos;
pub mod screens;
pub mod security;
pub mod services;

use std::net::SocketAddr;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use futures_util::StreamExt;
use sqlx::{AnyPool, Connection, Executor};

use crate::db;

/// Resident set size of this process in KiB (Linux), 0 elsewhere.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}
use crate::geo::import::{self, ImportOptions};
use crate::seed::demo::{self, DemoOptions};
use crate::seed::history::{self, HistoryOptions};

pub struct BenchOptions {
    pub intake: usize,
    pub concurrency: usize,
    pub kpi_events: usize,
    pub runs: usize,
    /// Screens connected for the push-latency figure.
    pub screens: usize,
    /// Sign-ins sent at once for the security figure.
    pub sign_ins: usize,
    /// Only these parts (intake, screens, kpi, security, photos, party, services, jobs); all when empty.
    pub only: Vec<String>,
    pub divisions: std::path::PathBuf,
    pub postgres: Option<String>,
}

async fn demo_county(
    pool: &AnyPool,
    backend: db::Backend,
    dir: &Path,
    people: bool,
) -> anyhow::Result<()> {
    import::run(
        pool,
        &ImportOptions {
            county: crate::commands::DEMO_COUNTY.into(),
            divisions_dir: dir.to_path_buf(),
            outline: dir.join("outline.geojson"),
            outline_name: None,
            generate_grids: true,
            grids: None,
            quiet: true,
        },
    )
    .await?;
    if people {
        demo::seed(
            pool,
            backend,
            &DemoOptions {
                county: crate::commands::DEMO_COUNTY.into(),
                households_per_grid: 2,
                password: "bench-password".into(),
                quiet: true,
            },
        )
        .await?;
    }
    Ok(())
}

pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// A database of the bench's own: a SQLite file in a temp folder, or a fresh PostgreSQL database.
struct BenchDb {
    pool: AnyPool,
    backend: db::Backend,
    drop: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

async fn open(pg_admin: Option<&str>) -> anyhow::Result<BenchDb> {
    let dir = tempfile::tempdir()?;
    match pg_admin {
        None => Ok(BenchDb {
            pool: db::connect(&db::default_sqlite_url(dir.path())).await?,
            backend: db::Backend::Sqlite,
            drop: None,
            _dir: dir,
        }),
        Some(admin) => {
            let name = format!("lianxin_bench_{}", std::process::id());
            let mut c = sqlx::PgConnection::connect(admin).await?;
            c.execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
                .await?;
            c.execute(format!("CREATE DATABASE {name}").as_str())
                .await?;
            let (base, _) = admin
                .rsplit_once('/')
                .context("admin URL without a database")?;
            Ok(BenchDb {
                pool: db::connect(&format!("{base}/{name}")).await?,
                backend: db::Backend::Postgres,
                drop: Some((admin.to_string(), name)),
                _dir: dir,
            })
        }
    }
}

impl BenchDb {
    async fn close(self) -> anyhow::Result<()> {
        self.pool.close().await;
        if let Some((admin, name)) = self.drop {
            let mut c = sqlx::PgConnection::connect(&admin).await?;
            c.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await?;
        }
        Ok(())
    }
}

pub async fn run(opts: &BenchOptions) -> anyhow::Result<()> {
    let pg = match &opts.postgres {
        Some(url) if sqlx::PgConnection::connect(url).await.is_ok() => Some(url.clone()),
        _ => None,
    };
    let mut targets: Vec<Option<&str>> = vec![None];
    if let Some(u) = &pg {
        targets.push(Some(u.as_str()));
    } else {
        println!("(no PostgreSQL answered: SQLite only)");
    }
    let part = |p: &str| opts.only.is_empty() || opts.only.iter().any(|o| o == p);
    if part("photos") {
        photos::run()?;
    }
    if part("security") {
        // The database plays no part in turning strangers away: SQLite only.
        let db = open(None).await?;
        security::run(&db.pool, opts.sign_ins).await?;
        db.close().await?;
    }
    for t in targets {
        let label = if t.is_some() { "PostgreSQL" } else { "SQLite" };
        if part("party") {
            let db = open(t).await?;
            demo_county(&db.pool, db.backend, &opts.divisions, true).await?;
            party::run(&db.pool, label, opts.runs).await?;
            db.close().await?;
        }
        if part("services") {
            let db = open(t).await?;
            demo_county(&db.pool, db.backend, &opts.divisions, true).await?;
            services::run(&db.pool, label).await?;
            db.close().await?;
        }
        if part("archive") {
            // Its own ring, so the rotation is real work and touches nothing outside the bench.
            let ring = app::crypto::KeyRing::generate();
            app::crypto::install(
                app::crypto::KeyRing::parse(&ring).map_err(|e| anyhow::anyhow!("{e}"))?,
            );
            let db = open(t).await?;
            demo_county(&db.pool, db.backend, &opts.divisions, true).await?;
            archive::run(&db.pool, label, &ring).await?;
            db.close().await?;
        }
        if part("jobs") {
            let db = open(t).await?;
            demo_county(&db.pool, db.backend, &opts.divisions, true).await?;
            jobs::run(&db.pool, label, opts.runs).await?;
            db.close().await?;
        }
        if part("intake") || part("screens") {
            let db = open(t).await?;
            demo_county(&db.pool, db.backend, &opts.divisions, true).await?;
            if part("intake") {
                intake(&db.pool, label, opts).await?;
            }
            if part("screens") {
                screens::run(&db.pool, label, opts.screens, 20).await?;
            }
            db.close().await?;
        }
        if part("kpi") {
            let db = open(t).await?;
            demo_county(&db.pool, db.backend, &opts.divisions, false).await?;
            kpi(&db.pool, label, opts).await?;
            db.close().await?;
        }
    }
    Ok(())
}

/// The app on a loopback port without quotas: its base URL, the server task and its data folder.
pub struct Loopback {
    pub base: String,
    pub server: tokio::task::JoinHandle<std::io::Result<()>>,
    _data: tempfile::TempDir,
}

pub async fn loopback(pool: &AnyPool) -> anyhow::Result<Loopback> {
    loopback_with(pool, crate::http::limits::Limits::unlimited()).await
}

/// The app on a loopback port with the given quotas.
pub async fn loopback_with(
    pool: &AnyPool,
    limits: crate::http::limits::Limits,
) -> anyhow::Result<Loopback> {
    let data = tempfile::tempdir()?;
    let cfg = crate::http::WebConfig {
        site_root: "target/site".into(),
        addr: "127.0.0.1:0".parse()?,
        tile_url: None,
        secure_cookies: false,
        data_dir: data.path().to_path_buf(),
        wechat: None,
        sms: None,
        public_url: None,
        limits: Some(limits),
    };
    let app = crate::http::router(pool.clone(), &cfg);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });
    Ok(Loopback {
        base: format!("http://{addr}"),
        server,
        _data: data,
    })
}

async fn intake(pool: &AnyPool, label: &str, opts: &BenchOptions) -> anyhow::Result<()> {
    let lb = loopback(pool).await?;
    let base = lb.base.clone();
    let server = &lb.server;
    let http = reqwest::Client::new();
    let login = http
        .post(format!("{base}/api/login"))
        .header("Accept", "application/json")
        .form(&[("username", "resident1"), ("password", "bench-password")])
        .send()
        .await?;
    let cookie = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("lianxin_sid="))
        .and_then(|v| v.split(';').next())
        .context("login gave no session")?
        .to_string();
    let category: i64 = sqlx::query_scalar("SELECT id FROM categories WHERE code = 'L02'")
        .fetch_one(pool)
        .await?;
    let (lng, lat): (f64, f64) = sqlx::query_as(
        "SELECT o.center_lng, o.center_lat FROM users u JOIN org_units o ON o.id = u.org_unit_id \
         WHERE u.username = 'resident1'",
    )
    .fetch_one(pool)
    .await?;
    let t0 = Instant::now();
    let codes: Vec<u16> = futures_util::stream::iter(0..opts.intake)
        .map(|i| {
            let form = reqwest::multipart::Form::new()
                .text("idem_key", format!("bench-{i}"))
                .text("channel", "app")
                .text("category", category.to_string())
                .text("description", format!("压测事件 {i}：路灯不亮"))
                .text("lng", lng.to_string())
                .text("lat", lat.to_string());
            let req = http
                .post(format!("{base}/report"))
                .header("Accept", "application/json")
                .header("Cookie", cookie.clone())
                .multipart(form);
            async move { req.send().await.map(|r| r.status().as_u16()).unwrap_or(0) }
        })
        .buffer_unordered(opts.concurrency)
        .collect()
        .await;
    let http_secs = t0.elapsed().as_secs_f64();
    server.abort();
    let ok = codes.iter().filter(|c| **c == 201).count();
    anyhow::ensure!(
        ok == opts.intake,
        "{} of {} reports failed",
        opts.intake - ok,
        opts.intake
    );

    // The same rows, straight into the table: one transaction per event, as intake does.
    #[derive(sqlx::FromRow)]
    struct Template {
        channel: String,
        category_id: i64,
        grid_id: i64,
        grid_path: String,
        township_id: i64,
        village_id: i64,
        holder_path: String,
        limit_secs: i64,
        due_at: i64,
        yellow_at: i64,
    }
    let template: Vec<Template> = sqlx::query_as(
        "SELECT channel, category_id, grid_id, grid_path, township_id, village_id, holder_path, \
         limit_secs, due_at, yellow_at FROM events ORDER BY id LIMIT 1",
    )
    .fetch_all(pool)
    .await?;
    let row = template.first().context("no event to copy")?;
    let t1 = Instant::now();
    for i in 0..opts.intake {
        let mut tx = pool.begin().await?;
        sqlx::query(
            "INSERT INTO events (tracking_no, channel, category_id, grid_id, grid_path, township_id, \
             village_id, level, holder_path, state, reporter_name, description, lng, lat, created_at, \
             updated_at, limit_secs, due_at, yellow_at) VALUES ($1, $2, $3, $4, $5, $6, $7, \
             'township', $8, 'reported', '', $9, $10, $11, $12, $12, $13, $14, $15)",
        )
        .bind(format!("RAW{i:09}"))
        .bind(&row.channel)
        .bind(row.category_id)
        .bind(row.grid_id)
        .bind(&row.grid_path)
        .bind(row.township_id)
        .bind(row.village_id)
        .bind(&row.holder_path)
        .bind(format!("压测事件 {i}：路灯不亮"))
        .bind(lng)
        .bind(lat)
        .bind(app::ssr::now())
        .bind(row.limit_secs)
        .bind(row.due_at)
        .bind(row.yellow_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    }
    let raw_secs = t1.elapsed().as_secs_f64();
    let http_rate = opts.intake as f64 / http_secs;
    let raw_rate = opts.intake as f64 / raw_secs;
    println!(
        "[{label}] intake over HTTP ({} reports, {} at a time): {http_rate:.0} events/s",
        opts.intake, opts.concurrency
    );
    println!("[{label}] raw sqlx insert of the same rows: {raw_rate:.0} events/s");
    println!(
        "[{label}] HTTP / raw: {:.2} (the endpoint does auth, rate limits, multipart, point-in-polygon, \
         validation, idempotency check, timeline step and audit)",
        http_rate / raw_rate
    );
    Ok(())
}

async fn kpi(pool: &AnyPool, label: &str, opts: &BenchOptions) -> anyhow::Result<()> {
    let days = 365;
    let end = app::ssr::now();
    let t0 = Instant::now();
    let n = history::seed(
        pool,
        &HistoryOptions {
            county: crate::commands::DEMO_COUNTY.into(),
            days,
            per_day: opts.kpi_events as f64 / days as f64 / 1.02,
            end,
            seed: 7,
            with_steps: false,
            quiet: true,
        },
    )
    .await?;
    println!(
        "[{label}] seeded {n} events in {:.1} s",
        t0.elapsed().as_secs_f64()
    );
    let county: String = sqlx::query_scalar("SELECT path FROM org_units WHERE level = 'county'")
        .fetch_one(pool)
        .await?;
    let town: String = sqlx::query_scalar(
        "SELECT path FROM org_units WHERE level = 'township' ORDER BY id LIMIT 1",
    )
    .fetch_one(pool)
    .await?;
    let from = end - days * 86_400;
    for (name, path) in [("township", &town), ("county", &county)] {
        let mut ms = Vec::with_capacity(opts.runs);
        let mut k = None;
        for _ in 0..opts.runs {
            let t = Instant::now();
            k = Some(app::features::kpi::repo::kpi_counts(pool, path, from, end).await?);
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        ms.sort_by(|a, b| a.total_cmp(b));
        let k = k.context("no runs")?;
        println!(
            "[{label}] KPI for the {name} over a year ({} events): p50 {:.1} ms, p95 {:.1} ms",
            k.reported,
            percentile(&ms, 0.5),
            percentile(&ms, 0.95)
        );
    }
    let mut ms = Vec::new();
    for _ in 0..opts.runs {
        let t = Instant::now();
        app::features::kpi::repo::kpi_by_township(pool, &county, from, end).await?;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(|a, b| a.total_cmp(b));
    println!(
        "[{label}] KPI ranking of all townships: p50 {:.1} ms, p95 {:.1} ms",
        percentile(&ms, 0.5),
        percentile(&ms, 0.95)
    );
    Ok(())
}
