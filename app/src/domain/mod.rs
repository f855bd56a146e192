//! Pure rules shared by the WASM client and the server: no leptos, no sqlx, no I/O.

pub mod archive;
pub mod audit;
pub mod calendar;
pub mod catalog;
pub mod codes;
pub mod disclosures;
pub mod event;
pub mod identity;
pub mod jobs;
pub mod kpi;
pub mod lockout;
pub mod map;
pub mod nav;
pub mod org;
pub mod paging;
pub mod party;
pub mod password;
pub mod photo;
pub mod roles;
pub mod scope;
pub mod scoring;
pub mod services;
pub mod session;
pub mod visibility;
pub mod volunteers;
