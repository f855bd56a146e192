//! Who sees a branch's meetings, and who runs them: the one rule behind the meeting pages,
//! the check-in and the compliance matrix.
//!
//! - the branch's secretary — a village cadre whose village holds the branch — plans, closes
//!   and records absences for its meetings (an administrator may too);
//! - the township and county (and the administrator) oversee the meetings of their subtree;
//! - a party member sees the meetings of their own branch and checks in to them;
//! - everyone else: the meeting does not exist for them.

use serde::{Deserialize, Serialize};

use crate::domain::org::path_within;
use crate::domain::roles::Role;
use crate::domain::scope::Caller;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MeetingAccess {
    Hidden,
    /// A member of the branch: sees it and checks in.
    Attend,
    /// Oversight from above: sees it and its attendance.
    Watch,
    /// The secretary: plans, records absences, closes.
    Manage,
}

/// The viewer as far as branch life goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingViewer<'a> {
    pub role: Role,
    pub unit_path: &'a str,
    /// The branch the viewer is a member of, if they are a party member.
    pub member_branch: Option<i64>,
}

impl<'a> MeetingViewer<'a> {
    pub fn of(c: &'a Caller, member_branch: Option<i64>) -> MeetingViewer<'a> {
        MeetingViewer {
            role: c.role,
            unit_path: &c.unit_path,
            member_branch,
        }
    }
}

pub fn meeting_access(v: &MeetingViewer, branch_id: i64, branch_path: &str) -> MeetingAccess {
    let within = !v.unit_path.is_empty() && path_within(branch_path, v.unit_path);
    match v.role {
        Role::Admin | Role::VillageCadre if within => MeetingAccess::Manage,
        Role::CountySupervisor | Role::TownshipDispatcher if within => MeetingAccess::Watch,
        _ if v.member_branch == Some(branch_id) => MeetingAccess::Attend,
        _ => MeetingAccess::Hidden,
    }
}
