//! `server serve`: the first start of an empty database (the demo county on request, else one
//! administrator with a one-time password), then the web server and its housekeeping.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use sqlx::AnyPool;

use super::{admin, ServeArgs, DEMO_COUNTY};
use crate::db::Backend;
use crate::geo::import::{self, ImportOptions};
use crate::http::{self, WebConfig};
use crate::seed::demo::{self, DemoOptions, DEMO_PASSWORD};

pub fn demo_password() -> String {
    std::env::var("LIANXIN_DEMO_PASSWORD").unwrap_or_else(|_| DEMO_PASSWORD.to_string())
}

pub fn print_demo(s: &demo::DemoSummary) {
    println!(
        "demo data: {} departments, {} buildings, {} households, {} residents, {} party members, {} grid staff",
        s.departments, s.buildings, s.households, s.residents, s.party_members, s.grid_staff
    );
}

/// The first start of an empty database: the demo county when asked for (`--demo`), else one
/// administrator whose one-time password is shown now and never again.
pub async fn first_start(pool: &AnyPool, backend: Backend, args: &ServeArgs) -> anyhow::Result<()> {
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(pool)
        .await?;
    if users > 0 {
        return Ok(());
    }
    if !args.demo {
        match admin::create(pool, "admin", None).await {
            Ok((username, password)) => admin::print_once(&username, &password),
            // Nothing to administer yet: say how to begin, and serve all the same.
            Err(e) => println!("{e:#}"),
        }
        return Ok(());
    }
    let units: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM org_units")
        .fetch_one(pool)
        .await?;
    if units > 0 {
        anyhow::bail!("--demo needs an empty database, and this one already has units");
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
    println!(
        "demo accounts: {} (their password is in the README, or LIANXIN_DEMO_PASSWORD)",
        s.accounts
            .iter()
            .map(|a| a.0.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("a year of demo events …");
    let n = crate::seed::history::seed(
        pool,
        &crate::seed::history::HistoryOptions {
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
    let a =
        crate::seed::activities::seed_activities(pool, DEMO_COUNTY, app::ssr::now(), 2026, false)
            .await?;
    let w = crate::seed::activities::seed_awards(pool).await?;
    let (m, att) =
        crate::seed::meetings::seed_meetings(pool, DEMO_COUNTY, app::ssr::now(), 2026, false)
            .await?;
    println!("branch meetings: {m}, with {att} attendances");
    let links = crate::seed::links::seed_links(pool, DEMO_COUNTY, false).await?;
    println!("member households: {links}");
    let (terms, dues) =
        crate::seed::affairs::seed_affairs(pool, DEMO_COUNTY, app::ssr::now(), false).await?;
    println!("branch affairs: {terms} elections, {dues} members' dues");
    let wishes = crate::seed::wishes::seed_wishes(pool).await?;
    println!("small wishes: {wishes}");
    let (items, points, slots) =
        crate::seed::services::seed_services(pool, DEMO_COUNTY, app::ssr::now()).await?;
    println!("resident services: {items} items, {points} service points, {slots} slots");
    let (teams, activities) =
        crate::seed::volunteers::seed_volunteers(pool, app::ssr::now()).await?;
    println!("volunteering: {teams} teams, {activities} activities");
    let open = crate::seed::disclosures::seed_disclosures(pool, app::ssr::now()).await?;
    println!("三务公开 and notices: {open}");
    let (jobs, views) = crate::seed::jobs::seed_jobs(pool, DEMO_COUNTY, app::ssr::now()).await?;
    println!("jobs: {jobs}, with {views} views");
    let (ap, st) =
        crate::seed::development::seed_development(pool, DEMO_COUNTY, app::ssr::now(), 2026, false)
            .await?;
    println!("member development: {ap} applicants, {st} steps");
    let p = crate::commands::score_backfill::backfill(pool, false).await?;
    println!("points ledger: {p} entries from the events, {a} activities and {w} awards");
    Ok(())
}

pub async fn serve(
    pool: AnyPool,
    backend: Backend,
    args: ServeArgs,
    data_dir: PathBuf,
) -> anyhow::Result<()> {
    first_start(&pool, backend, &args).await?;
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
            (Some(id), Some(secret)) => Some(crate::http::wechat::WechatConfig {
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
        public_url: args.public_url.clone(),
    };
    let (app, live) = http::router_with_live(pool.clone(), &cfg, None);
    crate::jobs::spawn(pool.clone(), live.notifier());
    let store = crate::http::sessions::DbSessionStore::new(pool.clone());
    let (sweep_pool, sweep_dir) = (pool.clone(), cfg.data_dir.clone());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "could not delete expired sessions");
            }
            // Uploads cut off by a crash: a note older than ten minutes has no request behind it.
            crate::http::photos::sweep_pending(&sweep_dir, &sweep_pool, 600).await;
        }
    });
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    println!("Lianxin 连心 is running at http://{addr}");
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
