pub mod api;
pub mod map;
pub mod page;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
