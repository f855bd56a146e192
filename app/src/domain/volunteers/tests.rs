use proptest::prelude::*;

use super::*;

fn open(limit: i64, signed: i64) -> ActivityFacts {
    ActivityFacts {
        state: ActivityState::Open,
        starts_at: 10_000,
        ends_at: 10_000 + 7200,
        limit,
        signed,
    }
}

#[test]
fn the_last_place_goes_and_then_the_activity_is_full() {
    assert_eq!(may_sign_up(&open(3, 2), None, 0), Ok(()));
    assert_eq!(may_sign_up(&open(3, 3), None, 0), Err(Refusal::Full));
    assert_eq!(
        may_sign_up(&open(3, 1), Some(SignupState::Signed), 0),
        Err(Refusal::AlreadySigned)
    );
    // Withdrawn, they may come back while there is room.
    assert_eq!(
        may_sign_up(&open(3, 1), Some(SignupState::Withdrawn), 0),
        Ok(())
    );
    // On the spot while it runs, not once it is over.
    assert_eq!(may_sign_up(&open(3, 0), None, 10_000), Ok(()));
    assert_eq!(
        may_sign_up(&open(3, 0), None, 10_000 + 7200),
        Err(Refusal::Over)
    );
    let closed = ActivityFacts {
        state: ActivityState::Closed,
        ..open(3, 0)
    };
    assert_eq!(may_sign_up(&closed, None, 0), Err(Refusal::Closed));
}

#[test]
fn withdrawing_only_a_place_held_and_only_before_the_start() {
    let a = open(3, 1);
    assert_eq!(may_withdraw(&a, Some(SignupState::Signed), 9_999), Ok(()));
    assert_eq!(
        may_withdraw(&a, Some(SignupState::Signed), 10_000),
        Err(Refusal::Started)
    );
    assert_eq!(may_withdraw(&a, None, 0), Err(Refusal::NotSigned));
    assert_eq!(
        may_withdraw(&a, Some(SignupState::CheckedIn), 0),
        Err(Refusal::NotSigned)
    );
}

#[test]
fn check_in_needs_a_place_the_window_and_the_code() {
    let a = open(3, 1);
    let s = Some(SignupState::Signed);
    let (from, until) = checkin_window(a.starts_at, a.ends_at);
    assert_eq!(from, a.starts_at - CHECKIN_EARLY_SECS);
    assert_eq!(may_check_in(&a, s, true, from - 1), Err(Refusal::NotNow));
    assert_eq!(may_check_in(&a, s, true, from), Ok(()));
    assert_eq!(may_check_in(&a, s, true, until), Ok(()));
    assert_eq!(may_check_in(&a, s, true, until + 1), Err(Refusal::NotNow));
    assert_eq!(may_check_in(&a, s, false, from), Err(Refusal::WrongCode));
    assert_eq!(may_check_in(&a, None, true, from), Err(Refusal::NotSigned));
    assert_eq!(
        may_check_in(&a, Some(SignupState::CheckedIn), true, from),
        Ok(()),
        "twice is no error"
    );
}

#[test]
fn closing_once_it_has_begun_and_only_once() {
    let a = open(3, 1);
    assert_eq!(may_close(&a, a.starts_at - 1), Err(Refusal::NotNow));
    assert_eq!(may_close(&a, a.starts_at), Ok(()));
    let closed = ActivityFacts {
        state: ActivityState::Closed,
        ..a
    };
    assert_eq!(may_close(&closed, a.ends_at), Err(Refusal::Closed));
}

#[test]
fn activities_are_checked_when_published() {
    assert_eq!(validate_activity("清扫河道", 100, 120, 20, 50), Ok(()));
    assert_eq!(
        validate_activity("  ", 100, 120, 20, 50),
        Err(("activity_title", "required"))
    );
    assert_eq!(
        validate_activity("a", 100, 120, 0, 50),
        Err(("sign_up_limit", "limit_range"))
    );
    assert_eq!(
        validate_activity("a", 100, 120, MAX_LIMIT + 1, 50),
        Err(("sign_up_limit", "limit_range"))
    );
    assert_eq!(
        validate_activity("a", 100, 29, 5, 50),
        Err(("duration", "minutes_range"))
    );
    assert_eq!(
        validate_activity("a", 50, 120, 5, 50),
        Err(("start", "slot_in_past"))
    );
}

#[test]
fn hours_are_the_planned_length_in_tenths() {
    assert_eq!(credited_tenths(0, 2 * 3600), 20);
    assert_eq!(credited_tenths(0, 90 * 60), 15);
    assert_eq!(
        credited_tenths(0, 100 * 60),
        16,
        "whole tenths, rounded down"
    );
    assert_eq!(credited_tenths(0, 24 * 3600), MAX_MINUTES / 6);
    assert_eq!(credited_tenths(100, 0), 0);
    assert_eq!(hours_text(25), "2.5");
    assert_eq!(hours_text(120), "12.0");
    assert_eq!(hours_text(0), "0.0");
}

#[test]
fn a_ranking_shares_ranks_between_equal_hours() {
    let r = rank(vec![
        (1, "乙".to_string(), 20),
        (2, "甲".to_string(), 40),
        (3, "丙".to_string(), 20),
        (4, "丁".to_string(), 5),
    ]);
    let ranks: Vec<(usize, i64)> = r.iter().map(|x| (x.0, x.1)).collect();
    // Ties by name as the store sorts text (丙 U+4E19 before 乙 U+4E59).
    assert_eq!(ranks, vec![(1, 2), (2, 3), (2, 1), (4, 4)]);
}

#[test]
fn states_read_back_what_they_write() {
    for s in ActivityState::ALL {
        assert_eq!(ActivityState::parse(s.as_str()), Some(s));
    }
    for s in SignupState::ALL {
        assert_eq!(SignupState::parse(s.as_str()), Some(s));
    }
    assert_eq!(SignupState::parse("x"), None);
}

proptest! {
    /// Whatever order sign-ups and withdrawals come in, following the rules never holds more
    /// places than the limit, and the count equals the places held.
    #[test]
    fn no_sequence_of_requests_overfills(limit in 1i64..8, ops in proptest::collection::vec((0usize..12, any::<bool>()), 0..80)) {
        let mut held = [None::<SignupState>; 12];
        let mut a = open(limit, 0);
        for (who, join) in ops {
            if join {
                if may_sign_up(&a, held[who], 0).is_ok() {
                    held[who] = Some(SignupState::Signed);
                    a.signed += 1;
                }
            } else if may_withdraw(&a, held[who], 0).is_ok() {
                held[who] = Some(SignupState::Withdrawn);
                a.signed -= 1;
            }
            prop_assert!(a.signed <= a.limit);
            let count = held.iter().filter(|h| h.is_some_and(SignupState::holds_place)).count() as i64;
            prop_assert_eq!(count, a.signed);
            prop_assert_eq!(places_left(a.limit, a.signed), a.limit - a.signed);
        }
    }
}

#[test]
fn a_team_is_joined_from_its_area_and_run_from_its_unit_or_above() {
    use crate::domain::roles::Role;
    use crate::domain::services::PointAccess;
    let village = "/1/2/3/";
    assert!(may_join("/1/2/3/4/", village));
    assert!(
        may_join(village, village),
        "the village's own cadres volunteer too"
    );
    assert!(!may_join("/1/2/9/4/", village));
    assert_eq!(
        team_access(Role::VillageCadre, village, village),
        PointAccess::Manage
    );
    assert_eq!(
        team_access(Role::TownshipDispatcher, "/1/2/", village),
        PointAccess::Manage
    );
    assert_eq!(
        team_access(Role::CountySupervisor, "/1/", village),
        PointAccess::Oversee
    );
    assert_eq!(
        team_access(Role::Resident, "/1/2/3/4/", village),
        PointAccess::Book
    );
    assert_eq!(
        team_access(Role::VillageCadre, "/1/2/9/", village),
        PointAccess::Hidden
    );
}
