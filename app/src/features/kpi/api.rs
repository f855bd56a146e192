use leptos::prelude::*;

use super::types::KpiReport;
use crate::error::AppError;

/// Staff only; the caller's own subtree.
#[server(prefix = "/api", endpoint = "kpi_report")]
pub async fn get_kpi_report(days: i64) -> Result<KpiReport, AppError> {
    crate::error::with_status(imp::report(days).await)
}

#[cfg(feature = "ssr")]
mod imp {
    use super::super::types::{KpiReport, UnitKpi};
    use crate::domain::org::{path_ids, OrgLevel};
    use crate::domain::roles::Capability;
    use crate::error::AppError;
    use crate::features::events::repo::{kpi_counts, KpiRow, KPI_SUMS};
    use crate::ssr::{caller, ctx, now, parse_level};

    pub async fn report(days: i64) -> Result<KpiReport, AppError> {
        let c = caller().await?;
        if !c.role.can(Capability::ViewOrg) {
            return Err(AppError::Forbidden);
        }
        if !(1..=731).contains(&days) {
            return Err(AppError::invalid("days", "out_of_range"));
        }
        let pool = ctx()?.pool;
        let to = now() + 1;
        let from = to - days * 86_400;
        let unit_id = path_ids(&c.unit_path).last().copied().unwrap_or(0);
        let (name, level): (String, String) =
            sqlx::query_as("SELECT name, level FROM org_units WHERE id = $1")
                .bind(unit_id)
                .fetch_one(&pool)
                .await?;
        let counts = kpi_counts(&pool, &c.unit_path, from, to).await?;
        // The column naming the unit one level down; fixed names, never user input.
        let column = match parse_level(&level) {
            OrgLevel::County => Some("township_id"),
            OrgLevel::Township => Some("village_id"),
            OrgLevel::Village => Some("grid_id"),
            _ => None,
        };
        let children = match column {
            Some(col) => {
                #[derive(sqlx::FromRow)]
                struct Named {
                    id: i64,
                    name: String,
                    #[sqlx(flatten)]
                    k: KpiRow,
                }
                let sql = format!(
                    "SELECT u.id, u.name, {KPI_SUMS} FROM events e JOIN org_units u ON u.id = e.{col} \
                     WHERE e.grid_path LIKE ($1 || '%') AND e.created_at >= $2 AND e.created_at < $3 \
                     GROUP BY u.id, u.name ORDER BY u.id"
                );
                let rows: Vec<Named> = sqlx::query_as(&sql)
                    .bind(&c.unit_path)
                    .bind(from)
                    .bind(to)
                    .fetch_all(&pool)
                    .await?;
                rows.into_iter()
                    .map(|r| UnitKpi {
                        id: r.id,
                        name: r.name,
                        counts: r.k.into(),
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        Ok(KpiReport {
            unit: UnitKpi {
                id: unit_id,
                name,
                counts,
            },
            days,
            children,
        })
    }
}
