//! Server functions of 党员联户: the secretary links households to the branch's members
//! (`domain::party::links::may_link` over the branch's `meeting_access`); a member records
//! visits to the households linked to them, and only to those.

use leptos::prelude::*;

use super::types::Links;
use crate::error::AppError;

/// `branch_id`: one of the caller's branches; the first when absent.
#[server(prefix = "/api", endpoint = "party_links")]
pub async fn get_links(branch_id: Option<i64>) -> Result<Links, AppError> {
    crate::error::with_status(imp::links(branch_id).await)
}

#[server(prefix = "/api", endpoint = "link_household")]
pub async fn link_household(household_id: i64, member_id: i64) -> Result<(), AppError> {
    crate::error::with_status(imp::link(household_id, member_id).await)
}

#[server(prefix = "/api", endpoint = "unlink_household")]
pub async fn unlink_household(household_id: i64) -> Result<(), AppError> {
    crate::error::with_status(imp::unlink(household_id).await)
}

/// `at`: `YYYY-MM-DDTHH:MM` local (a `datetime-local` field); now when absent.
#[server(prefix = "/api", endpoint = "record_visit")]
pub async fn record_visit(
    household_id: i64,
    place: Option<String>,
    notes: String,
    at: Option<String>,
) -> Result<(), AppError> {
    crate::error::with_status(imp::visit(household_id, place.unwrap_or_default(), notes, at).await)
}

#[cfg(feature = "ssr")]
mod imp {
    use super::super::types::{Links, MemberLinks};
    use super::super::{links_repo, repo};
    use crate::domain::calendar::{day_start, parse_date};
    use crate::domain::party::links::{may_link, validate_visit, HOUSEHOLDS_PER_MEMBER};
    use crate::domain::party::MeetingAccess;
    use crate::domain::roles::Role;
    use crate::domain::scope::Caller;
    use crate::error::AppError;
    use crate::ssr::{caller, ctx, now, redirect_form_post};

    pub async fn links(branch_id: Option<i64>) -> Result<Links, AppError> {
        let c = caller().await?;
        // Branch life's staff only; members, residents and the rest have no such page.
        if !matches!(
            c.role,
            Role::Admin | Role::VillageCadre | Role::TownshipDispatcher | Role::CountySupervisor
        ) {
            return Err(AppError::Forbidden);
        }
        let pool = ctx()?.pool;
        let branches = repo::branches_in(&pool, &c.unit_path).await?;
        let branch = match branch_id {
            Some(b) => b,
            None => branches.first().map(|b| b.id).ok_or(AppError::Forbidden)?,
        };
        let (access, path, name) = repo::branch_access(&ctx()?.pool, &c, branch).await?;
        match access {
            MeetingAccess::Manage => {}
            MeetingAccess::Hidden => return Err(AppError::NotFound),
            _ => return Err(AppError::Forbidden),
        }
        let mut members = Vec::new();
        for m in links_repo::members(&pool, branch).await? {
            members.push(MemberLinks {
                households: links_repo::served_by(&pool, m.id).await?,
                member_id: m.id,
                name: m.name,
            });
        }
        let (unlinked, unlinked_total) = links_repo::unlinked(&pool, &path, 300).await?;
        Ok(Links {
            branch_id: branch,
            branch: name,
            branches,
            members,
            unlinked,
            unlinked_total,
            per_member: HOUSEHOLDS_PER_MEMBER,
        })
    }

    /// Refuses unless the caller manages the member's branch and the household lies in its
    /// village; returns the branch id.
    async fn may_link_here(c: &Caller, household: i64, member: i64) -> Result<i64, AppError> {
        let pool = ctx()?.pool;
        let branch = links_repo::branch_of_member(&pool, member)
            .await?
            .ok_or(AppError::NotFound)?;
        let (access, path, _) = repo::branch_access(&ctx()?.pool, c, branch).await?;
        if access == MeetingAccess::Hidden {
            return Err(AppError::NotFound);
        }
        let hh = links_repo::household_path(&pool, household)
            .await?
            .ok_or(AppError::NotFound)?;
        if access != MeetingAccess::Manage {
            return Err(AppError::Forbidden);
        }
        if !may_link(access, &hh, &path) {
            return Err(AppError::invalid("household", "invalid_value"));
        }
        Ok(branch)
    }

    pub async fn link(household: i64, member: i64) -> Result<(), AppError> {
        let c = caller().await?;
        let branch = may_link_here(&c, household, member).await?;
        links_repo::link(&ctx()?.pool, c.user_id, household, member).await?;
        redirect_form_post(&format!("/party/links?branch_id={branch}"));
        Ok(())
    }

    pub async fn unlink(household: i64) -> Result<(), AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let (member, ..) = links_repo::member_of_household(&pool, household)
            .await?
            .ok_or(AppError::NotFound)?;
        let branch = may_link_here(&c, household, member).await?;
        links_repo::unlink(&pool, c.user_id, household).await?;
        redirect_form_post(&format!("/party/links?branch_id={branch}"));
        Ok(())
    }

    /// `YYYY-MM-DDTHH:MM` local, as a `datetime-local` field sends it.
    fn local_instant(s: &str) -> Option<i64> {
        let (day, time) = s.trim().split_once('T')?;
        let (h, m) = time.split_once(':')?;
        let (h, m): (i64, i64) = (h.parse().ok()?, m.get(..2)?.parse().ok()?);
        let d = parse_date(day)?;
        ((0..24).contains(&h) && (0..60).contains(&m)).then(|| day_start(d) + h * 3600 + m * 60)
    }

    pub async fn visit(
        household: i64,
        place: String,
        notes: String,
        at: Option<String>,
    ) -> Result<(), AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let Some((me, ..)) = repo::member_of(&pool, c.resident_id).await? else {
            return Err(AppError::Forbidden);
        };
        // Only the member serving the household visits it on the record; for anyone else the
        // household is not theirs to see.
        match links_repo::member_of_household(&pool, household).await? {
            Some((m, ..)) if m == me => {}
            _ => return Err(AppError::NotFound),
        }
        let t = now();
        let at = match at.filter(|s| !s.trim().is_empty()) {
            None => t,
            Some(s) => {
                local_instant(&s).ok_or_else(|| AppError::invalid("visit_at", "invalid_value"))?
            }
        };
        validate_visit(at, t, &place, &notes).map_err(|(f, r)| AppError::invalid(f, r))?;
        let path = links_repo::household_path(&pool, household)
            .await?
            .ok_or(AppError::NotFound)?;
        if !links_repo::visit(
            &pool,
            c.user_id,
            me,
            household,
            &path,
            at,
            place.trim(),
            notes.trim(),
        )
        .await?
        {
            return Err(AppError::invalid("visit_at", "visit_today"));
        }
        redirect_form_post("/party");
        Ok(())
    }
}
