//! The audit chain on both databases: fifty writers at once take fifty consecutive places and
//! the chain verifies; a rolled-back write leaves no gap; altering, removing or slipping in a
//! row with SQL is found, by the store's walk and by `server audit verify`.

use app::domain::audit::Break;
use app::features::audit::repo::{verify, Verdict};
use app::ssr::audit;

use crate::common::TestDb;

async fn write(db: &TestDb, n: usize, commit: bool) {
    let mut tx = db.pool.begin().await.unwrap();
    audit(&mut tx, None, "test.write", &format!("t:{n}"), "写入")
        .await
        .unwrap();
    if commit {
        tx.commit().await.unwrap();
    } else {
        tx.rollback().await.unwrap();
    }
}

async fn check(db: &TestDb) -> Verdict {
    verify(&db.pool, 7, |_, _| {}).await.unwrap()
}

async fn exec(db: &TestDb, sql: &str) {
    sqlx::query(sql).execute(&db.pool).await.unwrap();
}

#[tokio::test]
async fn parallel_writers_chain_and_tampering_is_found() {
    for db in TestDb::both().await {
        let before = check(&db).await;
        assert_eq!(
            before.broken, None,
            "{:?}: a fresh database verifies",
            db.backend
        );
        let start = before.checked as i64;
        let mut tasks = Vec::new();
        for i in 0..50 {
            let pool = db.pool.clone();
            tasks.push(tokio::spawn(async move {
                let mut tx = pool.begin().await.unwrap();
                // A write first, as the app's transactions do, then the audit row.
                sqlx::query("UPDATE org_units SET name = name WHERE id = -1")
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                audit(&mut tx, Some(i), "test.parallel", &format!("t:{i}"), "")
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        write(&db, 0, false).await;
        write(&db, 1, true).await;
        let seqs: Vec<i64> = sqlx::query_scalar("SELECT seq FROM audit_log ORDER BY seq")
            .fetch_all(&db.pool)
            .await
            .unwrap();
        let want: Vec<i64> = (1..=start + 51).collect();
        assert_eq!(
            seqs, want,
            "{:?}: one place each, none lost to the rollback",
            db.backend
        );
        let v = check(&db).await;
        assert_eq!(
            (v.checked, v.broken),
            ((start + 51) as u64, None),
            "{:?}",
            db.backend
        );
        assert!(
            server::commands::audit::verify(&db.pool, true)
                .await
                .unwrap()
                .contains("chain ok"),
            "{:?}",
            db.backend
        );

        // One detail changed with SQL.
        let row = start + 10;
        exec(
            &db,
            &format!("UPDATE audit_log SET detail = '改过' WHERE seq = {row}"),
        )
        .await;
        let v = check(&db).await;
        assert_eq!(
            v.broken.map(|b| b.0),
            Some(Break::Altered { seq: row }),
            "{:?}",
            db.backend
        );
        assert_eq!(v.checked, (row - 1) as u64);
        let said = server::commands::audit::verify(&db.pool, true)
            .await
            .unwrap_err();
        assert!(
            said.to_string().contains(&format!("row {row} was altered")),
            "{said}"
        );
        exec(
            &db,
            &format!("UPDATE audit_log SET detail = '' WHERE seq = {row}"),
        )
        .await;
        assert_eq!(
            check(&db).await.broken,
            None,
            "{:?}: put back, it verifies again",
            db.backend
        );

        // A row removed from the middle, then from the end.
        exec(
            &db,
            &format!("DELETE FROM audit_log WHERE seq = {}", start + 20),
        )
        .await;
        assert_eq!(
            check(&db).await.broken.map(|b| b.0),
            Some(Break::Missing {
                after: start + 19,
                next: start + 21
            }),
            "{:?}",
            db.backend
        );
        exec(
            &db,
            &format!("DELETE FROM audit_log WHERE seq >= {}", start + 20),
        )
        .await;
        assert_eq!(
            check(&db).await.broken.map(|b| b.0),
            Some(Break::Truncated {
                last: start + 19,
                head: start + 51
            }),
            "{:?}",
            db.backend
        );
        // A row slipped in beside the chain.
        exec(&db, &format!("UPDATE audit_head SET seq = {}, hash = (SELECT hash FROM audit_log WHERE seq = {}) WHERE id = 1", start + 19, start + 19)).await;
        assert_eq!(check(&db).await.broken, None);
        exec(&db, "INSERT INTO audit_log (at, user_id, action, target, detail) VALUES (1, NULL, 'forged', '', '')").await;
        assert_eq!(
            check(&db).await.broken.map(|b| b.0),
            Some(Break::Unchained),
            "{:?}",
            db.backend
        );
        db.drop_db().await;
    }
}

#[tokio::test]
async fn rows_from_before_the_chain_are_chained_at_start() {
    for db in TestDb::both().await {
        write(&db, 1, true).await;
        // As an upgraded database holds them: written without a place.
        for i in 0..3 {
            exec(&db, &format!("INSERT INTO audit_log (at, user_id, action, target, detail) VALUES ({i}, NULL, 'old', 'o:{i}', '')")).await;
        }
        assert_eq!(check(&db).await.broken.map(|b| b.0), Some(Break::Unchained));
        let sealed = app::features::audit::repo::seal_unchained(&db.pool)
            .await
            .unwrap();
        assert_eq!(sealed, 3);
        let v = check(&db).await;
        assert_eq!(v.broken, None, "{:?}", db.backend);
        write(&db, 2, true).await;
        assert_eq!(
            check(&db).await.broken,
            None,
            "{:?}: new rows follow them",
            db.backend
        );
        db.drop_db().await;
    }
}

#[tokio::test]
async fn rows_past_retention_go_to_a_file_and_the_chain_goes_on() {
    use app::features::audit::repo::append;
    for db in TestDb::both().await {
        let now = app::ssr::now();
        let old = now - 200 * 86_400;
        let kept_before: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(kept_before, 0, "a fresh database starts its chain here");
        for (i, at) in [old, old + 1, old + 2, old + 3, now - 10, now - 5]
            .into_iter()
            .enumerate()
        {
            let mut tx = db.pool.begin().await.unwrap();
            append(&mut tx, at, None, "test.old", &format!("t:{i}"), "旧")
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let refused = server::commands::audit::archive(&db.pool, dir.path(), 30, now).await;
        assert!(refused.unwrap_err().to_string().contains("183"));
        let said = server::commands::audit::archive(&db.pool, dir.path(), 183, now)
            .await
            .unwrap();
        assert!(said.starts_with("archived 4 rows"), "{said}");
        let file = std::fs::read_dir(dir.path().join("audit-archive"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let lines: Vec<serde_json::Value> = std::fs::read_to_string(&file)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0]["seq"], 1);
        assert_eq!(lines[3]["detail"], "旧");
        // Two recent rows and the archive's own row are kept, and the chain verifies from the
        // archive's anchor.
        let v = check(&db).await;
        assert_eq!((v.checked, v.broken), (3, None), "{:?}", db.backend);
        assert!(
            server::commands::audit::archive(&db.pool, dir.path(), 183, now)
                .await
                .unwrap()
                .starts_with("nothing")
        );
        // Without its archive record, the kept rows no longer follow from anything.
        exec(&db, "DELETE FROM audit_archives").await;
        assert_eq!(
            check(&db).await.broken.map(|b| b.0),
            Some(Break::Missing { after: 0, next: 5 }),
            "{:?}",
            db.backend
        );
        db.drop_db().await;
    }
}
