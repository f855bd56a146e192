//! A branch's housekeeping in the database: elections, dues, transfers, leave and declarations.
//! Each write is one transaction with its audit row; a dues payment only lands on the month
//! paid up to that the secretary saw (two payments recorded at once never both count), and a
//! member has at most one transfer waiting (a unique index over the pending ones).

use sqlx::AnyPool;

use super::types::{DeclarationLine, TransferLine};
use crate::domain::calendar::local_day;
use crate::domain::party::affairs::TransferState;
use crate::domain::party::Requirement;
use crate::error::AppError;
use crate::features::events::intake::StoredPhoto;
use crate::features::scoring::repo::propose_in;
use crate::features::scoring::types::ManualRule;
use crate::ssr::{audit, now};

/// The branch a member belongs to.
pub async fn member_branch(pool: &AnyPool, member: i64) -> Result<Option<i64>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT branch_id FROM party_members WHERE id = $1")
            .bind(member)
            .fetch_optional(pool)
            .await?,
    )
}

/// The latest election recorded: (elected on, years).
pub async fn term(pool: &AnyPool, branch: i64) -> Result<Option<(String, i32)>, AppError> {
    let row: Option<(String, i64)> = sqlx::query_as(
        "SELECT elected_on, CAST(years AS BIGINT) FROM branch_terms WHERE branch_id = $1 \
         ORDER BY elected_on DESC LIMIT 1",
    )
    .bind(branch)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(d, y)| (d, y as i32)))
}

/// The latest election of every branch in a subtree: (branch id, name, elected on, years).
pub async fn terms_in(
    pool: &AnyPool,
    path: &str,
) -> Result<Vec<(i64, String, Option<String>, Option<i64>)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT b.id, b.name, t.elected_on, CAST(t.years AS BIGINT) FROM party_branches b \
         JOIN org_units o ON o.id = b.org_unit_id \
         LEFT JOIN branch_terms t ON t.branch_id = b.id AND t.elected_on = \
           (SELECT MAX(elected_on) FROM branch_terms x WHERE x.branch_id = b.id) \
         WHERE o.path LIKE ($1 || '%') ORDER BY o.code, b.id LIMIT 2000",
    )
    .bind(path)
    .fetch_all(pool)
    .await?)
}

/// Records an election; false when that day's is already recorded.
pub async fn record_term(
    pool: &AnyPool,
    user: i64,
    branch: i64,
    elected_on: &str,
    years: i32,
    note: &str,
) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    let added = sqlx::query(
        "INSERT INTO branch_terms (branch_id, elected_on, years, note, recorded_by, at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (branch_id, elected_on) DO NOTHING",
    )
    .bind(branch)
    .bind(elected_on)
    .bind(i64::from(years))
    .bind(note)
    .bind(user)
    .bind(now())
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if added {
        audit(
            &mut tx,
            Some(user),
            "branch.term",
            &format!("branch:{branch}"),
            &format!("{elected_on} {years}"),
        )
        .await?;
        tx.commit().await?;
    }
    Ok(added)
}

/// Dues of a branch's members (or one member): (member, name, rate, since, paid to).
pub type DuesRow = (i64, String, Option<i64>, Option<String>, Option<String>);

pub async fn dues(
    pool: &AnyPool,
    branch: i64,
    only: Option<i64>,
) -> Result<Vec<DuesRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT pm.id, pm.name, d.rate_fen, d.since, d.paid_to FROM party_members pm \
         LEFT JOIN member_dues d ON d.member_id = pm.id \
         WHERE pm.branch_id = $1 AND ($2 = 0 OR pm.id = $2) ORDER BY pm.id",
    )
    .bind(branch)
    .bind(only.unwrap_or(0))
    .fetch_all(pool)
    .await?)
}

/// Every dues row of a subtree's members: (branch id, since, paid to).
pub async fn dues_in(
    pool: &AnyPool,
    path: &str,
) -> Result<Vec<(i64, String, Option<String>)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT pm.branch_id, d.since, d.paid_to FROM member_dues d \
         JOIN party_members pm ON pm.id = d.member_id \
         JOIN party_branches b ON b.id = pm.branch_id JOIN org_units o ON o.id = b.org_unit_id \
         WHERE o.path LIKE ($1 || '%')",
    )
    .bind(path)
    .fetch_all(pool)
    .await?)
}

/// (branch id, members, transfers waiting into it) for a subtree.
pub async fn counts_in(pool: &AnyPool, path: &str) -> Result<Vec<(i64, i64, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT b.id, \
           (SELECT CAST(COUNT(*) AS BIGINT) FROM party_members pm WHERE pm.branch_id = b.id), \
           (SELECT CAST(COUNT(*) AS BIGINT) FROM member_transfers t \
              WHERE t.to_branch = b.id AND t.state = 'pending') \
         FROM party_branches b JOIN org_units o ON o.id = b.org_unit_id \
         WHERE o.path LIKE ($1 || '%')",
    )
    .bind(path)
    .fetch_all(pool)
    .await?)
}

/// Sets a member's monthly dues; dues are owed from this month when none were set before.
pub async fn set_rate(
    pool: &AnyPool,
    user: i64,
    member: i64,
    rate_fen: i64,
    since: &str,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO member_dues (member_id, rate_fen, since, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (member_id) DO UPDATE SET rate_fen = excluded.rate_fen, \
         updated_at = excluded.updated_at",
    )
    .bind(member)
    .bind(rate_fen)
    .bind(since)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        Some(user),
        "dues.rate",
        &format!("member:{member}"),
        &rate_fen.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a payment moving `seen` (the month paid up to the secretary saw) to `paid_to`.
/// False when it moved meanwhile: the payment is not written, the form is shown again.
#[allow(clippy::too_many_arguments)]
pub async fn pay(
    pool: &AnyPool,
    user: i64,
    member: i64,
    branch: i64,
    months: u32,
    amount_fen: i64,
    seen: Option<&str>,
    paid_to: &str,
) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    let moved = sqlx::query(
        "UPDATE member_dues SET paid_to = $1, updated_at = $2 \
         WHERE member_id = $3 AND COALESCE(paid_to, '') = $4",
    )
    .bind(paid_to)
    .bind(now())
    .bind(member)
    .bind(seen.unwrap_or(""))
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !moved {
        tx.rollback().await?;
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO dues_payments (member_id, branch_id, months, amount_fen, paid_to, at, \
         recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(member)
    .bind(branch)
    .bind(i64::from(months))
    .bind(amount_fen)
    .bind(paid_to)
    .bind(now())
    .bind(user)
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        Some(user),
        "dues.pay",
        &format!("member:{member}"),
        &format!("{months} {amount_fen} {paid_to}"),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

const TRANSFER_SELECT: &str = "SELECT t.id, t.member_id, pm.name AS member, t.from_branch, \
    fb.name AS from_name, t.to_branch, tb.name AS to_name, t.note, t.state, t.reason, t.created_at \
    FROM member_transfers t JOIN party_members pm ON pm.id = t.member_id \
    JOIN party_branches fb ON fb.id = t.from_branch JOIN party_branches tb ON tb.id = t.to_branch";

/// Transfers out of and into a branch, those waiting first, then the latest.
pub async fn transfers(pool: &AnyPool, branch: i64) -> Result<Vec<TransferLine>, AppError> {
    Ok(sqlx::query_as(&format!(
        "{TRANSFER_SELECT} WHERE t.from_branch = $1 OR t.to_branch = $1 \
         ORDER BY CASE WHEN t.state = 'pending' THEN 0 ELSE 1 END, t.created_at DESC, t.id DESC \
         LIMIT 50"
    ))
    .bind(branch)
    .fetch_all(pool)
    .await?)
}

pub async fn transfer(pool: &AnyPool, id: i64) -> Result<Option<TransferLine>, AppError> {
    Ok(
        sqlx::query_as(&format!("{TRANSFER_SELECT} WHERE t.id = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await?,
    )
}

/// Starts a transfer; None when the member already has one waiting.
pub async fn start_transfer(
    pool: &AnyPool,
    user: i64,
    member: i64,
    from: i64,
    to: i64,
    note: &str,
) -> Result<Option<i64>, AppError> {
    let mut tx = pool.begin().await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO member_transfers (member_id, from_branch, to_branch, note, state, \
         created_by, created_at) VALUES ($1, $2, $3, $4, 'pending', $5, $6) \
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(member)
    .bind(from)
    .bind(to)
    .bind(note)
    .bind(user)
    .bind(now())
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(id) = id {
        audit(
            &mut tx,
            Some(user),
            "transfer.start",
            &format!("transfer:{id}"),
            &format!("member:{member} {from}->{to}"),
        )
        .await?;
        tx.commit().await?;
    }
    Ok(id)
}

/// Settles a waiting transfer; false when someone settled it first. Accepting moves the member
/// into the receiving branch and ends what tied them to the old one (its posts, the households
/// they served there); their dues record goes with them.
pub async fn settle_transfer(
    pool: &AnyPool,
    user: i64,
    t: &TransferLine,
    to: TransferState,
    reason: &str,
) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query(
        "UPDATE member_transfers SET state = $1, reason = $2, decided_by = $3, decided_at = $4 \
         WHERE id = $5 AND state = 'pending'",
    )
    .bind(to.as_str())
    .bind(reason)
    .bind(user)
    .bind(now())
    .bind(t.id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !done {
        tx.rollback().await?;
        return Ok(false);
    }
    if to == TransferState::Accepted {
        sqlx::query("UPDATE party_members SET branch_id = $1 WHERE id = $2 AND branch_id = $3")
            .bind(t.to_branch)
            .bind(t.member_id)
            .bind(t.from_branch)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "DELETE FROM post_holders WHERE member_id = $1 \
             AND post_id IN (SELECT id FROM party_posts WHERE branch_id = $2)",
        )
        .bind(t.member_id)
        .bind(t.from_branch)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM member_households WHERE member_id = $1")
            .bind(t.member_id)
            .execute(&mut *tx)
            .await?;
    }
    audit(
        &mut tx,
        Some(user),
        "transfer.settle",
        &format!("transfer:{}", t.id),
        to.as_str(),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Records leave asked before a meeting (again: the reason is updated); false when the
/// member has checked in or an absence was recorded by the secretary.
pub async fn leave(
    pool: &AnyPool,
    user: i64,
    meeting: i64,
    member: i64,
    reason: &str,
) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query(
        "INSERT INTO meeting_attendance (meeting_id, member_id, mode, reason, at, recorded_by, \
         on_leave) VALUES ($1, $2, 'absent', $3, $4, $5, 1) \
         ON CONFLICT (meeting_id, member_id) DO UPDATE SET reason = excluded.reason, \
         at = excluded.at WHERE meeting_attendance.mode = 'absent' \
         AND meeting_attendance.on_leave = 1",
    )
    .bind(meeting)
    .bind(member)
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
            "meeting.leave",
            &format!("meeting:{meeting}"),
            &format!("member:{member}"),
        )
        .await?;
        tx.commit().await?;
    }
    Ok(done)
}

/// A member's own line of a meeting: (mode, on leave).
pub async fn attendance_of(
    pool: &AnyPool,
    meeting: i64,
    member: i64,
) -> Result<Option<(String, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT mode, CAST(on_leave AS BIGINT) FROM meeting_attendance \
         WHERE meeting_id = $1 AND member_id = $2",
    )
    .bind(meeting)
    .bind(member)
    .fetch_optional(pool)
    .await?)
}

/// A branch's declarations (or one member's), with their ledger status and photos.
pub async fn declarations(
    pool: &AnyPool,
    branch: i64,
    only: Option<i64>,
) -> Result<Vec<DeclarationLine>, AppError> {
    let mut rows: Vec<DeclarationLine> = sqlx::query_as(
        "SELECT d.id, d.member_id, pm.name AS member, d.note, d.at, d.entry_id, \
         COALESCE(e.status, 'pending') AS status, COALESCE(e.amount, 0) AS amount \
         FROM declarations d JOIN party_members pm ON pm.id = d.member_id \
         LEFT JOIN score_entries e ON e.id = d.entry_id \
         WHERE d.branch_id = $1 AND ($2 = 0 OR d.member_id = $2) \
         ORDER BY CASE WHEN COALESCE(e.status, 'pending') = 'pending' THEN 0 ELSE 1 END, \
         d.at DESC LIMIT 50",
    )
    .bind(branch)
    .bind(only.unwrap_or(0))
    .fetch_all(pool)
    .await?;
    for r in &mut rows {
        r.photos = sqlx::query_scalar(
            "SELECT id FROM declaration_photos WHERE declaration_id = $1 ORDER BY id",
        )
        .bind(r.id)
        .fetch_all(pool)
        .await?;
    }
    Ok(rows)
}

/// Whether the member has declared on `day` (`YYYY-MM-DD`): checked before any photo is
/// decoded; the insert's unique key still decides.
pub async fn declared_on(pool: &AnyPool, member: i64, day: &str) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM declarations WHERE member_id = $1 AND day = $2",
    )
    .bind(member)
    .bind(day)
    .fetch_one(pool)
    .await?
        > 0)
}

/// Writes a declaration with its photos and its pending award (source `declaration:<id>`);
/// None when the member already declared today.
#[allow(clippy::too_many_arguments)]
pub async fn declare(
    pool: &AnyPool,
    user: i64,
    member: i64,
    branch: i64,
    unit_path: &str,
    rule: &ManualRule,
    note: &str,
    photos: &[StoredPhoto],
) -> Result<Option<i64>, AppError> {
    let at = now();
    let mut tx = pool.begin().await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO declarations (member_id, branch_id, day, note, at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (member_id, day) DO NOTHING RETURNING id",
    )
    .bind(member)
    .bind(branch)
    .bind(local_day(at))
    .bind(note)
    .bind(at)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        tx.rollback().await?;
        return Ok(None);
    };
    for p in photos {
        sqlx::query(
            "INSERT INTO declaration_photos (declaration_id, file, width, height, bytes, at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(&p.file)
        .bind(p.width)
        .bind(p.height)
        .bind(p.bytes)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    let entry = propose_in(
        &mut tx,
        user,
        rule,
        member,
        unit_path,
        note,
        &format!("declaration:{id}"),
    )
    .await?;
    sqlx::query("UPDATE declarations SET entry_id = $1 WHERE id = $2")
        .bind(entry)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        Some(user),
        "declaration.create",
        &format!("declaration:{id}"),
        &photos.len().to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(id))
}

/// (branch id, member id, ledger entry) of a declaration.
pub async fn declaration(
    pool: &AnyPool,
    id: i64,
) -> Result<Option<(i64, i64, Option<i64>)>, AppError> {
    Ok(
        sqlx::query_as("SELECT branch_id, member_id, entry_id FROM declarations WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?,
    )
}

/// (branch id, member id, stored file) of a declaration's photo.
pub async fn declaration_photo(
    pool: &AnyPool,
    id: i64,
) -> Result<Option<(i64, i64, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT d.branch_id, d.member_id, p.file FROM declaration_photos p \
         JOIN declarations d ON d.id = p.declaration_id WHERE p.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?)
}

/// Schedules a requirement version (a later one of the same kind and day replaces it).
pub async fn schedule_requirement(
    pool: &AnyPool,
    user: i64,
    r: &Requirement,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let from = crate::domain::calendar::format_date(r.effective_from);
    sqlx::query(
        "INSERT INTO meeting_requirements (kind, cadence, min_count, effective_from, created_by, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (kind, effective_from) \
         DO UPDATE SET cadence = excluded.cadence, min_count = excluded.min_count, \
         created_by = excluded.created_by, created_at = excluded.created_at",
    )
    .bind(r.kind.as_str())
    .bind(r.cadence.as_str())
    .bind(i64::from(r.min_count))
    .bind(&from)
    .bind(user)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        Some(user),
        "requirement.schedule",
        &format!("requirement:{}", r.kind.as_str()),
        &format!("{} {} {from}", r.cadence.as_str(), r.min_count),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
