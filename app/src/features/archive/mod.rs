//! 民情档案: the households of the caller's area with their members, identifiers masked; an
//! identifier unmasked with a reason (rate limited, logged, shown to the resident on `/me`).

pub mod api;
pub mod page;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
