//! Plausible areas where the national data has none: a region is split into `n` cells by a
//! Voronoi partition of well-spread seed points, each cell clipped to the region. The cells are
//! disjoint and together cover the region, so nesting (grid in village in township) holds by
//! construction. Deterministic: the same seed gives the same shapes.

use geo::{
    BooleanOps, BoundingRect, Centroid, Contains, Coord, LineString, MultiPolygon, Point, Polygon,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A stable 64-bit seed from a code, independent of Rust's hasher (FNV-1a).
pub fn seed_of(code: &str) -> u64 {
    code.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

fn sample_inside(
    region: &MultiPolygon<f64>,
    count: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<Coord<f64>> {
    let Some(rect) = region.bounding_rect() else {
        return vec![];
    };
    let mut out = Vec::with_capacity(count);
    let mut tries = 0;
    while out.len() < count && tries < count * 200 {
        tries += 1;
        let p = Coord {
            x: rng.gen_range(rect.min().x..=rect.max().x),
            y: rng.gen_range(rect.min().y..=rect.max().y),
        };
        if region.contains(&Point::from(p)) {
            out.push(p);
        }
    }
    out
}

/// Seeds spread evenly over the region: k-means over random interior samples, each centre then
/// moved to its nearest sample so that it lies inside the region.
pub fn spread_seeds(region: &MultiPolygon<f64>, n: usize, seed: u64) -> Vec<Coord<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let samples = sample_inside(region, (n * 40).max(64), &mut rng);
    if samples.len() < n {
        return samples;
    }
    let mut centres: Vec<Coord<f64>> = (0..n).map(|i| samples[i * samples.len() / n]).collect();
    let mut assign = vec![0usize; samples.len()];
    for _ in 0..20 {
        for (k, s) in samples.iter().enumerate() {
            assign[k] = nearest(&centres, *s);
        }
        let mut sums = vec![(0.0, 0.0, 0usize); n];
        for (k, s) in samples.iter().enumerate() {
            let e = &mut sums[assign[k]];
            e.0 += s.x;
            e.1 += s.y;
            e.2 += 1;
        }
        for (c, (sx, sy, cnt)) in centres.iter_mut().zip(sums) {
            if cnt > 0 {
                *c = Coord {
                    x: sx / cnt as f64,
                    y: sy / cnt as f64,
                };
            }
        }
    }
    let mut used = vec![false; samples.len()];
    centres
        .iter()
        .map(|c| {
            let (k, _) = samples
                .iter()
                .enumerate()
                .filter(|(k, _)| !used[*k])
                .map(|(k, s)| (k, dist2(*s, *c)))
                .fold((0, f64::MAX), |a, b| if b.1 < a.1 { b } else { a });
            used[k] = true;
            samples[k]
        })
        .collect()
}

fn dist2(a: Coord<f64>, b: Coord<f64>) -> f64 {
    (a.x - b.x).powi(2) + (a.y - b.y).powi(2)
}

fn nearest(centres: &[Coord<f64>], p: Coord<f64>) -> usize {
    centres
        .iter()
        .enumerate()
        .map(|(i, c)| (i, dist2(*c, p)))
        .fold((0, f64::MAX), |a, b| if b.1 < a.1 { b } else { a })
        .0
}

/// Clips a convex polygon (as a vertex ring) to the half-plane of points nearer `a` than `b`.
fn clip_half_plane(ring: &[Coord<f64>], a: Coord<f64>, b: Coord<f64>) -> Vec<Coord<f64>> {
    // Points p with (p - m)·(b - a) <= 0, where m is the midpoint.
    let m = Coord {
        x: (a.x + b.x) / 2.0,
        y: (a.y + b.y) / 2.0,
    };
    let d = Coord {
        x: b.x - a.x,
        y: b.y - a.y,
    };
    let side = |p: Coord<f64>| (p.x - m.x) * d.x + (p.y - m.y) * d.y;
    let mut out = Vec::with_capacity(ring.len() + 1);
    for i in 0..ring.len() {
        let p = ring[i];
        let q = ring[(i + 1) % ring.len()];
        let (sp, sq) = (side(p), side(q));
        if sp <= 0.0 {
            out.push(p);
        }
        if (sp < 0.0 && sq > 0.0) || (sp > 0.0 && sq < 0.0) {
            let t = sp / (sp - sq);
            out.push(Coord {
                x: p.x + t * (q.x - p.x),
                y: p.y + t * (q.y - p.y),
            });
        }
    }
    out
}

/// Splits `region` into one cell per seed (Voronoi cells clipped to the region).
pub fn voronoi_cells(region: &MultiPolygon<f64>, seeds: &[Coord<f64>]) -> Vec<MultiPolygon<f64>> {
    let Some(rect) = region.bounding_rect() else {
        return vec![];
    };
    let pad = (rect.width() + rect.height()) * 0.1 + 1e-6;
    let frame = vec![
        Coord {
            x: rect.min().x - pad,
            y: rect.min().y - pad,
        },
        Coord {
            x: rect.max().x + pad,
            y: rect.min().y - pad,
        },
        Coord {
            x: rect.max().x + pad,
            y: rect.max().y + pad,
        },
        Coord {
            x: rect.min().x - pad,
            y: rect.max().y + pad,
        },
    ];
    seeds
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut ring = frame.clone();
            for (j, t) in seeds.iter().enumerate() {
                if i != j && ring.len() >= 3 {
                    ring = clip_half_plane(&ring, *s, *t);
                }
            }
            if ring.len() < 3 {
                return MultiPolygon::new(vec![]);
            }
            let cell = MultiPolygon::new(vec![Polygon::new(LineString::from(ring), vec![])]);
            region.intersection(&cell)
        })
        .collect()
}

/// `n` disjoint areas covering `region`.
pub fn partition(region: &MultiPolygon<f64>, n: usize, seed: u64) -> Vec<MultiPolygon<f64>> {
    if n <= 1 {
        return vec![region.clone()];
    }
    let seeds = spread_seeds(region, n, seed);
    voronoi_cells(region, &seeds)
}

/// A point to label an area with: its centroid when that lies inside, else any interior point.
pub fn label_point(area: &MultiPolygon<f64>) -> Option<Point<f64>> {
    use geo::InteriorPoint;
    match area.centroid() {
        Some(c) if area.contains(&c) => Some(c),
        _ => area.interior_point(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Area;

    fn square() -> MultiPolygon<f64> {
        MultiPolygon::new(vec![Polygon::new(
            LineString::from(vec![
                (0.0, 0.0),
                (1.0, 0.0),
                (1.0, 1.0),
                (0.0, 1.0),
                (0.0, 0.0),
            ]),
            vec![],
        )])
    }

    #[test]
    fn cells_cover_the_region_without_overlap() {
        let region = square();
        let cells = partition(&region, 7, 42);
        assert_eq!(cells.len(), 7);
        let total: f64 = cells.iter().map(|c| c.unsigned_area()).sum();
        assert!((total - 1.0).abs() < 1e-9, "cells cover {total}");
        for (i, a) in cells.iter().enumerate() {
            assert!(a.unsigned_area() > 0.0);
            for b in &cells[i + 1..] {
                let overlap = a.intersection(b).unsigned_area();
                // Neighbours compute their shared edge separately, so floating-point rounding
                // leaves slivers of ~1e-10 of the region: under a square metre in a county.
                assert!(overlap < 1e-9, "overlap {overlap}");
            }
        }
    }

    #[test]
    fn deterministic() {
        assert_eq!(partition(&square(), 5, 9), partition(&square(), 5, 9));
        assert_ne!(seed_of("330825001"), seed_of("330825002"));
    }
}
