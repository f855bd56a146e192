use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OrgNode {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub level: String,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub path: String,
    pub child_count: i64,
}

/// One node of the tree with its place in it: the trail from the caller's own unit, its children,
/// and, for a grid, its ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgView {
    pub node: OrgNode,
    pub trail: Vec<OrgNode>,
    pub children: Vec<OrgNode>,
    pub ledger: Option<GridLedger>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffInfo {
    pub duty: String,
    pub name: String,
    /// Masked: staff phones are personal data too.
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct BuildingInfo {
    pub id: i64,
    pub name: String,
    pub party_group: Option<String>,
    pub group_leader: Option<String>,
    pub households: i64,
}

/// 网格一本账: the grid's ledger summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridLedger {
    pub grid_id: i64,
    pub branch_name: Option<String>,
    pub branch_secretary: Option<String>,
    pub staff: Vec<StaffInfo>,
    pub buildings: Vec<BuildingInfo>,
    pub households: i64,
    pub residents: i64,
    pub party_members: i64,
    pub members_without_post: i64,
    pub migrant_members: i64,
}

/// The map payload: a GeoJSON FeatureCollection of the node's subtree down to grids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapData {
    pub focus_id: i64,
    pub tile_url: Option<String>,
    pub geojson: String,
    pub feature_count: usize,
}
