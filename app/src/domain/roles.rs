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

/// A page in the menu: its path and its label's key under `nav.`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NavItem {
    pub path: &'static str,
    pub key: &'static str,
}

const fn item(path: &'static str, key: &'static str) -> NavItem {
    NavItem { path, key }
}

const REPORT: NavItem = item("/report", "report");
const MINE: NavItem = item("/my", "mine");
const ME: NavItem = item("/me", "me");
const CONSOLE: NavItem = item("/console", "console");
const OVERDUE: NavItem = item("/overdue", "overdue");
const MAP: NavItem = item("/map", "map");
const KPI: NavItem = item("/kpi", "kpi");
const SCORES: NavItem = item("/scores", "scores");
const SCREEN: NavItem = item("/screen", "screen");
const ORG: NavItem = item("/org", "org");
const PARTY: NavItem = item("/party", "party");
const WISHES: NavItem = item("/wishes", "wishes");
const SERVICES: NavItem = item("/services", "services");
const PROXY: NavItem = item("/services/proxy", "proxy");
const ARCHIVE: NavItem = item("/archive", "archive");

impl Role {
    /// Where this role's work starts: the page a sign-in lands on and `/` points to.
    pub fn home(self) -> &'static str {
        match self {
            Role::Resident | Role::PartyMember => "/my",
            Role::Admin => "/org",
            Role::CountySupervisor
            | Role::TownshipDispatcher
            | Role::DepartmentStaff
            | Role::VillageCadre
            | Role::GridWorker => "/console",
        }
    }

    /// The menu: only pages this role can use, its own work first.
    pub fn menu(self) -> &'static [NavItem] {
        match self {
            Role::Resident => &[MINE, REPORT, SERVICES, WISHES, ME],
            Role::PartyMember => &[MINE, PARTY, WISHES, SERVICES, REPORT, SCORES, ME],
            Role::GridWorker => &[
                CONSOLE, REPORT, OVERDUE, ARCHIVE, PROXY, MAP, SCORES, ORG, MINE,
            ],
            Role::DepartmentStaff => &[CONSOLE, OVERDUE, MAP, KPI],
            Role::VillageCadre => &[
                CONSOLE, REPORT, OVERDUE, ARCHIVE, MAP, KPI, SCORES, PARTY, WISHES, SERVICES, ORG,
            ],
            Role::TownshipDispatcher | Role::CountySupervisor => &[
                CONSOLE, REPORT, OVERDUE, ARCHIVE, MAP, KPI, SCORES, PARTY, SERVICES, SCREEN, ORG,
            ],
            Role::Admin => &[
                ORG, CONSOLE, OVERDUE, ARCHIVE, MAP, KPI, SCORES, PARTY, SCREEN,
            ],
        }
    }
}

/// The menu for a visitor.
pub const VISITOR_MENU: &[NavItem] = &[REPORT];

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
    fn each_role_lands_on_its_work_and_is_offered_only_its_pages() {
        assert_eq!(Role::Resident.home(), "/my");
        assert_eq!(Role::TownshipDispatcher.home(), "/console");
        for r in Role::ALL {
            assert!(r.menu().iter().any(|i| i.path == r.home()), "{r:?}");
        }
        // Residents are not offered staff pages (the command room would answer 403).
        for i in Role::Resident.menu() {
            assert!(!["/console", "/overdue", "/map", "/kpi", "/org", "/screen"].contains(&i.path));
        }
        assert!(!Role::DepartmentStaff
            .menu()
            .iter()
            .any(|i| i.path == "/org"));
    }

    #[test]
    fn the_archive_is_offered_to_those_who_open_households() {
        for r in Role::ALL {
            let offered = r.menu().iter().any(|i| i.path == "/archive");
            assert_eq!(
                offered,
                crate::domain::archive::opens_households(r),
                "{r:?}"
            );
        }
    }

    #[test]
    fn residents_see_only_their_own() {
        assert!(!Role::Resident.can(Capability::ViewOrg));
        assert!(Role::Resident.can(Capability::ViewOwnRecords));
        assert!(!Role::GridWorker.can(Capability::EditOrg));
        assert!(Role::Admin.can(Capability::EditOrg));
    }
}
