//! The sealed columns, in one list: what `seal`/`open` accept, what a reseal walks (after a key
//! is added, or on an upgraded database still holding plaintext), and which blind index each
//! fills. The key ring's probes in the database make a start with the wrong keys fail at once.

use sqlx::AnyPool;

use super::{ring, ring_for, KeyRing};
use crate::error::AppError;

/// A sealed column and, for the looked-up ones, its blind index column and kind.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub table: &'static str,
    pub column: &'static str,
    pub index: Option<(&'static str, &'static str)>,
}

impl Field {
    /// The associated data the column's values are sealed with.
    pub fn name(&self) -> String {
        format!("{}.{}", self.table, self.column)
    }
}

pub const FIELDS: &[Field] = &[
    Field {
        table: "residents",
        column: "id_number",
        index: Some(("id_number_bidx", "id_number")),
    },
    Field {
        table: "residents",
        column: "phone",
        index: Some(("phone_bidx", "phone")),
    },
    Field {
        table: "users",
        column: "phone",
        index: Some(("phone_bidx", "phone")),
    },
    Field {
        table: "events",
        column: "reporter_phone",
        index: None,
    },
];

fn field(name: &str) -> Result<&'static Field, AppError> {
    FIELDS.iter().find(|f| f.name() == name).ok_or_else(|| {
        tracing::error!(name, "not a sealed field");
        AppError::Internal
    })
}

/// Seals a value for a listed field (`"residents.phone"`) with the process's ring.
pub fn seal(name: &str, plain: &str) -> Result<String, AppError> {
    field(name)?;
    Ok(ring()?.seal(name, plain))
}

/// Opens a value of a listed field.
pub fn open(name: &str, stored: &str) -> Result<String, AppError> {
    field(name)?;
    ring_for(stored)?.open(name, stored)
}

/// The blind index of a phone or an ID number, for lookups.
pub fn blind(kind: &str, value: &str) -> Result<String, AppError> {
    Ok(ring()?.blind(kind, value))
}

const PROBE: &str = "lianxin-key-probe";

/// Checks the ring against the database's probes and records one for a key that has none;
/// an error that says what does not match (never the keys).
pub async fn check_probes(pool: &AnyPool, r: &KeyRing) -> Result<(), String> {
    let probes: Vec<(String, String, String)> =
        sqlx::query_as("SELECT key_id, probe, index_mark FROM key_probes")
            .fetch_all(pool)
            .await
            .map_err(|e| e.to_string())?;
    let mark = r.blind("probe", PROBE);
    for (id, probe, index_mark) in &probes {
        if !r.keys.contains_key(id) {
            return Err(format!(
                "key {id} sealed values in this database but is not in the key ring"
            ));
        }
        if r.open("probe", probe).ok().as_deref() != Some(PROBE) {
            return Err(format!(
                "key {id} of the key ring is not the key {id} this database was sealed with"
            ));
        }
        if *index_mark != mark {
            return Err("the key ring's index key is not this database's".into());
        }
    }
    for id in r.keys.keys() {
        if !probes.iter().any(|p| &p.0 == id) {
            let probe = r.seal_with(id, "probe", PROBE);
            sqlx::query(
                "INSERT INTO key_probes (key_id, probe, index_mark) VALUES ($1, $2, $3) \
                 ON CONFLICT (key_id) DO NOTHING",
            )
            .bind(id)
            .bind(probe)
            .bind(&mark)
            .execute(pool)
            .await
            .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// Seals again every value not sealed under the current key (plaintext included, filling its
/// blind index), a batch per transaction with its audit row; reports (done, total) as it goes.
/// A value changed meanwhile is left for the next run rather than overwritten.
pub async fn reseal(
    pool: &AnyPool,
    batch: i64,
    mut progress: impl FnMut(u64, u64),
) -> Result<u64, AppError> {
    let r = ring()?;
    let current = format!("enc1:{}:%", r.current());
    let stale = |f: &Field| {
        format!(
            "{c} IS NOT NULL AND {c} <> '' AND {c} NOT LIKE $1",
            c = f.column
        )
    };
    let mut total = 0u64;
    for f in FIELDS {
        let n: i64 = sqlx::query_scalar(&format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM {} WHERE {}",
            f.table,
            stale(f)
        ))
        .bind(&current)
        .fetch_one(pool)
        .await?;
        total += n as u64;
    }
    let mut done = 0u64;
    progress(0, total);
    for f in FIELDS {
        let name = f.name();
        let mut after = 0i64;
        loop {
            let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
                "SELECT id, {} FROM {} WHERE {} AND id > $2 ORDER BY id LIMIT $3",
                f.column,
                f.table,
                stale(f)
            ))
            .bind(&current)
            .bind(after)
            .bind(batch)
            .fetch_all(pool)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.0;
            let mut tx = pool.begin().await?;
            for (id, stored) in &rows {
                let plain = ring_for(stored)?.open(&name, stored)?;
                let sealed = r.seal(&name, &plain);
                let (t, c) = (f.table, f.column);
                let sql = match f.index {
                    Some((col, _)) => {
                        format!("UPDATE {t} SET {c} = $1, {col} = $2 WHERE id = $3 AND {c} = $4")
                    }
                    None => format!("UPDATE {t} SET {c} = $1 WHERE id = $2 AND {c} = $3"),
                };
                let mut q = sqlx::query(&sql).bind(sealed);
                if let Some((_, kind)) = f.index {
                    q = q.bind(r.blind(kind, &plain));
                }
                q.bind(id).bind(stored).execute(&mut *tx).await?;
                // An account named after its phone (before sealing) is renamed after its index.
                if f.table == "users" && !stored.starts_with("enc1:") {
                    sqlx::query("UPDATE users SET username = $1 WHERE id = $2 AND username = $3")
                        .bind(phone_username(&r, &plain))
                        .bind(id)
                        .bind(format!("m{plain}"))
                        .execute(&mut *tx)
                        .await?;
                }
            }
            crate::ssr::audit(
                &mut tx,
                None,
                "keys.reseal",
                &name,
                &format!("{} rows under {}", rows.len(), r.current()),
            )
            .await?;
            tx.commit().await?;
            done += rows.len() as u64;
            progress(done, total);
        }
    }
    Ok(done)
}

/// The user name of an account made from a phone: `m` and the start of the phone's blind
/// index, so the name says nothing about the number.
pub fn phone_username(r: &KeyRing, phone: &str) -> String {
    format!("m{}", &r.blind("phone", phone)[..12])
}
