use proptest::prelude::*;
use time::macros::date;

use super::*;

#[test]
fn village_terms_are_five_years_and_warn_half_a_year_ahead() {
    assert_eq!(term_years(true), 5);
    assert_eq!(term_years(false), 3);
    assert_eq!(term_end(date!(2021 - 03 - 15), 5), date!(2026 - 03 - 15));
    assert_eq!(term_end(date!(2024 - 02 - 29), 3), date!(2027 - 02 - 28));
    let t = Some((date!(2021 - 03 - 15), 5));
    assert_eq!(
        term_status(t, date!(2025 - 01 - 01)),
        TermStatus::Running { days_left: 438 }
    );
    assert_eq!(
        term_status(t, date!(2025 - 12 - 01)),
        TermStatus::ElectionSoon { days_left: 104 }
    );
    assert_eq!(
        term_status(t, date!(2026 - 03 - 15)),
        TermStatus::ElectionSoon { days_left: 0 }
    );
    assert_eq!(
        term_status(t, date!(2026 - 03 - 20)),
        TermStatus::Overdue { days: 5 }
    );
    assert_eq!(
        term_status(None, date!(2026 - 03 - 20)),
        TermStatus::Unknown
    );
    assert!(!TermStatus::Unknown.needs_action());
    assert!(TermStatus::Overdue { days: 1 }.needs_action());
    assert_eq!(TermStatus::Overdue { days: 5 }.days_left(), -5);
}

#[test]
fn an_election_is_recorded_in_the_past_for_three_or_five_years() {
    let today = date!(2026 - 12 - 02);
    assert!(validate_term(date!(2026 - 01 - 10), 5, today).is_ok());
    assert_eq!(
        validate_term(date!(2026 - 12 - 03), 5, today),
        Err(("elected_on", "in_future"))
    );
    assert_eq!(
        validate_term(date!(2026 - 01 - 10), 4, today),
        Err(("years", "invalid_value"))
    );
    assert_eq!(
        validate_term(date!(1999 - 01 - 10), 3, today),
        Err(("elected_on", "out_of_range"))
    );
}

#[test]
fn months_wrap_over_the_year() {
    assert_eq!(add_months(date!(2026 - 11 - 01), 2), date!(2027 - 01 - 01));
    assert_eq!(add_months(date!(2026 - 01 - 20), -1), date!(2025 - 12 - 01));
    assert_eq!(
        months_between(date!(2025 - 12 - 01), date!(2026 - 02 - 01)),
        2
    );
    assert_eq!(month_label(date!(2026 - 02 - 17)), "2026-02");
}

#[test]
fn arrears_count_whole_months_before_this_one() {
    let today = date!(2026 - 12 - 02);
    let since = date!(2020 - 01 - 01);
    // Paid through November: nothing owed yet, December is due by its end.
    assert_eq!(arrears(Some(date!(2026 - 11 - 01)), since, today), 0);
    assert_eq!(arrears(Some(date!(2026 - 08 - 01)), since, today), 3);
    // Paid ahead owes nothing.
    assert_eq!(arrears(Some(date!(2027 - 03 - 01)), since, today), 0);
    // Never paid: owed from the month the member joined the branch.
    assert_eq!(arrears(None, date!(2026 - 10 - 15), today), 2);
}

#[test]
fn a_payment_moves_the_month_paid_to_and_is_bounded() {
    let today = date!(2026 - 12 - 02);
    let since = date!(2020 - 01 - 01);
    assert_eq!(
        pay(Some(date!(2026 - 08 - 01)), since, 4, 250, today),
        Ok((date!(2026 - 12 - 01), 1000))
    );
    assert_eq!(
        pay(None, date!(2026 - 11 - 03), 2, 20, today),
        Ok((date!(2026 - 12 - 01), 40))
    );
    assert_eq!(
        pay(Some(date!(2026 - 11 - 01)), since, 0, 250, today),
        Err(DuesError::Months)
    );
    assert_eq!(
        pay(Some(date!(2026 - 11 - 01)), since, 13, 250, today),
        Err(DuesError::Months)
    );
    // Twelve months ahead of December is the limit.
    assert!(pay(Some(date!(2026 - 12 - 01)), since, 12, 250, today).is_ok());
    assert_eq!(
        pay(Some(date!(2027 - 01 - 01)), since, 12, 250, today),
        Err(DuesError::TooFarAhead)
    );
    assert_eq!(
        pay(Some(date!(2026 - 11 - 01)), since, 1, 0, today),
        Err(DuesError::Rate)
    );
}

#[test]
fn yuan_amounts_read_and_print() {
    assert_eq!(parse_yuan("12.3"), Some(1230));
    assert_eq!(parse_yuan(" 0.2 "), Some(20));
    assert_eq!(parse_yuan("15"), Some(1500));
    assert_eq!(parse_yuan("1.234"), None);
    assert_eq!(parse_yuan("-1"), None);
    assert_eq!(parse_yuan("1e3"), None);
    assert_eq!(parse_yuan(""), None);
    assert_eq!(yuan(1230), "12.30");
    assert_eq!(yuan(5), "0.05");
}

#[test]
fn the_receiving_branch_answers_and_the_sending_one_may_withdraw() {
    use TransferAction::*;
    use TransferState::*;
    let recv = TransferSides {
        sending: false,
        receiving: true,
    };
    let send = TransferSides {
        sending: true,
        receiving: false,
    };
    assert_eq!(transfer_step(Pending, Accept, recv, ""), Ok(Accepted));
    assert_eq!(
        transfer_step(Pending, Refuse, recv, " "),
        Err(TransferError::ReasonRequired)
    );
    assert_eq!(
        transfer_step(Pending, Refuse, recv, "材料不全"),
        Ok(Refused)
    );
    assert_eq!(
        transfer_step(Pending, Accept, send, ""),
        Err(TransferError::NotYours)
    );
    assert_eq!(transfer_step(Pending, Withdraw, send, ""), Ok(Withdrawn));
    assert_eq!(
        transfer_step(Pending, Withdraw, recv, ""),
        Err(TransferError::NotYours)
    );
    assert_eq!(
        transfer_step(Accepted, Withdraw, send, ""),
        Err(TransferError::Settled)
    );
    assert_eq!(
        validate_transfer(3, 3),
        Err(("to_branch", "transfer_same_branch"))
    );
    assert!(validate_transfer(3, 4).is_ok());
}

#[test]
fn leave_is_asked_before_the_start_by_someone_not_checked_in() {
    assert!(may_ask_leave(true, 1000, false, 999).is_ok());
    assert_eq!(
        may_ask_leave(true, 1000, false, 1000),
        Err(LeaveError::TooLate)
    );
    assert_eq!(
        may_ask_leave(false, 1000, false, 10),
        Err(LeaveError::TooLate)
    );
    assert_eq!(
        may_ask_leave(true, 1000, true, 10),
        Err(LeaveError::Attended)
    );
}

#[test]
fn a_declaration_says_what_and_shows_it() {
    assert!(validate_declaration("组织清扫村道", 1).is_ok());
    assert_eq!(
        validate_declaration(" ", 1),
        Err(("declaration_note", "required"))
    );
    assert_eq!(validate_declaration("x", 0), Err(("photo", "required")));
    assert_eq!(
        validate_declaration("x", MAX_DECLARATION_PHOTOS + 1),
        Err(("photo", "out_of_range"))
    );
}

fn month() -> impl Strategy<Value = Date> {
    (2020i32..2030, 1u8..=12)
        .prop_map(|(y, m)| Date::from_calendar_date(y, Month::try_from(m).unwrap(), 1).unwrap())
}

proptest! {
    /// Paying n months takes n off the arrears (never below zero), and the amount is n × rate.
    #[test]
    fn payments_take_off_what_they_cover(paid in month(), today in month(), n in 1u32..=12, rate in 10i64..5000) {
        let since = date!(2019 - 01 - 01);
        let before = arrears(Some(paid), since, today);
        if let Ok((to, amount)) = pay(Some(paid), since, n, rate, today) {
            prop_assert_eq!(amount, rate * i64::from(n));
            prop_assert_eq!(arrears(Some(to), since, today), before.saturating_sub(n));
            prop_assert!(months_between(today, to) <= MAX_MONTHS_AHEAD);
        }
    }

    /// Months added and counted back agree.
    #[test]
    fn add_and_between_agree(d in month(), n in -60i32..60) {
        prop_assert_eq!(months_between(d, add_months(d, n)), n);
    }

    /// Whatever is tried, a settled transfer stays as it is.
    #[test]
    fn settled_transfers_stay_settled(a in 0usize..3, s in any::<bool>(), r in any::<bool>()) {
        let action = [TransferAction::Accept, TransferAction::Refuse, TransferAction::Withdraw][a];
        let sides = TransferSides { sending: s, receiving: r };
        for state in [TransferState::Accepted, TransferState::Refused, TransferState::Withdrawn] {
            prop_assert_eq!(transfer_step(state, action, sides, "x"), Err(TransferError::Settled));
        }
    }
}
