use serde::{Deserialize, Serialize};

use crate::domain::roles::Role;

/// The trades a job is filed under (and a resident filters by).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Trade {
    Construction,
    Manufacturing,
    Catering,
    Logistics,
    Care,
    Farming,
    Ecommerce,
    Other,
}

impl Trade {
    pub const ALL: [Trade; 8] = [
        Trade::Construction,
        Trade::Manufacturing,
        Trade::Catering,
        Trade::Logistics,
        Trade::Care,
        Trade::Farming,
        Trade::Ecommerce,
        Trade::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Trade::Construction => "construction",
            Trade::Manufacturing => "manufacturing",
            Trade::Catering => "catering",
            Trade::Logistics => "logistics",
            Trade::Care => "care",
            Trade::Farming => "farming",
            Trade::Ecommerce => "ecommerce",
            Trade::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Trade> {
        Trade::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// Who posts jobs and reads the demand picture: the county (its supervisor and departments,
/// the human resources bureau among them) and the townships.
pub fn may_post(role: Role) -> bool {
    matches!(
        role,
        Role::Admin | Role::CountySupervisor | Role::DepartmentStaff | Role::TownshipDispatcher
    )
}

pub const MAX_HEADCOUNT: i64 = 10_000;
/// Monthly wage bounds in yuan.
pub const MAX_WAGE: i64 = 200_000;
/// A posting runs at most this many days.
pub const MAX_DAYS: i64 = 180;

/// What a posting must be: (field, reason) for the form.
pub fn validate_job(
    title: &str,
    employer: &str,
    wage_low: i64,
    wage_high: i64,
    headcount: i64,
    days: i64,
) -> Result<(), (&'static str, &'static str)> {
    let t = title.trim();
    if t.is_empty() {
        return Err(("job_title", "required"));
    }
    if t.chars().count() > 60 {
        return Err(("job_title", "too_long"));
    }
    if employer.trim().is_empty() {
        return Err(("employer", "required"));
    }
    if employer.trim().chars().count() > 60 {
        return Err(("employer", "too_long"));
    }
    if !(0..=MAX_WAGE).contains(&wage_low) || !(0..=MAX_WAGE).contains(&wage_high) {
        return Err(("wage_low", "out_of_range"));
    }
    if wage_high < wage_low {
        return Err(("wage_high", "wage_order"));
    }
    if !(1..=MAX_HEADCOUNT).contains(&headcount) {
        return Err(("headcount", "out_of_range"));
    }
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(("job_days", "out_of_range"));
    }
    Ok(())
}

/// A job is for the residents of the county it was posted in.
pub fn sees_job(caller_path: &str, county_path: &str) -> bool {
    crate::domain::org::path_within(caller_path, county_path)
}

/// The area whose demand picture the caller reads (and where their postings come from): the
/// county for the county's accounts, their township for a township's; None for everyone else.
pub fn demand_area(role: Role, caller_path: &str) -> Option<String> {
    use crate::domain::org::{ancestor_path, OrgLevel};
    if !may_post(role) {
        return None;
    }
    if role == Role::Admin || role == Role::CountySupervisor {
        return ancestor_path(caller_path, OrgLevel::County);
    }
    area_of(caller_path)
}

/// The demand area a place lies in: its township, or its county above the townships (the
/// large screen of a scope shows this area's figures).
pub fn area_of(path: &str) -> Option<String> {
    use crate::domain::org::{ancestor_path, OrgLevel};
    ancestor_path(path, OrgLevel::Township).or_else(|| ancestor_path(path, OrgLevel::County))
}

/// How the demand cells of an area are keyed: its county and, for a township, the township's id.
pub fn cell_keys(area: &str) -> Option<(String, Option<i64>)> {
    use crate::domain::org::{ancestor_path, path_ids, OrgLevel};
    let county = ancestor_path(area, OrgLevel::County)?;
    let township = (county != area)
        .then(|| path_ids(area).last().copied())
        .flatten();
    Some((county, township))
}
