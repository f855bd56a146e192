//! The closed loop of an event: intake, verification, dispatch, handling, rating.

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
