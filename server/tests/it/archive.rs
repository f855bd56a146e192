//! The archive's store on both databases: fifty unmaskings at once by one person pass the
//! hour's quota exactly, each passed one with its access row and audit row and the refused
//! ones with neither; the resident's household lists them.

use app::domain::archive::{Field, UNMASK_PER_HOUR};
use app::features::archive::repo;

use crate::common::TestDb;

#[tokio::test]
async fn unmaskings_stop_at_the_quota_under_parallel_requests() {
    for db in TestDb::seeded_both().await {
        let (viewer, resident, household): (i64, i64, i64) = sqlx::query_as(
            "SELECT u.id, r.id, r.household_id FROM users u, residents r \
             WHERE u.username = 'town1' ORDER BY r.id LIMIT 1",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let now = app::ssr::now();
        let tasks: Vec<_> = (0..50)
            .map(|i| {
                let pool = db.pool.clone();
                tokio::spawn(async move {
                    let field = if i % 2 == 0 {
                        Field::IdNumber
                    } else {
                        Field::Phone
                    };
                    repo::log_unmask(&pool, viewer, resident, field, "上门核实身份", now)
                        .await
                        .unwrap()
                })
            })
            .collect();
        let passed = crate::common::successes(tasks).await;
        assert_eq!(passed, UNMASK_PER_HOUR, "{:?}", db.backend);
        let count = |sql: &'static str| {
            let pool = db.pool.clone();
            async move {
                sqlx::query_scalar::<_, i64>(sql)
                    .fetch_one(&pool)
                    .await
                    .unwrap()
            }
        };
        assert_eq!(
            count("SELECT CAST(COUNT(*) AS BIGINT) FROM data_access").await,
            passed
        );
        assert_eq!(
            count("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'archive.unmask'")
                .await,
            passed
        );
        // The next hour has its own quota.
        assert!(repo::log_unmask(
            &db.pool,
            viewer,
            resident,
            Field::Phone,
            "再次核实",
            now + 3600
        )
        .await
        .unwrap());
        let lines = repo::accesses(&db.pool, household).await.unwrap();
        assert_eq!(lines.len() as i64, passed + 1);
        assert_eq!(lines[0].reason, "再次核实", "newest first");
        assert!(lines
            .iter()
            .all(|l| !l.viewer.is_empty() && !l.unit.is_empty()));
        db.drop_db().await;
    }
}
