//! Roles and what each may do. Where a role may act is a separate question (see `scope`).

use serde::{Deserialize, Serialize};

use super::org::OrgLevel;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Admin,
    CountySupervisor,
    TownshipDispatcher,
    DepartmentStaff,
    VillageCadre,
    GridWorker,
    PartyMember,
    Resident,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Capability {
    /// Browse the org tree, the map and grid ledgers.
    ViewOrg,
    /// Rename units and correct ledgers.
    EditOrg,
    /// Read one's own records.
    ViewOwnRecords,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Admin,
        Role::CountySupervisor,
        Role::TownshipDispatcher,
        Role::DepartmentStaff,
        Role::VillageCadre,
        Role::GridWorker,
        Role::PartyMember,
        Role::Resident,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::CountySupervisor => "county_supervisor",
            Role::TownshipDispatcher => "township_dispatcher",
            Role::DepartmentStaff => "department_staff",
            Role::VillageCadre => "village_cadre",
            Role::GridWorker => "grid_worker",
            Role::PartyMember => "party_member",
            Role::Resident => "resident",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The org level an account of this role hangs from; None where any level fits.
    pub fn home_level(self) -> Option<OrgLevel> {
        match self {
            Role::Admin | Role::DepartmentStaff => None,
            Role::CountySupervisor => Some(OrgLevel::County),
            Role::TownshipDispatcher => Some(OrgLevel::Township),
            Role::VillageCadre => Some(OrgLevel::Village),
            Role::GridWorker | Role::PartyMember | Role::Resident => Some(OrgLevel::Grid),
        }
    }

    /// Least privilege: residents see only their own records, never the network.
    pub fn can(self, cap: Capability) -> bool {
        match cap {
            Capability::ViewOwnRecords => true,
            Capability::ViewOrg => self != Role::Resident,
            Capability::EditOrg => matches!(
                self,
                Role::Admin | Role::TownshipDispatcher | Role::VillageCadre
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn residents_see_only_their_own() {
        assert!(!Role::Resident.can(Capability::ViewOrg));
        assert!(Role::Resident.can(Capability::ViewOwnRecords));
        assert!(!Role::GridWorker.can(Capability::EditOrg));
        assert!(Role::Admin.can(Capability::EditOrg));
    }
}
