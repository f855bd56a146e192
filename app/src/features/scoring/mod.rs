//! Scoreboards from the points ledger (积分台账): party members' vanguard index and stars, the
//! branches' bastion index, grid workers' assessment, household credit, residents' satisfaction
//! per unit and person, the villages' weekly red and black lists, and manual awards with approval.

pub mod api;
#[cfg(feature = "ssr")]
pub mod ledger;
pub mod page;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
