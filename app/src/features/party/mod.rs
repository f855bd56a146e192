//! Party life: branch meetings (三会一课, 主题党日) planned by the secretary, members' check-in
//! with the code shown in the room, absences with a reason, and the compliance matrix the
//! township and county follow. Attendance earns branch-life points through the ledger.

pub mod api;
pub mod compliance_page;
pub mod meeting_page;
pub mod page;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
