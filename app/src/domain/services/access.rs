//! Who may do what at a service point: the one rule behind the services pages and their server
//! functions. A point serves the area below its unit (a village's 代办点 its village, the
//! township's 便民服务中心 the township): anyone living or working there may book; the command
//! roles of the point's unit or above run it; the county oversees.

use crate::domain::org::path_within;
use crate::domain::roles::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PointAccess {
    /// Not there, as far as this caller can tell.
    Hidden,
    /// Books a place for themselves.
    Book,
    /// Sees the slots and how full they are, not who booked.
    Oversee,
    /// Publishes slots, sees who booked, marks attendance.
    Manage,
}

impl PointAccess {
    pub fn sees(self) -> bool {
        self != PointAccess::Hidden
    }
}

pub fn point_access(role: Role, caller_path: &str, point_path: &str) -> PointAccess {
    // The point lies in the caller's subtree: the caller's own unit or one below it.
    let runs = path_within(point_path, caller_path);
    // The caller lives or works in the area the point serves.
    let served = path_within(caller_path, point_path);
    match role {
        Role::Admin | Role::TownshipDispatcher | Role::VillageCadre if runs => PointAccess::Manage,
        Role::CountySupervisor if runs => PointAccess::Oversee,
        _ if served => PointAccess::Book,
        _ => PointAccess::Hidden,
    }
}

/// The roles that have a service desk to run (the menu offers them `/services/desk`).
pub fn runs_desks(role: Role) -> bool {
    matches!(
        role,
        Role::Admin | Role::TownshipDispatcher | Role::VillageCadre | Role::CountySupervisor
    )
}
