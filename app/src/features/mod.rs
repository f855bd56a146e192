//! One folder per feature: types, server functions, (ssr) repository, pages.

pub mod archive;
pub mod audit;
pub mod auth;
pub mod catalog;
pub mod disclosures;
pub mod events;
pub mod jobs;
pub mod kpi;
pub mod map;
pub mod me;
pub mod org;
pub mod party;
pub mod scoring;
pub mod screen;
pub mod services;
pub mod volunteers;
