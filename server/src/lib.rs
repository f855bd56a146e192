//! Lianxin's server, by concern: `http` (the router and everything a request passes through or
//! lands on that is not a server function), `realtime` (the live feed and the screens),
//! `jobs` (the background pass), `geo` (the county importer, point in polygon), `seed` (what a
//! database starts with, and the demo county on request), `commands` (the CLI), `bench`.

pub mod alloc;
pub mod bench;
pub mod commands;
pub mod db;
pub mod geo;
pub mod http;
pub mod jobs;
pub mod realtime;
pub mod seed;
