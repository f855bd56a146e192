use proptest::prelude::*;

use super::*;
use crate::domain::roles::Role;

const GRID: &str = "/1/7/42/99/";
const OTHER_GRID_SAME_VILLAGE: &str = "/1/7/42/100/";
const OTHER_VILLAGE: &str = "/1/7/43/";

fn viewer(user_id: i64, role: Role, unit: &str) -> WishViewer {
    WishViewer {
        user_id,
        role,
        unit_path: unit.into(),
        home_path: None,
        member: None,
    }
}

fn resident(user_id: i64, home: &str) -> WishViewer {
    WishViewer {
        home_path: Some(home.into()),
        ..viewer(user_id, Role::Resident, home)
    }
}

fn member(user_id: i64, member_id: i64, branch: &str) -> WishViewer {
    WishViewer {
        member: Some((member_id, branch.into())),
        ..resident(user_id, branch)
    }
}

fn wish(claimer: Option<i64>) -> WishFacts<'static> {
    WishFacts {
        path: GRID,
        poster: 1,
        claimer,
    }
}

#[test]
fn states_and_actions_round_trip() {
    for s in WishState::ALL {
        assert_eq!(WishState::parse(s.as_str()), Some(s));
    }
    for a in WishAction::ALL {
        assert_eq!(WishAction::parse(a.as_str()), Some(a));
    }
    assert_eq!(WishState::parse("done"), None);
    assert!(WishState::Fulfilled.active() && !WishState::Confirmed.active());
    assert!(!WishState::Withdrawn.on_wall() && WishState::Confirmed.on_wall());
}

#[test]
fn a_wish_comes_true_in_three_steps_by_three_hands() {
    let s = wish_step(WishState::Open, WishAccess::Member, WishAction::Claim).unwrap();
    assert_eq!(s, WishState::Claimed);
    let s = wish_step(s, WishAccess::Claimer, WishAction::Fulfil).unwrap();
    assert_eq!(s, WishState::Fulfilled);
    assert_eq!(
        wish_step(s, WishAccess::Poster, WishAction::NotYet),
        Ok(WishState::Claimed)
    );
    assert_eq!(
        wish_step(s, WishAccess::Poster, WishAction::Confirm),
        Ok(WishState::Confirmed)
    );
}

#[test]
fn wrong_hands_and_stale_states_are_refused() {
    // Only the poster confirms; only a member claims (the poster cannot claim their own).
    assert_eq!(
        wish_step(
            WishState::Fulfilled,
            WishAccess::Claimer,
            WishAction::Confirm
        ),
        Err(WishError::NotYours)
    );
    assert_eq!(
        wish_step(WishState::Open, WishAccess::Poster, WishAction::Claim),
        Err(WishError::NotYours)
    );
    assert_eq!(
        wish_step(WishState::Open, WishAccess::Oversee, WishAction::Claim),
        Err(WishError::NotYours)
    );
    // A second member racing for a claimed wish is told it moved on.
    assert_eq!(
        wish_step(WishState::Claimed, WishAccess::Member, WishAction::Claim),
        Err(WishError::WrongState)
    );
    assert_eq!(
        wish_step(WishState::Claimed, WishAccess::Poster, WishAction::Withdraw),
        Err(WishError::WrongState)
    );
    assert_eq!(WishError::WrongState.reason(), "wish_moved_on");
}

#[test]
fn who_is_who_to_a_wish() {
    assert_eq!(
        wish_access(&resident(1, GRID), &wish(None)),
        WishAccess::Poster
    );
    assert_eq!(
        wish_access(&resident(2, OTHER_GRID_SAME_VILLAGE), &wish(None)),
        WishAccess::Wall
    );
    assert_eq!(
        wish_access(&resident(3, OTHER_VILLAGE), &wish(None)),
        WishAccess::Hidden
    );
    assert_eq!(
        wish_access(&member(4, 40, "/1/7/42/"), &wish(None)),
        WishAccess::Member
    );
    assert_eq!(
        wish_access(&member(4, 40, "/1/7/42/"), &wish(Some(40))),
        WishAccess::Claimer
    );
    // A member of another village's branch who lives here sees the wall only.
    let neighbour = WishViewer {
        home_path: Some(OTHER_GRID_SAME_VILLAGE.into()),
        ..member(5, 50, OTHER_VILLAGE)
    };
    assert_eq!(wish_access(&neighbour, &wish(None)), WishAccess::Wall);
    assert_eq!(
        wish_access(&viewer(6, Role::TownshipDispatcher, "/1/7/"), &wish(None)),
        WishAccess::Oversee
    );
    assert_eq!(
        wish_access(&viewer(7, Role::GridWorker, "/1/7/43/5/"), &wish(None)),
        WishAccess::Hidden
    );
    assert_eq!(
        wish_access(&viewer(8, Role::DepartmentStaff, "/1/"), &wish(None)),
        WishAccess::Hidden
    );
    assert!(WishAccess::Oversee.sees_poster() && !WishAccess::Wall.sees_poster());
}

#[test]
fn walls() {
    assert_eq!(wall_path(&resident(1, GRID)).as_deref(), Some("/1/7/42/"));
    assert_eq!(
        wall_path(&member(4, 40, OTHER_VILLAGE)).as_deref(),
        Some(OTHER_VILLAGE)
    );
    assert_eq!(
        wall_path(&viewer(6, Role::CountySupervisor, "/1/")).as_deref(),
        Some("/1/")
    );
    assert_eq!(wall_path(&viewer(9, Role::Resident, "")), None);
}

#[test]
fn wish_text_is_checked() {
    assert!(validate_wish("修一下门口的路灯", "").is_ok());
    assert_eq!(validate_wish("  ", ""), Err(("wish_title", "required")));
    assert_eq!(
        validate_wish("灯", ""),
        Err(("wish_title", "wish_title_length"))
    );
    assert_eq!(
        validate_wish(&"字".repeat(41), ""),
        Err(("wish_title", "wish_title_length"))
    );
    assert_eq!(
        validate_wish("想要一本字典", &"字".repeat(MAX_DETAIL_CHARS + 1)),
        Err(("wish_detail", "too_long"))
    );
}

fn any_access() -> impl Strategy<Value = WishAccess> {
    prop::sample::select(vec![
        WishAccess::Hidden,
        WishAccess::Wall,
        WishAccess::Oversee,
        WishAccess::Member,
        WishAccess::Claimer,
        WishAccess::Poster,
    ])
}

proptest! {
    /// Whatever anyone tries in whatever order: only listed actions change anything, finished
    /// wishes stay finished, and points-bearing confirmation only ever follows a fulfilment.
    #[test]
    fn any_sequence_keeps_the_rules(
        tries in prop::collection::vec((any_access(), prop::sample::select(WishAction::ALL.to_vec())), 0..30)
    ) {
        let mut s = WishState::Open;
        for (who, what) in tries {
            let offered = wish_actions(s, who).contains(&what);
            match wish_step(s, who, what) {
                Ok(next) => {
                    prop_assert!(offered);
                    prop_assert!(s.active());
                    if next == WishState::Confirmed {
                        prop_assert_eq!(s, WishState::Fulfilled);
                        prop_assert_eq!(who, WishAccess::Poster);
                    }
                    s = next;
                }
                Err(_) => prop_assert!(!offered),
            }
            if !s.active() {
                for a in [WishAccess::Poster, WishAccess::Claimer, WishAccess::Member] {
                    prop_assert!(wish_actions(s, a).is_empty());
                }
            }
        }
    }
}
