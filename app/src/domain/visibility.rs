//! Who sees which event, and which of its fields: the one rule behind the event page, its photos,
//! the live feed, the command map and the "already reported nearby?" check.
//!
//! Least privilege, decided here:
//! - the people handling an event — the command role of the unit holding it, the assignee
//!   (a department's staff or one person) and co-handling departments — see all of it, the
//!   reporter's name and phone included;
//! - cadres with the org in view (county supervisor, township dispatcher, village cadre, grid
//!   worker, administrator) see events of their subtree to supervise them, with the reporter's
//!   name and phone masked;
//! - department staff see only events given to their department (assigned or co-handling);
//! - party members and residents see their own reports and those they joined ("me too"; the
//!   first reporter stays masked to them), and an event assigned to them in person;
//! - everyone else: the event does not exist for them.

use serde::{Deserialize, Serialize};

use super::event::{commander_role, Actor, Assignee, EventFacts};
use super::identity::{mask_name, mask_phone};
use super::org::path_within;
use super::roles::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Access {
    /// Not there, as far as this viewer can tell.
    Hidden,
    /// Oversight from above or beside: the event, with the reporter masked.
    Watch,
    /// The viewer joined someone else's report ("me too"): they follow it, the first
    /// reporter stays masked to them.
    Joined,
    /// The viewer reported it.
    Reporter,
    /// The viewer's unit or department is handling it.
    Handle,
}

impl Access {
    pub fn sees(self) -> bool {
        self != Access::Hidden
    }

    /// The reporter's name and phone in clear: for those handling it and the reporter themselves.
    pub fn sees_reporter(self) -> bool {
        matches!(self, Access::Handle | Access::Reporter)
    }
}

/// Roles that oversee the events of their subtree.
fn oversees(role: Role) -> bool {
    matches!(
        role,
        Role::Admin
            | Role::CountySupervisor
            | Role::TownshipDispatcher
            | Role::VillageCadre
            | Role::GridWorker
    )
}

fn handles(a: &Actor, e: &EventFacts) -> bool {
    if a.is_system() {
        return false;
    }
    let holder = e.holder_path();
    let commands = a.role == commander_role(e.level) && a.unit_path == holder;
    let assigned = match e.assignee {
        Some(Assignee::Department(d)) => {
            a.role == Role::DepartmentStaff && a.department_id == Some(d)
        }
        Some(Assignee::User(u)) => a.user_id == u,
        None => false,
    };
    let co = a.role == Role::DepartmentStaff
        && a.department_id.is_some_and(|d| e.co_handlers.contains(&d));
    commands || assigned || co
}

/// What `a` may see of `e`.
pub fn event_access(a: &Actor, e: &EventFacts) -> Access {
    if a.is_system() {
        return Access::Handle;
    }
    if handles(a, e) {
        return Access::Handle;
    }
    if e.reporter_id == Some(a.user_id) {
        return Access::Reporter;
    }
    if e.co_reporters.contains(&a.user_id) {
        return Access::Joined;
    }
    if oversees(a.role) && !a.unit_path.is_empty() && path_within(&e.grid_path, &a.unit_path) {
        return Access::Watch;
    }
    Access::Hidden
}

/// The reporter as this viewer may see them: (name, phone).
pub fn reporter_fields(access: Access, name: &str, phone: &str) -> (String, String) {
    if access.sees_reporter() {
        (name.to_string(), phone.to_string())
    } else {
        (mask_name(name), mask_phone(phone))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::{allowed, State};
    use crate::domain::org::OrgLevel;
    use proptest::prelude::*;

    fn actor(user_id: i64, role: Role, unit_path: &str, dept: Option<i64>) -> Actor {
        Actor {
            user_id,
            role,
            unit_path: unit_path.into(),
            department_id: dept,
        }
    }

    fn event(level: OrgLevel, assignee: Option<Assignee>, co: Vec<i64>) -> EventFacts {
        EventFacts {
            state: State::Handling,
            assignee,
            co_handlers: co,
            ..EventFacts::reported(level, "/1/7/42/99/", Some(500))
        }
    }

    #[test]
    fn departments_see_only_what_they_were_given() {
        let e = event(OrgLevel::Township, Some(Assignee::Department(3)), vec![4]);
        let mine = actor(10, Role::DepartmentStaff, "/1/7/", Some(3));
        let co = actor(11, Role::DepartmentStaff, "/1/7/", Some(4));
        let other = actor(12, Role::DepartmentStaff, "/1/7/", Some(5));
        assert_eq!(event_access(&mine, &e), Access::Handle);
        assert_eq!(event_access(&co, &e), Access::Handle);
        assert_eq!(event_access(&other, &e), Access::Hidden);
    }

    #[test]
    fn party_members_and_residents_see_their_own_reports_only() {
        let e = event(OrgLevel::Township, Some(Assignee::Department(3)), vec![]);
        let member = actor(20, Role::PartyMember, "/1/7/42/99/", None);
        let resident = actor(21, Role::Resident, "/1/7/42/99/", None);
        let reporter = actor(500, Role::Resident, "/1/7/42/99/", None);
        assert_eq!(event_access(&member, &e), Access::Hidden);
        assert_eq!(event_access(&resident, &e), Access::Hidden);
        assert_eq!(event_access(&reporter, &e), Access::Reporter);
        assert!(event_access(&reporter, &e).sees_reporter());
    }

    #[test]
    fn who_joined_a_report_follows_it_like_its_reporter() {
        let mut e = event(OrgLevel::Township, None, vec![]);
        let neighbour = actor(22, Role::Resident, "/1/7/42/99/", None);
        assert_eq!(event_access(&neighbour, &e), Access::Hidden);
        e.co_reporters.push(22);
        assert_eq!(event_access(&neighbour, &e), Access::Joined);
        assert!(
            !Access::Joined.sees_reporter(),
            "the first reporter stays masked to them"
        );
    }

    #[test]
    fn cadres_above_watch_with_the_reporter_masked() {
        let e = event(OrgLevel::Township, Some(Assignee::Department(3)), vec![]);
        let town = actor(30, Role::TownshipDispatcher, "/1/7/", None);
        let county = actor(31, Role::CountySupervisor, "/1/", None);
        let village = actor(32, Role::VillageCadre, "/1/7/42/", None);
        let other_town = actor(33, Role::TownshipDispatcher, "/1/8/", None);
        let admin = actor(34, Role::Admin, "/1/", None);
        assert_eq!(event_access(&town, &e), Access::Handle);
        assert_eq!(event_access(&county, &e), Access::Watch);
        assert_eq!(event_access(&village, &e), Access::Watch);
        assert_eq!(event_access(&admin, &e), Access::Watch);
        assert_eq!(event_access(&other_town, &e), Access::Hidden);
        let (name, phone) = reporter_fields(Access::Watch, "张三丰", "13800138000");
        assert_eq!((name.as_str(), phone.as_str()), ("张**", "138****8000"));
        let (name, phone) = reporter_fields(Access::Handle, "张三丰", "13800138000");
        assert_eq!((name.as_str(), phone.as_str()), ("张三丰", "13800138000"));
    }

    fn roles() -> impl Strategy<Value = Role> {
        prop::sample::select(Role::ALL.to_vec())
    }

    fn paths() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "/1/",
            "/1/7/",
            "/1/8/",
            "/1/7/42/",
            "/1/7/43/",
            "/1/7/42/99/",
            "/1/7/42/98/",
        ])
        .prop_map(str::to_string)
    }

    fn facts() -> impl Strategy<Value = EventFacts> {
        (
            prop::sample::select(State::ALL.to_vec()),
            prop::sample::select(vec![
                OrgLevel::County,
                OrgLevel::Township,
                OrgLevel::Village,
                OrgLevel::Grid,
            ]),
            prop::sample::select(vec!["/1/7/42/99/", "/1/7/43/97/", "/1/8/50/60/"]),
            prop::option::of(prop_oneof![
                (1i64..4).prop_map(Assignee::Department),
                (1i64..6).prop_map(Assignee::User),
            ]),
            prop::collection::vec(1i64..4, 0..2),
            prop::option::of(1i64..6),
            prop::collection::vec(1i64..6, 0..2),
        )
            .prop_map(
                |(state, level, grid, assignee, co, reporter, joined)| EventFacts {
                    state,
                    assignee,
                    co_handlers: co,
                    co_reporters: joined,
                    ..EventFacts::reported(level, grid, reporter)
                },
            )
    }

    fn actors() -> impl Strategy<Value = Actor> {
        (1i64..6, roles(), paths(), prop::option::of(1i64..4)).prop_map(|(u, r, p, d)| Actor {
            user_id: u,
            role: r,
            unit_path: p,
            department_id: d.filter(|_| r == Role::DepartmentStaff),
        })
    }

    proptest! {
        /// Whoever may act on an event can see it: no action is offered on something hidden.
        #[test]
        fn acting_implies_seeing(a in actors(), e in facts()) {
            if !allowed(&a, &e).is_empty() {
                prop_assert!(event_access(&a, &e).sees());
            }
        }

        /// Residents and party members never see an event of someone else that is not theirs
        /// to handle, and no one sees outside their subtree unless it was given to them.
        #[test]
        fn never_wider_than_the_roles_need(a in actors(), e in facts()) {
            let access = event_access(&a, &e);
            let given = match e.assignee {
                Some(Assignee::User(u)) => u == a.user_id,
                Some(Assignee::Department(d)) => a.role == Role::DepartmentStaff && a.department_id == Some(d),
                None => false,
            } || (a.role == Role::DepartmentStaff && a.department_id.is_some_and(|d| e.co_handlers.contains(&d)));
            let own = e.reported_by(a.user_id);
            if matches!(a.role, Role::Resident | Role::PartyMember | Role::DepartmentStaff) {
                prop_assert_eq!(access.sees(), own || given);
            }
            if !path_within(&e.grid_path, &a.unit_path) && !own && !given {
                prop_assert_eq!(access, Access::Hidden);
            }
            if access.sees_reporter() {
                prop_assert!(e.reporter_id == Some(a.user_id) || given || (a.role == commander_role(e.level) && a.unit_path == e.holder_path()));
            }
        }
    }
}
