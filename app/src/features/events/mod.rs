//! The closed loop of an event: intake, verification, dispatch, handling, rating.

pub mod api;
pub mod console_page;
pub mod event_page;
#[cfg(feature = "ssr")]
pub mod intake;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod report_page;
pub mod types;
