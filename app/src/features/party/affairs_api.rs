//! Server functions of a branch's housekeeping (支部事务): caller → the branch's
//! `meeting_access` → repo → `domain::party::affairs`. The secretary (Manage) records
//! elections, dues and transfers out; the receiving branch's secretary answers a transfer;
//! township and county (Watch) see it all; a member sees their own dues and declarations and
//! asks for leave before a meeting.

use leptos::prelude::*;

use super::types::{Affairs, RequirementVersion};
use crate::error::AppError;

/// `branch_id`: one of the caller's branches; the secretary's first, or the member's own.
#[server(prefix = "/api", endpoint = "party_affairs")]
pub async fn get_affairs(branch_id: Option<i64>) -> Result<Affairs, AppError> {
    crate::error::with_status(imp::affairs(branch_id).await)
}

/// `elected_on` `YYYY-MM-DD`; `years` 3 or 5.
#[server(prefix = "/api", endpoint = "record_term")]
pub async fn record_term(
    branch_id: i64,
    elected_on: String,
    years: i32,
    note: String,
) -> Result<(), AppError> {
    crate::error::with_status(imp::term(branch_id, elected_on, years, note).await)
}

/// `rate`: yuan a month, `12.5`.
#[server(prefix = "/api", endpoint = "set_dues_rate")]
pub async fn set_dues_rate(member_id: i64, rate: String) -> Result<(), AppError> {
    crate::error::with_status(imp::rate(member_id, rate).await)
}

/// `seen`: the month paid up to as the form showed it (`2026-11`, empty when never paid).
#[server(prefix = "/api", endpoint = "pay_dues")]
pub async fn pay_dues(member_id: i64, months: u32, seen: String) -> Result<(), AppError> {
    crate::error::with_status(imp::pay(member_id, months, seen).await)
}

#[server(prefix = "/api", endpoint = "start_transfer")]
pub async fn start_transfer(member_id: i64, to_branch: i64, note: String) -> Result<(), AppError> {
    crate::error::with_status(imp::start(member_id, to_branch, note).await)
}

/// `action`: `accept`, `refuse` (with `reason`) or `withdraw`.
#[server(prefix = "/api", endpoint = "answer_transfer")]
pub async fn answer_transfer(id: i64, action: String, reason: String) -> Result<(), AppError> {
    crate::error::with_status(imp::answer(id, action, reason).await)
}

#[server(prefix = "/api", endpoint = "ask_leave")]
pub async fn ask_leave(meeting_id: i64, reason: String) -> Result<(), AppError> {
    crate::error::with_status(imp::leave(meeting_id, reason).await)
}

/// `decision`: `approve` or `reject`; the branch's secretary decides a member's declaration.
#[server(prefix = "/api", endpoint = "decide_declaration")]
pub async fn decide_declaration(id: i64, decision: String) -> Result<(), AppError> {
    crate::error::with_status(imp::decide(id, decision).await)
}

/// Every version of the meeting requirements (the administrator's editor).
#[server(prefix = "/api", endpoint = "meeting_requirements")]
pub async fn get_requirements() -> Result<Vec<RequirementVersion>, AppError> {
    crate::error::with_status(imp::requirements().await)
}

/// `effective_from` `YYYY-MM-DD`: the first day of a later period of the cadence.
#[server(prefix = "/api", endpoint = "schedule_requirement")]
pub async fn schedule_requirement(
    kind: String,
    cadence: String,
    min_count: u32,
    effective_from: String,
) -> Result<(), AppError> {
    crate::error::with_status(imp::schedule(kind, cadence, min_count, effective_from).await)
}

#[cfg(feature = "ssr")]
pub use imp::{branch_terms, overview};

#[cfg(feature = "ssr")]
mod imp {
    use super::super::types::{
        Affairs, AffairsRow, DuesLine, RequirementVersion, TermView, TransferLine,
    };
    use super::super::{affairs_repo as ar, repo};
    use crate::domain::calendar::{format_date, local_date, parse_date};
    use crate::domain::org::{ancestor_path, path_ids, OrgLevel};
    use crate::domain::party::affairs::{
        self, arrears, month_label, term_status, transfer_step, TermStatus, TransferAction,
        TransferSides,
    };
    use crate::domain::party::{
        Cadence, MeetingAccess, MeetingKind, MeetingState, Requirement, RequirementBook,
    };
    use crate::domain::roles::Role;
    use crate::domain::scope::Caller;
    use crate::error::AppError;
    use crate::ssr::{caller, ctx, now, redirect_form_post};

    fn back(branch: i64) -> String {
        format!("/party/affairs?branch_id={branch}")
    }

    /// `2026-11` ↔ the month's first day as stored.
    fn month_day(label: &str) -> Option<String> {
        let d = parse_date(&format!("{label}-01"))?;
        Some(format_date(d))
    }

    fn access_str(a: MeetingAccess) -> &'static str {
        match a {
            MeetingAccess::Manage => "manage",
            MeetingAccess::Watch => "watch",
            _ => "attend",
        }
    }

    /// The member's branch and its path, when the caller runs that branch (not found when the
    /// member does not exist or their branch is out of the caller's sight).
    async fn manage_member(c: &Caller, member: i64) -> Result<(i64, String), AppError> {
        let pool = ctx()?.pool;
        let branch = ar::member_branch(&pool, member)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok((branch, repo::manage_branch(&pool, c, branch).await?))
    }

    pub async fn affairs(branch: Option<i64>) -> Result<Affairs, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let me = repo::member_of(&pool, c.resident_id).await?;
        let oversees = matches!(
            c.role,
            Role::Admin | Role::VillageCadre | Role::CountySupervisor | Role::TownshipDispatcher
        );
        let branches = if oversees {
            repo::branches_in(&pool, &c.unit_path).await?
        } else {
            Vec::new()
        };
        let branch = branch
            .or(branches.first().map(|b| b.id))
            .or(me.as_ref().map(|m| m.1))
            .ok_or(AppError::Forbidden)?;
        let (a, path, name) = repo::branch_access(&pool, &c, branch).await?;
        if a == MeetingAccess::Hidden {
            return Err(AppError::NotFound);
        }
        let today = local_date(now());
        let mine = me.as_ref().filter(|m| m.1 == branch).map(|m| m.0);
        let only = if a == MeetingAccess::Attend {
            Some(mine.unwrap_or(-1))
        } else {
            None
        };
        let term = ar::term(&pool, branch).await?;
        let years = term
            .as_ref()
            .map(|t| t.1)
            .unwrap_or_else(|| affairs::term_years(path_ids(&path).len() >= 3));
        let parsed = term
            .as_ref()
            .and_then(|(d, y)| parse_date(d).map(|d| (d, *y)));
        let status = term_status(parsed, today);
        let dues = ar::dues(&pool, branch, only)
            .await?
            .into_iter()
            .map(|(id, name, rate, since, paid)| {
                let paid_d = paid.as_deref().and_then(parse_date);
                let owed = match (rate, since.as_deref().and_then(parse_date)) {
                    (Some(_), Some(s)) => arrears(paid_d, s, today),
                    _ => 0,
                };
                DuesLine {
                    member_id: id,
                    name,
                    rate_fen: rate,
                    paid_to: paid_d.map(month_label),
                    arrears: owed,
                }
            })
            .collect();
        let transfers = if a == MeetingAccess::Attend {
            Vec::new()
        } else {
            ar::transfers(&pool, branch).await?
        };
        let targets = if a == MeetingAccess::Manage {
            let county = ancestor_path(&path, OrgLevel::County).unwrap_or_default();
            repo::branches_in(&pool, &county)
                .await?
                .into_iter()
                .filter(|b| b.id != branch)
                .collect()
        } else {
            Vec::new()
        };
        let overview = if matches!(
            c.role,
            Role::Admin | Role::CountySupervisor | Role::TownshipDispatcher
        ) {
            overview(&pool, &c.unit_path).await?
        } else {
            Vec::new()
        };
        Ok(Affairs {
            branch_id: branch,
            branch: name,
            access: access_str(a).into(),
            branches,
            term: TermView {
                elected_on: term.as_ref().map(|t| t.0.clone()),
                years,
                ends_on: parsed.map(|(d, y)| format_date(affairs::term_end(d, y))),
                status: status.as_str().into(),
                days_left: status.days_left(),
            },
            dues,
            transfers,
            targets,
            declarations: ar::declarations(&pool, branch, only).await?,
            me: mine,
            overview,
        })
    }

    /// Every branch of a subtree: its term, members, members in arrears and transfers waiting.
    /// Every branch of a subtree with its term's status today: (branch id, name, status).
    pub async fn branch_terms(
        pool: &sqlx::AnyPool,
        path: &str,
    ) -> Result<Vec<(i64, String, TermStatus)>, AppError> {
        let today = local_date(now());
        Ok(ar::terms_in(pool, path)
            .await?
            .into_iter()
            .map(|(id, name, on, years)| {
                let t = on
                    .as_deref()
                    .and_then(parse_date)
                    .zip(years.map(|y| y as i32));
                (id, name, term_status(t, today))
            })
            .collect())
    }

    /// Every branch of a subtree: its term, members, members in arrears and transfers waiting.
    pub async fn overview(pool: &sqlx::AnyPool, path: &str) -> Result<Vec<AffairsRow>, AppError> {
        use std::collections::HashMap;
        let today = local_date(now());
        let mut owing: HashMap<i64, i64> = HashMap::new();
        for (b, since, paid) in ar::dues_in(pool, path).await? {
            let Some(since) = parse_date(&since) else {
                continue;
            };
            if arrears(paid.as_deref().and_then(parse_date), since, today) > 0 {
                *owing.entry(b).or_default() += 1;
            }
        }
        let counts: HashMap<i64, (i64, i64)> = ar::counts_in(pool, path)
            .await?
            .into_iter()
            .map(|(b, m, t)| (b, (m, t)))
            .collect();
        Ok(branch_terms(pool, path)
            .await?
            .into_iter()
            .map(|(id, name, s)| {
                let (members, waiting) = counts.get(&id).copied().unwrap_or_default();
                AffairsRow {
                    branch_id: id,
                    branch: name,
                    term_status: s.as_str().into(),
                    days_left: s.days_left(),
                    members,
                    in_arrears: owing.get(&id).copied().unwrap_or_default(),
                    transfers_waiting: waiting,
                }
            })
            .collect())
    }

    pub async fn term(
        branch: i64,
        elected_on: String,
        years: i32,
        note: String,
    ) -> Result<(), AppError> {
        let c = caller().await?;
        repo::manage_branch(&ctx()?.pool, &c, branch).await?;
        let day = parse_date(elected_on.trim())
            .ok_or_else(|| AppError::invalid("elected_on", "invalid_value"))?;
        affairs::validate_term(day, years, local_date(now()))
            .map_err(|(f, r)| AppError::invalid(f, r))?;
        let note = note.trim();
        if note.chars().count() > 200 {
            return Err(AppError::invalid("note", "too_long"));
        }
        if !ar::record_term(
            &ctx()?.pool,
            c.user_id,
            branch,
            &format_date(day),
            years,
            note,
        )
        .await?
        {
            return Err(AppError::invalid("elected_on", "term_exists"));
        }
        redirect_form_post(&back(branch));
        Ok(())
    }

    pub async fn rate(member: i64, rate: String) -> Result<(), AppError> {
        let c = caller().await?;
        let (branch, _) = manage_member(&c, member).await?;
        let fen =
            affairs::parse_yuan(&rate).ok_or_else(|| AppError::invalid("rate", "invalid_value"))?;
        affairs::validate_rate(fen).map_err(|e| {
            let (f, r) = e.field_reason();
            AppError::invalid(f, r)
        })?;
        let since = format_date(affairs::month_of(local_date(now())));
        ar::set_rate(&ctx()?.pool, c.user_id, member, fen, &since).await?;
        redirect_form_post(&back(branch));
        Ok(())
    }

    pub async fn pay(member: i64, months: u32, seen: String) -> Result<(), AppError> {
        let c = caller().await?;
        let (branch, _) = manage_member(&c, member).await?;
        let pool = ctx()?.pool;
        let line = ar::dues(&pool, branch, Some(member))
            .await?
            .into_iter()
            .next()
            .ok_or(AppError::NotFound)?;
        let (Some(rate), Some(since)) = (line.2, line.3.as_deref().and_then(parse_date)) else {
            return Err(AppError::invalid("rate", "dues_rate_missing"));
        };
        let stored = line.4.clone();
        // What the form showed must still hold, or this payment would count on top of another.
        let seen = seen.trim();
        let seen_day = if seen.is_empty() {
            None
        } else {
            Some(month_day(seen).ok_or_else(|| AppError::invalid("months", "invalid_value"))?)
        };
        if seen_day != stored {
            return Err(AppError::invalid("months", "dues_changed"));
        }
        let paid = stored.as_deref().and_then(parse_date);
        let (to, amount) =
            affairs::pay(paid, since, months, rate, local_date(now())).map_err(|e| {
                let (f, r) = e.field_reason();
                AppError::invalid(f, r)
            })?;
        if !ar::pay(
            &pool,
            c.user_id,
            member,
            branch,
            months,
            amount,
            stored.as_deref(),
            &format_date(to),
        )
        .await?
        {
            return Err(AppError::invalid("months", "dues_changed"));
        }
        redirect_form_post(&back(branch));
        Ok(())
    }

    pub async fn start(member: i64, to: i64, note: String) -> Result<(), AppError> {
        let c = caller().await?;
        let (from, path) = manage_member(&c, member).await?;
        affairs::validate_transfer(from, to).map_err(|(f, r)| AppError::invalid(f, r))?;
        // The receiving branch must be one of the county's: the list the form offers.
        let pool = ctx()?.pool;
        let (to_path, _) = repo::branch(&pool, to)
            .await?
            .ok_or_else(|| AppError::invalid("to_branch", "invalid_value"))?;
        let county = ancestor_path(&path, OrgLevel::County).unwrap_or_default();
        if !crate::domain::org::path_within(&to_path, &county) {
            return Err(AppError::invalid("to_branch", "invalid_value"));
        }
        let note = note.trim();
        if note.chars().count() > 200 {
            return Err(AppError::invalid("note", "too_long"));
        }
        if ar::start_transfer(&pool, c.user_id, member, from, to, note)
            .await?
            .is_none()
        {
            return Err(AppError::invalid("member", "transfer_waiting"));
        }
        redirect_form_post(&back(from));
        Ok(())
    }

    pub async fn answer(id: i64, action: String, reason: String) -> Result<(), AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let t: TransferLine = ar::transfer(&pool, id).await?.ok_or(AppError::NotFound)?;
        let (from_a, ..) = repo::branch_access(&pool, &c, t.from_branch).await?;
        let (to_a, ..) = repo::branch_access(&pool, &c, t.to_branch).await?;
        if from_a == MeetingAccess::Hidden && to_a == MeetingAccess::Hidden {
            return Err(AppError::NotFound);
        }
        let action = TransferAction::parse(&action)
            .ok_or_else(|| AppError::invalid("action", "invalid_value"))?;
        let sides = TransferSides {
            sending: from_a == MeetingAccess::Manage,
            receiving: to_a == MeetingAccess::Manage,
        };
        let state = affairs::TransferState::parse(&t.state).ok_or(AppError::Internal)?;
        let reason = reason.trim();
        if reason.chars().count() > 200 {
            return Err(AppError::invalid("reason", "too_long"));
        }
        let next = transfer_step(state, action, sides, reason).map_err(|e| match e {
            affairs::TransferError::NotYours => AppError::Forbidden,
            e => AppError::invalid(
                if e == affairs::TransferError::ReasonRequired {
                    "reason"
                } else {
                    "transfer"
                },
                e.reason(),
            ),
        })?;
        if !ar::settle_transfer(&pool, c.user_id, &t, next, reason).await? {
            return Err(AppError::invalid("transfer", "transfer_settled"));
        }
        let here = if sides.receiving {
            t.to_branch
        } else {
            t.from_branch
        };
        redirect_form_post(&back(here));
        Ok(())
    }

    pub async fn leave(meeting: i64, reason: String) -> Result<(), AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let Some((member, branch, _)) = repo::member_of(&pool, c.resident_id).await? else {
            return Err(AppError::Forbidden);
        };
        let row = repo::meeting(&pool, meeting)
            .await?
            .filter(|m| m.branch_id == branch)
            .ok_or(AppError::NotFound)?;
        let reason = AppError::required_text("reason", &reason, 200)?;
        let attended = ar::attendance_of(&pool, meeting, member)
            .await?
            .is_some_and(|(mode, leave)| mode != "absent" || leave == 0);
        let planned = MeetingState::parse(&row.state) == Some(MeetingState::Planned);
        affairs::may_ask_leave(planned, row.starts_at, attended, now())
            .map_err(|e| AppError::invalid("reason", e.reason()))?;
        if !ar::leave(&pool, c.user_id, meeting, member, reason).await? {
            return Err(AppError::invalid("reason", "already_attended"));
        }
        redirect_form_post(&format!("/party/meetings/{meeting}"));
        Ok(())
    }

    pub async fn decide(id: i64, decision: String) -> Result<(), AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let (branch, _, entry) = ar::declaration(&pool, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let path = repo::manage_branch(&ctx()?.pool, &c, branch).await?;
        let approve = match decision.as_str() {
            "approve" => true,
            "reject" => false,
            _ => return Err(AppError::invalid("decision", "invalid_value")),
        };
        let entry = entry.ok_or(AppError::Internal)?;
        crate::features::scoring::repo::decide_award(&pool, c.user_id, entry, approve, &path)
            .await?;
        redirect_form_post(&back(branch));
        Ok(())
    }

    pub async fn requirements() -> Result<Vec<RequirementVersion>, AppError> {
        let c = caller().await?;
        if c.role != Role::Admin {
            return Err(AppError::Forbidden);
        }
        let book: RequirementBook = repo::requirements(&ctx()?.pool).await?;
        let today = local_date(now());
        let mut out: Vec<RequirementVersion> = book
            .versions
            .iter()
            .map(|r| RequirementVersion {
                kind: r.kind.as_str().into(),
                cadence: r.cadence.as_str().into(),
                min_count: r.min_count,
                effective_from: format_date(r.effective_from),
                in_force: book
                    .versions
                    .iter()
                    .filter(|v| v.kind == r.kind && v.effective_from <= today)
                    .max_by_key(|v| v.effective_from)
                    .is_some_and(|v| v.effective_from == r.effective_from),
                scheduled: r.effective_from > today,
            })
            .collect();
        out.sort_by(|a, b| {
            a.kind
                .cmp(&b.kind)
                .then(a.effective_from.cmp(&b.effective_from))
        });
        Ok(out)
    }

    pub async fn schedule(
        kind: String,
        cadence: String,
        min_count: u32,
        effective_from: String,
    ) -> Result<(), AppError> {
        let c = caller().await?;
        if c.role != Role::Admin {
            return Err(AppError::Forbidden);
        }
        let r = Requirement {
            kind: MeetingKind::parse(&kind)
                .ok_or_else(|| AppError::invalid("kind", "invalid_value"))?,
            cadence: Cadence::parse(&cadence)
                .ok_or_else(|| AppError::invalid("cadence", "invalid_value"))?,
            min_count,
            effective_from: parse_date(effective_from.trim())
                .ok_or_else(|| AppError::invalid("effective_from", "invalid_value"))?,
        };
        let pool = ctx()?.pool;
        let mut book = repo::requirements(&pool).await?;
        book.schedule(r.clone(), local_date(now())).map_err(|e| {
            let (f, x) = e.field_reason();
            AppError::invalid(f, x)
        })?;
        ar::schedule_requirement(&pool, c.user_id, &r).await?;
        redirect_form_post("/party/compliance");
        Ok(())
    }
}
