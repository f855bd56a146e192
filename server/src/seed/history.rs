//! A year of demo events for an imported county, so that queues, KPIs and screens have real
//! content: a seasonal mix (floods in summer, job seekers before the Spring Festival, winter
//! fevers, farming seasons), about 95% solved within the village and about 98% satisfied.
//! Deterministic for a seed; written in batched multi-row inserts, one transaction per batch.

use app::domain::calendar::{local_day, WorkCalendar};
use app::domain::event::ancestor_path;
use app::domain::org::{path_ids, OrgLevel};
use app::features::events::repo;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::AnyPool;

#[derive(Debug, Clone)]
pub struct HistoryOptions {
    pub county: String,
    pub days: i64,
    /// Average reports per day over the county.
    pub per_day: f64,
    /// The history ends here (usually now).
    pub end: i64,
    pub seed: u64,
    /// Timeline steps and ratings too (the KPI benchmark needs only the events).
    pub with_steps: bool,
    pub quiet: bool,
}

struct Grid {
    id: i64,
    path: String,
    /// The village's name, for addresses.
    village: String,
    /// Who works the grid, for the timeline.
    worker: String,
    lng: Option<f64>,
    lat: Option<f64>,
}

struct Cat {
    id: i64,
    code: String,
    limit: i64,
}

/// How much more often a category comes up in a month (1–12) than its base rate.
pub fn season_weight(code: &str, month: u32) -> f64 {
    match code {
        "S07" => match month {
            6..=8 => 30.0,
            5 | 9 => 6.0,
            _ => 0.2,
        },
        "L07" => match month {
            1 | 2 => 14.0,
            12 => 5.0,
            _ => 0.6,
        },
        "E01" | "E05" => match month {
            12 | 1 | 2 => 4.0,
            _ => 0.5,
        },
        "E02" => match month {
            1 | 2 => 6.0,
            _ => 0.3,
        },
        "L11" => match month {
            4 | 5 | 9 | 10 => 4.0,
            _ => 0.8,
        },
        "D03" => match month {
            3 | 4 => 3.0,
            _ => 1.0,
        },
        "L02" | "L03" | "L06" | "L01" => 3.0,
        "D01" | "P01" => 2.0,
        _ => 1.0,
    }
}

fn month_of(at: i64) -> u32 {
    local_day(at)
        .get(5..7)
        .and_then(|m| m.parse().ok())
        .unwrap_or(1)
}

/// Busier in the rainy summer and around the Spring Festival; quieter at weekends.
fn day_factor(at: i64) -> f64 {
    let month = month_of(at);
    let season = match month {
        6..=8 => 1.3,
        1 | 2 => 1.2,
        _ => 1.0,
    };
    let weekday = ((at + 8 * 3600).div_euclid(86_400) + 4).rem_euclid(7); // 0 = Sunday
    let week = if weekday == 0 || weekday == 6 {
        0.7
    } else {
        1.0
    };
    season * week
}

pub async fn seed(pool: &AnyPool, opts: &HistoryOptions) -> anyhow::Result<usize> {
    let county_path = crate::seed::county_path(pool, &opts.county).await?;
    let mut names = ChaCha8Rng::seed_from_u64(opts.seed ^ 0x5eed);
    let grids: Vec<Grid> = sqlx::query_as::<_, (i64, String, String, Option<f64>, Option<f64>)>(
        "SELECT g.id, g.path, COALESCE(v.name, g.name), g.center_lng, g.center_lat \
         FROM org_units g LEFT JOIN org_units v ON v.id = g.parent_id \
         WHERE g.level = 'grid' AND g.path LIKE ($1 || '%') ORDER BY g.id",
    )
    .bind(&county_path)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(id, path, village, lng, lat)| Grid {
        id,
        path,
        village,
        worker: super::texts::person(&mut names).0,
        lng,
        lat,
    })
    .collect();
    anyhow::ensure!(!grids.is_empty(), "the county has no grids");
    let cal = repo::calendar(pool).await?;
    let cats: Vec<Cat> = repo::categories(pool)
        .await?
        .into_iter()
        .map(|c| Cat {
            id: c.id,
            limit: repo::limit_of(&c).seconds(&cal),
            code: c.code,
        })
        .collect();
    let depts: Vec<(i64, String)> = sqlx::query_as(
        "SELECT d.id, o.path FROM departments d JOIN org_units o ON o.id = d.org_unit_id ORDER BY d.id",
    )
    .fetch_all(pool)
    .await?;
    let start_day = opts.end - opts.days * 86_400;
    let pb = crate::geo::import::progress(opts.days as u64, "events", opts.quiet);
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let mut total = 0usize;
    let mut serial: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM events")
        .fetch_one(pool)
        .await?;
    for d in 0..opts.days {
        let day = start_day + d * 86_400;
        let month = month_of(day);
        let mean = opts.per_day * day_factor(day);
        // Roughly Poisson: the mean with a ±30% spread.
        let n = (mean * rng.gen_range(0.7..1.3)).round() as usize;
        let weights: Vec<f64> = cats.iter().map(|c| season_weight(&c.code, month)).collect();
        let sum: f64 = weights.iter().sum();
        let mut rows = Vec::with_capacity(n);
        for _ in 0..n {
            let at = day + rng.gen_range(7 * 3600..21 * 3600) - 8 * 3600;
            if at >= opts.end {
                continue;
            }
            let mut pick = rng.gen_range(0.0..sum);
            let cat = cats
                .iter()
                .zip(&weights)
                .find(|(_, w)| {
                    pick -= **w;
                    pick <= 0.0
                })
                .map(|(c, _)| c)
                .unwrap_or(&cats[0]);
            let grid = &grids[rng.gen_range(0..grids.len())];
            serial += 1;
            rows.push(plan(
                &mut rng, &cal, opts.end, at, cat, grid, &depts, serial,
            ));
        }
        total += rows.len();
        write_day(pool, &rows, opts.with_steps).await?;
        pb.inc(1);
    }
    pb.finish_and_clear();
    Ok(total)
}

/// One historical event, decided up front.
struct Planned {
    tracking_no: String,
    channel: &'static str,
    category_id: i64,
    grid_id: i64,
    grid_path: String,
    township_id: i64,
    village_id: i64,
    level: &'static str,
    holder_path: String,
    state: &'static str,
    assignee_dept_id: Option<i64>,
    description: String,
    address: String,
    reporter_name: String,
    reporter_phone: String,
    /// Who handled it (the grid worker, or the holder's name above the village).
    handler: String,
    result: String,
    lng: Option<f64>,
    lat: Option<f64>,
    created_at: i64,
    resolved_at: Option<i64>,
    closed_at: Option<i64>,
    limit_secs: i64,
    due_at: i64,
    yellow_at: i64,
    resolved_level: Option<&'static str>,
    resolved_on_time: Option<i64>,
    rated: i64,
    satisfied: Option<i64>,
    scores: Option<[i64; 4]>,
}

#[allow(clippy::too_many_arguments)]
fn plan(
    rng: &mut ChaCha8Rng,
    cal: &WorkCalendar,
    end: i64,
    at: i64,
    cat: &Cat,
    grid: &Grid,
    depts: &[(i64, String)],
    serial: i64,
) -> Planned {
    let ids = path_ids(&grid.path);
    let (township_id, village_id) = (
        ids.get(1).copied().unwrap_or(0),
        ids.get(2).copied().unwrap_or(0),
    );
    let ancestor = |level: OrgLevel| ancestor_path(&grid.path, level);
    let r: f64 = rng.gen();
    let channel = if r < 0.30 {
        "patrol"
    } else if r < 0.75 {
        "app"
    } else if r < 0.85 {
        "hotline"
    } else {
        "mailbox"
    };
    // Where it gets solved: about 95% within the village (grid or village), the rest above.
    let r: f64 = rng.gen();
    let (level, holder) = if r < 0.55 {
        ("grid", ancestor(OrgLevel::Grid))
    } else if r < 0.95 {
        ("village", ancestor(OrgLevel::Village))
    } else if r < 0.99 {
        ("township", ancestor(OrgLevel::Township))
    } else {
        ("county", ancestor(OrgLevel::County))
    };
    let assignee_dept_id = if level == "township" {
        let here: Vec<i64> = depts
            .iter()
            .filter(|(_, p)| *p == holder)
            .map(|(id, _)| *id)
            .collect();
        (!here.is_empty()).then(|| here[rng.gen_range(0..here.len())])
    } else {
        None
    };
    let (due, yellow) = cal.deadline(at, cat.limit);
    let span = (due - at).max(3600);
    // About 97% on time.
    let took = if rng.gen::<f64>() < 0.97 {
        (span as f64 * rng.gen_range(0.05..0.95)) as i64
    } else {
        (span as f64 * rng.gen_range(1.02..1.6)) as i64
    };
    let resolved = at + took;
    let (description, address) = super::texts::report(rng, &cat.code, &grid.village);
    let (reporter_name, reporter_phone) = super::texts::person(rng);
    let handler = match level {
        "grid" => grid.worker.clone(),
        "village" => format!("{}村委会", grid.village.trim_end_matches('村')),
        _ => "承办部门".to_string(),
    };
    let result = super::texts::result(rng, &cat.code);
    let mut p = Planned {
        tracking_no: format!("LXH{}{serial:07}", local_day(at).replace('-', "")),
        channel,
        category_id: cat.id,
        grid_id: grid.id,
        grid_path: grid.path.clone(),
        township_id,
        village_id,
        level,
        holder_path: holder,
        state: "closed",
        assignee_dept_id,
        description,
        address,
        reporter_name,
        reporter_phone,
        handler,
        result,
        lng: grid.lng,
        lat: grid.lat,
        created_at: at,
        resolved_at: None,
        closed_at: None,
        limit_secs: cat.limit,
        due_at: due,
        yellow_at: yellow,
        resolved_level: None,
        resolved_on_time: None,
        rated: 0,
        satisfied: None,
        scores: None,
    };
    if resolved > end {
        // Still in hand: recent events fill today's queues.
        p.state = if end - at < 3600 {
            "reported"
        } else if end - at < 4 * 3600 && level != "grid" {
            "verified"
        } else if assignee_dept_id.is_some() && end - at < 8 * 3600 {
            "dispatched"
        } else {
            "handling"
        };
        if matches!(p.state, "reported" | "verified") {
            p.level = "township";
            p.holder_path = ancestor(OrgLevel::Township);
            p.assignee_dept_id = None;
        }
        return p;
    }
    p.resolved_at = Some(resolved);
    p.resolved_level = Some(level);
    p.resolved_on_time = Some(i64::from(resolved <= due));
    let hotline = channel == "hotline";
    // Most reporters rate within a few days; the rest close unrated after seven.
    let rated = rng.gen::<f64>() < if hotline { 0.7 } else { 0.9 };
    let rated_at = resolved + rng.gen_range(3600..4 * 86_400);
    if rated && rated_at <= end {
        let satisfied = rng.gen::<f64>() < 0.98;
        let mut s = [0i64; 4];
        for v in &mut s {
            *v = if satisfied {
                rng.gen_range(4..=5)
            } else {
                rng.gen_range(2..=4)
            };
        }
        if !satisfied {
            s[rng.gen_range(0..4)] = rng.gen_range(1..=2);
        }
        p.rated = 1;
        p.satisfied = Some(i64::from(satisfied));
        p.scores = Some(s);
        p.closed_at = Some(rated_at);
    } else if resolved + 7 * 86_400 <= end {
        p.closed_at = Some(resolved + 7 * 86_400);
    } else {
        p.state = "resolved";
    }
    p
}

const EVENT_COLS: &str = "tracking_no, channel, category_id, grid_id, grid_path, township_id, \
    village_id, level, holder_path, state, assignee_dept_id, reporter_name, reporter_phone, \
    description, address, lng, lat, created_at, updated_at, verified_at, resolved_at, closed_at, \
    limit_secs, due_at, yellow_at, resolved_level, resolved_on_time, rated, satisfied";
const EVENT_ARITY: usize = 29;
const BATCH: usize = 200;

pub fn placeholders(rows: usize, arity: usize) -> String {
    (0..rows)
        .map(|r| {
            let cols: Vec<String> = (1..=arity).map(|c| format!("${}", r * arity + c)).collect();
            format!("({})", cols.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

async fn write_day(pool: &AnyPool, rows: &[Planned], with_steps: bool) -> anyhow::Result<()> {
    for chunk in rows.chunks(BATCH) {
        let mut tx = pool.begin().await?;
        let sql = format!(
            "INSERT INTO events ({EVENT_COLS}) VALUES {} RETURNING id, tracking_no",
            placeholders(chunk.len(), EVENT_ARITY)
        );
        let mut q = sqlx::query_as::<_, (i64, String)>(&sql);
        for p in chunk {
            let updated = p.closed_at.or(p.resolved_at).unwrap_or(p.created_at);
            let took = p.resolved_at.map_or(3600, |r| r - p.created_at);
            let verified = (p.state != "reported").then_some(p.created_at + took.min(6000) / 10);
            q = q
                .bind(&p.tracking_no)
                .bind(p.channel)
                .bind(p.category_id)
                .bind(p.grid_id)
                .bind(&p.grid_path)
                .bind(p.township_id)
                .bind(p.village_id)
                .bind(p.level)
                .bind(&p.holder_path)
                .bind(p.state)
                .bind(p.assignee_dept_id)
                .bind(&p.reporter_name)
                .bind(
                    app::crypto::seal("events.reporter_phone", &p.reporter_phone)
                        .map_err(|e| anyhow::anyhow!("{e}"))?,
                )
                .bind(&p.description)
                .bind(&p.address)
                .bind(p.lng)
                .bind(p.lat)
                .bind(p.created_at)
                .bind(updated)
                .bind(verified)
                .bind(p.resolved_at)
                .bind(p.closed_at)
                .bind(p.limit_secs)
                .bind(p.due_at)
                .bind(p.yellow_at)
                .bind(p.resolved_level)
                .bind(p.resolved_on_time)
                .bind(p.rated)
                .bind(p.satisfied);
        }
        let ids = q.fetch_all(&mut *tx).await?;
        if with_steps {
            write_steps(&mut tx, chunk, &ids).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// (event, at, actor, action, from state, to state, level, note)
type StepRow<'a> = (
    i64,
    i64,
    &'a str,
    &'a str,
    Option<&'a str>,
    &'a str,
    &'a str,
    &'a str,
);

const COMMAND_ROOM: &str = "乡镇指挥中心";
const SYSTEM: &str = "系统";

/// The timeline each event went through, in the order the loop allows: reported, verified by
/// the command room, dispatched (when a department holds it), accepted, resolved, then rated by
/// its reporter or closed after seven days unrated.
fn steps_of(id: i64, p: &Planned) -> Vec<StepRow<'_>> {
    let mut steps: Vec<StepRow> = vec![(
        id,
        p.created_at,
        &p.reporter_name,
        "report",
        None,
        "reported",
        "township",
        p.channel,
    )];
    if p.state == "reported" {
        return steps;
    }
    // Each step at its share of the time to resolution, so none comes after the next.
    let took = p.resolved_at.map_or(3600, |r| r - p.created_at);
    let at = |share: i64| p.created_at + (took * share / 100).min(600 * share / 10);
    let verified = at(10);
    steps.push((
        id,
        verified,
        COMMAND_ROOM,
        "verify",
        Some("reported"),
        "verified",
        "township",
        "",
    ));
    if p.state == "verified" {
        return steps;
    }
    let mut from = "verified";
    if p.assignee_dept_id.is_some() {
        steps.push((
            id,
            at(15),
            COMMAND_ROOM,
            "dispatch",
            Some("verified"),
            "dispatched",
            p.level,
            "",
        ));
        from = "dispatched";
        if p.state == "dispatched" {
            return steps;
        }
    }
    steps.push((
        id,
        at(25),
        &p.handler,
        "accept",
        Some(from),
        "handling",
        p.level,
        "",
    ));
    let Some(r) = p.resolved_at else {
        return steps;
    };
    steps.push((
        id,
        r,
        &p.handler,
        "resolve",
        Some("handling"),
        "resolved",
        p.level,
        &p.result,
    ));
    match (p.closed_at, p.scores) {
        (Some(c), Some(_)) => steps.push((
            id,
            c,
            &p.reporter_name,
            "rate",
            Some("resolved"),
            "closed",
            p.level,
            "",
        )),
        (Some(c), None) => steps.push((
            id,
            c,
            SYSTEM,
            "auto_close",
            Some("resolved"),
            "closed",
            p.level,
            "",
        )),
        _ => {}
    }
    steps
}

/// (event, the four scores, satisfied, rated department, at)
type RatingRow = (i64, [i64; 4], i64, Option<i64>, i64);

async fn write_steps(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    chunk: &[Planned],
    ids: &[(i64, String)],
) -> anyhow::Result<()> {
    let by_no: std::collections::HashMap<&str, i64> =
        ids.iter().map(|(id, no)| (no.as_str(), *id)).collect();
    let mut steps: Vec<StepRow> = Vec::new();
    let mut ratings: Vec<RatingRow> = Vec::new();
    for p in chunk {
        let Some(&id) = by_no.get(p.tracking_no.as_str()) else {
            continue;
        };
        steps.extend(steps_of(id, p));
        if let (Some(c), Some(s)) = (p.closed_at, p.scores) {
            ratings.push((id, s, p.satisfied.unwrap_or(1), p.assignee_dept_id, c));
        }
    }
    for part in steps.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO event_steps (event_id, at, actor_name, action, from_state, to_state, \
             from_level, to_level, note) VALUES {}",
            placeholders(part.len(), 9)
        );
        let mut q = sqlx::query(&sql);
        for (id, at, actor, action, from, to, level, note) in part {
            q = q
                .bind(*id)
                .bind(*at)
                .bind(*actor)
                .bind(*action)
                .bind(*from)
                .bind(*to)
                .bind(*level)
                .bind(*level)
                .bind(*note);
        }
        q.execute(&mut **tx).await?;
    }
    for part in ratings.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO ratings (event_id, attitude, ability, conduct, result, satisfied, \
             rated_dept_id, at) VALUES {}",
            placeholders(part.len(), 8)
        );
        let mut q = sqlx::query(&sql);
        for (id, s, sat, dept, at) in part {
            q = q
                .bind(*id)
                .bind(s[0])
                .bind(s[1])
                .bind(s[2])
                .bind(s[3])
                .bind(*sat)
                .bind(*dept)
                .bind(*at);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}
