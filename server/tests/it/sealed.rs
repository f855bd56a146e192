//! Identifiers at rest (PIPL Art. 51), on both databases: the SQLite file (with its WAL) and a
//! `pg_dump` of a seeded database hold none of the demo ID numbers or phones in plaintext —
//! residents, accounts made from a phone, reporters of events —; a key rotation seals every
//! value again under the new key and everything still opens; a start with another key ring is
//! refused; an upgraded database's plaintext is sealed and indexed.

use std::collections::HashSet;

use app::crypto::{self, KeyRing};
use app::features::auth::repo::find_or_create_resident;

use crate::common::TestDb;
use server::db::Backend;

/// Every window of 11 and 18 characters of digits (and the ID's X) in `bytes`.
fn digit_windows(bytes: &[u8]) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut run = Vec::new();
    for &b in bytes.iter().chain(std::iter::once(&0u8)) {
        if b.is_ascii_digit() || b == b'X' {
            run.push(b);
            continue;
        }
        for n in [11, 18] {
            for w in run.windows(n) {
                out.insert(String::from_utf8_lossy(w).into_owned());
            }
        }
        run.clear();
    }
    out
}

async fn plaintexts(db: &TestDb) -> Vec<String> {
    let mut plain = Vec::new();
    for (sql, field) in [
        (
            "SELECT id_number FROM residents ORDER BY id",
            "residents.id_number",
        ),
        (
            "SELECT phone FROM residents WHERE phone <> '' ORDER BY id",
            "residents.phone",
        ),
        (
            "SELECT phone FROM users WHERE phone IS NOT NULL ORDER BY id",
            "users.phone",
        ),
        (
            "SELECT reporter_phone FROM events WHERE reporter_phone <> '' ORDER BY id",
            "events.reporter_phone",
        ),
    ] {
        let stored: Vec<String> = sqlx::query_scalar(sql).fetch_all(&db.pool).await.unwrap();
        assert!(!stored.is_empty(), "{:?}: {field} has values", db.backend);
        for s in stored {
            assert!(s.starts_with("enc1:"), "{field} sealed: {s}");
            plain.push(crypto::open(field, &s).unwrap());
        }
    }
    plain
}

async fn with_phones_and_events(db: &TestDb) {
    find_or_create_resident(&db.pool, Some("13912345678"), None)
        .await
        .unwrap();
    server::seed::history::seed(
        &db.pool,
        &server::seed::history::HistoryOptions {
            county: "330825".into(),
            days: 3,
            per_day: 20.0,
            end: app::ssr::now(),
            seed: 9,
            with_steps: false,
            quiet: true,
        },
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn the_files_hold_no_identifier_in_plaintext() {
    for db in TestDb::seeded_both().await {
        with_phones_and_events(&db).await;
        let plain = plaintexts(&db).await;
        assert!(plain.len() > 100, "{}", plain.len());
        assert!(plain.contains(&"13912345678".to_string()));
        let bytes = match db.backend {
            Backend::Sqlite => {
                sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .execute(&db.pool)
                    .await
                    .unwrap();
                let file = db
                    .url
                    .trim_start_matches("sqlite://")
                    .split('?')
                    .next()
                    .unwrap()
                    .to_string();
                let mut b = std::fs::read(&file).unwrap();
                if let Ok(w) = std::fs::read(format!("{file}-wal")) {
                    b.extend(w);
                }
                b
            }
            Backend::Postgres => {
                let out = std::process::Command::new("pg_dump")
                    .arg(&db.url)
                    .output()
                    .expect("pg_dump runs");
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                out.stdout
            }
        };
        assert!(bytes.len() > 100_000);
        let found = digit_windows(&bytes);
        let leaked: Vec<&String> = plain.iter().filter(|p| found.contains(*p)).collect();
        assert!(
            leaked.is_empty(),
            "{:?}: in plaintext: {:?}",
            db.backend,
            &leaked[..leaked.len().min(5)]
        );
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_rotation_seals_everything_again_and_a_wrong_ring_is_refused() {
    let db = TestDb::seeded_postgres().await;
    with_phones_and_events(&db).await;
    let before = plaintexts(&db).await;
    // The command's own path: the process's ring as a key file, a key added to it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys");
    std::fs::write(&path, crate::common::keys_text()).unwrap();
    let source = server::commands::keys::Source::File(path.clone());
    let said = server::commands::keys::rotate(&db.pool, &source, true)
        .await
        .unwrap();
    assert!(said.starts_with("new key k2;"), "{said}");
    assert!(std::fs::read_to_string(&path).unwrap().contains("key k2 "));
    let stale: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM residents WHERE id_number NOT LIKE 'enc1:k2:%'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(stale, 0, "every ID number under the new key");
    assert_eq!(
        plaintexts(&db).await,
        before,
        "and every value opens as before"
    );
    // Another ring (another data folder's keys) is refused, saying which key does not fit.
    let other = KeyRing::parse(&KeyRing::generate()).unwrap();
    let refused = crypto::check_probes(&db.pool, &other).await.unwrap_err();
    assert!(
        refused.contains("k1") || refused.contains("k2"),
        "{refused}"
    );
    assert!(crypto::check_probes(
        &db.pool,
        &KeyRing::parse(&std::fs::read_to_string(&path).unwrap()).unwrap()
    )
    .await
    .is_ok());
    db.drop_db().await;
}

#[tokio::test]
async fn plaintext_from_before_is_sealed_and_indexed() {
    for db in TestDb::seeded_both().await {
        let household: i64 = sqlx::query_scalar("SELECT MIN(id) FROM households")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO residents (household_id, name, id_number, phone, gender, birth_year, relation) \
             VALUES ($1, '旧档案', '330825199001011234', '13700001111', '男', 1990, '户主')",
        )
        .bind(household)
        .execute(&db.pool)
        .await
        .unwrap();
        let unit: i64 = sqlx::query_scalar("SELECT MIN(id) FROM org_units")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO users (username, display_name, role, org_unit_id, phone, created_at) \
             VALUES ('m13700002222', '居民2222', 'resident', $1, '13700002222', 0)",
        )
        .bind(unit)
        .execute(&db.pool)
        .await
        .unwrap();
        let n = crypto::reseal(&db.pool, 100, |_, _| {}).await.unwrap();
        // At least these three (a rotation running beside this test may make more stale).
        assert!(n >= 3, "{:?}: {n}", db.backend);
        let (idn, idx): (String, String) =
            sqlx::query_as("SELECT id_number, id_number_bidx FROM residents WHERE name = '旧档案'")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert!(idn.starts_with("enc1:"));
        assert_eq!(
            crypto::open("residents.id_number", &idn).unwrap(),
            "330825199001011234"
        );
        assert_eq!(
            idx,
            crypto::blind("id_number", "330825199001011234").unwrap()
        );
        let name: String = sqlx::query_scalar("SELECT username FROM users WHERE phone_bidx = $1")
            .bind(crypto::blind("phone", "13700002222").unwrap())
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert!(!name.contains("13700002222"), "{name}");
        assert_eq!(
            crypto::reseal(&db.pool, 100, |_, _| {}).await.unwrap(),
            0,
            "a second run: nothing"
        );
        db.drop_db().await;
    }
}
