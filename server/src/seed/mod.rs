//! What a database starts with — the catalogue, calendar, scoring rules and reply templates
//! (`catalogue`, always) — and the demo county, only on request (`demo` people, `history` of
//! events, `activities` and awards, branch `meetings`).

pub mod activities;
pub mod catalogue;
pub mod demo;
pub mod history;
pub mod meetings;
pub mod texts;
