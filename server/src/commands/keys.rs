//! The field keys (app::crypto): where the ring comes from — `LIANXIN_KEYS` (lines, or `;`
//! between them), `LIANXIN_KEYS_FILE`, or `keys` in the data folder, created on the first start
//! with owner-only permissions — and `server keys rotate`: a new key in the file, then every
//! value sealed again under it, with progress and its rate.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use app::crypto::KeyRing;
use sqlx::AnyPool;

use crate::geo::import::progress;

/// Where the ring was read from.
#[derive(Debug, Clone)]
pub enum Source {
    Env,
    File(PathBuf),
}

fn file_of(data_dir: &Path) -> PathBuf {
    std::env::var_os("LIANXIN_KEYS_FILE")
        .map(PathBuf::from)
        .unwrap_or_else(|| data_dir.join("keys"))
}

fn write_secret(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let tmp = path.with_extension("new");
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    o.mode(0o600);
    let mut f = o
        .open(&tmp)
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// Reads the key ring, making the file on a first start; never prints a key.
pub fn load(data_dir: &Path) -> anyhow::Result<(KeyRing, Source)> {
    if let Ok(text) = std::env::var("LIANXIN_KEYS") {
        let ring = KeyRing::parse(&text.replace(';', "\n"))
            .map_err(|e| anyhow::anyhow!("LIANXIN_KEYS: {e}"))?;
        return Ok((ring, Source::Env));
    }
    let path = file_of(data_dir);
    if !path.exists() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        write_secret(&path, &KeyRing::generate())?;
        tracing::warn!(file = %path.display(), "created a new key ring for the field encryption: back it up");
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read the key ring {}", path.display()))?;
    let ring = KeyRing::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok((ring, Source::File(path)))
}

/// Installs the ring after checking it against the database; seals what an upgraded database
/// still holds in plaintext.
pub async fn install(pool: &AnyPool, ring: KeyRing) -> anyhow::Result<()> {
    app::crypto::check_probes(pool, &ring)
        .await
        .map_err(|e| anyhow::anyhow!("the field keys do not fit this database: {e}"))?;
    app::crypto::install(ring);
    let n = app::crypto::reseal(pool, 1_000, |_, _| {})
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if n > 0 {
        tracing::info!(n, "sealed identifiers that were stored in plaintext");
    }
    Ok(())
}

/// `server keys rotate`: adds a key to the file (which becomes current) and seals everything
/// again under it. The process's ring is installed only after the file is written, so a
/// failure leaves the old ring in use and the old values readable.
pub async fn rotate(pool: &AnyPool, source: &Source, quiet: bool) -> anyhow::Result<String> {
    let Source::File(path) = source else {
        anyhow::bail!(
            "the key ring comes from LIANXIN_KEYS: add a `key <id> <base64>` line there and run `server keys reseal`"
        );
    };
    let text = std::fs::read_to_string(path)?;
    let (next, id) = KeyRing::add_key(&text).map_err(|e| anyhow::anyhow!("{e}"))?;
    let ring = KeyRing::parse(&next).map_err(|e| anyhow::anyhow!("{e}"))?;
    app::crypto::check_probes(pool, &ring)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    write_secret(path, &next)?;
    app::crypto::install(ring);
    let line = reseal(pool, quiet).await?;
    Ok(format!("new key {id}; {line}"))
}

/// Seals again every value not under the current key, with a progress bar; the figures.
pub async fn reseal(pool: &AnyPool, quiet: bool) -> anyhow::Result<String> {
    let pb = progress(0, "values", quiet);
    let started = Instant::now();
    let n = app::crypto::reseal(pool, 1_000, |done, total| {
        pb.set_length(total);
        pb.set_position(done);
    })
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    pb.finish_and_clear();
    let secs = started.elapsed().as_secs_f64().max(1e-6);
    Ok(format!(
        "{n} values sealed again in {secs:.2} s ({:.0} values/s)",
        n as f64 / secs
    ))
}
