//! Writes the points ledger from what happened: events (reported, closed on time or late), the
//! residents' ratings and recorded activities (visits, branch life, records). Called inside the
//! transaction that makes the change, so a point exists exactly when its cause does; a backfill
//! pass writes whatever is missing (the demo history, a database from before the ledger).
//!
//! Who earns: the grid's worker (`grid_staff`, duty `worker`) for patrol reports and for events
//! closed at grid level and their ratings; the party member and the household behind the account
//! that reported, handled or was rated. Entries are unique per rule, subject and source, so
//! writing twice earns once.

use std::collections::{HashMap, HashSet};

use sqlx::{AnyConnection, AnyPool};
use time::Date;

use crate::domain::calendar::{local_date, parse_date};
use crate::domain::scoring::{
    earn, Occurrence, Period, RuleBook, RuleVersion, Source, Subject, Totals,
};
use crate::error::AppError;
use crate::ssr::now;

/// An occurrence with where its subject belongs and when it happened.
#[derive(Debug, Clone)]
pub struct Found {
    pub occ: Occurrence,
    pub unit_path: String,
    pub at: i64,
}

/// The rule book and each version's row id.
pub struct Book {
    pub rules: RuleBook,
    ids: HashMap<(String, Date), i64>,
}

#[derive(sqlx::FromRow)]
struct RuleRow {
    id: i64,
    code: String,
    subject: String,
    source: String,
    points: i64,
    cap: Option<i64>,
    needs_approval: i64,
    effective_from: String,
    retired: i64,
}

pub async fn book(conn: &mut AnyConnection) -> Result<Book, AppError> {
    let rows: Vec<RuleRow> = sqlx::query_as(
        "SELECT id, code, subject, source, points, cap, needs_approval, effective_from, retired \
         FROM score_rules",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut rules = RuleBook::default();
    let mut ids = HashMap::new();
    for r in rows {
        let (Some(subject), Some(source), Some(from)) = (
            Subject::parse(&r.subject),
            Source::parse(&r.source),
            parse_date(&r.effective_from),
        ) else {
            tracing::warn!(code = %r.code, "score rule with an unknown subject, source or date");
            continue;
        };
        ids.insert((r.code.clone(), from), r.id);
        rules.versions.push(RuleVersion {
            code: r.code,
            subject,
            source,
            points: r.points,
            cap: r.cap,
            needs_approval: r.needs_approval != 0,
            effective_from: from,
            retired: r.retired != 0,
        });
    }
    Ok(Book { rules, ids })
}

/// Entries already written: (subject, subject id, source).
pub type Done = HashSet<(Subject, i64, String)>;

/// Writes what `found` earns, skipping occurrences already in the ledger. Returns lines written.
pub async fn write(
    conn: &mut AnyConnection,
    book: &Book,
    found: &[Found],
    totals: &mut Totals,
    done: &mut Done,
) -> Result<usize, AppError> {
    let mut written = 0;
    for f in found {
        let o = &f.occ;
        if !done.insert((o.subject, o.subject_id, o.reference.clone())) {
            continue;
        }
        for e in earn(&book.rules, o, totals) {
            let Some(rule_id) = book.ids.get(&(e.rule_code.clone(), e.rule_from)) else {
                continue;
            };
            written += sqlx::query(
                "INSERT INTO score_entries (subject, subject_id, unit_path, rule_id, rule_code, \
                 source, amount, period, status, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'approved', $9) \
                 ON CONFLICT (rule_code, subject, subject_id, source) DO NOTHING",
            )
            .bind(o.subject.as_str())
            .bind(o.subject_id)
            .bind(&f.unit_path)
            .bind(rule_id)
            .bind(&e.rule_code)
            .bind(&o.reference)
            .bind(e.amount)
            .bind(e.period.label())
            .bind(f.at)
            .execute(&mut *conn)
            .await?
            .rows_affected() as usize;
        }
    }
    Ok(written)
}

/// Loads the totals and written occurrences that `found` can touch, for a write of a few.
async fn prime(
    conn: &mut AnyConnection,
    found: &[Found],
    totals: &mut Totals,
    done: &mut Done,
) -> Result<(), AppError> {
    for f in found {
        let o = &f.occ;
        let seen: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM score_entries WHERE subject = $1 AND subject_id = $2 AND source = $3",
        )
        .bind(o.subject.as_str())
        .bind(o.subject_id)
        .bind(&o.reference)
        .fetch_one(&mut *conn)
        .await?;
        if seen > 0 {
            done.insert((o.subject, o.subject_id, o.reference.clone()));
        }
        let period = Period::containing(o.subject.period_kind(), o.day);
        let sums: Vec<(String, i64)> = sqlx::query_as(
            "SELECT rule_code, CAST(SUM(amount) AS BIGINT) FROM score_entries WHERE subject = $1 AND \
             subject_id = $2 AND period = $3 AND status = 'approved' GROUP BY rule_code",
        )
        .bind(o.subject.as_str())
        .bind(o.subject_id)
        .bind(period.label())
        .fetch_all(&mut *conn)
        .await?;
        for (code, sum) in sums {
            totals.insert((code, o.subject, o.subject_id, period), sum);
        }
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct EventFacts {
    id: i64,
    channel: String,
    grid_id: i64,
    grid_path: String,
    state: String,
    verified_at: Option<i64>,
    created_at: i64,
    resolved_at: Option<i64>,
    resolved_level: Option<String>,
    resolved_on_time: Option<i64>,
    reporter_user_id: Option<i64>,
    assignee_user_id: Option<i64>,
}

/// The people behind accounts and the workers of grids, looked up once per pass.
#[derive(Default)]
pub struct People {
    workers: HashMap<i64, Option<i64>>,
    accounts: HashMap<i64, Vec<(Subject, i64, String)>>,
}

impl People {
    async fn grid_worker(
        &mut self,
        conn: &mut AnyConnection,
        grid_id: i64,
    ) -> Result<Option<i64>, AppError> {
        if let Some(w) = self.workers.get(&grid_id) {
            return Ok(*w);
        }
        let w: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM grid_staff WHERE grid_id = $1 AND duty = 'worker' ORDER BY id LIMIT 1",
        )
        .bind(grid_id)
        .fetch_optional(&mut *conn)
        .await?;
        self.workers.insert(grid_id, w);
        Ok(w)
    }

    /// The household and the party member (with their unit paths) behind an account.
    async fn of_account(
        &mut self,
        conn: &mut AnyConnection,
        user_id: i64,
    ) -> Result<Vec<(Subject, i64, String)>, AppError> {
        if let Some(p) = self.accounts.get(&user_id) {
            return Ok(p.clone());
        }
        let row: Option<(i64, String, Option<i64>, Option<String>)> = sqlx::query_as(
            "SELECT h.id, g.path, pm.id, bo.path FROM users u \
             JOIN residents r ON r.id = u.resident_id \
             JOIN households h ON h.id = r.household_id \
             JOIN org_units g ON g.id = h.grid_id \
             LEFT JOIN party_members pm ON pm.resident_id = r.id \
             LEFT JOIN party_branches pb ON pb.id = pm.branch_id \
             LEFT JOIN org_units bo ON bo.id = pb.org_unit_id \
             WHERE u.id = $1",
        )
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
        let mut out = Vec::new();
        if let Some((household, grid_path, member, branch_path)) = row {
            out.push((Subject::Household, household, grid_path));
            if let (Some(m), Some(p)) = (member, branch_path) {
                out.push((Subject::Member, m, p));
            }
        }
        self.accounts.insert(user_id, out.clone());
        Ok(out)
    }
}

fn found(subject: Subject, id: i64, unit: &str, source: Source, reference: &str, at: i64) -> Found {
    Found {
        occ: Occurrence {
            subject,
            subject_id: id,
            source,
            reference: reference.to_string(),
            day: local_date(at),
        },
        unit_path: unit.to_string(),
        at,
    }
}

/// What one event (and its ratings) has earned anybody so far.
async fn event_found(
    conn: &mut AnyConnection,
    people: &mut People,
    event_id: i64,
) -> Result<Vec<Found>, AppError> {
    let Some(e): Option<EventFacts> = sqlx::query_as(
        "SELECT id, channel, grid_id, grid_path, state, verified_at, created_at, resolved_at, \
         resolved_level, resolved_on_time, reporter_user_id, assignee_user_id FROM events WHERE id = $1",
    )
    .bind(event_id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(Vec::new());
    };
    let reference = format!("event:{}", e.id);
    let mut out = Vec::new();
    let accepted = !matches!(e.state.as_str(), "rejected" | "merged");
    let worker = people.grid_worker(conn, e.grid_id).await?;
    if accepted && e.channel == "patrol" {
        if let Some(w) = worker {
            out.push(found(
                Subject::GridWorker,
                w,
                &e.grid_path,
                Source::EventReported,
                &reference,
                e.created_at,
            ));
        }
    } else if let (true, Some(at), Some(u)) = (accepted, e.verified_at, e.reporter_user_id) {
        for (s, id, unit) in people.of_account(conn, u).await? {
            out.push(found(s, id, &unit, Source::EventReported, &reference, at));
        }
    }
    // Closing an event and its ratings credit the same people: the grid's worker when it was
    // closed at grid level, and the party member behind the account that handled or was rated.
    let grid_worker = worker.filter(|_| e.resolved_level.as_deref() == Some("grid"));
    let mut credit = async |out: &mut Vec<Found>,
                            conn: &mut AnyConnection,
                            account: Option<i64>,
                            source: Source,
                            reference: &str,
                            at: i64|
           -> Result<(), AppError> {
        if let Some(w) = grid_worker {
            out.push(found(
                Subject::GridWorker,
                w,
                &e.grid_path,
                source,
                reference,
                at,
            ));
        }
        if let Some(u) = account {
            for (s, id, unit) in people.of_account(conn, u).await? {
                if s == Subject::Member {
                    out.push(found(s, id, &unit, source, reference, at));
                }
            }
        }
        Ok(())
    };
    if let (Some(at), Some(on_time)) = (e.resolved_at, e.resolved_on_time) {
        let source = if on_time == 1 {
            Source::EventOnTime
        } else {
            Source::EventOverdue
        };
        credit(&mut out, conn, e.assignee_user_id, source, &reference, at).await?;
    }
    let ratings: Vec<(i64, i64, Option<i64>, i64)> = sqlx::query_as(
        "SELECT id, satisfied, rated_user_id, at FROM ratings WHERE event_id = $1 ORDER BY id",
    )
    .bind(e.id)
    .fetch_all(&mut *conn)
    .await?;
    for (id, satisfied, rated_user, at) in ratings {
        let source = if satisfied == 1 {
            Source::RatingSatisfied
        } else {
            Source::RatingDissatisfied
        };
        credit(
            &mut out,
            conn,
            rated_user,
            source,
            &format!("rating:{id}"),
            at,
        )
        .await?;
    }
    Ok(out)
}

async fn activity_found(conn: &mut AnyConnection, id: i64) -> Result<Vec<Found>, AppError> {
    let row: Option<(String, String, i64, String, i64)> = sqlx::query_as(
        "SELECT kind, subject, subject_id, unit_path, at FROM activities WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((kind, subject, subject_id, unit, at)) = row else {
        return Ok(Vec::new());
    };
    let source = match kind.as_str() {
        "visit" => Source::Visit,
        "branch_life" => Source::BranchLife,
        _ => Source::DataEntry,
    };
    Ok(Subject::parse(&subject)
        .map(|s| found(s, subject_id, &unit, source, &format!("activity:{id}"), at))
        .into_iter()
        .collect())
}

/// A confirmed wish earns its member: the claimer, on the day the resident confirmed.
async fn wish_found(conn: &mut AnyConnection, id: i64) -> Result<Vec<Found>, AppError> {
    let row: Option<(i64, String, i64)> = sqlx::query_as(
        "SELECT claimer_id, unit_path, confirmed_at FROM wishes \
         WHERE id = $1 AND state = 'confirmed' AND claimer_id IS NOT NULL",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row
        .map(|(member, unit, at)| {
            found(
                Subject::Member,
                member,
                &unit,
                Source::Wish,
                &format!("wish:{id}"),
                at,
            )
        })
        .into_iter()
        .collect())
}

/// What a rated proxy request earned its proxy: a satisfied rating, to the member or grid worker
/// who took it.
async fn proxy_found(conn: &mut AnyConnection, id: i64) -> Result<Vec<Found>, AppError> {
    let row: Option<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT proxy_user_id, proxy_role, stars, rated_at FROM proxy_requests \
         WHERE id = $1 AND state = 'rated' AND proxy_user_id IS NOT NULL",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((user, role, stars, at)) = row else {
        return Ok(Vec::new());
    };
    if !crate::domain::services::proxy_satisfied(stars.clamp(0, 5) as u8) {
        return Ok(Vec::new());
    }
    // A member scores as their party_members row in their branch; a grid worker as the
    // worker of their grid, as events credit them.
    let (subject, sql) = match role.as_str() {
        "party_member" => (
            Subject::Member,
            "SELECT pm.id, bo.path FROM users u JOIN party_members pm ON pm.resident_id = u.resident_id \
             JOIN party_branches pb ON pb.id = pm.branch_id JOIN org_units bo ON bo.id = pb.org_unit_id \
             WHERE u.id = $1",
        ),
        "grid_worker" => (
            Subject::GridWorker,
            "SELECT gs.id, g.path FROM users u JOIN org_units g ON g.id = u.org_unit_id \
             JOIN grid_staff gs ON gs.grid_id = g.id AND gs.duty = 'worker' WHERE u.id = $1 \
             ORDER BY gs.id LIMIT 1",
        ),
        _ => return Ok(Vec::new()),
    };
    let who: Option<(i64, String)> = sqlx::query_as(sql)
        .bind(user)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(who
        .map(|(sid, unit)| {
            found(
                subject,
                sid,
                &unit,
                Source::Proxy,
                &format!("proxy:{id}"),
                at,
            )
        })
        .into_iter()
        .collect())
}

/// Scores a rated proxy request inside the caller's transaction.
pub async fn score_proxy(conn: &mut AnyConnection, id: i64) -> Result<usize, AppError> {
    let found = proxy_found(conn, id).await?;
    score_found(conn, &found).await
}

/// Scores a confirmed wish inside the caller's transaction.
pub async fn score_wish(conn: &mut AnyConnection, id: i64) -> Result<usize, AppError> {
    let found = wish_found(conn, id).await?;
    score_found(conn, &found).await
}

/// Scores one event inside the caller's transaction (after its write).
pub async fn score_event(conn: &mut AnyConnection, event_id: i64) -> Result<usize, AppError> {
    let found = event_found(conn, &mut People::default(), event_id).await?;
    score_found(conn, &found).await
}

/// Scores one recorded activity inside the caller's transaction.
pub async fn score_activity(conn: &mut AnyConnection, id: i64) -> Result<usize, AppError> {
    let found = activity_found(conn, id).await?;
    score_found(conn, &found).await
}

/// Writes a few occurrences against the totals and entries already stored.
async fn score_found(conn: &mut AnyConnection, found: &[Found]) -> Result<usize, AppError> {
    let book = book(conn).await?;
    let (mut totals, mut done) = (Totals::new(), Done::new());
    prime(conn, found, &mut totals, &mut done).await?;
    write(conn, &book, found, &mut totals, &mut done).await
}

/// Writes whatever the ledger is missing, oldest first so caps fall where they would have live.
/// `progress(done, total)` is called after each batch. Returns the lines written.
/// What earns points, in the order the backfill replays it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Work {
    Event,
    Activity,
    Wish,
    Proxy,
}

pub async fn backfill(pool: &AnyPool, progress: impl Fn(usize, usize)) -> Result<usize, AppError> {
    let mut conn = pool.acquire().await?;
    let book = book(&mut conn).await?;
    let mut totals = Totals::new();
    let sums: Vec<(String, String, i64, String, i64)> = sqlx::query_as(
        "SELECT rule_code, subject, subject_id, period, CAST(SUM(amount) AS BIGINT) FROM score_entries \
         WHERE status = 'approved' GROUP BY rule_code, subject, subject_id, period",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (code, subject, id, period, sum) in sums {
        if let Some(s) = Subject::parse(&subject) {
            if let Some(p) = Period::parse(s.period_kind(), &period) {
                totals.insert((code, s, id, p), sum);
            }
        }
    }
    let mut done = Done::new();
    let seen: Vec<(String, i64, String)> =
        sqlx::query_as("SELECT subject, subject_id, source FROM score_entries")
            .fetch_all(&mut *conn)
            .await?;
    for (subject, id, source) in seen {
        if let Some(s) = Subject::parse(&subject) {
            done.insert((s, id, source));
        }
    }
    // (time, kind, id): events by when they were reported, activities by when they happened,
    // wishes by when they were confirmed.
    let mut work: Vec<(i64, Work, i64)> = sqlx::query_as::<_, (i64, i64)>(
        "SELECT created_at, id FROM events WHERE verified_at IS NOT NULL OR resolved_at IS NOT NULL \
         OR channel = 'patrol'",
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(at, id)| (at, Work::Event, id))
    .collect();
    work.extend(
        sqlx::query_as::<_, (i64, i64)>("SELECT at, id FROM activities")
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|(at, id)| (at, Work::Activity, id)),
    );
    work.extend(
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT confirmed_at, id FROM wishes WHERE state = 'confirmed' AND claimer_id IS NOT NULL",
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|(at, id)| (at, Work::Wish, id)),
    );
    work.extend(
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT rated_at, id FROM proxy_requests WHERE state = 'rated' AND proxy_user_id IS NOT NULL",
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|(at, id)| (at, Work::Proxy, id)),
    );
    work.sort_unstable();
    drop(conn);
    let mut people = People::default();
    let mut written = 0;
    let total = work.len();
    for (i, chunk) in work.chunks(500).enumerate() {
        let mut tx = pool.begin().await?;
        // The first statement writes, so SQLite takes the write lock before any read.
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ('scoring.backfill_at', $1) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(now().to_string())
        .execute(&mut *tx)
        .await?;
        let mut found = Vec::new();
        for &(_, kind, id) in chunk {
            found.extend(match kind {
                Work::Event => event_found(&mut tx, &mut people, id).await?,
                Work::Activity => activity_found(&mut tx, id).await?,
                Work::Wish => wish_found(&mut tx, id).await?,
                Work::Proxy => proxy_found(&mut tx, id).await?,
            });
        }
        // Ratings come days after the report: keep each batch in time order too.
        found.sort_by_key(|f| f.at);
        written += write(&mut tx, &book, &found, &mut totals, &mut done).await?;
        tx.commit().await?;
        progress((i * 500 + chunk.len()).min(total), total);
    }
    Ok(written)
}
