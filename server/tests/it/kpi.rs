//! The KPI report through the router: staff see their subtree with the units one level down;
//! residents are refused; the numbers agree with the events table.

use crate::common::http::{router, Client};
use crate::common::{TestDb, PASSWORD};
use serde_json::Value;

#[tokio::test]
async fn staff_see_kpis_of_their_subtree_by_child_unit() {
    for db in TestDb::seeded_both().await {
        server::seed::history::seed(
            &db.pool,
            &server::seed::history::HistoryOptions {
                county: "330825".into(),
                days: 60,
                per_day: 30.0,
                end: app::ssr::now(),
                seed: 3,
                with_steps: false,
                quiet: true,
            },
        )
        .await
        .unwrap();
        let app = router(db.pool.clone());
        let mut town = Client::new(app.clone());
        assert_eq!(town.login("town1", PASSWORD).await.status.as_u16(), 200);
        let r = town.call("kpi_report", "days=30").await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let v: Value = serde_json::from_str(&r.body).unwrap();
        let path: String = sqlx::query_scalar(
            "SELECT o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.username = 'town1'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let since = app::ssr::now() + 1 - 30 * 86_400;
        let expected: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM events WHERE grid_path LIKE ($1 || '%') AND created_at >= $2",
        )
        .bind(&path)
        .bind(since)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert!(expected > 0);
        assert_eq!(v["unit"]["counts"]["reported"].as_i64(), Some(expected));
        // One row per village of the township that had events; they add up to the township.
        let children = v["children"].as_array().unwrap();
        assert!(children.len() > 3, "{}", children.len());
        let sum: i64 = children
            .iter()
            .map(|c| c["counts"]["reported"].as_i64().unwrap())
            .sum();
        assert_eq!(sum, expected);
        let villages: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM org_units WHERE level = 'village' AND path LIKE ($1 || '%')",
        )
        .bind(&path)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert!(children.len() as i64 <= villages);

        assert_eq!(town.call("kpi_report", "days=0").await.status.as_u16(), 422);
        let mut resident = Client::new(app.clone());
        resident.login("resident1", PASSWORD).await;
        assert_eq!(
            resident.call("kpi_report", "days=30").await.status.as_u16(),
            403
        );
        db.drop_db().await;
    }
}
