//! GeoJSON in and out for area shapes: Polygon and MultiPolygon only, plain or in ECharts'
//! encoded form; rings that collapsed to a point or a line are left out and counted, and a
//! shape that is not valid is repaired.

use anyhow::{bail, Context};
use geo::{Area, BooleanOps, Coord, LineString, MultiPolygon, Polygon};
use serde_json::Value;

/// A ring as positions, from plain coordinates or from ECharts' encoded string (its
/// `UTF8Encoding` form: zig-zag deltas in UTF-16 units, starting at the ring's offset, in
/// 1/1024 degree).
fn positions(v: &Value, offset: Option<&Value>) -> anyhow::Result<Vec<Coord<f64>>> {
    if let Some(text) = v.as_str() {
        let o = offset
            .and_then(Value::as_array)
            .context("an encoded ring needs its offset")?;
        let (Some(mut px), Some(mut py)) = (
            o.first().and_then(Value::as_i64),
            o.get(1).and_then(Value::as_i64),
        ) else {
            bail!("an encoded ring's offset must be two integers");
        };
        let units: Vec<i64> = text.encode_utf16().map(|u| i64::from(u) - 64).collect();
        let mut out = Vec::with_capacity(units.len() / 2);
        for pair in units.chunks_exact(2) {
            let (x, y) = (pair[0], pair[1]);
            px += (x >> 1) ^ -(x & 1);
            py += (y >> 1) ^ -(y & 1);
            out.push(Coord {
                x: px as f64 / 1024.0,
                y: py as f64 / 1024.0,
            });
        }
        return Ok(out);
    }
    let pts = v
        .as_array()
        .context("a ring must be an array of positions")?;
    let mut out = Vec::with_capacity(pts.len());
    for p in pts {
        let xy = p.as_array().context("a position must be an array")?;
        let (Some(x), Some(y)) = (
            xy.first().and_then(Value::as_f64),
            xy.get(1).and_then(Value::as_f64),
        ) else {
            bail!("a position must hold two numbers");
        };
        out.push(Coord { x, y });
    }
    Ok(out)
}

/// A closed ring, or None when it has collapsed to a point or a line (fewer than three
/// distinct positions, as quantised outlines sometimes hold). Positions off the globe are an
/// error: that is not a longitude/latitude file.
fn ring(v: &Value, offset: Option<&Value>) -> anyhow::Result<Option<LineString<f64>>> {
    let mut coords: Vec<Coord<f64>> = Vec::new();
    for c in positions(v, offset)? {
        if !(-180.0..=180.0).contains(&c.x) || !(-90.0..=90.0).contains(&c.y) {
            bail!("position [{}, {}] is not a longitude/latitude", c.x, c.y);
        }
        // The national outlines repeat points; repeated points add nothing.
        if coords.last() != Some(&c) {
            coords.push(c);
        }
    }
    let mut distinct = coords.clone();
    distinct.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    distinct.dedup();
    if distinct.len() < 3 {
        return Ok(None);
    }
    // All on one line: a ring with no inside at all (a self-crossing one is repaired later).
    let (a, b) = (distinct[0], distinct[distinct.len() - 1]);
    let collinear = distinct
        .iter()
        .all(|c| ((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)).abs() < 1e-12);
    if collinear {
        return Ok(None);
    }
    let mut ls = LineString::from(coords);
    ls.close();
    Ok(Some(ls))
}

/// A polygon, or None when its outer ring collapsed; collapsed holes are left out.
fn polygon(
    v: &Value,
    offsets: Option<&Value>,
    dropped: &mut usize,
) -> anyhow::Result<Option<Polygon<f64>>> {
    let rings = v
        .as_array()
        .context("polygon coordinates must be an array of rings")?;
    let offset = |i: usize| offsets.and_then(|o| o.get(i));
    let mut it = rings.iter().enumerate();
    // An empty part (the package has one, in 蓟州区) is a part without an area: left out.
    let Some((i, first)) = it.next() else {
        *dropped += 1;
        return Ok(None);
    };
    let Some(exterior) = ring(first, offset(i))? else {
        *dropped += rings.len();
        return Ok(None);
    };
    let mut holes = Vec::new();
    for (i, r) in it {
        match ring(r, offset(i))? {
            Some(h) => holes.push(h),
            None => *dropped += 1,
        }
    }
    Ok(Some(Polygon::new(exterior, holes)))
}

/// A geometry as read: its area, the rings that had collapsed and were left out, and whether
/// it had to be repaired (self-intersections and overlaps resolved) to be valid.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub shape: MultiPolygon<f64>,
    pub dropped_rings: usize,
    pub repaired: bool,
}

/// A geometry object (Polygon or MultiPolygon, plain or ECharts-encoded) as a valid
/// MultiPolygon. An error only when nothing with an area is left.
pub fn read_geometry(g: &Value) -> anyhow::Result<Parsed> {
    let coords = g
        .get("coordinates")
        .context("geometry has no coordinates")?;
    let offsets = g.get("encodeOffsets");
    let mut dropped = 0;
    let polys: Vec<Polygon<f64>> = match g.get("type").and_then(Value::as_str) {
        Some("Polygon") => polygon(coords, offsets, &mut dropped)?
            .into_iter()
            .collect(),
        Some("MultiPolygon") => {
            let list = coords
                .as_array()
                .context("MultiPolygon coordinates must be an array")?;
            let mut out = Vec::new();
            for (i, p) in list.iter().enumerate() {
                out.extend(polygon(p, offsets.and_then(|o| o.get(i)), &mut dropped)?);
            }
            out
        }
        Some(other) => bail!("geometry type {other} is not a Polygon or MultiPolygon"),
        None => bail!("geometry has no type"),
    };
    if polys.is_empty() {
        bail!("the geometry has no ring with an area");
    }
    let mut shape = MultiPolygon::new(polys);
    let repaired = !super::valid::is_valid(&shape);
    if repaired {
        // The overlay engine's union resolves self-intersections and overlapping parts.
        shape = shape.union(&MultiPolygon::new(vec![]));
    }
    if shape.unsigned_area() <= 0.0 {
        bail!("the geometry has no area");
    }
    Ok(Parsed {
        shape,
        dropped_rings: dropped,
        repaired,
    })
}

/// A geometry as a MultiPolygon (see `read_geometry`).
pub fn parse_geometry(g: &Value) -> anyhow::Result<MultiPolygon<f64>> {
    read_geometry(g).map(|p| p.shape)
}

/// The features of a FeatureCollection (a lone Feature counts as one).
pub fn features(text: &str) -> anyhow::Result<Vec<Value>> {
    let v: Value = serde_json::from_str(text).context("malformed GeoJSON")?;
    match v.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => Ok(v
            .get("features")
            .and_then(Value::as_array)
            .context("FeatureCollection without features")?
            .clone()),
        Some("Feature") => Ok(vec![v]),
        _ => bail!("GeoJSON must be a FeatureCollection or a Feature"),
    }
}

pub fn feature_name(f: &Value) -> Option<&str> {
    f.get("properties")?.get("name")?.as_str()
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn ring_json(ls: &LineString<f64>) -> Value {
    Value::Array(
        ls.coords()
            .map(|c| serde_json::json!([round6(c.x), round6(c.y)]))
            .collect(),
    )
}

fn polygon_json(p: &Polygon<f64>) -> Value {
    let mut rings = vec![ring_json(p.exterior())];
    rings.extend(p.interiors().iter().map(ring_json));
    Value::Array(rings)
}

/// Compact, stable text (six decimals, about 0.1 m), so equal shapes give equal strings.
pub fn to_geojson(mp: &MultiPolygon<f64>) -> String {
    let v = if mp.0.len() == 1 {
        serde_json::json!({"type": "Polygon", "coordinates": polygon_json(&mp.0[0])})
    } else {
        serde_json::json!({"type": "MultiPolygon", "coordinates": mp.0.iter().map(polygon_json).collect::<Vec<_>>()})
    };
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Validation;

    #[test]
    fn multipolygon_round_trip() {
        let text = r#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[2,2],[3,2],[3,3],[2,2]]]]}"#;
        let mp = parse_geometry(&serde_json::from_str(text).unwrap()).unwrap();
        assert_eq!(mp.0.len(), 2);
        let again = parse_geometry(&serde_json::from_str(&to_geojson(&mp)).unwrap()).unwrap();
        assert_eq!(mp, again);
    }

    #[test]
    fn collapsed_rings_are_left_out_and_counted() {
        let text = r#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[5,5],[5,5]]],[[[2,2],[3,2],[2,2]]]]}"#;
        let p = read_geometry(&serde_json::from_str(text).unwrap()).unwrap();
        assert_eq!((p.shape.0.len(), p.dropped_rings), (1, 2));
        // A bow tie (self-intersecting) is repaired into a valid shape of the same area.
        let bow = r#"{"type":"Polygon","coordinates":[[[0,0],[2,2],[2,0],[0,2],[0,0]]]}"#;
        let p = read_geometry(&serde_json::from_str(bow).unwrap()).unwrap();
        assert!(p.repaired && p.shape.is_valid());
        assert!(
            (p.shape.unsigned_area() - 2.0).abs() < 1e-9,
            "{}",
            p.shape.unsigned_area()
        );
    }

    #[test]
    fn reads_echarts_encoded_rings() {
        // (118.0, 29.0), then +1/1024 east, then +1/1024 north: zig-zag 2 -> 'B', 0 -> '@'.
        let x = 118 * 1024;
        let y = 29 * 1024;
        let text =
            format!(r#"{{"type":"Polygon","coordinates":["@@B@@B"],"encodeOffsets":[[{x},{y}]]}}"#);
        let p = read_geometry(&serde_json::from_str(&text).unwrap()).unwrap();
        let pts: Vec<_> = p.shape.0[0].exterior().coords().copied().collect();
        assert_eq!(pts[0], Coord { x: 118.0, y: 29.0 });
        assert_eq!(
            pts[1],
            Coord {
                x: 118.0 + 1.0 / 1024.0,
                y: 29.0
            }
        );
        assert_eq!(
            pts[2],
            Coord {
                x: 118.0 + 1.0 / 1024.0,
                y: 29.0 + 1.0 / 1024.0
            }
        );
    }

    #[test]
    fn rejects_bad_geometry() {
        let square = "[[0,0],[1,0],[1,1],[0,1],[0,0]]";
        let with_empty_part = format!(r#"{{"type":"MultiPolygon","coordinates":[[],[{square}]]}}"#);
        let p = read_geometry(&serde_json::from_str(&with_empty_part).unwrap()).unwrap();
        assert_eq!((p.shape.0.len(), p.dropped_rings), (1, 1));
        for bad in [
            r#"{"type":"Point","coordinates":[0,0]}"#,
            r#"{"type":"Polygon","coordinates":[[[0,0],[1,0]]]}"#,
            r#"{"type":"Polygon","coordinates":[[[0,0],[500,0],[1,1],[0,0]]]}"#,
            r#"{"type":"Polygon"}"#,
            r#"{"type":"Polygon","coordinates":[]}"#,
            r#"{"type":"MultiPolygon","coordinates":[[]]}"#,
        ] {
            assert!(
                parse_geometry(&serde_json::from_str(bad).unwrap()).is_err(),
                "{bad}"
            );
        }
        assert!(features("{not json").is_err());
    }
}
