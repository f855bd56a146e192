pub mod api;
#[cfg(feature = "ssr")]
pub mod hashing;
pub mod page;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
