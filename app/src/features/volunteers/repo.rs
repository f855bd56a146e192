//! Volunteers in the database. A place in an activity is decided by one conditional update of
//! its `signed` (never above its limit), a check-in by one of its `checked` beside the
//! sign-up's state, and closing by one of its state; each write and its audit row are one
//! transaction. Locks are taken in one order everywhere — the activity, then the sign-up — so
//! requests of one volunteer never wait on each other.

use sqlx::AnyPool;

use super::types::{DeskActivity, HoursLine};
use crate::domain::identity::mask_name;
use crate::domain::org::{ancestor_path, OrgLevel};
use crate::domain::volunteers::{
    credited_tenths, may_close, may_sign_up, may_withdraw, ActivityFacts, ActivityState, Refusal,
    SignupState,
};
use crate::error::AppError;
use crate::ssr::{audit, unique_violation};

/// A team: (id, unit path, name, unit name).
pub type TeamRow = (i64, String, String, String);

/// The teams of the county a path lies in; callers keep those the rules let them see.
pub async fn teams_of_county(pool: &AnyPool, path: &str) -> Result<Vec<TeamRow>, AppError> {
    let Some(county) = ancestor_path(path, OrgLevel::County) else {
        return Ok(Vec::new());
    };
    Ok(sqlx::query_as(
        "SELECT t.id, t.unit_path, t.name, o.name FROM volunteer_teams t \
         JOIN org_units o ON o.id = t.org_unit_id WHERE t.unit_path LIKE ($1 || '%') \
         ORDER BY t.unit_path, t.id",
    )
    .bind(county)
    .fetch_all(pool)
    .await?)
}

/// An activity: its facts, team, team's path, check-in code and title.
pub struct ActivityRow {
    pub facts: ActivityFacts,
    pub team_id: i64,
    pub path: String,
    pub code: String,
    pub title: String,
}

pub async fn activity(pool: &AnyPool, id: i64) -> Result<Option<ActivityRow>, AppError> {
    type Row = (String, i64, i64, i64, i64, i64, String, String, String);
    let row: Option<Row> = sqlx::query_as(
        "SELECT state, starts_at, ends_at, sign_up_limit, signed, team_id, unit_path, code, title \
         FROM volunteer_activities WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(
        |(state, starts_at, ends_at, limit, signed, team_id, path, code, title)| ActivityRow {
            facts: ActivityFacts {
                state: ActivityState::parse(&state).unwrap_or(ActivityState::Closed),
                starts_at,
                ends_at,
                limit,
                signed,
            },
            team_id,
            path,
            code,
            title,
        },
    ))
}

pub async fn signup(
    pool: &AnyPool,
    activity: i64,
    user: i64,
) -> Result<Option<SignupState>, AppError> {
    let s: Option<String> = sqlx::query_scalar(
        "SELECT state FROM volunteer_signups WHERE activity_id = $1 AND user_id = $2",
    )
    .bind(activity)
    .bind(user)
    .fetch_optional(pool)
    .await?;
    Ok(s.as_deref().and_then(SignupState::parse))
}

/// Why a request was refused, read after the conditional updates said no.
async fn refusal(
    pool: &AnyPool,
    user: i64,
    id: i64,
    now: i64,
    rule: fn(&ActivityFacts, Option<SignupState>, i64) -> Result<(), Refusal>,
    otherwise: Refusal,
) -> Refusal {
    let (Ok(Some(a)), Ok(mine)) = (activity(pool, id).await, signup(pool, id, user).await) else {
        return otherwise;
    };
    rule(&a.facts, mine, now).err().unwrap_or(otherwise)
}

/// Takes a place in activity `id` for `user`.
pub async fn sign_up(
    pool: &AnyPool,
    user: i64,
    id: i64,
    now: i64,
) -> Result<Result<(), Refusal>, AppError> {
    let mut tx = pool.begin().await?;
    let took = sqlx::query(
        "UPDATE volunteer_activities SET signed = signed + 1 WHERE id = $1 AND state = 'open' \
         AND signed < sign_up_limit AND ends_at > $2",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if took != 1 {
        tx.rollback().await?;
        return Ok(Err(refusal(
            pool,
            user,
            id,
            now,
            may_sign_up,
            Refusal::Full,
        )
        .await));
    }
    // A first sign-up, or coming back after withdrawing; a place already held is refused.
    let held = sqlx::query(
        "INSERT INTO volunteer_signups (activity_id, user_id, state, signed_at) \
         VALUES ($1, $2, 'signed', $3) ON CONFLICT (activity_id, user_id) DO UPDATE \
         SET state = 'signed', signed_at = $3, checked_in_at = NULL \
         WHERE volunteer_signups.state = 'withdrawn'",
    )
    .bind(id)
    .bind(user)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if held != 1 {
        tx.rollback().await?;
        return Ok(Err(Refusal::AlreadySigned));
    }
    audit(
        &mut tx,
        Some(user),
        "volunteer.sign_up",
        &format!("activity:{id}"),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Gives the place back before the activity begins.
pub async fn withdraw(
    pool: &AnyPool,
    user: i64,
    id: i64,
    now: i64,
) -> Result<Result<(), Refusal>, AppError> {
    let mut tx = pool.begin().await?;
    let freed = sqlx::query(
        "UPDATE volunteer_activities SET signed = signed - 1 WHERE id = $1 AND state = 'open' \
         AND signed > 0 AND starts_at > $2",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let left = if freed == 1 {
        sqlx::query(
            "UPDATE volunteer_signups SET state = 'withdrawn' \
             WHERE activity_id = $1 AND user_id = $2 AND state = 'signed'",
        )
        .bind(id)
        .bind(user)
        .execute(&mut *tx)
        .await?
        .rows_affected()
    } else {
        0
    };
    if left != 1 {
        tx.rollback().await?;
        return Ok(Err(refusal(
            pool,
            user,
            id,
            now,
            may_withdraw,
            Refusal::NotSigned,
        )
        .await));
    }
    audit(
        &mut tx,
        Some(user),
        "volunteer.withdraw",
        &format!("activity:{id}"),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Checks a volunteer in (the code was checked by the caller); Ok(false) when they already were.
/// The activity's row is updated first, so a closing at the same moment either sees this
/// check-in and credits it, or refuses it.
pub async fn check_in(
    pool: &AnyPool,
    user: i64,
    id: i64,
    now: i64,
) -> Result<Result<bool, Refusal>, AppError> {
    let mut tx = pool.begin().await?;
    let open = sqlx::query(
        "UPDATE volunteer_activities SET checked = checked + 1 WHERE id = $1 AND state = 'open'",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if open != 1 {
        tx.rollback().await?;
        return Ok(Err(Refusal::Closed));
    }
    let done = sqlx::query(
        "UPDATE volunteer_signups SET state = 'checked_in', checked_in_at = $3 \
         WHERE activity_id = $1 AND user_id = $2 AND state = 'signed'",
    )
    .bind(id)
    .bind(user)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done != 1 {
        tx.rollback().await?;
        return match signup(pool, id, user).await? {
            Some(SignupState::CheckedIn) => Ok(Ok(false)),
            _ => Ok(Err(Refusal::NotSigned)),
        };
    }
    audit(
        &mut tx,
        Some(user),
        "volunteer.check_in",
        &format!("activity:{id}"),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(true))
}

/// Closes an activity and credits its hours to every volunteer who checked in; the number
/// credited.
pub async fn close(
    pool: &AnyPool,
    staff: i64,
    id: i64,
    now: i64,
) -> Result<Result<u64, Refusal>, AppError> {
    let Some(a) = activity(pool, id).await? else {
        return Err(AppError::NotFound);
    };
    if let Err(r) = may_close(&a.facts, now) {
        return Ok(Err(r));
    }
    let mut tx = pool.begin().await?;
    let closed = sqlx::query(
        "UPDATE volunteer_activities SET state = 'closed', closed_at = $2 \
         WHERE id = $1 AND state = 'open' AND starts_at <= $2",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if closed != 1 {
        tx.rollback().await?;
        return Ok(Err(Refusal::Closed));
    }
    let tenths = credited_tenths(a.facts.starts_at, a.facts.ends_at);
    let credited = sqlx::query(
        "INSERT INTO volunteer_hours (user_id, team_id, activity_id, tenths, at) \
         SELECT s.user_id, $2, $1, $3, $4 FROM volunteer_signups s \
         WHERE s.activity_id = $1 AND s.state = 'checked_in' \
         ON CONFLICT (user_id, activity_id) DO NOTHING",
    )
    .bind(id)
    .bind(a.team_id)
    .bind(tenths)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    audit(
        &mut tx,
        Some(staff),
        "volunteer.close",
        &format!("activity:{id}"),
        &format!("credited:{credited} tenths:{tenths}"),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(credited))
}

/// Founds a team at a unit; a name the unit already uses is refused.
pub async fn add_team(
    pool: &AnyPool,
    user: i64,
    unit: i64,
    path: &str,
    name: &str,
    now: i64,
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let id: i64 = match sqlx::query_scalar(
        "INSERT INTO volunteer_teams (org_unit_id, unit_path, name, created_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(unit)
    .bind(path)
    .bind(name)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    {
        Ok(id) => id,
        Err(e) if unique_violation(&e) => {
            return Err(AppError::invalid("name", "name_taken"));
        }
        Err(e) => return Err(e.into()),
    };
    audit(
        &mut tx,
        Some(user),
        "volunteer.team",
        &format!("team:{id}"),
        name,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// What an organiser publishes.
pub struct NewActivity<'a> {
    pub team: i64,
    pub path: &'a str,
    pub title: &'a str,
    pub place: &'a str,
    pub starts_at: i64,
    pub ends_at: i64,
    pub limit: i64,
}

fn fresh_code() -> String {
    use rand_core::RngCore;
    format!("{:06}", rand_core::OsRng.next_u32() % 1_000_000)
}

pub async fn add_activity(
    pool: &AnyPool,
    user: i64,
    a: &NewActivity<'_>,
    now: i64,
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO volunteer_activities (team_id, unit_path, title, place, starts_at, ends_at, \
         sign_up_limit, code, state, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10) RETURNING id",
    )
    .bind(a.team)
    .bind(a.path)
    .bind(a.title)
    .bind(a.place)
    .bind(a.starts_at)
    .bind(a.ends_at)
    .bind(a.limit)
    .bind(fresh_code())
    .bind(user)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    audit(
        &mut tx,
        Some(user),
        "volunteer.activity",
        &format!("activity:{id}"),
        &format!("team:{} limit:{}", a.team, a.limit),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// An activity row as lists read it.
pub type ListRow = (
    i64,
    i64,
    String,
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
    String,
    String,
);

/// Activities of the given teams from `since` on: (id, team, title, place, starts, ends, limit,
/// signed, checked, state, code), soonest first.
pub async fn activities_of(
    pool: &AnyPool,
    team: i64,
    since: i64,
) -> Result<Vec<ListRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, team_id, title, place, starts_at, ends_at, sign_up_limit, signed, checked, \
         state, code FROM volunteer_activities WHERE team_id = $1 AND ends_at > $2 \
         ORDER BY starts_at, id LIMIT 100",
    )
    .bind(team)
    .bind(since)
    .fetch_all(pool)
    .await?)
}

/// The caller's sign-ups by activity.
pub async fn my_signups(
    pool: &AnyPool,
    user: i64,
) -> Result<std::collections::HashMap<i64, SignupState>, AppError> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT activity_id, state FROM volunteer_signups WHERE user_id = $1")
            .bind(user)
            .fetch_all(pool)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(a, s)| SignupState::parse(&s).map(|s| (a, s)))
        .collect())
}

/// The caller's hours, newest first, and their sums (all time, since `year_start`).
pub async fn ledger(
    pool: &AnyPool,
    user: i64,
    year_start: i64,
) -> Result<(Vec<HoursLine>, i64, i64), AppError> {
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT a.title, t.name, h.at, h.tenths FROM volunteer_hours h \
         JOIN volunteer_activities a ON a.id = h.activity_id \
         JOIN volunteer_teams t ON t.id = h.team_id WHERE h.user_id = $1 ORDER BY h.at DESC, h.id DESC",
    )
    .bind(user)
    .fetch_all(pool)
    .await?;
    let total = rows.iter().map(|r| r.3).sum();
    let year = rows.iter().filter(|r| r.2 >= year_start).map(|r| r.3).sum();
    let lines = rows
        .into_iter()
        .take(50)
        .map(|(title, team, at, tenths)| HoursLine {
            title,
            team,
            at,
            tenths,
        })
        .collect();
    Ok((lines, total, year))
}

/// Hours since `since` of the teams under `area`: (team, name, tenths), every team listed.
pub async fn team_hours(
    pool: &AnyPool,
    area: &str,
    since: i64,
) -> Result<Vec<(i64, String, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.name, CAST(COALESCE(SUM(h.tenths), 0) AS BIGINT) FROM volunteer_teams t \
         LEFT JOIN volunteer_hours h ON h.team_id = t.id AND h.at >= $2 \
         WHERE t.unit_path LIKE ($1 || '%') GROUP BY t.id, t.name",
    )
    .bind(area)
    .bind(since)
    .fetch_all(pool)
    .await?)
}

/// Hours since `since` of each volunteer with the teams under `area`: (user, name, tenths),
/// the `n` with most (ties by id), names as stored (callers mask them).
pub async fn volunteer_hours(
    pool: &AnyPool,
    area: &str,
    since: i64,
    n: i64,
) -> Result<Vec<(i64, String, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.display_name, CAST(SUM(h.tenths) AS BIGINT) AS tenths \
         FROM volunteer_hours h JOIN volunteer_teams t ON t.id = h.team_id \
         JOIN users u ON u.id = h.user_id WHERE t.unit_path LIKE ($1 || '%') AND h.at >= $2 \
         GROUP BY u.id, u.display_name ORDER BY tenths DESC, u.id LIMIT $3",
    )
    .bind(area)
    .bind(since)
    .bind(n)
    .fetch_all(pool)
    .await?)
}

/// An organiser's view of a team's activities from a week ago on; volunteers' names (masked)
/// when `names`.
pub async fn desk_activities(
    pool: &AnyPool,
    team: i64,
    now: i64,
    names: bool,
) -> Result<Vec<DeskActivity>, AppError> {
    let mut out = Vec::new();
    for (id, _, title, place, starts_at, ends_at, limit, signed, checked, state, code) in
        activities_of(pool, team, now - 7 * 86_400).await?
    {
        let st = ActivityState::parse(&state).unwrap_or(ActivityState::Closed);
        let facts = ActivityFacts {
            state: st,
            starts_at,
            ends_at,
            limit,
            signed,
        };
        let volunteers = if names {
            let rows: Vec<(String, String)> = sqlx::query_as(
                "SELECT u.display_name, s.state FROM volunteer_signups s \
                 JOIN users u ON u.id = s.user_id WHERE s.activity_id = $1 \
                 AND s.state <> 'withdrawn' ORDER BY s.signed_at, s.id",
            )
            .bind(id)
            .fetch_all(pool)
            .await?;
            rows.into_iter().map(|(n, s)| (mask_name(&n), s)).collect()
        } else {
            Vec::new()
        };
        out.push(DeskActivity {
            id,
            title,
            place,
            starts_at,
            ends_at,
            limit,
            signed,
            checked,
            code: (names && st == ActivityState::Open).then_some(code),
            volunteers,
            may_close: names && may_close(&facts, now).is_ok(),
            state,
        });
    }
    Ok(out)
}

/// Whether a check-in's code is the activity's, compared without leaking its length or where
/// it differs.
pub fn code_matches(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.trim().as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
