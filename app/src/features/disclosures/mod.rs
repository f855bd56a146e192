//! 三务公开 and notices: a village puts up its party, village-affairs and financial disclosures
//! (with photos, a PDF and, for finances, a checked table); units above it put up notices;
//! residents read them on the phone and ask; the township sees who published on time.

pub mod api;
pub mod desk_page;
pub mod page;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
