//! The command map (一张图): every grid coloured by its worst open light, clustered event pins,
//! filters and a 30-day slider, a side panel with the grid's ledger or the event's card and
//! actions, kept current from `/live`.

pub mod api;
#[cfg(feature = "hydrate")]
mod browser;
pub mod page;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
