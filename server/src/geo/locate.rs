//! Point in polygon: which grid holds a reported location. The grid shapes are loaded once and
//! kept for a few minutes; an import made by another process shows up after that.

use std::sync::Arc;
use std::time::{Duration, Instant};

use geo::{BoundingRect, Contains, MultiPolygon, Point, Rect};
use sqlx::AnyPool;
use tokio::sync::RwLock;

const FRESH_FOR: Duration = Duration::from_secs(300);

pub struct GridIndex {
    grids: Vec<(i64, Rect<f64>, MultiPolygon<f64>)>,
}

impl GridIndex {
    pub fn new(shapes: Vec<(i64, MultiPolygon<f64>)>) -> GridIndex {
        GridIndex {
            grids: shapes
                .into_iter()
                .filter_map(|(id, mp)| mp.bounding_rect().map(|r| (id, r, mp)))
                .collect(),
        }
    }

    /// The grid containing the point; on a shared edge, the first of them.
    pub fn locate(&self, lng: f64, lat: f64) -> Option<i64> {
        let p = Point::new(lng, lat);
        self.grids
            .iter()
            .filter(|(_, r, _)| {
                r.min().x <= lng && lng <= r.max().x && r.min().y <= lat && lat <= r.max().y
            })
            .find(|(_, _, mp)| mp.contains(&p) || geo::Intersects::intersects(mp, &p))
            .map(|(id, _, _)| *id)
    }

    pub fn len(&self) -> usize {
        self.grids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.grids.is_empty()
    }
}

pub async fn load(pool: &AnyPool) -> Result<GridIndex, app::error::AppError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, geometry FROM org_units WHERE level = 'grid' AND geometry IS NOT NULL",
    )
    .fetch_all(pool)
    .await?;
    let shapes = rows
        .into_iter()
        .filter_map(|(id, g)| {
            let v: serde_json::Value = serde_json::from_str(&g).ok()?;
            crate::geo::import::geojson::parse_geometry(&v)
                .ok()
                .map(|mp| (id, mp))
        })
        .collect();
    Ok(GridIndex::new(shapes))
}

/// The index and when it was loaded.
type Loaded = Option<(Instant, Arc<GridIndex>)>;

#[derive(Clone, Default)]
pub struct Locator {
    cell: Arc<RwLock<Loaded>>,
}

impl Locator {
    pub async fn index(&self, pool: &AnyPool) -> Result<Arc<GridIndex>, app::error::AppError> {
        if let Some((at, idx)) = self.cell.read().await.as_ref() {
            if at.elapsed() < FRESH_FOR {
                return Ok(idx.clone());
            }
        }
        let idx = Arc::new(load(pool).await?);
        *self.cell.write().await = Some((Instant::now(), idx.clone()));
        Ok(idx)
    }

    pub async fn locate(
        &self,
        pool: &AnyPool,
        lng: f64,
        lat: f64,
    ) -> Result<Option<i64>, app::error::AppError> {
        Ok(self.index(pool).await?.locate(lng, lat))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn finds_the_containing_grid() {
        let a = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
        let b = polygon![(x: 1.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 1.0)];
        let idx = GridIndex::new(vec![
            (7, MultiPolygon::new(vec![a])),
            (8, MultiPolygon::new(vec![b])),
        ]);
        assert_eq!(idx.locate(0.5, 0.5), Some(7));
        assert_eq!(idx.locate(1.5, 0.2), Some(8));
        assert_eq!(idx.locate(1.0, 0.5), Some(7));
        assert_eq!(idx.locate(3.0, 0.5), None);
        assert_eq!(idx.locate(0.5, -0.1), None);
    }
}
