use serde::{Deserialize, Serialize};

use crate::features::events::types::Category;

/// A category with what the responsibility list says about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogEntry {
    pub category: Category,
    pub active: bool,
    pub township_department: String,
    pub county_department: String,
    /// Events not yet closed in this category (their deadlines do not move on a change).
    pub open_events: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    pub entries: Vec<CatalogEntry>,
    /// Department names that exist at township level and at county level, for the pickers.
    pub township_departments: Vec<String>,
    pub county_departments: Vec<String>,
}

/// A day the calendar sets apart from the plain week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CalendarEntry {
    /// `YYYY-MM-DD`
    pub day: String,
    /// `holiday` or `workday` (a make-up workday).
    pub kind: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarYear {
    pub year: i32,
    pub entries: Vec<CalendarEntry>,
    /// Years that have entries, for the year switcher.
    pub years: Vec<i32>,
}
