//! Reads of the ledger (boards, branches, ledgers, satisfaction, the villages' weekly lists) and
//! the manual awards. Every list is limited to the caller's subtree by `unit_path`.

use std::collections::HashMap;

use sqlx::AnyPool;
use time::Duration;

use super::types::{
    BoardRow, BranchRow, Ledger, LedgerLine, ListedVillage, ManualRule, PendingAward,
    SatisfactionRow, VillageLists,
};
use crate::domain::calendar::{format_date, local_date};
use crate::domain::identity::mask_name;
use crate::domain::scoring::{
    award, bastion_index, decide, rank_villages, stars, Entry, EntryStatus, Period, PeriodKind,
    StarThresholds, Subject, VillageWeek,
};
use crate::error::AppError;
use crate::ssr::{audit, now, random_hex};

/// Per branch, the branch-life requirements (三会一课, 主题党日) missed in `month` and those met.
async fn meeting_cells(
    pool: &AnyPool,
    scope: &str,
    month: Period,
) -> Result<HashMap<i64, (u32, u32)>, AppError> {
    let m = crate::features::party::repo::compliance(pool, scope, month).await?;
    Ok(m.rows
        .iter()
        .map(|r| {
            let count = |s: &str| r.cells.iter().filter(|c| c.state == s).count() as u32;
            (r.branch_id, (count("missed"), count("met")))
        })
        .collect())
}

pub fn current_period(subject: Subject) -> Period {
    Period::containing(subject.period_kind(), local_date(now()))
}

/// A subject's display name (household heads masked), its unit's name and its unit path.
pub async fn subject_info(
    pool: &AnyPool,
    subject: Subject,
    id: i64,
) -> Result<Option<(String, String, String)>, AppError> {
    let sql = match subject {
        Subject::Member => {
            "SELECT pm.name, o.name, o.path FROM party_members pm \
             JOIN party_branches b ON b.id = pm.branch_id JOIN org_units o ON o.id = b.org_unit_id \
             WHERE pm.id = $1"
        }
        Subject::GridWorker => {
            "SELECT s.name, g.name, g.path FROM grid_staff s JOIN org_units g ON g.id = s.grid_id \
             WHERE s.id = $1"
        }
        Subject::Household => {
            "SELECT h.head_name, g.name, g.path FROM households h \
             JOIN org_units g ON g.id = h.grid_id WHERE h.id = $1"
        }
    };
    let row: Option<(String, String, String)> =
        sqlx::query_as(sql).bind(id).fetch_optional(pool).await?;
    Ok(row.map(|(name, unit, path)| {
        let name = if subject == Subject::Household {
            mask_name(&name)
        } else {
            name
        };
        (name, unit, path)
    }))
}

pub async fn periods(pool: &AnyPool, subject: Subject) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT period FROM score_entries WHERE subject = $1 ORDER BY period DESC LIMIT 24",
    )
    .bind(subject.as_str())
    .fetch_all(pool)
    .await?)
}

pub async fn board(
    pool: &AnyPool,
    subject: Subject,
    period: &str,
    scope: &str,
    limit: i64,
) -> Result<Vec<BoardRow>, AppError> {
    let sums: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT subject_id, CAST(SUM(amount) AS BIGINT) AS score FROM score_entries \
         WHERE subject = $1 AND period = $2 AND status = 'approved' AND unit_path LIKE ($3 || '%') \
         GROUP BY subject_id ORDER BY score DESC, subject_id LIMIT $4",
    )
    .bind(subject.as_str())
    .bind(period)
    .bind(scope)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let mut rows = Vec::with_capacity(sums.len());
    for (i, (id, score)) in sums.into_iter().enumerate() {
        let (name, unit, _) = subject_info(pool, subject, id)
            .await?
            .unwrap_or_else(|| (format!("#{id}"), String::new(), String::new()));
        rows.push(BoardRow {
            rank: i + 1,
            subject_id: id,
            name,
            unit,
            score,
            stars: (subject == Subject::Member).then(|| stars(score, StarThresholds::default())),
        });
    }
    Ok(rows)
}

pub async fn branches(
    pool: &AnyPool,
    period: &str,
    scope: &str,
) -> Result<Vec<BranchRow>, AppError> {
    let branches: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT b.id, b.name, CAST(COUNT(pm.id) AS BIGINT) FROM party_branches b \
         JOIN org_units o ON o.id = b.org_unit_id LEFT JOIN party_members pm ON pm.branch_id = b.id \
         WHERE o.path LIKE ($1 || '%') GROUP BY b.id, b.name",
    )
    .bind(scope)
    .fetch_all(pool)
    .await?;
    let sums: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT pm.branch_id, CAST(SUM(e.amount) AS BIGINT) FROM score_entries e \
         JOIN party_members pm ON pm.id = e.subject_id \
         WHERE e.subject = 'member' AND e.period = $1 AND e.status = 'approved' \
         AND e.unit_path LIKE ($2 || '%') GROUP BY pm.branch_id, e.subject_id",
    )
    .bind(period)
    .bind(scope)
    .fetch_all(pool)
    .await?;
    let mut scores: HashMap<i64, Vec<i64>> = HashMap::new();
    for (branch, s) in sums {
        scores.entry(branch).or_default().push(s);
    }
    let cells = match Period::parse(PeriodKind::Month, period) {
        Some(month) => meeting_cells(pool, scope, month).await?,
        None => HashMap::new(),
    };
    let mut rows: Vec<BranchRow> = branches
        .into_iter()
        .filter(|(_, _, members)| *members > 0)
        .map(|(id, name, members)| {
            let mut s = scores.remove(&id).unwrap_or_default();
            let total = s.iter().sum();
            // Members without points this period count as zero.
            s.resize(members.max(s.len() as i64) as usize, 0);
            let (missed, met) = cells.get(&id).copied().unwrap_or((0, 0));
            BranchRow {
                rank: 0,
                branch_id: id,
                name,
                members,
                total,
                index: bastion_index(&s, missed).unwrap_or(0.0),
                meetings_met: met,
                meetings_missed: missed,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.index
            .total_cmp(&a.index)
            .then(a.branch_id.cmp(&b.branch_id))
    });
    for (i, r) in rows.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    Ok(rows)
}

pub async fn ledger(
    pool: &AnyPool,
    subject: Subject,
    id: i64,
    period: &str,
    name: String,
    unit: String,
) -> Result<Ledger, AppError> {
    let lines: Vec<LedgerLine> = sqlx::query_as(
        "SELECT e.id, e.rule_code, r.name_zh AS rule_zh, r.name_en AS rule_en, e.source, e.amount, \
         e.status, e.reason, e.at, pu.display_name AS proposed_by, au.display_name AS approved_by \
         FROM score_entries e JOIN score_rules r ON r.id = e.rule_id \
         LEFT JOIN users pu ON pu.id = e.proposed_by LEFT JOIN users au ON au.id = e.approved_by \
         WHERE e.subject = $1 AND e.subject_id = $2 AND e.period = $3 ORDER BY e.at, e.id",
    )
    .bind(subject.as_str())
    .bind(id)
    .bind(period)
    .fetch_all(pool)
    .await?;
    let total = lines
        .iter()
        .filter(|l| l.status == "approved")
        .map(|l| l.amount)
        .sum();
    Ok(Ledger {
        subject,
        subject_id: id,
        name,
        unit,
        period: period.to_string(),
        total,
        lines,
    })
}

/// Who is rated: the units and people residents' ratings roll up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RatedBy {
    Township,
    Village,
    Department,
    /// Grid workers (for events closed in their grid) and the accounts rated by name.
    Person,
}

pub async fn satisfaction(
    pool: &AnyPool,
    by: RatedBy,
    scope: &str,
    from: i64,
    limit: i64,
) -> Result<Vec<SatisfactionRow>, AppError> {
    const AGG: &str = "CAST(COUNT(*) AS BIGINT) AS rated, \
        CAST(COALESCE(SUM(r.satisfied), 0) AS BIGINT) AS satisfied, \
        CAST(AVG((r.attitude + r.ability + r.conduct + r.result) / 4.0) AS DOUBLE PRECISION) AS mean";
    const FROM: &str = "ratings r JOIN events e ON e.id = r.event_id";
    const WHERE: &str = "e.grid_path LIKE ($1 || '%') AND r.at >= $2";
    let sql = match by {
        RatedBy::Township => format!(
            "SELECT o.id, o.name, {AGG} FROM {FROM} JOIN org_units o ON o.id = e.township_id \
             WHERE {WHERE} GROUP BY o.id, o.name"
        ),
        RatedBy::Village => format!(
            "SELECT o.id, o.name, {AGG} FROM {FROM} JOIN org_units o ON o.id = e.village_id \
             WHERE {WHERE} GROUP BY o.id, o.name"
        ),
        RatedBy::Department => format!(
            "SELECT d.id, d.name, {AGG} FROM {FROM} JOIN departments d ON d.id = r.rated_dept_id \
             WHERE {WHERE} GROUP BY d.id, d.name"
        ),
        RatedBy::Person => format!(
            "SELECT s.id, s.name, {AGG} FROM {FROM} JOIN grid_staff s ON s.id = \
             (SELECT MIN(w.id) FROM grid_staff w WHERE w.grid_id = e.grid_id AND w.duty = 'worker') \
             WHERE {WHERE} AND e.resolved_level = 'grid' GROUP BY s.id, s.name \
             UNION ALL \
             SELECT -u.id, u.display_name, {AGG} FROM {FROM} JOIN users u ON u.id = r.rated_user_id \
             WHERE {WHERE} GROUP BY u.id, u.display_name"
        ),
    };
    let rows: Vec<(i64, String, i64, i64, f64)> = sqlx::query_as(&sql)
        .bind(scope)
        .bind(from)
        .fetch_all(pool)
        .await?;
    let mut out: Vec<SatisfactionRow> = rows
        .into_iter()
        .map(|(id, name, rated, satisfied, mean)| SatisfactionRow {
            rank: 0,
            id,
            name,
            rated,
            satisfied,
            mean,
        })
        .collect();
    out.sort_by(|a, b| {
        b.rate()
            .unwrap_or(0.0)
            .total_cmp(&a.rate().unwrap_or(0.0))
            .then(b.mean.total_cmp(&a.mean))
            .then(b.rated.cmp(&a.rated))
            .then(a.id.cmp(&b.id))
    });
    out.truncate(limit.max(0) as usize);
    for (i, r) in out.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    Ok(out)
}

/// This week's red and black lists of the villages in the scope.
pub async fn village_lists(
    pool: &AnyPool,
    scope: &str,
    week: Period,
    n: usize,
) -> Result<VillageLists, AppError> {
    let from = crate::domain::calendar::day_start(week.start);
    let to = crate::domain::calendar::day_start(week.end());
    let villages: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM org_units WHERE level = 'village' AND path LIKE ($1 || '%')",
    )
    .bind(scope)
    .fetch_all(pool)
    .await?;
    let households: HashMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>(
        "SELECT g.parent_id, CAST(COUNT(*) AS BIGINT) FROM households h \
         JOIN org_units g ON g.id = h.grid_id WHERE g.path LIKE ($1 || '%') GROUP BY g.parent_id",
    )
    .bind(scope)
    .fetch_all(pool)
    .await?
    .into_iter()
    .collect();
    let active = by_village(
        pool,
        "SELECT v, CAST(COUNT(DISTINCT hh) AS BIGINT) FROM ( \
           SELECT e.village_id AS v, r.household_id AS hh FROM events e \
           JOIN users u ON u.id = e.reporter_user_id JOIN residents r ON r.id = u.resident_id \
           WHERE e.grid_path LIKE ($1 || '%') AND e.created_at >= $2 AND e.created_at < $3 \
           UNION \
           SELECT e.village_id, r.household_id FROM ratings t JOIN events e ON e.id = t.event_id \
           JOIN users u ON u.id = t.user_id JOIN residents r ON r.id = u.resident_id \
           WHERE e.grid_path LIKE ($1 || '%') AND t.at >= $2 AND t.at < $3 ) a GROUP BY v",
        scope,
        from,
        to,
    )
    .await?;
    let reports = by_village(
        pool,
        "SELECT village_id, CAST(COUNT(*) AS BIGINT) FROM events WHERE grid_path LIKE ($1 || '%') \
         AND created_at >= $2 AND created_at < $3 AND state NOT IN ('rejected','merged') \
         GROUP BY village_id",
        scope,
        from,
        to,
    )
    .await?;
    let due = by_village(
        pool,
        "SELECT village_id, CAST(COUNT(*) AS BIGINT) FROM events WHERE grid_path LIKE ($1 || '%') \
         AND due_at >= $2 AND due_at < $3 AND state NOT IN ('rejected','merged') GROUP BY village_id",
        scope,
        from,
        to,
    )
    .await?;
    let on_time = by_village(
        pool,
        "SELECT village_id, CAST(COUNT(*) AS BIGINT) FROM events WHERE grid_path LIKE ($1 || '%') \
         AND due_at >= $2 AND due_at < $3 AND resolved_on_time = 1 GROUP BY village_id",
        scope,
        from,
        to,
    )
    .await?;
    let rated = by_village(
        pool,
        "SELECT e.village_id, CAST(COUNT(*) AS BIGINT) FROM ratings r JOIN events e ON e.id = r.event_id \
         WHERE e.grid_path LIKE ($1 || '%') AND r.at >= $2 AND r.at < $3 GROUP BY e.village_id",
        scope,
        from,
        to,
    )
    .await?;
    let satisfied = by_village(
        pool,
        "SELECT e.village_id, CAST(COUNT(*) AS BIGINT) FROM ratings r JOIN events e ON e.id = r.event_id \
         WHERE e.grid_path LIKE ($1 || '%') AND r.at >= $2 AND r.at < $3 AND r.satisfied = 1 \
         GROUP BY e.village_id",
        scope,
        from,
        to,
    )
    .await?;
    // Misses of the last closed month count all through the weeks of the month after it.
    let this_month = Period::containing(PeriodKind::Month, week.start);
    let last_month = Period::containing(PeriodKind::Month, this_month.start - Duration::days(1));
    let cells = meeting_cells(pool, scope, last_month).await?;
    // A branch sits at a village or below it (a grid's branch): it counts for its village.
    let village_of: HashMap<i64, i64> = sqlx::query_as::<_, (i64, String)>(
        "SELECT b.id, o.path FROM party_branches b JOIN org_units o ON o.id = b.org_unit_id \
         WHERE o.path LIKE ($1 || '%')",
    )
    .bind(scope)
    .fetch_all(pool)
    .await?
    .into_iter()
    .filter_map(|(b, path)| {
        let village =
            crate::domain::org::ancestor_path(&path, crate::domain::org::OrgLevel::Village)?;
        Some((b, *crate::domain::org::path_ids(&village).last()?))
    })
    .collect();
    let mut missed: HashMap<i64, i64> = HashMap::new();
    for (branch, (m, _)) in cells {
        if let Some(v) = village_of.get(&branch) {
            *missed.entry(*v).or_default() += i64::from(m);
        }
    }
    let late = late_disclosures(pool, scope, week.start).await?;
    let get = |m: &HashMap<i64, i64>, id: i64| m.get(&id).copied().unwrap_or(0);
    let weeks: Vec<VillageWeek> = villages
        .iter()
        .map(|(id, name)| VillageWeek {
            village_id: *id,
            name: name.clone(),
            households: get(&households, *id),
            active_households: get(&active, *id),
            reports: get(&reports, *id),
            due: get(&due, *id),
            on_time: get(&on_time, *id),
            rated: get(&rated, *id),
            satisfied: get(&satisfied, *id),
            missed_meetings: get(&missed, *id),
            late_disclosures: late.get(id).or_else(|| late.get(&0)).copied().unwrap_or(0),
        })
        .collect();
    let names: HashMap<i64, String> = villages.into_iter().collect();
    let lists = rank_villages(&weeks, n);
    let named = |v: Vec<(i64, f64)>| {
        v.into_iter()
            .map(|(id, score)| ListedVillage {
                village_id: id,
                name: names.get(&id).cloned().unwrap_or_default(),
                score,
            })
            .collect()
    };
    Ok(VillageLists {
        week: format_date(week.start),
        red: named(lists.red),
        black: named(lists.black),
    })
}

async fn by_village(
    pool: &AnyPool,
    sql: &str,
    scope: &str,
    from: i64,
    to: i64,
) -> Result<HashMap<i64, i64>, AppError> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(sql)
        .bind(scope)
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The rules awarded by hand that are in force today.
pub async fn manual_rules(pool: &AnyPool) -> Result<Vec<ManualRule>, AppError> {
    let mut conn = pool.acquire().await?;
    let book = super::ledger::book(&mut conn).await?;
    let today = local_date(now());
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT DISTINCT code, name_zh, name_en FROM score_rules WHERE needs_approval = 1 ORDER BY code",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(code, name_zh, name_en)| {
            let v = book.rules.in_force(&code, today)?;
            Some(ManualRule {
                code,
                subject: v.subject,
                points: v.points,
                name_zh,
                name_en,
            })
        })
        .collect())
}

/// Enters a manual award, pending until someone else approves it.
pub async fn propose(
    pool: &AnyPool,
    by: i64,
    rule: &ManualRule,
    subject_id: i64,
    unit_path: &str,
    reason: &str,
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let source = format!("manual:{}", random_hex(8));
    let id = propose_in(&mut tx, by, rule, subject_id, unit_path, reason, &source).await?;
    tx.commit().await?;
    Ok(id)
}

/// Proposes a manual award inside the caller's transaction, with its audit row; `source` is
/// what earned it (`manual:<random>` for a hand-made award, `duty:<id>` for a duty done).
pub async fn propose_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    by: i64,
    rule: &ManualRule,
    subject_id: i64,
    unit_path: &str,
    reason: &str,
    source: &str,
) -> Result<i64, AppError> {
    let at = now();
    let period = Period::containing(rule.subject.period_kind(), local_date(at));
    let rule_id: i64 = sqlx::query_scalar(
        "SELECT id FROM score_rules WHERE code = $1 AND effective_from <= $2 \
         ORDER BY effective_from DESC LIMIT 1",
    )
    .bind(&rule.code)
    .bind(format_date(local_date(at)))
    .fetch_one(&mut **tx)
    .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO score_entries (subject, subject_id, unit_path, rule_id, rule_code, source, \
         amount, period, status, reason, proposed_by, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, $11) RETURNING id",
    )
    .bind(rule.subject.as_str())
    .bind(subject_id)
    .bind(unit_path)
    .bind(rule_id)
    .bind(&rule.code)
    .bind(source)
    .bind(rule.points)
    .bind(period.label())
    .bind(reason)
    .bind(by)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    audit(
        tx,
        Some(by),
        "score.propose",
        &format!("{}:{subject_id}", rule.subject.as_str()),
        &format!("{} {} {reason}", rule.code, rule.points),
    )
    .await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct PendingRow {
    subject: String,
    subject_id: i64,
    unit_path: String,
    rule_code: String,
    amount: i64,
    period: String,
    status: String,
    proposed_by: Option<i64>,
}

/// Approves or rejects a pending award. The amount is cut to the rule's cap at approval, so two
/// awards approved in one period never pass it together.
pub async fn decide_award(
    pool: &AnyPool,
    by: i64,
    id: i64,
    approve: bool,
    scope: &str,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    // The guarded write first (SQLite's write lock), then the checks that explain a refusal.
    let changed = sqlx::query(
        "UPDATE score_entries SET status = $1, approved_by = $2 WHERE id = $3 AND status = 'pending' \
         AND (proposed_by IS NULL OR proposed_by <> $2) AND unit_path LIKE ($4 || '%')",
    )
    .bind(if approve { "approved" } else { "rejected" })
    .bind(by)
    .bind(id)
    .bind(scope)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let row: Option<PendingRow> = sqlx::query_as(
        "SELECT subject, subject_id, unit_path, rule_code, amount, period, status, proposed_by \
         FROM score_entries WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row.filter(|r| crate::domain::org::path_within(&r.unit_path, scope)) else {
        tx.rollback().await?;
        return Err(AppError::NotFound);
    };
    let subject = Subject::parse(&row.subject).ok_or(AppError::Internal)?;
    if changed == 0 {
        tx.rollback().await?;
        let entry = Entry {
            subject,
            subject_id: row.subject_id,
            rule: row.rule_code,
            source: String::new(),
            amount: row.amount,
            period: Period::parse(subject.period_kind(), &row.period)
                .unwrap_or_else(|| Period::containing(PeriodKind::Month, local_date(now()))),
            status: match row.status.as_str() {
                "pending" => EntryStatus::Pending,
                "approved" => EntryStatus::Approved,
                _ => EntryStatus::Rejected,
            },
            approved_by: None,
        };
        return Err(
            match decide(&entry, row.proposed_by.unwrap_or(0), by, approve) {
                Err(crate::domain::scoring::ApprovalError::OwnProposal) => {
                    AppError::invalid("award", "own_proposal")
                }
                _ => AppError::invalid("award", "not_pending"),
            },
        );
    }
    if approve {
        let book = super::ledger::book(&mut tx).await?;
        let rule = Period::parse(subject.period_kind(), &row.period)
            .and_then(|p| book.rules.in_force(&row.rule_code, p.start));
        if let Some(rule) = rule {
            let so_far: i64 = sqlx::query_scalar(
                "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM score_entries \
                 WHERE rule_code = $1 AND subject = $2 AND subject_id = $3 AND period = $4 \
                 AND status = 'approved' AND id <> $5",
            )
            .bind(&row.rule_code)
            .bind(&row.subject)
            .bind(row.subject_id)
            .bind(&row.period)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("UPDATE score_entries SET amount = $1 WHERE id = $2")
                .bind(award(rule, so_far))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
    }
    audit(
        &mut tx,
        Some(by),
        if approve {
            "score.approve"
        } else {
            "score.reject"
        },
        &format!("entry:{id}"),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// (id, subject, subject id, rule zh, rule en, amount, reason, proposer's name, proposer)
type PendingListRow = (
    i64,
    String,
    i64,
    String,
    String,
    i64,
    String,
    Option<String>,
    Option<i64>,
);

pub async fn pending(pool: &AnyPool, me: i64, scope: &str) -> Result<Vec<PendingAward>, AppError> {
    let rows: Vec<PendingListRow> =
        sqlx::query_as(
            "SELECT e.id, e.subject, e.subject_id, r.name_zh, r.name_en, e.amount, e.reason, \
             u.display_name, e.proposed_by FROM score_entries e JOIN score_rules r ON r.id = e.rule_id \
             LEFT JOIN users u ON u.id = e.proposed_by \
             WHERE e.status = 'pending' AND e.unit_path LIKE ($1 || '%') ORDER BY e.at, e.id LIMIT 200",
        )
        .bind(scope)
        .fetch_all(pool)
        .await?;
    let mut out = Vec::new();
    for (id, subject, subject_id, rule_zh, rule_en, amount, reason, by_name, by) in rows {
        let Some(subject) = Subject::parse(&subject) else {
            continue;
        };
        let name = subject_info(pool, subject, subject_id)
            .await?
            .map(|x| x.0)
            .unwrap_or_default();
        out.push(PendingAward {
            id,
            subject,
            subject_id,
            name,
            rule_zh,
            rule_en,
            amount,
            reason,
            proposed_by: by_name.unwrap_or_default(),
            mine: by == Some(me),
        });
    }
    Ok(out)
}

/// The instant `days` days back, where a rolling window starts.
pub fn since(days: i64) -> i64 {
    now() - Duration::days(days).whole_seconds()
}

/// Per village under `scope`, its late or missing monthly disclosures of the month judged in
/// the week starting `start` (a village that put up nothing is absent: all three missed).
async fn late_disclosures(
    pool: &AnyPool,
    scope: &str,
    start: time::Date,
) -> Result<HashMap<i64, i64>, AppError> {
    use crate::domain::disclosures::{last_judged, misses, Kind, Month1};
    let period = last_judged(start);
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT org_unit_id, kind, MIN(published_day) FROM disclosures \
         WHERE unit_path LIKE ($1 || '%') AND period = $2 AND kind <> 'notice' \
         GROUP BY org_unit_id, kind",
    )
    .bind(scope)
    .bind(period.as_string())
    .fetch_all(pool)
    .await?;
    // Before anyone in the scope put a disclosure up, nothing is missed.
    let started = crate::features::disclosures::repo::first_period(pool, scope)
        .await?
        .and_then(|p| Month1::parse(&p));
    let mut by_village: HashMap<i64, Vec<(Kind, time::Date)>> = HashMap::new();
    for (v, kind, day) in rows {
        if let (Some(k), Some(d)) = (
            Kind::parse(&kind),
            crate::domain::calendar::parse_date(&day),
        ) {
            by_village.entry(v).or_default().push((k, d));
        }
    }
    let mut late: HashMap<i64, i64> = by_village
        .into_iter()
        .map(|(v, published)| (v, misses(period, &published, start, started)))
        .collect();
    // Under key 0: a village that put nothing up (all three missed, once the scope has begun).
    late.insert(0, misses(period, &[], start, started));
    Ok(late)
}
