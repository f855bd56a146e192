use serde::{Deserialize, Serialize};

use crate::domain::map::Pin;
use crate::features::events::types::Category;

/// How many days of handled events the map loads; open events load whatever their age.
pub const MAP_DAYS: i64 = 30;

/// Above this many pins the map loads the newest ones and says so.
pub const MAX_PINS: i64 = 20_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridName {
    pub id: i64,
    pub name: String,
}

/// Everything the map draws, in one answer: outlines (GeoJSON text, passed through), the pins,
/// and the server's clock so lights are right on a phone whose clock is not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommandMap {
    pub focus_id: i64,
    /// Live changes outside this subtree are not the map's.
    pub focus_path: String,
    pub tile_url: Option<String>,
    pub geojson: String,
    pub grids: Vec<GridName>,
    pub categories: Vec<Category>,
    pub pins: Vec<Pin>,
    pub truncated: bool,
    pub now: i64,
}
