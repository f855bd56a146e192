//! The event catalogue as admins keep it: categories with their time limits, default level and
//! owning departments (权责清单), and the working calendar of public holidays and make-up workdays.
//! Changes apply to deadlines set from then on; running deadlines keep the time they were given.

pub mod api;
pub mod calendar_page;
pub mod categories_page;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
