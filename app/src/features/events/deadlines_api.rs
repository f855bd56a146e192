//! Deadlines as people follow them: the caller's reminders (read or not, per reader) and the
//! overdue list (超期/临期清单) of their subtree or department.

use leptos::prelude::*;

use super::types::{OverdueList, Reminder};
use crate::error::AppError;

/// The caller's latest reminders (their own, their department's, their unit's), unread first.
#[server(prefix = "/api", endpoint = "reminders")]
pub async fn get_reminders() -> Result<Vec<Reminder>, AppError> {
    crate::error::with_status(imp::reminders().await)
}

/// Marks one reminder read for the caller, or all of theirs with no id.
#[server(prefix = "/api", endpoint = "mark_reminders_read")]
pub async fn mark_reminders_read(id: Option<i64>) -> Result<u64, AppError> {
    crate::error::with_status(imp::mark_read(id).await)
}

/// Open events past 80% of their limit (`light` = `red` for overdue only), most overdue first.
#[server(prefix = "/api", endpoint = "overdue")]
pub async fn get_overdue(light: String) -> Result<OverdueList, AppError> {
    crate::error::with_status(imp::overdue(light).await)
}

#[cfg(feature = "ssr")]
mod imp {
    use super::super::deadlines_repo::{self as repo, Scope};
    use super::super::types::{OverdueList, OverdueRow, Reminder};
    use crate::domain::org::path_ids;
    use crate::domain::roles::Role;
    use crate::error::AppError;
    use crate::ssr::{caller, ctx, now};

    pub async fn reminders() -> Result<Vec<Reminder>, AppError> {
        let c = caller().await?;
        repo::reminders(&ctx()?.pool, &c).await
    }

    pub async fn mark_read(id: Option<i64>) -> Result<u64, AppError> {
        let c = caller().await?;
        repo::mark_read(&ctx()?.pool, &c, id, now()).await
    }

    pub async fn overdue(light: String) -> Result<OverdueList, AppError> {
        let c = caller().await?;
        let scope = match c.role {
            Role::DepartmentStaff => Scope::Department(c.department_id.unwrap_or(-1)),
            Role::Admin
            | Role::CountySupervisor
            | Role::TownshipDispatcher
            | Role::VillageCadre
            | Role::GridWorker => Scope::Subtree(c.unit_path.clone()),
            Role::PartyMember | Role::Resident => return Err(AppError::Forbidden),
        };
        // The units one level down: townships for the county, villages for a township, grids
        // for a village; a grid or a department gets no breakdown.
        let group_by = match (&scope, path_ids(&c.unit_path).len()) {
            (Scope::Subtree(_), 1) => Some("township_id"),
            (Scope::Subtree(_), 2) => Some("village_id"),
            (Scope::Subtree(_), 3) => Some("grid_id"),
            _ => None,
        };
        let pool = ctx()?.pool;
        let at = now();
        let red_only = light == "red";
        let cal = super::super::repo::calendar(&pool).await?;
        let rows = repo::overdue_rows(&pool, &scope, at, red_only)
            .await?
            .into_iter()
            .map(|r| {
                let due = r.card.due_at;
                let over = if at >= due {
                    cal.working_between(due, at)
                } else {
                    -cal.working_between(at, due)
                };
                OverdueRow {
                    card: r.card,
                    township: r.township,
                    village: r.village,
                    over_working_secs: over,
                }
            })
            .collect();
        let by_unit = match group_by {
            Some(col) => repo::lights_by_unit(&pool, &scope, col, at).await?,
            None => Vec::new(),
        };
        let (red, yellow) = repo::light_counts(&pool, &scope, at).await?;
        Ok(OverdueList {
            now: at,
            red,
            yellow,
            rows,
            by_unit,
        })
    }
}
