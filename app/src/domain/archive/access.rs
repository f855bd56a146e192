//! Least privilege over households. Outside the caller's own subtree a household does not exist
//! for them (a grid worker of another grid gets "not found"); inside it, the staff who look after
//! people — the grid's workers, the village cadres, the township's dispatchers — read the
//! household with identifiers masked and may unmask one with a reason; the county's supervisors
//! and the administrator read it masked only; departments, party members and residents do not
//! open households here (a resident reads their own on `/me`).

use serde::{Deserialize, Serialize};

use crate::domain::org::path_within;
use crate::domain::roles::Role;

/// What a caller may do with a household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Sight {
    /// As if it did not exist.
    Hidden,
    /// Read, identifiers masked.
    Masked,
    /// Read, and unmask an identifier with a reason.
    Unmask,
}

pub fn household_sight(role: Role, caller_path: &str, grid_path: &str) -> Sight {
    if !path_within(grid_path, caller_path) {
        return Sight::Hidden;
    }
    match role {
        Role::GridWorker | Role::VillageCadre | Role::TownshipDispatcher => Sight::Unmask,
        Role::CountySupervisor | Role::Admin => Sight::Masked,
        Role::DepartmentStaff | Role::PartyMember | Role::Resident => Sight::Hidden,
    }
}

/// Whether the role opens households at all (the archive's menu entry).
pub fn opens_households(role: Role) -> bool {
    household_sight(role, "/", "/") != Sight::Hidden
}

/// Unmaskings a person may make in one clock hour: enough for a visit's work, too few to copy
/// the archive out.
pub const UNMASK_PER_HOUR: i64 = 20;

/// The identifiers that are masked by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Field {
    IdNumber,
    Phone,
}

impl Field {
    pub fn parse(s: &str) -> Option<Field> {
        match s {
            "id_number" => Some(Field::IdNumber),
            "phone" => Some(Field::Phone),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Field::IdNumber => "id_number",
            Field::Phone => "phone",
        }
    }

    /// The sealed column it is stored in (`crypto::FIELDS`).
    pub fn column(self) -> &'static str {
        match self {
            Field::IdNumber => "residents.id_number",
            Field::Phone => "residents.phone",
        }
    }
}

/// A reason for unmasking: said in words (4 to 200 characters), kept with the access.
pub fn check_reason(reason: &str) -> Result<&str, &'static str> {
    let r = reason.trim();
    match r.chars().count() {
        0 => Err("required"),
        1..=3 => Err("too_short"),
        4..=200 => Ok(r),
        _ => Err("too_long"),
    }
}

/// The clock hour of an instant (the quota's window).
pub fn hour_of(t: i64) -> i64 {
    t.div_euclid(3600)
}
