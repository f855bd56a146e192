//! Places: the county importer (divisions, outlines, generated or real grids) and the point in
//! polygon that finds a report's grid.

pub mod import;
pub mod locate;
