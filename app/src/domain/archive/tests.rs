use proptest::prelude::*;

use super::*;
use crate::domain::roles::Role;

#[test]
fn a_grid_worker_of_another_grid_does_not_see_the_household() {
    assert_eq!(
        household_sight(Role::GridWorker, "/1/2/3/4/", "/1/2/3/4/"),
        Sight::Unmask
    );
    assert_eq!(
        household_sight(Role::GridWorker, "/1/2/3/5/", "/1/2/3/4/"),
        Sight::Hidden
    );
    assert_eq!(
        household_sight(Role::TownshipDispatcher, "/1/2/", "/1/2/3/4/"),
        Sight::Unmask
    );
    assert_eq!(
        household_sight(Role::TownshipDispatcher, "/1/9/", "/1/2/3/4/"),
        Sight::Hidden
    );
    assert_eq!(
        household_sight(Role::CountySupervisor, "/1/", "/1/2/3/4/"),
        Sight::Masked
    );
    assert_eq!(
        household_sight(Role::DepartmentStaff, "/1/", "/1/2/3/4/"),
        Sight::Hidden
    );
    assert_eq!(
        household_sight(Role::Resident, "/1/2/3/4/", "/1/2/3/4/"),
        Sight::Hidden
    );
    assert!(opens_households(Role::Admin) && !opens_households(Role::PartyMember));
}

#[test]
fn a_reason_is_words() {
    assert_eq!(check_reason("  "), Err("required"));
    assert_eq!(check_reason("核实"), Err("too_short"));
    assert_eq!(check_reason(" 上门核实身份 "), Ok("上门核实身份"));
    assert_eq!(check_reason(&"字".repeat(201)), Err("too_long"));
    assert_eq!(Field::parse("phone"), Some(Field::Phone));
    assert_eq!(Field::parse("name"), None);
    assert_eq!(hour_of(7199), 1);
    assert_eq!(hour_of(-1), -1);
}

fn role() -> impl Strategy<Value = Role> {
    proptest::sample::select(Role::ALL.to_vec())
}

proptest! {
    /// Nobody sees a household outside their subtree, and only the three caring roles unmask.
    #[test]
    fn sight_follows_the_subtree_and_the_role(r in role(), a in 1i64..4, b in 1i64..4, deep in any::<bool>()) {
        let caller = format!("/1/{a}/");
        let grid = if deep { format!("/1/{b}/7/8/") } else { format!("/1/{b}/") };
        let s = household_sight(r, &caller, &grid);
        if a != b {
            prop_assert_eq!(s, Sight::Hidden);
        }
        if s == Sight::Unmask {
            prop_assert!(matches!(r, Role::GridWorker | Role::VillageCadre | Role::TownshipDispatcher));
        }
    }
}
