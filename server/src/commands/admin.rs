//! Administrators with a one-time password: made by the first start of a database that has a
//! county but no accounts, or by `server create-admin`. The password is shown once, here, and
//! must be changed at the first sign-in; nothing prints it again.

use anyhow::Context;
use sqlx::AnyPool;

/// Sixteen characters from an alphabet without look-alikes (no 0/O, 1/l/I).
fn one_time_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    (0..16)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Creates `username` as an administrator of the county (`county` code, or the first one),
/// and returns the one-time password.
pub async fn create(
    pool: &AnyPool,
    username: &str,
    county: Option<&str>,
) -> anyhow::Result<(String, String)> {
    let username = username.trim();
    anyhow::ensure!(
        !username.is_empty() && username.len() <= 40,
        "a username of 1 to 40 characters"
    );
    let unit: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM org_units WHERE level = 'county' AND ($1 = '' OR code = $1) \
         ORDER BY code LIMIT 1",
    )
    .bind(county.unwrap_or(""))
    .fetch_optional(pool)
    .await?;
    let unit = unit.context(
        "no county imported yet: import one with `server import …` (see the README), then run \
         `server create-admin`",
    )?;
    let password = one_time_password();
    let hash = app::features::auth::hashing::hash_now(&password)
        .map_err(|e| anyhow::anyhow!("hashing: {e}"))?;
    let mut tx = pool.begin().await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO users (username, password_hash, display_name, role, org_unit_id, \
         must_change_password, created_at) VALUES ($1, $2, '系统管理员', 'admin', $3, 1, $4) \
         ON CONFLICT (username) DO NOTHING RETURNING id",
    )
    .bind(username)
    .bind(&hash)
    .bind(unit)
    .bind(app::ssr::now())
    .fetch_optional(&mut *tx)
    .await?;
    let id = id.with_context(|| format!("an account named {username} already exists"))?;
    app::ssr::audit(&mut tx, None, "admin_created", username, &id.to_string())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    tx.commit().await?;
    Ok((username.to_string(), password))
}

pub fn print_once(username: &str, password: &str) {
    println!("┌──────────────────────────────────────────────────────────────┐");
    println!("│ administrator: {username:<46}│");
    println!("│ one-time password: {password:<42}│");
    println!("│ shown this once; it must be changed at the first sign-in.    │");
    println!("└──────────────────────────────────────────────────────────────┘");
}
