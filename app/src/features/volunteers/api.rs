//! Server functions of volunteer service: caller → `domain::volunteers::team_access` /
//! `may_join` → repo → `domain::volunteers` rules. A team or activity out of scope answers
//! exactly like one that does not exist.

use leptos::prelude::*;

use super::types::{VolunteerDesk, VolunteerHome};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "volunteer_home")]
pub async fn get_volunteer() -> Result<VolunteerHome, AppError> {
    crate::error::with_status(imp::home().await)
}

#[server(prefix = "/api", endpoint = "volunteer_sign_up")]
pub async fn volunteer_sign_up(activity_id: i64) -> Result<(), AppError> {
    crate::error::with_status(imp::sign_up(activity_id).await)
}

#[server(prefix = "/api", endpoint = "volunteer_withdraw")]
pub async fn volunteer_withdraw(activity_id: i64) -> Result<(), AppError> {
    crate::error::with_status(imp::withdraw(activity_id).await)
}

/// The code shown on the spot; true when this checked the volunteer in, false when they already were.
#[server(prefix = "/api", endpoint = "volunteer_check_in")]
pub async fn volunteer_check_in(activity_id: i64, code: String) -> Result<bool, AppError> {
    crate::error::with_status(imp::check_in(activity_id, code).await)
}

#[server(prefix = "/api", endpoint = "volunteer_desk")]
pub async fn get_volunteer_desk() -> Result<VolunteerDesk, AppError> {
    crate::error::with_status(imp::desk().await)
}

/// A team at the caller's own unit.
#[server(prefix = "/api", endpoint = "add_volunteer_team")]
pub async fn add_volunteer_team(name: String) -> Result<i64, AppError> {
    crate::error::with_status(imp::add_team(name).await)
}

/// `day` is `YYYY-MM-DD`, `start` `HH:MM` (China's time), `minutes` its length.
#[server(prefix = "/api", endpoint = "add_volunteer_activity")]
pub async fn add_volunteer_activity(
    team_id: i64,
    title: String,
    place: String,
    day: String,
    start: String,
    minutes: i64,
    limit: i64,
) -> Result<i64, AppError> {
    crate::error::with_status(
        imp::add_activity(team_id, title, place, day, start, minutes, limit).await,
    )
}

/// Closes an activity and credits the hours of those who checked in; how many were credited.
#[server(prefix = "/api", endpoint = "close_volunteer_activity")]
pub async fn close_volunteer_activity(activity_id: i64) -> Result<u64, AppError> {
    crate::error::with_status(imp::close(activity_id).await)
}

#[cfg(feature = "ssr")]
mod imp {
    use super::super::repo::{self, ActivityRow, NewActivity};
    use super::super::types::{Activity, DeskTeam, Ranked, VolunteerDesk, VolunteerHome};
    use crate::domain::calendar::{day_start, local_date};
    use crate::domain::identity::mask_name;
    use crate::domain::org::{ancestor_path, OrgLevel};
    use crate::domain::scope::Caller;
    use crate::domain::services::{runs_desks, slot_start, PointAccess};
    use crate::domain::volunteers::{
        credited_tenths, may_check_in, may_join, places_left, rank, team_access, validate_activity,
        ActivityState, Refusal, SignupState,
    };
    use crate::error::AppError;
    use crate::ssr::{caller, ctx, now, redirect_form_post};

    fn refused(r: Refusal) -> AppError {
        AppError::invalid("activity_id", r.key())
    }

    /// The township a path lies in (the county itself for a county account): rankings
    /// compare there.
    fn area(path: &str) -> String {
        ancestor_path(path, OrgLevel::Township).unwrap_or_else(|| path.to_string())
    }

    fn year_start(t: i64) -> i64 {
        let d = local_date(t);
        time::Date::from_ordinal_date(d.year(), 1)
            .map(day_start)
            .unwrap_or(0)
    }

    /// An activity the caller may volunteer for, or not found.
    async fn joinable(c: &Caller, id: i64) -> Result<ActivityRow, AppError> {
        let pool = ctx()?.pool;
        let a = repo::activity(&pool, id).await?.ok_or(AppError::NotFound)?;
        if !may_join(&c.unit_path, &a.path) {
            return Err(AppError::NotFound);
        }
        Ok(a)
    }

    pub async fn home() -> Result<VolunteerHome, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let t = now();
        let mine = repo::my_signups(&pool, c.user_id).await?;
        let mut activities = Vec::new();
        for (team, path, name, _) in repo::teams_of_county(&pool, &c.unit_path).await? {
            if !may_join(&c.unit_path, &path) {
                continue;
            }
            for (id, _, title, place, starts_at, ends_at, limit, signed, _, state, _) in
                repo::activities_of(&pool, team, t - 86_400).await?
            {
                let st = ActivityState::parse(&state).unwrap_or(ActivityState::Closed);
                let facts = crate::domain::volunteers::ActivityFacts {
                    state: st,
                    starts_at,
                    ends_at,
                    limit,
                    signed,
                };
                let my = mine.get(&id).copied();
                activities.push(Activity {
                    id,
                    team: name.clone(),
                    title,
                    place,
                    starts_at,
                    ends_at,
                    limit,
                    left: places_left(limit, signed),
                    upcoming: st == ActivityState::Open && starts_at > t,
                    joinable: st == ActivityState::Open && ends_at > t,
                    state,
                    mine: my.map(|s| s.as_str().to_string()),
                    can_check_in: my == Some(SignupState::Signed)
                        && may_check_in(&facts, my, true, t).is_ok(),
                    tenths: credited_tenths(starts_at, ends_at),
                });
            }
        }
        activities.sort_by_key(|a| (a.starts_at, a.id));
        let since = year_start(t);
        let (ledger, total_tenths, year_tenths) = repo::ledger(&pool, c.user_id, since).await?;
        let area = area(&c.unit_path);
        let teams = rank(repo::team_hours(&pool, &area, since).await?)
            .into_iter()
            .take(10)
            .map(|(rank, _, name, tenths)| Ranked {
                rank,
                name,
                tenths,
                me: false,
            })
            .collect();
        let volunteers = rank(repo::volunteer_hours(&pool, &area, since, 10).await?)
            .into_iter()
            .map(|(rank, id, name, tenths)| Ranked {
                rank,
                name: mask_name(&name),
                tenths,
                me: id == c.user_id,
            })
            .collect();
        Ok(VolunteerHome {
            activities,
            total_tenths,
            year_tenths,
            ledger,
            teams,
            volunteers,
            desk: runs_desks(c.role),
        })
    }

    pub async fn sign_up(id: i64) -> Result<(), AppError> {
        let c = caller().await?;
        joinable(&c, id).await?;
        repo::sign_up(&ctx()?.pool, c.user_id, id, now())
            .await?
            .map_err(refused)?;
        redirect_form_post("/volunteer");
        Ok(())
    }

    pub async fn withdraw(id: i64) -> Result<(), AppError> {
        let c = caller().await?;
        joinable(&c, id).await?;
        repo::withdraw(&ctx()?.pool, c.user_id, id, now())
            .await?
            .map_err(refused)?;
        redirect_form_post("/volunteer");
        Ok(())
    }

    pub async fn check_in(id: i64, code: String) -> Result<bool, AppError> {
        let c = caller().await?;
        let a = joinable(&c, id).await?;
        let pool = ctx()?.pool;
        let t = now();
        let mine = repo::signup(&pool, id, c.user_id).await?;
        let code = code.trim();
        if !crate::domain::party::is_code_shape(code) {
            return Err(AppError::invalid("checkin_code", "invalid_value"));
        }
        may_check_in(&a.facts, mine, repo::code_matches(&a.code, code), t)
            .map_err(|r| AppError::invalid("checkin_code", r.key()))?;
        let new = repo::check_in(&pool, c.user_id, id, t)
            .await?
            .map_err(refused)?;
        redirect_form_post("/volunteer");
        Ok(new)
    }

    pub async fn desk() -> Result<VolunteerDesk, AppError> {
        let c = caller().await?;
        if !runs_desks(c.role) {
            return Err(AppError::Forbidden);
        }
        let pool = ctx()?.pool;
        let t = now();
        let since = year_start(t);
        let hours = repo::team_hours(&pool, &c.unit_path, since).await?;
        let mut teams = Vec::new();
        for (id, path, name, unit_name) in repo::teams_of_county(&pool, &c.unit_path).await? {
            let a = team_access(c.role, &c.unit_path, &path);
            if !matches!(a, PointAccess::Manage | PointAccess::Oversee) {
                continue;
            }
            let manage = a == PointAccess::Manage;
            teams.push(DeskTeam {
                activities: repo::desk_activities(&pool, id, t, manage).await?,
                year_tenths: hours.iter().find(|h| h.0 == id).map(|h| h.2).unwrap_or(0),
                id,
                name,
                unit_name,
                manage,
            });
        }
        Ok(VolunteerDesk {
            teams,
            may_add_team: matches!(
                c.role,
                crate::domain::roles::Role::VillageCadre
                    | crate::domain::roles::Role::TownshipDispatcher
            ),
        })
    }

    pub async fn add_team(name: String) -> Result<i64, AppError> {
        let c = caller().await?;
        if !matches!(
            c.role,
            crate::domain::roles::Role::VillageCadre
                | crate::domain::roles::Role::TownshipDispatcher
        ) {
            return Err(AppError::Forbidden);
        }
        let name = AppError::required_text("name", &name, 60)?;
        let unit: i64 = c
            .unit_path
            .split('/')
            .rfind(|s| !s.is_empty())
            .and_then(|s| s.parse().ok())
            .ok_or(AppError::Forbidden)?;
        let id = repo::add_team(&ctx()?.pool, c.user_id, unit, &c.unit_path, name, now()).await?;
        redirect_form_post("/volunteer/desk");
        Ok(id)
    }

    pub async fn add_activity(
        team: i64,
        title: String,
        place: String,
        day: String,
        start: String,
        minutes: i64,
        limit: i64,
    ) -> Result<i64, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let teams = repo::teams_of_county(&pool, &c.unit_path).await?;
        let path = teams
            .iter()
            .find(|x| x.0 == team)
            .map(|x| x.1.clone())
            .filter(|p| team_access(c.role, &c.unit_path, p) != PointAccess::Hidden)
            .ok_or(AppError::NotFound)?;
        if team_access(c.role, &c.unit_path, &path) != PointAccess::Manage {
            return Err(AppError::Forbidden);
        }
        let title = AppError::required_text("activity_title", &title, 80)?;
        let place = place.trim();
        if place.chars().count() > 120 {
            return Err(AppError::invalid("place", "too_long"));
        }
        let t = now();
        let starts =
            slot_start(&day, &start).ok_or_else(|| AppError::invalid("start", "bad_time"))?;
        validate_activity(title, starts, minutes, limit, t)
            .map_err(|(f, r)| AppError::invalid(f, r))?;
        let id = repo::add_activity(
            &pool,
            c.user_id,
            &NewActivity {
                team,
                path: &path,
                title,
                place,
                starts_at: starts,
                ends_at: starts + minutes * 60,
                limit,
            },
            t,
        )
        .await?;
        redirect_form_post("/volunteer/desk");
        Ok(id)
    }

    pub async fn close(id: i64) -> Result<u64, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let a = repo::activity(&pool, id).await?.ok_or(AppError::NotFound)?;
        match team_access(c.role, &c.unit_path, &a.path) {
            PointAccess::Manage => {}
            PointAccess::Hidden => return Err(AppError::NotFound),
            _ => return Err(AppError::Forbidden),
        }
        let n = repo::close(&pool, c.user_id, id, now())
            .await?
            .map_err(refused)?;
        redirect_form_post("/volunteer/desk");
        Ok(n)
    }
}
