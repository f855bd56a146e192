//! GeoJSON in and out for area shapes: Polygon and MultiPolygon only.

use anyhow::{bail, Context};
use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde_json::Value;

fn ring(v: &Value) -> anyhow::Result<LineString<f64>> {
    let pts = v
        .as_array()
        .context("a ring must be an array of positions")?;
    let mut coords: Vec<Coord<f64>> = Vec::with_capacity(pts.len());
    for p in pts {
        let xy = p.as_array().context("a position must be an array")?;
        let (Some(x), Some(y)) = (
            xy.first().and_then(Value::as_f64),
            xy.get(1).and_then(Value::as_f64),
        ) else {
            bail!("a position must hold two numbers");
        };
        if !(-180.0..=180.0).contains(&x) || !(-90.0..=90.0).contains(&y) {
            bail!("position [{x}, {y}] is not a longitude/latitude");
        }
        let c = Coord { x, y };
        // The national outlines repeat points; repeated points add nothing.
        if coords.last() != Some(&c) {
            coords.push(c);
        }
    }
    if coords.len() < 3 {
        bail!("a ring needs at least three distinct positions");
    }
    let mut ls = LineString::from(coords);
    ls.close();
    Ok(ls)
}

fn polygon(v: &Value) -> anyhow::Result<Polygon<f64>> {
    let rings = v
        .as_array()
        .context("polygon coordinates must be an array of rings")?;
    let mut it = rings.iter();
    let exterior = ring(it.next().context("a polygon needs an exterior ring")?)?;
    let holes = it.map(ring).collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Polygon::new(exterior, holes))
}

/// A geometry object (Polygon or MultiPolygon) as a MultiPolygon.
pub fn parse_geometry(g: &Value) -> anyhow::Result<MultiPolygon<f64>> {
    let coords = g
        .get("coordinates")
        .context("geometry has no coordinates")?;
    match g.get("type").and_then(Value::as_str) {
        Some("Polygon") => Ok(MultiPolygon::new(vec![polygon(coords)?])),
        Some("MultiPolygon") => {
            let polys = coords
                .as_array()
                .context("MultiPolygon coordinates must be an array")?;
            if polys.is_empty() {
                bail!("empty MultiPolygon");
            }
            Ok(MultiPolygon::new(
                polys.iter().map(polygon).collect::<anyhow::Result<_>>()?,
            ))
        }
        Some(other) => bail!("geometry type {other} is not a Polygon or MultiPolygon"),
        None => bail!("geometry has no type"),
    }
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

    #[test]
    fn multipolygon_round_trip() {
        let text = r#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[2,2],[3,2],[3,3],[2,2]]]]}"#;
        let mp = parse_geometry(&serde_json::from_str(text).unwrap()).unwrap();
        assert_eq!(mp.0.len(), 2);
        let again = parse_geometry(&serde_json::from_str(&to_geojson(&mp)).unwrap()).unwrap();
        assert_eq!(mp, again);
    }

    #[test]
    fn rejects_bad_geometry() {
        for bad in [
            r#"{"type":"Point","coordinates":[0,0]}"#,
            r#"{"type":"Polygon","coordinates":[[[0,0],[1,0]]]}"#,
            r#"{"type":"Polygon","coordinates":[[[0,0],[500,0],[1,1],[0,0]]]}"#,
            r#"{"type":"Polygon"}"#,
        ] {
            assert!(
                parse_geometry(&serde_json::from_str(bad).unwrap()).is_err(),
                "{bad}"
            );
        }
        assert!(features("{not json").is_err());
    }
}
