//! The large screen (`/screen`) and the phone summary (`/summary`): KPI tiles, the live map, the
//! trend, categories, rankings, scoreboards, red and black lists and a ticker, for the viewer's
//! own unit. The server keeps one state per unit and pushes patches over `/screen/live`.

pub mod api;
pub mod charts;
pub mod page;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
