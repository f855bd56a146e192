//! KPI aggregates over the events (the six rates of `domain::kpi`), used by the KPI page, the
//! large screen and the benchmarks.

use sqlx::AnyPool;

use crate::domain::org::OrgLevel;
use crate::error::AppError;

const KPI_SUMS: &str = "CAST(COUNT(*) AS BIGINT) AS reported, \
    CAST(COALESCE(SUM(CASE WHEN e.state = 'merged' THEN 1 ELSE 0 END), 0) AS BIGINT) AS merged, \
    CAST(COALESCE(SUM(CASE WHEN e.state NOT IN ('reported','rejected','merged') THEN 1 ELSE 0 END), 0) AS BIGINT) AS accepted, \
    CAST(COALESCE(SUM(CASE WHEN e.resolved_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS resolved, \
    CAST(COALESCE(SUM(CASE WHEN e.resolved_on_time = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS resolved_on_time, \
    CAST(COALESCE(SUM(CASE WHEN e.rated = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS rated, \
    CAST(COALESCE(SUM(CASE WHEN e.satisfied = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS satisfied, \
    CAST(COALESCE(SUM(CASE WHEN e.resolved_level IN ('grid','village') THEN 1 ELSE 0 END), 0) AS BIGINT) AS resolved_in_village";

#[derive(sqlx::FromRow)]
struct KpiRow {
    reported: i64,
    merged: i64,
    accepted: i64,
    resolved: i64,
    resolved_on_time: i64,
    rated: i64,
    satisfied: i64,
    resolved_in_village: i64,
}

impl From<KpiRow> for crate::domain::kpi::KpiCounts {
    fn from(r: KpiRow) -> Self {
        crate::domain::kpi::KpiCounts {
            reported: r.reported,
            merged: r.merged,
            accepted: r.accepted,
            resolved: r.resolved,
            resolved_on_time: r.resolved_on_time,
            rated: r.rated,
            satisfied: r.satisfied,
            resolved_in_village: r.resolved_in_village,
        }
    }
}

/// KPI counts of the events in a unit's subtree reported in `[from, to)`.
pub async fn kpi_counts(
    pool: &AnyPool,
    unit_path: &str,
    from: i64,
    to: i64,
) -> Result<crate::domain::kpi::KpiCounts, AppError> {
    let sql = format!(
        "SELECT {KPI_SUMS} FROM events e WHERE e.grid_path LIKE ($1 || '%') \
         AND e.created_at >= $2 AND e.created_at < $3"
    );
    let row: KpiRow = sqlx::query_as(&sql)
        .bind(unit_path)
        .bind(from)
        .bind(to)
        .fetch_one(pool)
        .await?;
    Ok(row.into())
}

/// KPI counts per township of a county (rankings), same period rule.
pub async fn kpi_by_township(
    pool: &AnyPool,
    county_path: &str,
    from: i64,
    to: i64,
) -> Result<Vec<(i64, String, crate::domain::kpi::KpiCounts)>, AppError> {
    kpi_by_unit(pool, county_path, OrgLevel::Township, from, to).await
}

/// KPI counts per unit of `level` within a subtree (townships, villages or grids), same period
/// rule; units without events in the period are left out.
pub async fn kpi_by_unit(
    pool: &AnyPool,
    path: &str,
    level: OrgLevel,
    from: i64,
    to: i64,
) -> Result<Vec<(i64, String, crate::domain::kpi::KpiCounts)>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Named {
        id: i64,
        name: String,
        #[sqlx(flatten)]
        k: KpiRow,
    }
    // A fixed column per level, never user input.
    let col = match level {
        OrgLevel::Township => "township_id",
        OrgLevel::Village => "village_id",
        OrgLevel::Grid => "grid_id",
        _ => return Ok(Vec::new()),
    };
    let sql = format!(
        "SELECT u.id, u.name, {KPI_SUMS} FROM events e JOIN org_units u ON u.id = e.{col} \
         WHERE e.grid_path LIKE ($1 || '%') AND e.created_at >= $2 AND e.created_at < $3 \
         GROUP BY u.id, u.name ORDER BY u.id"
    );
    let rows: Vec<Named> = sqlx::query_as(&sql)
        .bind(path)
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id, r.name, r.k.into()))
        .collect())
}
