//! The demo history on both databases: a realistic mix, as the KPIs and the seasons show it.

use crate::common::{demo_import, TestDb};
use server::seed::history::{self, HistoryOptions};

#[tokio::test]
async fn a_year_of_demo_events_has_the_promised_shape() {
    for db in TestDb::both().await {
        server::geo::import::run(&db.pool, &demo_import())
            .await
            .unwrap();
        let end = app::ssr::now();
        let n = history::seed(
            &db.pool,
            &HistoryOptions {
                county: "330825".into(),
                days: 365,
                per_day: 16.0,
                end,
                seed: 11,
                with_steps: true,
                quiet: true,
            },
        )
        .await
        .unwrap();
        assert!((4_500..7_500).contains(&n), "{n} events");
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(stored as usize, n);

        let county: String =
            sqlx::query_scalar("SELECT path FROM org_units WHERE level = 'county'")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        let k =
            app::features::kpi::repo::kpi_counts(&db.pool, &county, end - 365 * 86_400, end + 1)
                .await
                .unwrap()
                .kpis();
        let in_village = k.in_village.unwrap();
        let satisfied = k.satisfied.unwrap();
        assert!(
            (0.92..0.98).contains(&in_village),
            "in village {in_village}"
        );
        assert!((0.95..1.0).contains(&satisfied), "satisfied {satisfied}");
        assert!(k.on_time.unwrap() > 0.9, "{k:?}");

        // Floods in summer, job seekers before the Spring Festival.
        let per_month = |code: &'static str| {
            let pool = db.pool.clone();
            async move {
                let rows: Vec<(i64,)> = sqlx::query_as(
                    "SELECT e.created_at FROM events e JOIN categories c ON c.id = e.category_id \
                     WHERE c.code = $1",
                )
                .bind(code)
                .fetch_all(&pool)
                .await
                .unwrap();
                let mut months = [0usize; 13];
                for (at,) in rows {
                    let day = app::domain::calendar::local_day(at);
                    months[day[5..7].parse::<usize>().unwrap()] += 1;
                }
                months
            }
        };
        let flood = per_month("S07").await;
        assert!(flood[7] > 5 * flood[1].max(1), "floods by month {flood:?}");
        let jobs = per_month("L07").await;
        assert!(
            jobs[1] + jobs[2] > 4 * (jobs[5] + jobs[6]).max(1),
            "job seekers {jobs:?}"
        );

        // Every event has a timeline that starts with its report; closed ones end closed.
        let without: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM events e WHERE NOT EXISTS \
             (SELECT 1 FROM event_steps s WHERE s.event_id = e.id AND s.action = 'report')",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(without, 0);
        let open: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM events WHERE state IN ('reported','verified','dispatched','handling')",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert!(open > 0, "today's queues have work");
        db.drop_db().await;
    }
}
