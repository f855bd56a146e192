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
    use crate::domain::org::path_ids;
    use crate::domain::roles::Capability;
    use crate::error::AppError;
    use crate::features::kpi::repo::{kpi_by_unit, kpi_counts};
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
        let children = match parse_level(&level).child() {
            Some(below) => kpi_by_unit(&pool, &c.unit_path, below, from, to)
                .await?
                .into_iter()
                .map(|(id, name, counts)| UnitKpi { id, name, counts })
                .collect(),
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
