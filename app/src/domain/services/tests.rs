use super::*;

fn slot(capacity: i64, booked: i64) -> SlotFacts {
    SlotFacts {
        capacity,
        booked,
        starts_at: 1_000,
        item_id: 7,
    }
}

#[test]
fn the_last_place_goes_and_then_the_slot_is_full() {
    let none = Holding::default();
    assert_eq!(may_book(&slot(2, 1), 0, &none, None), Ok(()));
    assert_eq!(may_book(&slot(2, 2), 0, &none, None), Err(Refusal::Full));
    assert_eq!(places_left(2, 3), 0);
}

#[test]
fn a_slot_that_has_begun_takes_no_one_and_cannot_be_left() {
    let none = Holding::default();
    assert_eq!(
        may_book(&slot(5, 0), 1_000, &none, None),
        Err(Refusal::Started)
    );
    assert_eq!(
        may_cancel(BookingState::Booked, 1_000, 1_000),
        Err(Refusal::Started)
    );
    assert_eq!(may_cancel(BookingState::Booked, 1_000, 999), Ok(()));
    assert_eq!(
        may_cancel(BookingState::Cancelled, 1_000, 0),
        Err(Refusal::NotActive)
    );
}

#[test]
fn one_place_per_item_and_a_few_in_all_but_a_change_frees_its_own() {
    let mine = Holding {
        active: vec![(7, 40)],
    };
    assert_eq!(
        may_book(&slot(5, 0), 0, &mine, None),
        Err(Refusal::AlreadyBooked)
    );
    // Changing the booking of slot 40 to this one: its own place does not count.
    assert_eq!(may_book(&slot(5, 0), 0, &mine, Some(40)), Ok(()));
    let full = Holding {
        active: (0..MAX_ACTIVE_BOOKINGS as i64)
            .map(|i| (100 + i, 200 + i))
            .collect(),
    };
    assert_eq!(may_book(&slot(5, 0), 0, &full, None), Err(Refusal::TooMany));
    assert_eq!(may_book(&slot(5, 0), 0, &full, Some(200)), Ok(()));
}

#[test]
fn attendance_is_marked_only_once_the_slot_has_begun() {
    assert!(may_mark(
        BookingState::Booked,
        10,
        10,
        BookingState::Attended
    ));
    assert!(!may_mark(
        BookingState::Booked,
        10,
        9,
        BookingState::Attended
    ));
    assert!(!may_mark(
        BookingState::Cancelled,
        10,
        20,
        BookingState::Missed
    ));
    assert!(!may_mark(
        BookingState::Booked,
        10,
        20,
        BookingState::Cancelled
    ));
}

#[test]
fn slots_are_checked_when_published() {
    let now = 1_000_000;
    assert_eq!(validate_slot(now + 3600, now + 7200, 10, now), Ok(()));
    assert_eq!(
        validate_slot(now + 3600, now + 7200, 0, now).unwrap_err().1,
        "capacity_range"
    );
    assert_eq!(
        validate_slot(now - 1, now + 7200, 10, now).unwrap_err().1,
        "slot_in_past"
    );
    assert_eq!(
        validate_slot(now + 3600, now + 3600, 10, now)
            .unwrap_err()
            .1,
        "slot_span"
    );
    assert_eq!(
        validate_slot(now + 3600, now + 3600 + MAX_SLOT_SECONDS + 1, 10, now)
            .unwrap_err()
            .1,
        "slot_span"
    );
    assert_eq!(
        validate_slot(
            now + (MAX_DAYS_AHEAD + 1) * 86_400,
            now + (MAX_DAYS_AHEAD + 1) * 86_400 + 60,
            10,
            now
        )
        .unwrap_err()
        .1,
        "slot_too_far"
    );
    assert!(!may_set_capacity(3, 4));
    assert!(may_set_capacity(4, 4));
}

#[test]
fn labels_and_states_read_back_what_they_write() {
    for l in ServiceLabel::ALL {
        assert_eq!(ServiceLabel::parse(l.as_str()), Some(l));
    }
    for b in BookingState::ALL {
        assert_eq!(BookingState::parse(b.as_str()), Some(b));
    }
    assert_eq!(ServiceLabel::parse("x"), None);
    assert!(BookingState::Booked.holds_place());
    assert!(!BookingState::Attended.holds_place());
}

/// Whatever order requests come in, a slot never holds more than its capacity: the rule the
/// store's conditional update keeps, replayed here over every interleaving of a small race.
#[test]
fn no_sequence_of_requests_overbooks() {
    for capacity in 1..=4 {
        for askers in 1..=8i64 {
            let mut booked = 0;
            let mut given = 0;
            for _ in 0..askers {
                if may_book(&slot(capacity, booked), 0, &Holding::default(), None).is_ok() {
                    booked += 1;
                    given += 1;
                }
            }
            assert_eq!(given, askers.min(capacity));
            assert!(booked <= capacity);
        }
    }
}

#[test]
fn a_point_serves_the_area_below_it_and_is_run_from_its_unit_or_above() {
    use crate::domain::roles::Role;
    let (county, town, village, grid) = ("/1/", "/1/2/", "/1/2/3/", "/1/2/3/4/");
    let other_village = "/1/2/9/";
    let town_centre = town;
    // A resident of the grid books at their village's point and the township's centre.
    assert_eq!(
        point_access(Role::Resident, grid, village),
        PointAccess::Book
    );
    assert_eq!(
        point_access(Role::Resident, grid, town_centre),
        PointAccess::Book
    );
    assert_eq!(
        point_access(Role::Resident, grid, other_village),
        PointAccess::Hidden
    );
    // The village runs its own point; the township runs all of its villages' and its own.
    assert_eq!(
        point_access(Role::VillageCadre, village, village),
        PointAccess::Manage
    );
    assert_eq!(
        point_access(Role::VillageCadre, village, town_centre),
        PointAccess::Book
    );
    assert_eq!(
        point_access(Role::VillageCadre, village, other_village),
        PointAccess::Hidden
    );
    assert_eq!(
        point_access(Role::TownshipDispatcher, town, other_village),
        PointAccess::Manage
    );
    assert_eq!(
        point_access(Role::CountySupervisor, county, village),
        PointAccess::Oversee
    );
    // A grid worker or a party member books; they do not run the village's point.
    assert_eq!(
        point_access(Role::GridWorker, grid, village),
        PointAccess::Book
    );
    assert_eq!(
        point_access(Role::PartyMember, grid, village),
        PointAccess::Book
    );
    // Another county's point does not exist for anyone here.
    assert_eq!(
        point_access(Role::Admin, county, "/7/8/"),
        PointAccess::Hidden
    );
    assert!(runs_desks(Role::VillageCadre) && !runs_desks(Role::Resident));
}

#[test]
fn a_slot_start_is_read_in_china_time() {
    // 2026-12-05 09:30 in UTC+8 is 01:30 UTC.
    assert_eq!(slot_start("2026-12-05", "09:30"), Some(1_796_434_200));
    assert_eq!(slot_start("2026-12-05", "24:00"), None);
    assert_eq!(slot_start("2026-13-05", "09:00"), None);
    assert_eq!(slot_start("2026-12-05", "9"), None);
}

#[test]
fn the_reminder_is_due_from_a_day_before_until_the_slot_begins() {
    let start = 1_800_000_000;
    assert!(!reminder_due(start, start - REMIND_AHEAD - 1));
    assert!(reminder_due(start, start - REMIND_AHEAD));
    assert!(reminder_due(start, start - 1));
    assert!(!reminder_due(start, start));
    assert_eq!(remind_at(start), start - 86_400);
}

mod proxy {
    use crate::domain::roles::Role;
    use crate::domain::services::{
        may_proxy, may_see_proxy, proxy_actor, proxy_next, proxy_satisfied, ProxyAction as A,
        ProxyActor as W, ProxyState as S,
    };
    use proptest::prelude::*;

    #[test]
    fn a_request_goes_from_asked_to_rated_step_by_step() {
        let mut s = S::Requested;
        s = proxy_next(s, A::Take, W::Eligible).unwrap();
        assert_eq!(s, S::Taken);
        for want in [S::Collected, S::Submitted, S::Returned] {
            s = proxy_next(s, A::Advance, W::Holder).unwrap();
            assert_eq!(s, want);
        }
        assert_eq!(proxy_next(s, A::Rate(0), W::Requester), Err("stars_range"));
        assert_eq!(proxy_next(s, A::Rate(6), W::Requester), Err("stars_range"));
        assert_eq!(proxy_next(s, A::Rate(5), W::Requester), Ok(S::Rated));
        assert!(proxy_satisfied(3) && !proxy_satisfied(2));
    }

    #[test]
    fn only_the_right_person_moves_each_step() {
        assert_eq!(
            proxy_next(S::Requested, A::Take, W::Requester),
            Err("forbidden_step")
        );
        assert_eq!(
            proxy_next(S::Taken, A::Take, W::Eligible),
            Err("proxy_taken")
        );
        assert_eq!(
            proxy_next(S::Taken, A::Advance, W::Eligible),
            Err("forbidden_step")
        );
        assert_eq!(
            proxy_next(S::Taken, A::Advance, W::Requester),
            Err("forbidden_step")
        );
        assert_eq!(
            proxy_next(S::Returned, A::Rate(5), W::Holder),
            Err("forbidden_step")
        );
        assert_eq!(
            proxy_next(S::Submitted, A::Rate(5), W::Requester),
            Err("proxy_not_returned")
        );
        assert_eq!(
            proxy_next(S::Taken, A::Withdraw, W::Requester),
            Ok(S::Withdrawn)
        );
        assert_eq!(
            proxy_next(S::Submitted, A::Withdraw, W::Requester),
            Err("proxy_not_open")
        );
        assert_eq!(
            proxy_next(S::Rated, A::Advance, W::Holder),
            Err("proxy_not_open")
        );
    }

    #[test]
    fn proxies_are_the_villages_grid_workers_and_members() {
        let from = "/1/2/3/4/";
        assert!(may_proxy(Role::GridWorker, "/1/2/3/5/", from));
        assert!(may_proxy(Role::PartyMember, "/1/2/3/4/", from));
        assert!(
            !may_proxy(Role::PartyMember, "/1/2/9/4/", from),
            "another village"
        );
        assert!(!may_proxy(Role::Resident, "/1/2/3/4/", from));
        assert!(!may_proxy(Role::VillageCadre, "/1/2/3/", from));
        assert!(
            !may_proxy(Role::GridWorker, "/1/2/3/5/", "/1/2/"),
            "a request above any village"
        );
        assert_eq!(
            proxy_actor(7, Role::Resident, from, 7, None, from),
            W::Requester
        );
        assert_eq!(
            proxy_actor(8, Role::GridWorker, from, 7, Some(8), from),
            W::Holder
        );
        assert_eq!(
            proxy_actor(9, Role::GridWorker, from, 7, Some(8), from),
            W::Eligible
        );
        assert_eq!(
            proxy_actor(9, Role::Resident, from, 7, None, from),
            W::Other
        );
        assert!(may_see_proxy(
            W::Eligible,
            Role::GridWorker,
            from,
            from,
            false
        ));
        assert!(
            !may_see_proxy(W::Eligible, Role::GridWorker, from, from, true),
            "once taken, the holder's"
        );
        assert!(may_see_proxy(
            W::Other,
            Role::TownshipDispatcher,
            "/1/2/",
            from,
            true
        ));
        assert!(!may_see_proxy(
            W::Other,
            Role::TownshipDispatcher,
            "/1/9/",
            from,
            true
        ));
        assert!(!may_see_proxy(
            W::Other,
            Role::Resident,
            "/1/2/3/4/",
            from,
            false
        ));
    }

    fn action() -> impl Strategy<Value = (A, W)> {
        prop_oneof![
            Just((A::Take, W::Eligible)),
            Just((A::Advance, W::Holder)),
            Just((A::Advance, W::Eligible)),
            (0u8..7).prop_map(|n| (A::Rate(n), W::Requester)),
            Just((A::Withdraw, W::Requester)),
            Just((A::Take, W::Requester)),
        ]
    }

    proptest! {
        /// Whatever is tried, a request only moves forward, a finished one never moves, and a
        /// rated one passed every step.
        #[test]
        fn requests_only_move_forward(steps in proptest::collection::vec(action(), 0..30)) {
            let mut s = S::Requested;
            let mut seen = vec![s];
            for (a, w) in steps {
                if let Ok(n) = proxy_next(s, a, w) {
                    prop_assert!(s.is_open() || s == S::Returned);
                    prop_assert!(n > s);
                    s = n;
                    seen.push(s);
                }
            }
            if s == S::Rated {
                prop_assert_eq!(seen, vec![S::Requested, S::Taken, S::Collected, S::Submitted, S::Returned, S::Rated]);
            }
        }
    }
}
