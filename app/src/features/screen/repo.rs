//! Computes a screen's state for a scope from the store: the same queries as the KPI page and the
//! scoreboards, over a rolling window, plus the map's lights and points.

use std::collections::HashMap;

use sqlx::AnyPool;

use super::types::{
    DayCount, GridShape, JobHeat, MapPoint, MapShapes, NamedCount, ScreenLive, TickerItem,
    UnitRank, JOB_DAYS,
};
use crate::domain::calendar::{day_start, format_date, local_date};
use crate::domain::org::OrgLevel;
use crate::domain::scoring::{Period, PeriodKind, Subject};
use crate::error::AppError;
use crate::features::kpi::repo::{kpi_by_unit, kpi_counts};
use crate::features::scoring::repo::{self as scores, RatedBy};

/// States that are still in someone's hands (the map's lights).
const OPEN: &str = crate::open_states_sql!();

/// A flat projection of the scope's bounding box into an SVG box 1000 wide.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    min_lng: f64,
    max_lat: f64,
    kx: f64,
    ky: f64,
    pub width: f64,
    pub height: f64,
}

impl Projection {
    fn new(min_lng: f64, min_lat: f64, max_lng: f64, max_lat: f64) -> Projection {
        let mid = ((min_lat + max_lat) / 2.0).to_radians();
        let w = ((max_lng - min_lng) * mid.cos()).max(1e-6);
        let h = (max_lat - min_lat).max(1e-6);
        let k = 1000.0 / w;
        Projection {
            min_lng,
            max_lat,
            kx: k * mid.cos(),
            ky: k,
            width: 1000.0,
            height: (h * k).round(),
        }
    }

    pub fn point(&self, lng: f64, lat: f64) -> (f64, f64) {
        (
            ((lng - self.min_lng) * self.kx * 10.0).round() / 10.0,
            ((self.max_lat - lat) * self.ky * 10.0).round() / 10.0,
        )
    }
}

/// The outer rings of a GeoJSON Polygon or MultiPolygon.
fn rings(geometry: &str) -> Vec<Vec<(f64, f64)>> {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(geometry) else {
        return Vec::new();
    };
    let ring = |r: &serde_json::Value| -> Vec<(f64, f64)> {
        r.as_array()
            .map(|pts| {
                pts.iter()
                    .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
                    .collect()
            })
            .unwrap_or_default()
    };
    let coords = &v["coordinates"];
    match v["type"].as_str() {
        Some("Polygon") => coords.get(0).map(ring).into_iter().collect(),
        Some("MultiPolygon") => coords
            .as_array()
            .map(|ps| ps.iter().filter_map(|p| p.get(0).map(ring)).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn path_data(p: &Projection, rings: &[Vec<(f64, f64)>]) -> String {
    let mut d = String::new();
    for r in rings {
        let mut last = None;
        for (i, &(lng, lat)) in r.iter().enumerate() {
            let (x, y) = p.point(lng, lat);
            let xy = (x.round() as i64, y.round() as i64);
            if last == Some(xy) {
                continue;
            }
            last = Some(xy);
            d.push_str(if i == 0 { "M" } else { "L" });
            d.push_str(&format!("{} {}", xy.0, xy.1));
        }
        d.push('Z');
    }
    d
}

/// The projection of a scope: the bounding box of its own outline.
pub async fn projection(pool: &AnyPool, scope: &str) -> Result<Projection, AppError> {
    let geometry: Option<String> = sqlx::query_scalar(
        "SELECT geometry FROM org_units WHERE path = $1 AND geometry IS NOT NULL",
    )
    .bind(scope)
    .fetch_optional(pool)
    .await?;
    let pts: Vec<(f64, f64)> = geometry
        .map(|g| rings(&g).into_iter().flatten().collect())
        .unwrap_or_default();
    if pts.is_empty() {
        return Ok(Projection::new(0.0, 0.0, 1.0, 1.0));
    }
    let (mut a, mut b, mut c, mut d) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (x, y) in pts {
        a = a.min(x);
        b = b.min(y);
        c = c.max(x);
        d = d.max(y);
    }
    Ok(Projection::new(a, b, c, d))
}

/// The grid outlines (and the borders one level below the scope) in the scope's projection.
pub async fn shapes(pool: &AnyPool, scope: &str, level: OrgLevel) -> Result<MapShapes, AppError> {
    let p = projection(pool, scope).await?;
    let load = |lvl: &'static str| {
        sqlx::query_as::<_, (i64, String, String)>(
            "SELECT id, name, geometry FROM org_units WHERE level = $1 AND path LIKE ($2 || '%') \
             AND geometry IS NOT NULL ORDER BY id",
        )
        .bind(lvl)
        .bind(scope.to_string())
        .fetch_all(pool)
    };
    let shape = |(id, name, g): (i64, String, String)| GridShape {
        id,
        name,
        d: path_data(&p, &rings(&g)),
    };
    let grids = load("grid").await?.into_iter().map(shape).collect();
    let borders = match level.child() {
        Some(OrgLevel::Grid) | None => Vec::new(),
        Some(below) => load(below.as_str()).await?.into_iter().map(shape).collect(),
    };
    Ok(MapShapes {
        width: p.width,
        height: p.height,
        grids,
        borders,
    })
}

fn bucket(at: i64) -> i64 {
    // Local (UTC+8) day number.
    (at + 8 * 3600).div_euclid(86_400)
}

/// The screen's state for a scope at `now` over the last `days` days.
pub async fn snapshot(
    pool: &AnyPool,
    scope: &str,
    days: i64,
    now: i64,
) -> Result<ScreenLive, AppError> {
    let (name, level): (String, String) =
        sqlx::query_as("SELECT name, level FROM org_units WHERE path = $1")
            .bind(scope)
            .fetch_optional(pool)
            .await?
            .ok_or(AppError::NotFound)?;
    let level = OrgLevel::parse(&level).unwrap_or(OrgLevel::Building);
    let today_start = day_start(local_date(now));
    let from = today_start - (days - 1) * 86_400;
    let tiles = kpi_counts(pool, scope, from, now + 1).await?;
    let open: i64 = sqlx::query_scalar(&format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM events WHERE grid_path LIKE ($1 || '%') AND state IN {OPEN}"
    ))
    .bind(scope)
    .fetch_one(pool)
    .await?;
    let today: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM events WHERE grid_path LIKE ($1 || '%') AND created_at >= $2",
    )
    .bind(scope)
    .bind(today_start)
    .fetch_one(pool)
    .await?;
    let trend = trend(pool, scope, from, days).await?;
    let categories: Vec<NamedCount> = sqlx::query_as::<_, (String, String, i64)>(
        "SELECT c.name_zh, c.name_en, CAST(COUNT(*) AS BIGINT) AS n FROM events e \
         JOIN categories c ON c.id = e.category_id WHERE e.grid_path LIKE ($1 || '%') \
         AND e.created_at >= $2 GROUP BY c.id, c.name_zh, c.name_en ORDER BY n DESC, c.id LIMIT 8",
    )
    .bind(scope)
    .bind(from)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(name_zh, name_en, count)| NamedCount {
        name_zh,
        name_en,
        count,
    })
    .collect();
    let mut units: Vec<UnitRank> = match level.child() {
        Some(below) if below != OrgLevel::Building => {
            kpi_by_unit(pool, scope, below, from, now + 1)
                .await?
                .into_iter()
                .map(|(id, name, c)| {
                    let k = c.kpis();
                    UnitRank {
                        id,
                        name,
                        satisfied: k.satisfied,
                        on_time: k.on_time,
                        received: c.reported,
                    }
                })
                .collect()
        }
        _ => Vec::new(),
    };
    units.sort_by(|a, b| {
        b.satisfied
            .unwrap_or(0.0)
            .total_cmp(&a.satisfied.unwrap_or(0.0))
            .then(
                b.on_time
                    .unwrap_or(0.0)
                    .total_cmp(&a.on_time.unwrap_or(0.0)),
            )
            .then(a.id.cmp(&b.id))
    });
    let villages = scores::satisfaction(pool, RatedBy::Village, scope, from, 5).await?;
    let departments = scores::satisfaction(pool, RatedBy::Department, scope, from, 5).await?;
    let month = scores::current_period(Subject::Member).label();
    let members = scores::board(pool, Subject::Member, &month, scope, 5).await?;
    let workers = scores::board(pool, Subject::GridWorker, &month, scope, 5).await?;
    let week = Period::containing(PeriodKind::Week, local_date(now));
    let lists = scores::village_lists(pool, scope, week, 5).await?;
    let m = crate::features::party::repo::compliance(
        pool,
        scope,
        Period::containing(PeriodKind::Month, local_date(now)),
    )
    .await?;
    let branch_life = super::types::BranchLifeTally {
        met: m.met,
        due: m.due,
        missed: m.missed,
    };
    let jobs = job_heat(pool, scope, now).await?;
    let ticker: Vec<TickerItem> = sqlx::query_as::<_, (i64, String, String, String, String, String, i64)>(
        "SELECT e.id, e.tracking_no, c.name_zh, c.name_en, g.name, e.state, e.updated_at FROM events e \
         JOIN categories c ON c.id = e.category_id JOIN org_units g ON g.id = e.grid_id \
         WHERE e.grid_path LIKE ($1 || '%') ORDER BY e.updated_at DESC, e.id DESC LIMIT 10",
    )
    .bind(scope)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(id, tracking_no, category_zh, category_en, grid, state, at)| TickerItem {
        id,
        tracking_no,
        category_zh,
        category_en,
        grid,
        state,
        at,
    })
    .collect();
    let light_sql =
        "CAST(CASE WHEN due_at <= $2 THEN 2 WHEN yellow_at <= $2 THEN 1 ELSE 0 END AS BIGINT)";
    let lights: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT grid_id, MAX({light_sql}) FROM events WHERE grid_path LIKE ($1 || '%') \
         AND state IN {OPEN} GROUP BY grid_id ORDER BY grid_id"
    ))
    .bind(scope)
    .bind(now)
    .fetch_all(pool)
    .await?;
    let proj = projection(pool, scope).await?;
    let points: Vec<MapPoint> = sqlx::query_as::<_, (i64, f64, f64, i64, i64)>(&format!(
        "SELECT id, lng, lat, {light_sql}, created_at FROM events WHERE grid_path LIKE ($1 || '%') \
         AND state IN {OPEN} AND lng IS NOT NULL AND lat IS NOT NULL \
         ORDER BY created_at DESC, id DESC LIMIT 5000"
    ))
    .bind(scope)
    .bind(now)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(id, lng, lat, light, created)| {
        let (x, y) = proj.point(lng, lat);
        MapPoint {
            id,
            x,
            y,
            light: light.clamp(0, 2) as u8,
            fresh: now - created < 600,
        }
    })
    .collect();
    Ok(ScreenLive {
        version: 0,
        at: now,
        scope_name: name,
        tiles,
        open,
        today,
        trend,
        categories,
        units,
        villages,
        departments,
        members,
        workers,
        lists,
        branch_life,
        jobs,
        ticker,
        lights: lights
            .into_iter()
            .map(|(g, l)| (g, l.clamp(0, 2) as u8))
            .collect(),
        points,
    })
}

/// The job views of the scope's demand area over the wall's window: read from the demand cells,
/// so a county's day is one grouped read however many people looked.
async fn job_heat(pool: &AnyPool, scope: &str, now: i64) -> Result<JobHeat, AppError> {
    use crate::domain::jobs::{area_of, cell_keys, fill_days, spike, window};
    use crate::features::jobs::repo as jobs;
    let Some(area) = area_of(scope) else {
        return Ok(JobHeat::default());
    };
    let Some((county, township)) = cell_keys(&area) else {
        return Ok(JobHeat::default());
    };
    let days = window(now, JOB_DAYS);
    let rows = jobs::by_day(pool, &county, township, &days[0], &days[days.len() - 1]).await?;
    let days = fill_days(&rows, &days);
    Ok(JobHeat {
        area: jobs::unit_name(pool, &area).await?,
        spike: spike(&days),
        days,
    })
}

async fn trend(
    pool: &AnyPool,
    scope: &str,
    from: i64,
    days: i64,
) -> Result<Vec<DayCount>, AppError> {
    let per_day = |col: &'static str| {
        let sql = format!(
            "SELECT CAST(({col} + 28800) / 86400 AS BIGINT) AS d, CAST(COUNT(*) AS BIGINT) FROM events \
             WHERE grid_path LIKE ($1 || '%') AND {col} >= $2 GROUP BY CAST(({col} + 28800) / 86400 AS BIGINT)"
        );
        async move {
            let rows: Vec<(i64, i64)> = sqlx::query_as(&sql)
                .bind(scope)
                .bind(from)
                .fetch_all(pool)
                .await?;
            Ok::<HashMap<i64, i64>, AppError>(rows.into_iter().collect())
        }
    };
    let received = per_day("created_at").await?;
    let closed = per_day("resolved_at").await?;
    let first = bucket(from);
    Ok((0..days)
        .map(|i| {
            let d = first + i;
            DayCount {
                day: format_date(local_date(d * 86_400))[5..].to_string(),
                received: received.get(&d).copied().unwrap_or(0),
                closed: closed.get(&d).copied().unwrap_or(0),
            }
        })
        .collect())
}
