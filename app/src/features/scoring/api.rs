//! Server functions of the scoreboards: caller → scope → repo. Boards and ledgers need the
//! org view and are limited to the caller's subtree; a resident sees their own household's
//! ledger. Manual awards are entered and approved by village cadres and above, never by the
//! same person.

use leptos::prelude::*;

use super::types::{
    Board, BranchRow, Ledger, ManualRule, PendingAward, SatisfactionRow, VillageLists,
};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "score_board")]
pub async fn get_board(subject: String, period: Option<String>) -> Result<Board, AppError> {
    crate::error::with_status(imp::board(subject, period).await)
}

#[server(prefix = "/api", endpoint = "score_branches")]
pub async fn get_branches(period: Option<String>) -> Result<(String, Vec<BranchRow>), AppError> {
    crate::error::with_status(imp::branches(period).await)
}

#[server(prefix = "/api", endpoint = "score_ledger")]
pub async fn get_ledger(
    subject: String,
    subject_id: i64,
    period: Option<String>,
) -> Result<Ledger, AppError> {
    crate::error::with_status(imp::ledger(subject, subject_id, period).await)
}

/// `by`: township, village, department or person; the last `days` days.
#[server(prefix = "/api", endpoint = "satisfaction")]
pub async fn get_satisfaction(by: String, days: i64) -> Result<Vec<SatisfactionRow>, AppError> {
    crate::error::with_status(imp::satisfaction(by, days).await)
}

#[server(prefix = "/api", endpoint = "village_lists")]
pub async fn get_village_lists() -> Result<VillageLists, AppError> {
    crate::error::with_status(imp::village_lists().await)
}

#[server(prefix = "/api", endpoint = "awards")]
pub async fn get_awards() -> Result<(Vec<PendingAward>, Vec<ManualRule>), AppError> {
    crate::error::with_status(imp::awards().await)
}

/// `target` is `subject:id` as the ledger links name it (household:12).
#[server(prefix = "/api", endpoint = "propose_award")]
pub async fn propose_award(rule: String, target: String, reason: String) -> Result<i64, AppError> {
    crate::error::with_status(imp::propose(rule, target, reason).await)
}

#[server(prefix = "/api", endpoint = "decide_award")]
pub async fn decide_award(id: i64, decision: String) -> Result<(), AppError> {
    crate::error::with_status(imp::decide(id, decision).await)
}

#[cfg(feature = "ssr")]
mod imp {
    use super::super::repo::{self, RatedBy};
    use super::super::types::{
        Board, BranchRow, Ledger, ManualRule, PendingAward, SatisfactionRow, VillageLists,
    };
    use crate::domain::calendar::local_date;
    use crate::domain::org::path_within;
    use crate::domain::roles::{Capability, Role};
    use crate::domain::scope::Caller;
    use crate::domain::scoring::{Period, PeriodKind, Subject};
    use crate::error::AppError;
    use crate::ssr::{caller, ctx, now};

    fn subject_of(s: &str) -> Result<Subject, AppError> {
        Subject::parse(s).ok_or_else(|| AppError::invalid("kind", "invalid_value"))
    }

    fn period_of(subject: Subject, p: Option<String>) -> Result<String, AppError> {
        match p.filter(|s| !s.is_empty()) {
            None => Ok(repo::current_period(subject).label()),
            Some(s) => Period::parse(subject.period_kind(), &s)
                .map(|p| p.label())
                .ok_or_else(|| AppError::invalid("period", "invalid_value")),
        }
    }

    async fn viewer() -> Result<Caller, AppError> {
        let c = caller().await?;
        if !c.role.can(Capability::ViewOrg) {
            return Err(AppError::Forbidden);
        }
        Ok(c)
    }

    /// Who may enter and approve manual awards.
    fn may_award(role: Role) -> bool {
        matches!(
            role,
            Role::Admin | Role::CountySupervisor | Role::TownshipDispatcher | Role::VillageCadre
        )
    }

    pub async fn board(subject: String, period: Option<String>) -> Result<Board, AppError> {
        let c = viewer().await?;
        let subject = subject_of(&subject)?;
        let period = period_of(subject, period)?;
        let pool = ctx()?.pool;
        let rows = repo::board(&pool, subject, &period, &c.unit_path, 100).await?;
        let mut periods = repo::periods(&pool, subject).await?;
        if !periods.contains(&period) {
            periods.insert(0, period.clone());
        }
        Ok(Board {
            subject,
            period,
            periods,
            rows,
        })
    }

    pub async fn branches(period: Option<String>) -> Result<(String, Vec<BranchRow>), AppError> {
        let c = viewer().await?;
        let period = period_of(Subject::Member, period)?;
        let rows = repo::branches(&ctx()?.pool, &period, &c.unit_path).await?;
        Ok((period, rows))
    }

    pub async fn ledger(
        subject: String,
        subject_id: i64,
        period: Option<String>,
    ) -> Result<Ledger, AppError> {
        let c = caller().await?;
        let subject = subject_of(&subject)?;
        let period = period_of(subject, period)?;
        let pool = ctx()?.pool;
        let (name, unit, path) = repo::subject_info(&pool, subject, subject_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let own = own_subjects(&pool, &c).await?;
        if !own.contains(&(subject, subject_id)) {
            c.check(Capability::ViewOrg, &path)?;
        }
        repo::ledger(&pool, subject, subject_id, &period, name, unit).await
    }

    /// The household and party member behind the caller's own account.
    async fn own_subjects(
        pool: &sqlx::AnyPool,
        c: &Caller,
    ) -> Result<Vec<(Subject, i64)>, AppError> {
        let Some(rid) = c.resident_id else {
            return Ok(Vec::new());
        };
        let row: Option<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT r.household_id, pm.id FROM residents r \
             LEFT JOIN party_members pm ON pm.resident_id = r.id WHERE r.id = $1",
        )
        .bind(rid)
        .fetch_optional(pool)
        .await?;
        Ok(row
            .map(|(h, m)| {
                std::iter::once((Subject::Household, h))
                    .chain(m.map(|m| (Subject::Member, m)))
                    .collect()
            })
            .unwrap_or_default())
    }

    pub async fn satisfaction(by: String, days: i64) -> Result<Vec<SatisfactionRow>, AppError> {
        let c = viewer().await?;
        let by = match by.as_str() {
            "township" => RatedBy::Township,
            "village" => RatedBy::Village,
            "department" => RatedBy::Department,
            "person" => RatedBy::Person,
            _ => return Err(AppError::invalid("kind", "invalid_value")),
        };
        if !(1..=366).contains(&days) {
            return Err(AppError::invalid("days", "out_of_range"));
        }
        repo::satisfaction(&ctx()?.pool, by, &c.unit_path, repo::since(days), 50).await
    }

    pub async fn village_lists() -> Result<VillageLists, AppError> {
        let c = viewer().await?;
        let week = Period::containing(PeriodKind::Week, local_date(now()));
        repo::village_lists(&ctx()?.pool, &c.unit_path, week, 5).await
    }

    pub async fn awards() -> Result<(Vec<PendingAward>, Vec<ManualRule>), AppError> {
        let c = viewer().await?;
        if !may_award(c.role) {
            return Err(AppError::Forbidden);
        }
        let pool = ctx()?.pool;
        Ok((
            repo::pending(&pool, c.user_id, &c.unit_path).await?,
            repo::manual_rules(&pool).await?,
        ))
    }

    pub async fn propose(rule: String, target: String, reason: String) -> Result<i64, AppError> {
        let c = viewer().await?;
        if !may_award(c.role) {
            return Err(AppError::Forbidden);
        }
        let reason = AppError::required_text("reason", &reason, 200)?;
        let pool = ctx()?.pool;
        let rule = repo::manual_rules(&pool)
            .await?
            .into_iter()
            .find(|r| r.code == rule)
            .ok_or_else(|| AppError::invalid("rule", "invalid_value"))?;
        let (kind, id) = target
            .split_once(':')
            .ok_or_else(|| AppError::invalid("award_target", "invalid_value"))?;
        let id: i64 = id
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("award_target", "invalid_value"))?;
        if subject_of(kind)? != rule.subject {
            return Err(AppError::invalid("award_target", "invalid_value"));
        }
        let (_, _, path) = repo::subject_info(&pool, rule.subject, id)
            .await?
            .ok_or_else(|| AppError::invalid("award_target", "invalid_value"))?;
        if !path_within(&path, &c.unit_path) {
            return Err(AppError::invalid("award_target", "outside_scope"));
        }
        repo::propose(&pool, c.user_id, &rule, id, &path, reason).await
    }

    pub async fn decide(id: i64, decision: String) -> Result<(), AppError> {
        let c = viewer().await?;
        if !may_award(c.role) {
            return Err(AppError::Forbidden);
        }
        let approve = match decision.as_str() {
            "approve" => true,
            "reject" => false,
            _ => return Err(AppError::invalid("decision", "invalid_value")),
        };
        repo::decide_award(&ctx()?.pool, c.user_id, id, approve, &c.unit_path).await
    }
}
