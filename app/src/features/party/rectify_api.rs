//! Server functions of rectification (整改): the township or county asks a branch to make good
//! a missed requirement by a deadline (`domain::party::rectify`), the secretary answers.
//! The branch's `meeting_access` decides who may do which; a cell is checked against the
//! compliance matrix itself, so only a real miss can be asked about.

use leptos::prelude::*;

use super::types::Rectify;
use crate::error::AppError;

/// With `branch_id`, `kind` and `period` the page also offers a request for that cell.
#[server(prefix = "/api", endpoint = "rectifications")]
pub async fn get_rectify(
    branch_id: Option<i64>,
    kind: Option<String>,
    period: Option<String>,
) -> Result<Rectify, AppError> {
    crate::error::with_status(imp::list(branch_id, kind, period).await)
}

#[server(prefix = "/api", endpoint = "request_rectification")]
pub async fn request_rectification(
    branch_id: i64,
    kind: String,
    period: String,
    days: i64,
    note: Option<String>,
) -> Result<(), AppError> {
    crate::error::with_status(
        imp::request(branch_id, kind, period, days, note.unwrap_or_default()).await,
    )
}

#[server(prefix = "/api", endpoint = "answer_rectification")]
pub async fn answer_rectification(id: i64, note: String) -> Result<(), AppError> {
    crate::error::with_status(imp::answer(id, note).await)
}

#[cfg(feature = "ssr")]
mod imp {
    use super::super::types::Rectify;
    use super::super::{rectify_repo, repo};
    use crate::domain::calendar::local_date;
    use crate::domain::party::rectify::{
        may_answer, may_request, validate_request, MAX_RECTIFY_NOTE,
    };
    use crate::domain::party::{MeetingAccess, MeetingKind};
    use crate::domain::roles::Role;
    use crate::domain::scoring::{Period, PeriodKind};
    use crate::error::AppError;
    use crate::ssr::{caller, ctx, now, redirect_form_post};

    fn oversees(role: Role) -> bool {
        matches!(
            role,
            Role::Admin | Role::CountySupervisor | Role::TownshipDispatcher | Role::VillageCadre
        )
    }

    /// The state of a branch's cell for `kind` in `period` (`2026-11` or `2026-Q4`).
    async fn cell_state(
        path: &str,
        branch: i64,
        kind: MeetingKind,
        period: &str,
    ) -> Result<Option<String>, AppError> {
        let month = match Period::parse(PeriodKind::Month, period) {
            Some(m) => m,
            None => match Period::parse(PeriodKind::Quarter, period) {
                Some(q) => Period::containing(PeriodKind::Month, q.start),
                None => return Err(AppError::invalid("period", "invalid_value")),
            },
        };
        let m = repo::compliance(&ctx()?.pool, path, month).await?;
        let Some(row) = m.rows.iter().find(|r| r.branch_id == branch) else {
            return Ok(None);
        };
        Ok(m.columns
            .iter()
            .zip(&row.cells)
            .find(|(col, _)| col.kind == kind.as_str() && col.period == period)
            .map(|(_, cell)| cell.state.clone()))
    }

    pub async fn list(
        branch: Option<i64>,
        kind: Option<String>,
        period: Option<String>,
    ) -> Result<Rectify, AppError> {
        let c = caller().await?;
        if !oversees(c.role) {
            return Err(AppError::Forbidden);
        }
        let pool = ctx()?.pool;
        let cell = match (branch, kind, period) {
            (Some(b), Some(k), Some(p)) => {
                let (a, _, name) = repo::branch_access(&ctx()?.pool, &c, b).await?;
                if a == MeetingAccess::Hidden {
                    return Err(AppError::NotFound);
                }
                may_request(a, c.role).then_some((b, name, k, p))
            }
            _ => None,
        };
        Ok(Rectify {
            rows: rectify_repo::list(&pool, &c.unit_path, false).await?,
            may_request: matches!(
                c.role,
                Role::Admin | Role::CountySupervisor | Role::TownshipDispatcher
            ),
            cell,
        })
    }

    pub async fn request(
        branch: i64,
        kind: String,
        period: String,
        days: i64,
        note: String,
    ) -> Result<(), AppError> {
        let c = caller().await?;
        let (a, path, _) = repo::branch_access(&ctx()?.pool, &c, branch).await?;
        if a == MeetingAccess::Hidden {
            return Err(AppError::NotFound);
        }
        if !may_request(a, c.role) {
            return Err(AppError::Forbidden);
        }
        let kind =
            MeetingKind::parse(&kind).ok_or_else(|| AppError::invalid("kind", "invalid_value"))?;
        if note.trim().chars().count() > MAX_RECTIFY_NOTE {
            return Err(AppError::invalid("note", "too_long"));
        }
        let state = cell_state(&path, branch, kind, &period)
            .await?
            .unwrap_or_default();
        validate_request(&state, days).map_err(|(f, r)| AppError::invalid(f, r))?;
        let due = local_date(now()) + time::Duration::days(days);
        let made = rectify_repo::request(
            &ctx()?.pool,
            c.user_id,
            branch,
            &path,
            kind.as_str(),
            &period,
            due,
            note.trim(),
        )
        .await?;
        if !made {
            return Err(AppError::invalid("period", "rectify_exists"));
        }
        redirect_form_post("/party/rectify");
        Ok(())
    }

    pub async fn answer(id: i64, note: String) -> Result<(), AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let (branch, _) = rectify_repo::one(&pool, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (a, ..) = repo::branch_access(&ctx()?.pool, &c, branch).await?;
        if a == MeetingAccess::Hidden {
            return Err(AppError::NotFound);
        }
        if !may_answer(a) {
            return Err(AppError::Forbidden);
        }
        let note = AppError::required_text("note", &note, MAX_RECTIFY_NOTE)?;
        if !rectify_repo::answer(&pool, c.user_id, id, note).await? {
            return Err(AppError::invalid("note", "rectify_answered"));
        }
        redirect_form_post("/party");
        Ok(())
    }
}
