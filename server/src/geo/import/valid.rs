//! Whether an area shape is valid, in time that grows as n log n. geo's `is_valid` tests every
//! pair of a ring's segments: on the national outlines (rings of tens of thousands of points)
//! that took over a quarter of an hour. Here one sweep over all segments finds every crossing
//! or touch between rings and within a ring; what is left to check then is containment, a
//! point per ring.
//!
//! As in OGC, two rings may touch at points (a hole at its shell, two parts at a corner); a
//! ring may not touch itself, and rings may not cross or share a stretch.

use geo::coordinate_position::{CoordPos, CoordinatePosition};
use geo::sweep::{Cross, Intersections};
use geo::{BoundingRect, Coord, Intersects, Line, LineIntersection, LineString};
use geo::{MultiPolygon, Polygon};

#[derive(Clone, Copy)]
struct Segment {
    line: Line<f64>,
    ring: usize,
    index: usize,
    /// Segments in the ring, to know that the last and the first are neighbours.
    count: usize,
}

impl Cross for Segment {
    type Scalar = f64;

    fn line(&self) -> Line<f64> {
        self.line
    }
}

/// Neighbours in one ring share exactly their joining point, and nothing else may meet.
fn allowed(a: &Segment, b: &Segment, x: &LineIntersection<f64>) -> bool {
    if a.ring != b.ring {
        return matches!(
            x,
            LineIntersection::SinglePoint {
                is_proper: false,
                ..
            }
        );
    }
    let (first, second) = if (a.index + 1) % a.count == b.index {
        (a, b)
    } else if (b.index + 1) % b.count == a.index {
        (b, a)
    } else {
        return false;
    };
    matches!(x, LineIntersection::SinglePoint { intersection, is_proper: false }
        if *intersection == first.line.end && *intersection == second.line.start)
}

fn segments(ring: &LineString<f64>, id: usize, out: &mut Vec<Segment>) -> bool {
    let mut pts: Vec<Coord<f64>> = ring.0.clone();
    pts.dedup();
    if pts.len() < 4 || pts.first() != pts.last() {
        return false;
    }
    let count = pts.len() - 1;
    out.extend(pts.windows(2).enumerate().map(|(index, w)| Segment {
        line: Line::new(w[0], w[1]),
        ring: id,
        index,
        count,
    }));
    true
}

pub fn is_valid(shape: &MultiPolygon<f64>) -> bool {
    let mut segs = Vec::new();
    let mut id = 0;
    for p in &shape.0 {
        for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
            if !segments(ring, id, &mut segs) {
                return false;
            }
            id += 1;
        }
    }
    if Intersections::from_iter(segs).any(|(a, b, x)| !allowed(&a, &b, &x)) {
        return false;
    }
    // Rings meet at most at points, so each ring lies wholly inside or outside another: any
    // of its points off the other's boundary says which. Holes must lie in their shell and
    // not in another hole; parts must not nest (a part in another's hole is fine).
    let shell = |ring: &LineString<f64>| Polygon::new(ring.clone(), vec![]);
    for p in &shape.0 {
        let outer = shell(p.exterior());
        for (i, h) in p.interiors().iter().enumerate() {
            if inside(&outer, h) != Some(true) {
                return false;
            }
            let nested = p
                .interiors()
                .iter()
                .enumerate()
                .any(|(j, other)| j != i && inside(&shell(other), h) == Some(true));
            if nested {
                return false;
            }
        }
    }
    let boxes: Vec<_> = shape.0.iter().map(|p| p.bounding_rect()).collect();
    for (i, a) in shape.0.iter().enumerate() {
        for (j, b) in shape.0.iter().enumerate() {
            let near = matches!((boxes[i], boxes[j]), (Some(x), Some(y)) if x.intersects(&y));
            if i != j && near && inside(a, b.exterior()) == Some(true) {
                return false;
            }
        }
    }
    true
}

/// Whether `ring` lies inside `area` (holes excluded), judged by its first point off the
/// boundary; None when every point is on it.
fn inside(area: &Polygon<f64>, ring: &LineString<f64>) -> Option<bool> {
    ring.0
        .iter()
        .find_map(|c| match area.coordinate_position(c) {
            CoordPos::Inside => Some(true),
            CoordPos::Outside => Some(false),
            CoordPos::OnBoundary => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, Validation};

    fn square(x: f64, y: f64, s: f64) -> Polygon<f64> {
        polygon![(x: x, y: y), (x: x + s, y: y), (x: x + s, y: y + s), (x: x, y: y + s), (x: x, y: y)]
    }

    #[test]
    fn agrees_with_geo_on_the_shapes_that_matter() {
        let bow_tie = polygon![(x: 0., y: 0.), (x: 2., y: 2.), (x: 2., y: 0.), (x: 0., y: 2.), (x: 0., y: 0.)];
        let spike = polygon![(x: 0., y: 0.), (x: 4., y: 0.), (x: 4., y: 4.), (x: 4., y: 6.), (x: 4., y: 4.), (x: 0., y: 4.), (x: 0., y: 0.)];
        let holed = Polygon::new(
            square(0., 0., 10.).exterior().clone(),
            vec![square(2., 2., 2.).exterior().clone()],
        );
        let hole_outside = Polygon::new(
            square(0., 0., 10.).exterior().clone(),
            vec![square(20., 20., 2.).exterior().clone()],
        );
        let hole_in_hole = Polygon::new(
            square(0., 0., 10.).exterior().clone(),
            vec![
                square(1., 1., 6.).exterior().clone(),
                square(2., 2., 1.).exterior().clone(),
            ],
        );
        let cases = [
            MultiPolygon::new(vec![square(0., 0., 1.)]),
            MultiPolygon::new(vec![square(0., 0., 1.), square(3., 3., 1.)]),
            MultiPolygon::new(vec![bow_tie]),
            MultiPolygon::new(vec![spike]),
            MultiPolygon::new(vec![holed.clone()]),
            MultiPolygon::new(vec![hole_outside]),
            MultiPolygon::new(vec![hole_in_hole]),
            // Overlapping parts, crossing parts, one part inside another, one in a hole.
            MultiPolygon::new(vec![square(0., 0., 2.), square(1., 1., 2.)]),
            MultiPolygon::new(vec![square(0., 0., 4.), square(1., 1., 1.)]),
            MultiPolygon::new(vec![holed, square(2.5, 2.5, 1.)]),
            // Parts touching at a corner; a hole touching its shell at a point.
            MultiPolygon::new(vec![square(0., 0., 1.), square(1., 1., 1.)]),
            MultiPolygon::new(vec![Polygon::new(
                square(0., 0., 10.).exterior().clone(),
                vec![
                    polygon![(x: 0., y: 5.), (x: 3., y: 4.), (x: 3., y: 6.), (x: 0., y: 5.)]
                        .exterior()
                        .clone(),
                ],
            )]),
        ];
        for (i, c) in cases.iter().enumerate() {
            assert_eq!(is_valid(c), c.is_valid(), "case {i}");
        }
        let expected = [
            true, true, false, false, true, false, false, false, false, true, true, true,
        ];
        for (i, c) in cases.iter().enumerate() {
            assert_eq!(is_valid(c), expected[i], "case {i}");
        }
    }
}
