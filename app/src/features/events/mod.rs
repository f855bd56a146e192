//! The closed loop of an event: intake, verification, dispatch, handling, rating.

pub mod api;
pub mod console_page;
pub mod deadlines_api;
#[cfg(feature = "ssr")]
pub mod deadlines_repo;
pub mod event_page;
#[cfg(feature = "ssr")]
pub mod intake;
pub mod my_page;
#[cfg(feature = "hydrate")]
pub mod outbox;
pub mod overdue_page;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod report_api;
#[cfg(feature = "hydrate")]
pub mod report_map;
pub mod report_page;
pub mod report_signin;
pub mod types;
