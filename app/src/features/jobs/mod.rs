//! 务工信息: jobs for the county's residents, their views and interest, and the demand picture
//! (charts and a spreadsheet, no names) for the human resources bureau and the townships.

pub mod api;
pub mod desk_page;
pub mod page;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
