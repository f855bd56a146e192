//! Server functions of member development (发展党员): caller → scope (the branch's
//! `meeting_access`, then `development::takers`) → repo → `development::check_step`.
//! An applicant out of scope answers exactly like one that does not exist.
// A step's form posts its fields flat (a plain HTML form, no JavaScript needed), so its server
// function takes them one by one; the lint cannot be silenced on the code `#[server]` makes.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::types::{ApplicantDetail, Development};
use crate::error::AppError;

/// `standing`: only applicants of that standing; `overdue`: only those past a deadline.
#[server(prefix = "/api", endpoint = "development")]
pub async fn get_development(
    standing: Option<String>,
    overdue: Option<String>,
) -> Result<Development, AppError> {
    crate::error::with_status(
        imp::list(
            standing.filter(|s| !s.is_empty()),
            overdue.is_some_and(|o| !o.is_empty()),
        )
        .await,
    )
}

/// `birth_date` and `day` (of the application) `YYYY-MM-DD`; `gender` `male` or `female`.
#[server(prefix = "/api", endpoint = "add_applicant")]
pub async fn add_applicant(
    branch_id: i64,
    name: String,
    gender: String,
    birth_date: String,
    day: String,
    document: String,
) -> Result<i64, AppError> {
    crate::error::with_status(imp::add(branch_id, name, gender, birth_date, day, document).await)
}

#[server(prefix = "/api", endpoint = "applicant_detail")]
pub async fn get_applicant(id: i64) -> Result<ApplicantDetail, AppError> {
    crate::error::with_status(imp::detail(id).await)
}

/// Records step `step` of applicant `id` on `day`, with what the step needs: a document
/// reference, two sponsors (member ids), or the assembly's vote.
#[server(prefix = "/api", endpoint = "record_step")]
pub async fn record_step(
    id: i64,
    step: u8,
    day: String,
    document: Option<String>,
    sponsor_a: Option<i64>,
    sponsor_b: Option<i64>,
    entitled: Option<u32>,
    present: Option<u32>,
    yes: Option<u32>,
) -> Result<(), AppError> {
    let input = crate::domain::party::development::StepInput {
        document: document.unwrap_or_default(),
        sponsors: [sponsor_a, sponsor_b].into_iter().flatten().collect(),
        votes: match (entitled, present, yes) {
            (Some(entitled), Some(present), Some(yes)) => {
                Some(crate::domain::party::development::Votes {
                    entitled,
                    present,
                    yes,
                })
            }
            _ => None,
        },
    };
    crate::error::with_status(imp::record(id, step, day, input).await)
}

#[cfg(feature = "ssr")]
mod imp {
    use super::super::types::{
        ApplicantDetail, ApplicantLine, ApplicantRow, Development, StepLine,
    };
    use super::super::{dev_repo, repo};
    use crate::domain::calendar::{format_date, local_date, parse_date};
    use crate::domain::party::development::{
        check_step, def, due_by, earliest, next_step, overdue, standing, takers, DevError, Done,
        Needs, StepInput, Taker, Votes, STEPS,
    };
    use crate::domain::party::{meeting_access, MeetingViewer};
    use crate::domain::roles::Role;
    use crate::domain::scope::Caller;
    use crate::error::AppError;
    use crate::ssr::{caller, ctx, now, redirect_form_post};

    fn oversees(role: Role) -> bool {
        matches!(
            role,
            Role::Admin | Role::CountySupervisor | Role::TownshipDispatcher | Role::VillageCadre
        )
    }

    fn line(a: ApplicantRow, done: &[Done], today: time::Date) -> ApplicantLine {
        let next = next_step(done);
        ApplicantLine {
            next_step: next.map(|s| s.no),
            due_by: next.and_then(|s| due_by(done, s)).map(format_date),
            overdue: overdue(done, today).is_some(),
            a,
        }
    }

    /// The most lines a list shows: overdue first, then those furthest behind.
    const SHOWN: usize = 100;

    pub async fn list(only: Option<String>, only_overdue: bool) -> Result<Development, AppError> {
        let c = caller().await?;
        if !oversees(c.role) {
            return Err(AppError::Forbidden);
        }
        let pool = ctx()?.pool;
        let today = local_date(now());
        let done = dev_repo::done_in(&pool, &c.unit_path).await?;
        let mut lines: Vec<ApplicantLine> = dev_repo::list(&pool, &c.unit_path)
            .await?
            .into_iter()
            .map(|a| {
                let d = done.get(&a.id).map(Vec::as_slice).unwrap_or(&[]);
                line(a, d, today)
            })
            .filter(|l| only.as_ref().is_none_or(|s| *s == l.a.standing))
            .filter(|l| !only_overdue || l.overdue)
            .collect();
        lines.sort_by_key(|l| (!l.overdue, l.a.last_step, l.a.id));
        let total = lines.len() as i64;
        lines.truncate(SHOWN);
        let mut counts: Vec<(String, i64)> = crate::domain::party::development::Standing::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), 0))
            .collect();
        for d in done.values() {
            let s = standing(d).as_str();
            if let Some(c) = counts.iter_mut().find(|c| c.0 == s) {
                c.1 += 1;
            }
        }
        let overdue = done
            .values()
            .filter(|d| overdue(d, today).is_some())
            .count() as i64;
        let branches = if matches!(c.role, Role::Admin | Role::VillageCadre) {
            repo::branches_in(&pool, &c.unit_path).await?
        } else {
            Vec::new()
        };
        Ok(Development {
            branches,
            counts,
            overdue,
            total,
            lines,
        })
    }

    fn dev_error(e: DevError) -> AppError {
        let field = match e {
            DevError::OutOfOrder { .. } | DevError::Finished => "step",
            DevError::BadDay | DevError::TooEarly { .. } => "day",
            DevError::NoDocument => "document",
            DevError::Sponsors => "sponsors",
            DevError::Vote => "votes",
            DevError::Underage => "birth_date",
            DevError::NotYours => return AppError::Forbidden,
        };
        AppError::invalid(field, e.reason())
    }

    fn date(field: &str, s: &str) -> Result<time::Date, AppError> {
        parse_date(s.trim()).ok_or_else(|| AppError::invalid(field, "invalid_value"))
    }

    /// The caller's hands on a branch's applicants; empty hides them.
    async fn hands(c: &Caller, branch: i64, path: &str) -> Result<Vec<Taker>, AppError> {
        let m = repo::member_of(&ctx()?.pool, c.resident_id).await?;
        let access = meeting_access(&MeetingViewer::of(c, m.map(|m| m.1)), branch, path);
        Ok(takers(access, c.role))
    }

    pub async fn add(
        branch_id: i64,
        name: String,
        gender: String,
        birth_date: String,
        day: String,
        document: String,
    ) -> Result<i64, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let (path, _) = repo::branch(&pool, branch_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let hands = hands(&c, branch_id, &path).await?;
        if hands.is_empty() {
            return Err(AppError::NotFound);
        }
        let name = AppError::required_text("name", &name, 30)?;
        let gender = match gender.as_str() {
            "male" | "female" => gender.as_str(),
            _ => return Err(AppError::invalid("gender", "invalid_value")),
        };
        let birth = date("birth_date", &birth_date)?;
        let on = date("day", &day)?;
        let s1 = &STEPS[0];
        if !hands.contains(&s1.taker) {
            return Err(AppError::Forbidden);
        }
        let input = StepInput {
            document: document.clone(),
            ..Default::default()
        };
        check_step(&[], 1, on, local_date(now()), s1.taker, birth, &input).map_err(dev_error)?;
        let id = dev_repo::add(
            &pool,
            c.user_id,
            branch_id,
            &path,
            name,
            gender,
            birth,
            on,
            document.trim(),
        )
        .await?;
        redirect_form_post(&format!("/party/development/{id}"));
        Ok(id)
    }

    /// The applicant, their steps done, and the caller's hands; none hides them.
    async fn load(
        id: i64,
    ) -> Result<
        (
            Caller,
            ApplicantRow,
            Vec<Done>,
            Vec<dev_repo::StoredStep>,
            Vec<Taker>,
        ),
        AppError,
    > {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let a = dev_repo::applicant(&pool, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let hands = hands(&c, a.branch_id, &a.unit_path).await?;
        if hands.is_empty() {
            return Err(AppError::NotFound);
        }
        let stored = dev_repo::steps(&pool, id).await?;
        let done: Vec<Done> = stored
            .iter()
            .filter_map(|(no, on, ..)| {
                Some(Done {
                    no: u8::try_from(*no).ok()?,
                    on: parse_date(on)?,
                })
            })
            .collect();
        Ok((c, a, done, stored, hands))
    }

    pub async fn detail(id: i64) -> Result<ApplicantDetail, AppError> {
        let (_, a, done, stored, hands) = load(id).await?;
        let may_record = next_step(&done).is_some_and(|s| hands.contains(&s.taker));
        let pool = ctx()?.pool;
        let members = dev_repo::members(&pool, a.branch_id).await?;
        let name_of = |id: &str| {
            id.parse::<i64>()
                .ok()
                .and_then(|id| members.iter().find(|m| m.id == id))
                .map(|m| m.name.clone())
                .unwrap_or_default()
        };
        let next = next_step(&done).map(|s| s.no);
        let steps = STEPS
            .iter()
            .map(|s| {
                let row = stored.iter().find(|r| r.0 == i64::from(s.no));
                let is_next = next == Some(s.no);
                StepLine {
                    no: s.no,
                    stage: s.stage.as_str().into(),
                    code: s.code.into(),
                    taker: s.taker.as_str().into(),
                    needs: s.needs.as_str().into(),
                    state: if row.is_some() {
                        "done"
                    } else if is_next {
                        "next"
                    } else {
                        "later"
                    }
                    .into(),
                    on: row.map(|r| r.1.clone()),
                    document: row.map(|r| r.2.clone()).unwrap_or_default(),
                    sponsors: row
                        .map(|r| {
                            r.3.split(',')
                                .filter(|x| !x.is_empty())
                                .map(name_of)
                                .collect()
                        })
                        .unwrap_or_default(),
                    votes: row
                        .and_then(|r| Votes::decode(&r.4))
                        .map(|v| (v.entitled, v.present, v.yes)),
                    earliest: is_next
                        .then(|| earliest(&done, s).map(format_date))
                        .flatten(),
                    due_by: is_next.then(|| due_by(&done, s).map(format_date)).flatten(),
                }
            })
            .collect();
        let today = local_date(now());
        Ok(ApplicantDetail {
            line: line(a, &done, today),
            steps,
            may_record,
            members,
            today: format_date(today),
        })
    }

    pub async fn record(id: i64, no: u8, day: String, input: StepInput) -> Result<(), AppError> {
        let (c, a, mut done, _, hands) = load(id).await?;
        let s = def(no).ok_or_else(|| AppError::invalid("step", "invalid_value"))?;
        if !hands.contains(&s.taker) {
            return Err(AppError::Forbidden);
        }
        let on = date("day", &day)?;
        let pool = ctx()?.pool;
        if s.needs == Needs::Sponsors {
            let members = dev_repo::members(&pool, a.branch_id).await?;
            if !input
                .sponsors
                .iter()
                .all(|x| members.iter().any(|m| m.id == *x))
            {
                return Err(AppError::invalid("sponsors", "dev_sponsors"));
            }
        }
        let birth = date("birth_date", &a.birth_date)?;
        check_step(&done, no, on, local_date(now()), s.taker, birth, &input).map_err(dev_error)?;
        done.push(Done { no, on });
        if !dev_repo::record(
            &pool,
            c.user_id,
            id,
            no,
            on,
            &input,
            standing(&done).as_str(),
        )
        .await?
        {
            return Err(AppError::invalid("step", "dev_out_of_order"));
        }
        redirect_form_post(&format!("/party/development/{id}"));
        Ok(())
    }
}
