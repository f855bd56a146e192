//! Server functions of branch life: caller → scope (`domain::party::meeting_access`) → repo →
//! domain. A meeting out of scope answers exactly like one that does not exist.

use leptos::prelude::*;

use super::types::{CheckedIn, Compliance, MeetingDetail, PartyHome};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "party_home")]
pub async fn get_party_home() -> Result<PartyHome, AppError> {
    crate::error::with_status(imp::home().await)
}

/// `day` `YYYY-MM-DD` and `time` `HH:MM`, local; `duration` in minutes.
#[server(prefix = "/api", endpoint = "plan_meeting")]
pub async fn plan_meeting(
    branch_id: i64,
    kind: String,
    topic: String,
    place: String,
    day: String,
    time: String,
    duration: i64,
) -> Result<i64, AppError> {
    crate::error::with_status(imp::plan(branch_id, kind, topic, place, day, time, duration).await)
}

#[server(prefix = "/api", endpoint = "meeting_detail")]
pub async fn get_meeting(id: i64) -> Result<MeetingDetail, AppError> {
    crate::error::with_status(imp::detail(id).await)
}

/// `remote` is present (any value) when the member takes part from elsewhere.
#[server(prefix = "/api", endpoint = "party_check_in")]
pub async fn check_in(code: String, remote: Option<String>) -> Result<CheckedIn, AppError> {
    crate::error::with_status(imp::check_in(code, remote.is_some()).await)
}

#[server(prefix = "/api", endpoint = "record_absence")]
pub async fn record_absence(
    meeting_id: i64,
    member_id: i64,
    reason: String,
) -> Result<(), AppError> {
    crate::error::with_status(imp::absence(meeting_id, member_id, reason).await)
}

#[server(prefix = "/api", endpoint = "close_meeting")]
pub async fn close_meeting(id: i64, minutes: String) -> Result<(), AppError> {
    crate::error::with_status(imp::close(id, minutes).await)
}

/// `period`: a month, `2026-11`; the current month when absent. `open`: only branches with a
/// requirement due or missed. `page`: which hundred branches, from 1.
#[server(prefix = "/api", endpoint = "party_compliance")]
pub async fn get_compliance(
    period: Option<String>,
    open: Option<String>,
    page: Option<u32>,
) -> Result<Compliance, AppError> {
    crate::error::with_status(
        imp::compliance(period, open.is_some_and(|o| !o.is_empty()), page).await,
    )
}

/// Branches on one page of the compliance matrix: a county has about a thousand.
pub const COMPLIANCE_PAGE: usize = 100;

#[cfg(feature = "ssr")]
mod imp {
    use super::super::checkin_qr;
    use super::super::repo::{self, Scope};
    use super::super::types::{CheckedIn, Compliance, MeetingDetail, PartyHome};
    use crate::domain::calendar::{day_start, local_date, parse_date};
    use crate::domain::paging::Page;
    use crate::domain::party::{
        self, checkin_window, meeting_access, AttendMode, MeetingAccess, MeetingKind, MeetingState,
        MeetingViewer, Plan,
    };
    use crate::domain::roles::Role;
    use crate::domain::scope::Caller;
    use crate::domain::scoring::{Period, PeriodKind};
    use crate::error::AppError;
    use crate::ssr::{caller, ctx, now, redirect_form_post, site_url};

    /// The caller and their membership: (member id, branch id, name).
    async fn who() -> Result<(Caller, Option<(i64, i64, String)>), AppError> {
        let c = caller().await?;
        let m = repo::member_of(&ctx()?.pool, c.resident_id).await?;
        Ok((c, m))
    }

    /// Roles that follow branch life over a subtree (see `meeting_access`).
    fn oversees(role: Role) -> bool {
        matches!(
            role,
            Role::Admin | Role::CountySupervisor | Role::TownshipDispatcher | Role::VillageCadre
        )
    }

    /// A meeting as the caller may touch it: the row and the caller's access.
    async fn meeting_for(
        id: i64,
        c: &Caller,
        m: &Option<(i64, i64, String)>,
    ) -> Result<(super::super::types::MeetingRow, MeetingAccess), AppError> {
        let pool = ctx()?.pool;
        match repo::access_of(&pool, c, m.as_ref().map(|m| m.1), id).await? {
            MeetingAccess::Hidden => Err(AppError::NotFound),
            a => Ok((
                repo::meeting(&pool, id).await?.ok_or(AppError::NotFound)?,
                a,
            )),
        }
    }

    pub async fn home() -> Result<PartyHome, AppError> {
        let (c, m) = who().await?;
        let pool = ctx()?.pool;
        let scope = if oversees(c.role) {
            Scope::Subtree(c.unit_path.clone())
        } else if let Some((_, b, _)) = &m {
            Scope::Branch(*b)
        } else {
            return Err(AppError::Forbidden);
        };
        let member = match &m {
            Some((id, b, name)) => {
                let branch = repo::branch(&pool, *b)
                    .await?
                    .map(|x| x.1)
                    .unwrap_or_default();
                Some((branch, name.clone(), *id))
            }
            None => None,
        };
        let mine = match &member {
            Some((_, _, id)) => repo::my_attendance(&pool, *id).await?,
            None => Vec::new(),
        };
        let branches = if matches!(c.role, Role::Admin | Role::VillageCadre) {
            repo::branches_in(&pool, &c.unit_path).await?
        } else {
            Vec::new()
        };
        let alerts = if c.role == Role::VillageCadre {
            alerts(&pool, &c.unit_path).await?
        } else {
            Vec::new()
        };
        let households = match &member {
            Some((_, _, id)) => super::super::links_repo::served_by(&pool, *id).await?,
            None => Vec::new(),
        };
        let rectify = if c.role == Role::VillageCadre {
            super::super::rectify_repo::list(&pool, &c.unit_path, true).await?
        } else {
            Vec::new()
        };
        let (terms, transfers_waiting) = if c.role == Role::VillageCadre {
            term_alerts(&pool, &c.unit_path).await?
        } else {
            (Vec::new(), 0)
        };
        Ok(PartyHome {
            terms,
            transfers_waiting,
            rectify,
            households,
            alerts,
            member,
            mine,
            branches,
            oversees: oversees(c.role),
            meetings: repo::meetings(&pool, &scope, 50).await?,
        })
    }

    /// Committees whose term ends within the notice period or has ended, and the transfers
    /// waiting for the secretary's answer.
    async fn term_alerts(
        pool: &sqlx::AnyPool,
        path: &str,
    ) -> Result<(Vec<super::super::types::TermAlert>, i64), AppError> {
        let waiting = super::super::affairs_repo::counts_in(pool, path)
            .await?
            .iter()
            .map(|(_, _, t)| t)
            .sum();
        let terms = super::super::affairs_api::branch_terms(pool, path)
            .await?
            .into_iter()
            .filter(|(.., s)| s.needs_action())
            .map(|(branch_id, branch, s)| super::super::types::TermAlert {
                branch_id,
                branch,
                status: s.as_str().into(),
                days_left: s.days_left(),
            })
            .collect();
        Ok((terms, waiting))
    }

    /// A week is when a secretary can still call a meeting; a miss is worth a word until the
    /// month after.
    const DUE_WITHIN_DAYS: i64 = 7;

    async fn alerts(
        pool: &sqlx::AnyPool,
        path: &str,
    ) -> Result<Vec<super::super::types::Alert>, AppError> {
        let this = Period::containing(PeriodKind::Month, local_date(now()));
        let last = Period::containing(PeriodKind::Month, this.start - time::Duration::days(1));
        let mut out = Vec::new();
        for (month, want) in [(this, "due"), (last, "missed")] {
            let m = repo::compliance(pool, path, month).await?;
            for r in &m.rows {
                for (cell, col) in r.cells.iter().zip(&m.columns) {
                    let soon = want == "missed" || cell.days_left <= DUE_WITHIN_DAYS;
                    if cell.state == want && soon {
                        out.push(super::super::types::Alert {
                            branch: r.branch.clone(),
                            kind: col.kind.clone(),
                            period: col.period.clone(),
                            state: cell.state.clone(),
                            days_left: cell.days_left,
                        });
                    }
                }
            }
        }
        Ok(out)
    }

    fn local_instant(day: &str, time: &str) -> Option<i64> {
        let d = parse_date(day)?;
        let (h, m) = time.trim().split_once(':')?;
        let (h, m): (i64, i64) = (h.parse().ok()?, m.get(..2).unwrap_or(m).parse().ok()?);
        ((0..24).contains(&h) && (0..60).contains(&m)).then(|| day_start(d) + h * 3600 + m * 60)
    }

    pub async fn plan(
        branch_id: i64,
        kind: String,
        topic: String,
        place: String,
        day: String,
        time: String,
        duration: i64,
    ) -> Result<i64, AppError> {
        let (c, m) = who().await?;
        let pool = ctx()?.pool;
        let (path, _) = repo::branch(&pool, branch_id)
            .await?
            .ok_or(AppError::NotFound)?;
        match meeting_access(
            &MeetingViewer::of(&c, m.as_ref().map(|m| m.1)),
            branch_id,
            &path,
        ) {
            MeetingAccess::Hidden => return Err(AppError::NotFound),
            MeetingAccess::Manage => {}
            _ => return Err(AppError::Forbidden),
        }
        let kind =
            MeetingKind::parse(&kind).ok_or_else(|| AppError::invalid("kind", "invalid_value"))?;
        let starts_at = local_instant(&day, &time)
            .ok_or_else(|| AppError::invalid("starts_at", "invalid_value"))?;
        let p = Plan {
            topic,
            place,
            starts_at,
            duration_min: duration,
        };
        party::validate_plan(&p, now()).map_err(|e| {
            let (f, r) = e.field_reason();
            AppError::invalid(f, r)
        })?;
        let id = repo::plan(&pool, c.user_id, branch_id, &path, kind, &p).await?;
        redirect_form_post(&format!("/party/meetings/{id}"));
        Ok(id)
    }

    pub async fn detail(id: i64) -> Result<MeetingDetail, AppError> {
        let (c, m) = who().await?;
        let (row, access) = meeting_for(id, &c, &m).await?;
        let pool = ctx()?.pool;
        let (code, minutes) = repo::code_and_minutes(&pool, id).await?;
        let window = checkin_window(row.starts_at, row.ends_at);
        let open = MeetingState::parse(&row.state) == Some(MeetingState::Planned);
        let only = match access {
            MeetingAccess::Attend => Some(m.as_ref().map(|m| m.0).unwrap_or(-1)),
            _ => None,
        };
        let roster = repo::roster(&pool, id, row.branch_id, only).await?;
        let photos = repo::photo_ids(&pool, id).await?;
        // The code, and its QR code, are for the room: the secretary's view of an open meeting.
        let code = (access == MeetingAccess::Manage && open).then_some(code);
        Ok(MeetingDetail {
            leave_open: access == MeetingAccess::Attend && open && now() < row.starts_at,
            photos,
            qr: code
                .as_deref()
                .and_then(|c| checkin_qr::draw(&checkin_qr::link(&site_url(), c))),
            code,
            access: match access {
                MeetingAccess::Manage => "manage",
                MeetingAccess::Watch => "watch",
                _ => "attend",
            }
            .into(),
            minutes,
            window,
            roster,
            meeting: row,
        })
    }

    pub async fn check_in(code: String, remote: bool) -> Result<CheckedIn, AppError> {
        let (c, m) = who().await?;
        let Some((member_id, branch_id, _)) = m else {
            return Err(AppError::Forbidden);
        };
        let code = code.trim();
        if !party::is_code_shape(code) {
            return Err(AppError::invalid("checkin_code", "invalid_value"));
        }
        let pool = ctx()?.pool;
        let (id, meeting_branch, state, starts, ends, topic) =
            repo::by_code(&pool, code, branch_id)
                .await?
                .ok_or_else(|| AppError::invalid("checkin_code", "wrong_code"))?;
        let state = MeetingState::parse(&state).unwrap_or(MeetingState::Closed);
        party::check_in(branch_id, meeting_branch, state, starts, ends, now())
            .map_err(|e| AppError::invalid("checkin_code", e.reason()))?;
        let (path, _) = repo::branch(&pool, branch_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mode = if remote {
            AttendMode::Remote
        } else {
            AttendMode::Present
        };
        let new = repo::attend(&pool, c.user_id, id, member_id, &path, mode).await?;
        redirect_form_post(&format!("/party/meetings/{id}"));
        Ok(CheckedIn {
            meeting_id: id,
            topic,
            mode: mode.as_str().into(),
            new,
        })
    }

    pub async fn absence(meeting_id: i64, member_id: i64, reason: String) -> Result<(), AppError> {
        let (c, m) = who().await?;
        let (row, access) = meeting_for(meeting_id, &c, &m).await?;
        if access != MeetingAccess::Manage {
            return Err(AppError::Forbidden);
        }
        let reason = AppError::required_text("reason", &reason, 200)?;
        let pool = ctx()?.pool;
        let in_branch = repo::roster(&pool, meeting_id, row.branch_id, Some(member_id)).await?;
        if in_branch.is_empty() {
            return Err(AppError::invalid("member", "invalid_value"));
        }
        if !repo::absent(&pool, c.user_id, meeting_id, member_id, reason).await? {
            return Err(AppError::invalid("member", "already_attended"));
        }
        redirect_form_post(&format!("/party/meetings/{meeting_id}"));
        Ok(())
    }

    pub async fn close(id: i64, minutes: String) -> Result<(), AppError> {
        let (c, m) = who().await?;
        let (row, access) = meeting_for(id, &c, &m).await?;
        if access != MeetingAccess::Manage {
            return Err(AppError::Forbidden);
        }
        let state = MeetingState::parse(&row.state).unwrap_or(MeetingState::Closed);
        party::close(state, row.starts_at, &minutes, now()).map_err(|e| {
            let (f, r) = e.field_reason();
            AppError::invalid(f, r)
        })?;
        if !repo::close(&ctx()?.pool, c.user_id, id, &minutes).await? {
            return Err(AppError::invalid("meeting", "already_closed"));
        }
        redirect_form_post(&format!("/party/meetings/{id}"));
        Ok(())
    }

    pub async fn compliance(
        period: Option<String>,
        open: bool,
        page: Option<u32>,
    ) -> Result<Compliance, AppError> {
        let c = caller().await?;
        if !oversees(c.role) {
            return Err(AppError::Forbidden);
        }
        let month = match period.filter(|p| !p.is_empty()) {
            None => Period::containing(PeriodKind::Month, local_date(now())),
            Some(p) => Period::parse(PeriodKind::Month, &p)
                .ok_or_else(|| AppError::invalid("period", "invalid_value"))?,
        };
        let mut m = repo::compliance(&ctx()?.pool, &c.unit_path, month).await?;
        m.follows = matches!(
            c.role,
            Role::Admin | Role::CountySupervisor | Role::TownshipDispatcher
        );
        m.edits = c.role == Role::Admin;
        if open {
            m.rows.retain(|r| {
                r.cells
                    .iter()
                    .any(|x| x.state == "due" || x.state == "missed")
            });
        }
        let per = super::COMPLIANCE_PAGE;
        let shown = Page::of(m.rows.len(), per, page.unwrap_or(1) as usize);
        (m.branches, m.page, m.pages) =
            (m.rows.len() as u32, shown.number as u32, shown.count as u32);
        m.rows = m.rows.into_iter().skip(shown.skip).take(per).collect();
        Ok(m)
    }
}
