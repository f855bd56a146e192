//! Branch life in the database. Every write is one transaction with its audit row; a check-in
//! also writes its activity and ledger lines there, so points exist exactly when attendance does.

use std::collections::HashMap;

use sqlx::AnyPool;

use super::types::{
    BranchChoice, CellView, Compliance, ComplianceRow, MeetingRow, MyAttendance, RequirementCol,
    RosterLine,
};
use crate::domain::calendar::{day_start, local_date, parse_date};
use crate::domain::party::{
    cell, AttendMode, Cadence, Cell, MeetingKind, Plan, Requirement, RequirementBook,
};
use crate::domain::scoring::{Period, PeriodKind};
use crate::error::AppError;
use crate::features::scoring::ledger::score_activity;
use crate::ssr::{audit, now};

/// The member record behind a resident: (member id, branch id, member name).
pub async fn member_of(
    pool: &AnyPool,
    resident_id: Option<i64>,
) -> Result<Option<(i64, i64, String)>, AppError> {
    let Some(rid) = resident_id else {
        return Ok(None);
    };
    Ok(sqlx::query_as(
        "SELECT id, branch_id, name FROM party_members WHERE resident_id = $1 ORDER BY id LIMIT 1",
    )
    .bind(rid)
    .fetch_optional(pool)
    .await?)
}

/// The caller's access to a branch (`domain::party::meeting_access`), with the branch's path
/// and name; a branch that does not exist is not found.
pub async fn branch_access(
    pool: &AnyPool,
    c: &crate::domain::scope::Caller,
    branch_id: i64,
) -> Result<(crate::domain::party::MeetingAccess, String, String), AppError> {
    let (path, name) = self::branch(pool, branch_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let m = member_of(pool, c.resident_id).await?;
    let viewer = crate::domain::party::MeetingViewer::of(c, m.map(|m| m.1));
    Ok((
        crate::domain::party::meeting_access(&viewer, branch_id, &path),
        path,
        name,
    ))
}

/// The branch's path when the caller runs it (its secretary, or an administrator); a branch
/// they cannot see is not found, one they only see is forbidden.
pub async fn manage_branch(
    pool: &AnyPool,
    c: &crate::domain::scope::Caller,
    branch_id: i64,
) -> Result<String, AppError> {
    use crate::domain::party::MeetingAccess;
    let (a, path, _) = branch_access(pool, c, branch_id).await?;
    match a {
        MeetingAccess::Manage => Ok(path),
        MeetingAccess::Hidden => Err(AppError::NotFound),
        _ => Err(AppError::Forbidden),
    }
}

/// A branch's org path and name.
pub async fn branch(pool: &AnyPool, id: i64) -> Result<Option<(String, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT o.path, b.name FROM party_branches b JOIN org_units o ON o.id = b.org_unit_id \
         WHERE b.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?)
}

/// The branches of a subtree, by name.
pub async fn branches_in(pool: &AnyPool, path: &str) -> Result<Vec<BranchChoice>, AppError> {
    Ok(sqlx::query_as(
        "SELECT b.id, b.name FROM party_branches b JOIN org_units o ON o.id = b.org_unit_id \
         WHERE o.path LIKE ($1 || '%') ORDER BY o.code, b.id LIMIT 500",
    )
    .bind(path)
    .fetch_all(pool)
    .await?)
}

const MEETING_COLS: &str = "m.id, m.branch_id, b.name AS branch_name, m.kind, m.topic, m.place, \
    m.starts_at, m.ends_at, m.state, \
    CAST(COALESCE(SUM(CASE WHEN a.mode = 'present' THEN 1 ELSE 0 END), 0) AS BIGINT) AS present, \
    CAST(COALESCE(SUM(CASE WHEN a.mode = 'remote' THEN 1 ELSE 0 END), 0) AS BIGINT) AS remote, \
    CAST(COALESCE(SUM(CASE WHEN a.mode = 'absent' THEN 1 ELSE 0 END), 0) AS BIGINT) AS absent";
const MEETING_FROM: &str = "meetings m JOIN party_branches b ON b.id = m.branch_id \
    LEFT JOIN meeting_attendance a ON a.meeting_id = m.id";
const MEETING_GROUP: &str = "GROUP BY m.id, m.branch_id, b.name, m.kind, m.topic, m.place, \
    m.starts_at, m.ends_at, m.state";

/// Which meetings a list shows: a subtree (those who oversee or run branches) or one branch
/// (a member). The same split as `domain::party::meeting_access`.
#[derive(Debug, Clone)]
pub enum Scope {
    Subtree(String),
    Branch(i64),
}

/// Meetings in scope, the latest first.
pub async fn meetings(
    pool: &AnyPool,
    scope: &Scope,
    limit: i64,
) -> Result<Vec<MeetingRow>, AppError> {
    let sql = |filter: &str| {
        format!(
            "SELECT {MEETING_COLS} FROM {MEETING_FROM} WHERE {filter} {MEETING_GROUP} \
             ORDER BY m.starts_at DESC, m.id DESC LIMIT $2"
        )
    };
    Ok(match scope {
        Scope::Subtree(p) => {
            sqlx::query_as(&sql("m.unit_path LIKE ($1 || '%')"))
                .bind(p)
                .bind(limit)
                .fetch_all(pool)
                .await?
        }
        Scope::Branch(b) => {
            sqlx::query_as(&sql("m.branch_id = $1"))
                .bind(b)
                .bind(limit)
                .fetch_all(pool)
                .await?
        }
    })
}

pub async fn meeting(pool: &AnyPool, id: i64) -> Result<Option<MeetingRow>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {MEETING_COLS} FROM {MEETING_FROM} WHERE m.id = $1 {MEETING_GROUP}"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?)
}

/// A meeting's check-in code and minutes.
pub async fn code_and_minutes(pool: &AnyPool, id: i64) -> Result<(String, String), AppError> {
    Ok(
        sqlx::query_as("SELECT code, minutes FROM meetings WHERE id = $1")
            .bind(id)
            .fetch_one(pool)
            .await?,
    )
}

/// The branch's members and how each took part; `only` narrows it to one member.
pub async fn roster(
    pool: &AnyPool,
    meeting_id: i64,
    branch_id: i64,
    only: Option<i64>,
) -> Result<Vec<RosterLine>, AppError> {
    Ok(sqlx::query_as(
        "SELECT pm.id AS member_id, pm.name, CAST(pm.migrant AS BIGINT) AS migrant, a.mode, a.reason, a.at, \
         CAST(COALESCE(a.on_leave, 0) AS BIGINT) AS on_leave \
         FROM party_members pm \
         LEFT JOIN meeting_attendance a ON a.member_id = pm.id AND a.meeting_id = $1 \
         WHERE pm.branch_id = $2 AND ($3 = 0 OR pm.id = $3) ORDER BY pm.id",
    )
    .bind(meeting_id)
    .bind(branch_id)
    .bind(only.unwrap_or(0))
    .fetch_all(pool)
    .await?)
}

pub async fn my_attendance(pool: &AnyPool, member_id: i64) -> Result<Vec<MyAttendance>, AppError> {
    Ok(sqlx::query_as(
        "SELECT m.id AS meeting_id, m.kind, m.topic, m.starts_at, a.mode FROM meeting_attendance a \
         JOIN meetings m ON m.id = a.meeting_id WHERE a.member_id = $1 \
         ORDER BY m.starts_at DESC LIMIT 20",
    )
    .bind(member_id)
    .fetch_all(pool)
    .await?)
}

/// A code no meeting whose window is still open uses, so a code names one meeting.
async fn free_code(tx: &mut sqlx::Transaction<'_, sqlx::Any>, t: i64) -> Result<String, AppError> {
    use rand_core::RngCore;
    for _ in 0..20 {
        let n = rand_core::OsRng.next_u32() % 1_000_000;
        let code = format!("{n:06}");
        let taken: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM meetings WHERE code = $1 AND ends_at >= $2 AND state = 'planned' LIMIT 1",
        )
        .bind(&code)
        .bind(t)
        .fetch_optional(&mut **tx)
        .await?;
        if taken.is_none() {
            return Ok(code);
        }
    }
    tracing::error!("no free check-in code after 20 tries");
    Err(AppError::Busy)
}

pub async fn plan(
    pool: &AnyPool,
    user: i64,
    branch_id: i64,
    path: &str,
    kind: MeetingKind,
    p: &Plan,
) -> Result<i64, AppError> {
    let t = now();
    let mut tx = pool.begin().await?;
    let code = free_code(&mut tx, t).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO meetings (branch_id, unit_path, kind, topic, place, starts_at, ends_at, code, \
         state, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'planned', $9, $10) \
         RETURNING id",
    )
    .bind(branch_id)
    .bind(path)
    .bind(kind.as_str())
    .bind(p.topic.trim())
    .bind(p.place.trim())
    .bind(p.starts_at)
    .bind(p.starts_at + p.duration_min * 60)
    .bind(&code)
    .bind(user)
    .bind(t)
    .fetch_one(&mut *tx)
    .await?;
    audit(
        &mut tx,
        Some(user),
        "meeting.plan",
        &format!("meeting:{id}"),
        kind.as_str(),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A meeting found by its code: (id, branch, state, starts, ends, topic). Of several meetings
/// sharing a code over time, the member's own branch's latest comes first.
pub async fn by_code(
    pool: &AnyPool,
    code: &str,
    branch_id: i64,
) -> Result<Option<(i64, i64, String, i64, i64, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, branch_id, state, starts_at, ends_at, topic FROM meetings WHERE code = $1 \
         ORDER BY CASE WHEN branch_id = $2 THEN 0 ELSE 1 END, ends_at DESC LIMIT 1",
    )
    .bind(code)
    .bind(branch_id)
    .fetch_optional(pool)
    .await?)
}

/// Records a member as taking part. Idempotent: a second check-in changes nothing and earns
/// nothing; a check-in after an absence was recorded replaces the absence. Returns whether
/// anything changed.
pub async fn attend(
    pool: &AnyPool,
    user: i64,
    meeting_id: i64,
    member_id: i64,
    unit_path: &str,
    mode: AttendMode,
) -> Result<bool, AppError> {
    let t = now();
    let mut tx = pool.begin().await?;
    let changed = sqlx::query(
        "INSERT INTO meeting_attendance (meeting_id, member_id, mode, at, recorded_by) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (meeting_id, member_id) DO UPDATE \
         SET mode = excluded.mode, reason = '', on_leave = 0, at = excluded.at, \
         recorded_by = excluded.recorded_by \
         WHERE meeting_attendance.mode = 'absent'",
    )
    .bind(meeting_id)
    .bind(member_id)
    .bind(mode.as_str())
    .bind(t)
    .bind(user)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !changed {
        return Ok(false);
    }
    if mode.earns() {
        let activity: i64 = sqlx::query_scalar(
            "INSERT INTO activities (kind, subject, subject_id, unit_path, at, note, recorded_by) \
             VALUES ('branch_life', 'member', $1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(member_id)
        .bind(unit_path)
        .bind(t)
        .bind(format!("meeting:{meeting_id}"))
        .bind(user)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE meeting_attendance SET activity_id = $1 WHERE meeting_id = $2 AND member_id = $3",
        )
        .bind(activity)
        .bind(meeting_id)
        .bind(member_id)
        .execute(&mut *tx)
        .await?;
        score_activity(&mut tx, activity).await?;
    }
    audit(
        &mut tx,
        Some(user),
        "meeting.attend",
        &format!("meeting:{meeting_id}"),
        &format!("member:{member_id} {}", mode.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Records an absence with its reason; a member already checked in stays checked in (false).
pub async fn absent(
    pool: &AnyPool,
    user: i64,
    meeting_id: i64,
    member_id: i64,
    reason: &str,
) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query(
        "INSERT INTO meeting_attendance (meeting_id, member_id, mode, reason, at, recorded_by) \
         VALUES ($1, $2, 'absent', $3, $4, $5) ON CONFLICT (meeting_id, member_id) DO UPDATE \
         SET reason = excluded.reason WHERE meeting_attendance.mode = 'absent'",
    )
    .bind(meeting_id)
    .bind(member_id)
    .bind(reason)
    .bind(now())
    .bind(user)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if done {
        audit(
            &mut tx,
            Some(user),
            "meeting.absent",
            &format!("meeting:{meeting_id}"),
            &format!("member:{member_id}"),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(done)
}

/// Closes a planned meeting with its minutes; false if someone closed it first.
pub async fn close(pool: &AnyPool, user: i64, id: i64, minutes: &str) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query(
        "UPDATE meetings SET state = 'closed', minutes = $1, closed_at = $2 \
         WHERE id = $3 AND state = 'planned'",
    )
    .bind(minutes.trim())
    .bind(now())
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if done {
        audit(
            &mut tx,
            Some(user),
            "meeting.close",
            &format!("meeting:{id}"),
            "",
        )
        .await?;
    }
    tx.commit().await?;
    Ok(done)
}

pub async fn requirements(pool: &AnyPool) -> Result<RequirementBook, AppError> {
    let rows: Vec<(String, String, i64, String)> =
        sqlx::query_as("SELECT kind, cadence, min_count, effective_from FROM meeting_requirements")
            .fetch_all(pool)
            .await?;
    let versions = rows
        .into_iter()
        .filter_map(|(k, c, n, from)| {
            Some(Requirement {
                kind: MeetingKind::parse(&k)?,
                cadence: Cadence::parse(&c)?,
                min_count: u32::try_from(n).ok()?,
                effective_from: parse_date(&from)?,
            })
        })
        .collect();
    Ok(RequirementBook { versions })
}

/// The compliance matrix of a subtree's branches for the month `month`: each requirement in
/// force in that month, counted over its own period (the month, or the quarter around it).
pub async fn compliance(pool: &AnyPool, path: &str, month: Period) -> Result<Compliance, AppError> {
    let book = requirements(pool).await?;
    let today = local_date(now());
    let reqs: Vec<(Requirement, Period)> = book
        .on(month.start)
        .into_iter()
        .map(|r| {
            (
                r.clone(),
                Period::containing(r.cadence.period_kind(), month.start),
            )
        })
        .collect();
    let quarter = Period::containing(PeriodKind::Quarter, month.start);
    let branches: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT b.id, b.name, COALESCE(v.name, '') FROM party_branches b \
         JOIN org_units o ON o.id = b.org_unit_id LEFT JOIN org_units v ON v.id = o.parent_id \
         WHERE o.path LIKE ($1 || '%') ORDER BY o.code, b.id",
    )
    .bind(path)
    .fetch_all(pool)
    .await?;
    // Closed meetings of the quarter (every period counted lies inside it).
    let held: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT branch_id, kind, starts_at FROM meetings WHERE unit_path LIKE ($1 || '%') \
         AND state = 'closed' AND starts_at >= $2 AND starts_at < $3",
    )
    .bind(path)
    .bind(day_start(quarter.start))
    .bind(day_start(quarter.end()))
    .fetch_all(pool)
    .await?;
    let mut counts: HashMap<(i64, MeetingKind), Vec<i64>> = HashMap::new();
    for (b, k, at) in held {
        if let Some(k) = MeetingKind::parse(&k) {
            counts.entry((b, k)).or_default().push(at);
        }
    }
    let (mut met, mut due, mut missed) = (0, 0, 0);
    let rows = branches
        .into_iter()
        .map(|(id, name, village)| {
            let cells = reqs
                .iter()
                .map(|(r, p)| {
                    let n = counts
                        .get(&(id, r.kind))
                        .map(|v| v.iter().filter(|at| p.contains(local_date(**at))).count())
                        .unwrap_or(0) as u32;
                    let c = cell(*p, r.min_count, n, today);
                    let days_left = match c {
                        Cell::Met => {
                            met += 1;
                            0
                        }
                        Cell::Due { days_left } => {
                            due += 1;
                            days_left
                        }
                        Cell::Missed => {
                            missed += 1;
                            0
                        }
                        Cell::Upcoming => 0,
                    };
                    CellView {
                        state: c.as_str().into(),
                        held: n,
                        days_left,
                    }
                })
                .collect();
            ComplianceRow {
                branch_id: id,
                branch: name,
                village,
                cells,
            }
        })
        .collect();
    // The last twelve months, and the one asked for when it lies further back.
    let mut periods: Vec<String> = Period::recent(PeriodKind::Month, today, 12)
        .iter()
        .map(Period::label)
        .collect();
    if !periods.contains(&month.label()) {
        periods.push(month.label());
    }
    Ok(Compliance {
        period: month.label(),
        periods,
        columns: reqs
            .iter()
            .map(|(r, p)| RequirementCol {
                kind: r.kind.as_str().into(),
                cadence: r.cadence.as_str().into(),
                min_count: r.min_count,
                period: p.label(),
            })
            .collect(),
        rows,
        met,
        due,
        missed,
        follows: false,
        edits: false,
        branches: 0,
        page: 1,
        pages: 1,
    })
}

/// The caller's access to a meeting (`member_branch`: the branch they are a member of);
/// `Hidden` for one that does not exist.
pub async fn access_of(
    pool: &AnyPool,
    c: &crate::domain::scope::Caller,
    member_branch: Option<i64>,
    meeting_id: i64,
) -> Result<crate::domain::party::MeetingAccess, AppError> {
    use crate::domain::party::{meeting_access, MeetingAccess, MeetingViewer};
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT branch_id, unit_path FROM meetings WHERE id = $1")
            .bind(meeting_id)
            .fetch_optional(pool)
            .await?;
    Ok(match row {
        Some((branch_id, path)) => {
            meeting_access(&MeetingViewer::of(c, member_branch), branch_id, &path)
        }
        None => MeetingAccess::Hidden,
    })
}

/// Stores the rows of a meeting's photos (files already written) with the audit row.
pub async fn add_photos(
    pool: &AnyPool,
    user: i64,
    meeting_id: i64,
    photos: &[crate::features::events::intake::StoredPhoto],
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let have: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM meeting_photos WHERE meeting_id = $1",
    )
    .bind(meeting_id)
    .fetch_one(&mut *tx)
    .await?;
    if have as usize + photos.len() > MAX_MEETING_PHOTOS {
        return Err(AppError::invalid("photo", "out_of_range"));
    }
    for p in photos {
        sqlx::query(
            "INSERT INTO meeting_photos (meeting_id, file, width, height, bytes, uploaded_by, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(meeting_id)
        .bind(&p.file)
        .bind(p.width)
        .bind(p.height)
        .bind(p.bytes)
        .bind(user)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    }
    audit(
        &mut tx,
        Some(user),
        "meeting.photos",
        &format!("meeting:{meeting_id}"),
        &photos.len().to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A meeting keeps at most this many photos.
pub const MAX_MEETING_PHOTOS: usize = 12;

pub async fn photo_ids(pool: &AnyPool, meeting_id: i64) -> Result<Vec<i64>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM meeting_photos WHERE meeting_id = $1 ORDER BY id")
            .bind(meeting_id)
            .fetch_all(pool)
            .await?,
    )
}

/// (meeting id, stored file) of a meeting photo.
pub async fn photo_file(pool: &AnyPool, id: i64) -> Result<Option<(i64, String)>, AppError> {
    Ok(
        sqlx::query_as("SELECT meeting_id, file FROM meeting_photos WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?,
    )
}
