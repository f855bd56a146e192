//! One store for both databases: sqlx's Any driver, chosen by the URL.
//! SQLite runs in WAL mode with synchronous=FULL and foreign keys on.

use std::path::Path;
use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(url: &str) -> anyhow::Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            anyhow::bail!("unsupported DATABASE_URL (use sqlite:// or postgres://): {url}")
        }
    }
}

pub fn default_sqlite_url(data_dir: &Path) -> String {
    format!(
        "sqlite://{}?mode=rwc",
        data_dir.join("lianxin.db").display()
    )
}

/// Connects, applies the per-connection settings, and runs the migrations.
pub async fn connect(url: &str) -> anyhow::Result<AnyPool> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of(url)?;
    let options = AnyConnectOptions::from_str(url)?;
    let pool = AnyPoolOptions::new()
        .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    conn.execute("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;")
                        .await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    if backend == Backend::Sqlite {
        // WAL is a property of the database file, so setting it once is enough.
        pool.execute("PRAGMA journal_mode = WAL;").await?;
    }
    migrate(&pool, backend).await?;
    let sealed = app::features::audit::repo::seal_unchained(&pool)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if sealed > 0 {
        tracing::info!(
            sealed,
            "chained the audit rows written before the chain existed"
        );
    }
    crate::seed::catalogue::ensure(&pool).await?;
    Ok(pool)
}

pub async fn migrate(pool: &AnyPool, backend: Backend) -> anyhow::Result<()> {
    match backend {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(pool).await?,
        Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(pool).await?,
    }
    Ok(())
}

pub fn now() -> i64 {
    app::ssr::now()
}
