use proptest::prelude::*;
use time::Date;

use super::development::*;
use crate::domain::calendar::parse_date;

fn d(s: &str) -> Date {
    parse_date(s).unwrap()
}

const BIRTH: &str = "1998-05-04";

fn input_for(s: &StepDef) -> StepInput {
    match s.needs {
        Needs::Nothing => StepInput::default(),
        Needs::Document => StepInput {
            document: format!("{}号", s.no),
            ..Default::default()
        },
        Needs::Sponsors => StepInput {
            sponsors: vec![11, 12],
            ..Default::default()
        },
        Needs::Vote => StepInput {
            votes: Some(Votes {
                entitled: 20,
                present: 15,
                yes: 14,
            }),
            ..Default::default()
        },
    }
}

/// Takes every step on the earliest day it may be taken (at least `gap` days after the last).
fn fastest(start: Date, gap: i64, upto: u8) -> Vec<Done> {
    let mut done: Vec<Done> = Vec::new();
    let mut day = start;
    for no in 1..=upto {
        let s = def(no).unwrap();
        if let Some(e) = earliest(&done, s) {
            day = day.max(e);
        }
        check_step(
            &done,
            no,
            day,
            d("2099-01-01"),
            s.taker,
            d(BIRTH),
            &input_for(s),
        )
        .unwrap();
        done.push(Done { no, on: day });
        day += time::Duration::days(gap);
    }
    done
}

#[test]
fn twenty_five_steps_in_five_stages_in_order() {
    assert_eq!(STEPS.len(), 25);
    for (i, s) in STEPS.iter().enumerate() {
        assert_eq!(usize::from(s.no), i + 1);
        if i > 0 {
            assert!(STEPS[i - 1].stage <= s.stage, "stages never go back");
        }
        for a in [s.not_before, s.due_within].into_iter().flatten() {
            assert!(a.step < s.no, "intervals count from an earlier step");
        }
    }
    assert_eq!(
        STEPS
            .iter()
            .filter(|s| s.stage == Stage::Application)
            .count(),
        2
    );
    assert_eq!(
        STEPS.iter().filter(|s| s.stage == Stage::Probation).count(),
        7
    );
    assert!(def(0).is_none() && def(26).is_none());
}

#[test]
fn the_whole_way_takes_at_least_two_years_and_ends_a_full_member() {
    let done = fastest(d("2024-03-01"), 1, 25);
    assert_eq!(done.len(), 25);
    assert_eq!(standing(&done), Standing::Full);
    let on = |no: u8| done[usize::from(no) - 1].on;
    assert!(on(7) >= add_months(on(3), 12));
    assert!(on(23) >= add_months(on(15), 12));
    assert!(on(25) >= add_months(d("2024-03-01"), 24));
    assert_eq!(
        check_step(
            &done,
            25,
            on(25),
            d("2099-01-01"),
            Taker::Branch,
            d(BIRTH),
            &StepInput::default()
        ),
        Err(DevError::Finished)
    );
    assert!(next_step(&done).is_none());
}

#[test]
fn standings_follow_the_steps() {
    let start = d("2024-03-01");
    assert_eq!(standing(&[]), Standing::Applicant);
    assert_eq!(standing(&fastest(start, 1, 3)), Standing::Activist);
    assert_eq!(standing(&fastest(start, 1, 7)), Standing::Candidate);
    assert_eq!(standing(&fastest(start, 1, 16)), Standing::Candidate);
    assert_eq!(standing(&fastest(start, 1, 17)), Standing::Probationary);
    assert_eq!(standing(&fastest(start, 1, 24)), Standing::Full);
}

#[test]
fn no_step_out_of_order() {
    let done = fastest(d("2024-03-01"), 1, 4);
    let today = d("2099-01-01");
    let day = done[3].on;
    // Skipping step 5, repeating step 4, going back to step 1.
    for no in [6, 4, 1] {
        let s = def(no).unwrap();
        assert_eq!(
            check_step(&done, no, day, today, s.taker, d(BIRTH), &input_for(s)),
            Err(DevError::OutOfOrder { expected: 5 })
        );
    }
    assert_eq!(
        check_step(
            &[],
            2,
            day,
            today,
            Taker::Branch,
            d(BIRTH),
            &StepInput::default()
        ),
        Err(DevError::OutOfOrder { expected: 1 })
    );
}

#[test]
fn a_year_as_activist_before_candidacy_and_a_year_of_probation() {
    let today = d("2099-01-01");
    let done = fastest(d("2024-03-01"), 1, 6);
    let activist = done[2].on;
    let s7 = def(7).unwrap();
    let eleven = add_months(activist, 11);
    assert_eq!(
        check_step(
            &done,
            7,
            eleven,
            today,
            Taker::Branch,
            d(BIRTH),
            &input_for(s7)
        ),
        Err(DevError::TooEarly {
            not_before: add_months(activist, 12)
        })
    );
    assert!(check_step(
        &done,
        7,
        add_months(activist, 12),
        today,
        Taker::Branch,
        d(BIRTH),
        &input_for(s7)
    )
    .is_ok());
    let done = fastest(d("2024-03-01"), 1, 21);
    let admitted = done[14].on;
    let s22 = def(22).unwrap();
    let early = add_months(admitted, 12) - time::Duration::days(1);
    assert!(matches!(
        check_step(
            &done,
            22,
            early,
            today,
            Taker::Branch,
            d(BIRTH),
            &input_for(s22)
        ),
        Err(DevError::TooEarly { .. })
    ));
}

#[test]
fn days_documents_sponsors_votes_age_and_hands() {
    let today = d("2026-12-02");
    let birth = d(BIRTH);
    let doc = StepInput {
        document: "入党申请书".into(),
        ..Default::default()
    };
    assert_eq!(
        check_step(&[], 1, d("2026-12-03"), today, Taker::Branch, birth, &doc),
        Err(DevError::BadDay),
        "not in the future"
    );
    assert_eq!(
        check_step(
            &[],
            1,
            today,
            today,
            Taker::Branch,
            birth,
            &StepInput::default()
        ),
        Err(DevError::NoDocument)
    );
    assert_eq!(
        check_step(&[], 1, today, today, Taker::Higher, birth, &doc),
        Err(DevError::NotYours)
    );
    assert_eq!(
        check_step(
            &[],
            1,
            d("2026-05-03"),
            today,
            Taker::Branch,
            d("2008-05-04"),
            &doc
        ),
        Err(DevError::Underage)
    );
    assert!(check_step(
        &[],
        1,
        d("2026-05-04"),
        today,
        Taker::Branch,
        d("2008-05-04"),
        &doc
    )
    .is_ok());
    let done = vec![Done {
        no: 1,
        on: d("2026-06-01"),
    }];
    assert_eq!(
        check_step(
            &done,
            2,
            d("2026-05-31"),
            today,
            Taker::Branch,
            birth,
            &StepInput::default()
        ),
        Err(DevError::BadDay),
        "not before the step before"
    );
    let done = fastest(d("2023-03-01"), 1, 8);
    let day = done[7].on;
    for sponsors in [vec![], vec![11], vec![11, 11], vec![11, 12, 13]] {
        let i = StepInput {
            sponsors,
            ..Default::default()
        };
        assert_eq!(
            check_step(&done, 9, day, d("2099-01-01"), Taker::Branch, birth, &i),
            Err(DevError::Sponsors)
        );
    }
}

#[test]
fn votes_need_more_than_half_of_the_entitled() {
    let v = |entitled, present, yes| {
        Votes {
            entitled,
            present,
            yes,
        }
        .passes()
    };
    assert!(v(20, 11, 11));
    assert!(!v(20, 10, 10), "half present is not a quorum");
    assert!(!v(20, 20, 10), "half in favour is not enough");
    assert!(
        !v(20, 21, 21),
        "more present than entitled is a typing error"
    );
    assert!(!v(20, 15, 16), "more in favour than present");
    assert!(!v(0, 0, 0));
}

#[test]
fn deadlines_show_as_overdue_until_done() {
    let done = vec![Done {
        no: 1,
        on: d("2026-09-15"),
    }];
    assert_eq!(overdue(&done, d("2026-10-15")), None);
    assert_eq!(overdue(&done, d("2026-10-16")), Some((2, d("2026-10-15"))));
    let done = fastest(d("2023-03-01"), 1, 16);
    let assembly = done[14].on;
    assert_eq!(overdue(&done, add_months(assembly, 3)), None);
    assert_eq!(
        overdue(&done, add_months(assembly, 3) + time::Duration::days(1)),
        Some((17, add_months(assembly, 3)))
    );
    assert_eq!(
        overdue(&fastest(d("2023-03-01"), 1, 5), d("2099-01-01")),
        None
    );
}

#[test]
fn months_are_calendar_months() {
    assert_eq!(add_months(d("2026-01-31"), 1), d("2026-02-28"));
    assert_eq!(add_months(d("2024-01-31"), 1), d("2024-02-29"));
    assert_eq!(add_months(d("2026-11-15"), 3), d("2027-02-15"));
    assert_eq!(add_months(d("2008-05-04"), 12 * 18), d("2026-05-04"));
}

proptest! {
    /// Whatever is tried in whatever order and on whatever day, what is accepted is steps
    /// 1, 2, 3… on non-decreasing days, with the two one-year intervals kept.
    #[test]
    fn accepted_steps_keep_every_rule(
        tries in prop::collection::vec((1u8..=25, 0i64..200), 0..120)
    ) {
        let today = d("2030-01-01");
        let mut day = d("2024-01-01");
        let mut done: Vec<Done> = Vec::new();
        for (no, gap) in tries {
            day += time::Duration::days(gap);
            let s = def(no).unwrap();
            if check_step(&done, no, day.min(today), today, s.taker, d(BIRTH), &input_for(s)).is_ok() {
                done.push(Done { no, on: day.min(today) });
            }
        }
        for (i, x) in done.iter().enumerate() {
            prop_assert_eq!(usize::from(x.no), i + 1);
            if i > 0 {
                prop_assert!(done[i - 1].on <= x.on);
            }
        }
        if done.len() >= 7 {
            prop_assert!(done[6].on >= add_months(done[2].on, 12));
        }
        if done.len() >= 22 {
            prop_assert!(done[21].on >= add_months(done[14].on, 12));
        }
    }
}

#[test]
fn secretaries_take_the_branch_steps_and_the_township_the_higher_ones() {
    use crate::domain::party::MeetingAccess as A;
    use crate::domain::roles::Role;
    assert_eq!(takers(A::Manage, Role::VillageCadre), vec![Taker::Branch]);
    assert_eq!(
        takers(A::Watch, Role::TownshipDispatcher),
        vec![Taker::Higher]
    );
    assert_eq!(
        takers(A::Manage, Role::Admin),
        vec![Taker::Branch, Taker::Higher]
    );
    assert!(
        takers(A::Attend, Role::PartyMember).is_empty(),
        "members do not see applicants"
    );
    assert!(takers(A::Hidden, Role::CountySupervisor).is_empty());
    let v = Votes {
        entitled: 20,
        present: 15,
        yes: 14,
    };
    assert_eq!(Votes::decode(&v.encode()), Some(v));
    assert_eq!(Votes::decode("20/15"), None);
    assert_eq!(Votes::decode("20/15/14/1"), None);
}
