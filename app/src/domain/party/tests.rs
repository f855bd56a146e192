use proptest::prelude::*;
use time::Date;

use super::*;
use crate::domain::calendar::parse_date;
use crate::domain::roles::Role;
use crate::domain::scoring::{Period, PeriodKind};

fn d(s: &str) -> Date {
    parse_date(s).unwrap()
}

#[test]
fn kinds_and_modes_round_trip() {
    for k in MeetingKind::ALL {
        assert_eq!(MeetingKind::parse(k.as_str()), Some(k));
    }
    assert_eq!(MeetingKind::parse("party"), None);
    for m in [AttendMode::Present, AttendMode::Remote, AttendMode::Absent] {
        assert_eq!(AttendMode::parse(m.as_str()), Some(m));
    }
    assert!(!AttendMode::Absent.earns() && AttendMode::Remote.earns());
}

#[test]
fn quarters_start_end_and_label() {
    let q = Period::containing(PeriodKind::Quarter, d("2026-11-30"));
    assert_eq!(q.start, d("2026-10-01"));
    assert_eq!(q.end(), d("2027-01-01"));
    assert_eq!(q.label(), "2026-Q4");
    assert_eq!(Period::parse(PeriodKind::Quarter, "2026-Q4"), Some(q));
    assert_eq!(Period::parse(PeriodKind::Quarter, "2026-Q5"), None);
    assert_eq!(
        Period::containing(PeriodKind::Quarter, d("2026-03-31")).end(),
        d("2026-04-01")
    );
}

#[test]
fn the_window_opens_early_and_shuts_at_the_end() {
    let (start, end) = (10_000_000, 10_003_600);
    let at = |now| check_in(7, 7, MeetingState::Planned, start, end, now);
    assert_eq!(
        at(start - CHECKIN_EARLY_SECS - 1),
        Err(CheckInError::NotYet)
    );
    assert_eq!(at(start - CHECKIN_EARLY_SECS), Ok(()));
    assert_eq!(at(end), Ok(()));
    assert_eq!(at(end + 1), Err(CheckInError::Over));
    // Another branch's code is refused as such, even inside the window.
    assert_eq!(
        check_in(7, 8, MeetingState::Planned, start, end, start),
        Err(CheckInError::OtherBranch)
    );
    // A closed meeting takes no more check-ins.
    assert_eq!(
        check_in(7, 7, MeetingState::Closed, start, end, start),
        Err(CheckInError::Over)
    );
}

#[test]
fn a_code_is_six_digits() {
    assert!(is_code_shape("042917"));
    for bad in ["", "42917", "0429170", "04291a", "０４２９１７", "04 917"] {
        assert!(!is_code_shape(bad), "{bad:?}");
    }
}

#[test]
fn a_meeting_is_closed_once_after_it_began_with_minutes() {
    let s = 1_000;
    assert_eq!(
        close(MeetingState::Planned, s, "记录", s - 1),
        Err(CloseError::NotStarted)
    );
    assert_eq!(
        close(MeetingState::Planned, s, "  ", s),
        Err(CloseError::MinutesRequired)
    );
    assert_eq!(
        close(MeetingState::Closed, s, "记录", s),
        Err(CloseError::AlreadyClosed)
    );
    assert_eq!(close(MeetingState::Planned, s, "记录", s), Ok(()));
    let long = "字".repeat(5001);
    assert_eq!(
        close(MeetingState::Planned, s, &long, s),
        Err(CloseError::MinutesTooLong)
    );
}

#[test]
fn plans_are_checked() {
    let now = 1_800_000_000;
    let ok = Plan {
        topic: "学习党的二十届四中全会精神".into(),
        place: "村党群服务中心".into(),
        starts_at: now + 3600,
        duration_min: 90,
    };
    assert_eq!(validate_plan(&ok, now), Ok(()));
    let with = |f: fn(&mut Plan)| {
        let mut p = ok.clone();
        f(&mut p);
        validate_plan(&p, now)
    };
    assert_eq!(
        with(|p| p.topic = " ".into()),
        Err(PlanError::TopicRequired)
    );
    assert_eq!(with(|p| p.duration_min = 5), Err(PlanError::BadDuration));
    assert_eq!(with(|p| p.duration_min = 600), Err(PlanError::BadDuration));
    assert_eq!(
        with(|p| p.starts_at -= 100 * 86_400),
        Err(PlanError::OutOfRange)
    );
}

fn book() -> RequirementBook {
    let r = |kind, cadence, min_count, from: &str| Requirement {
        kind,
        cadence,
        min_count,
        effective_from: d(from),
    };
    RequirementBook {
        versions: vec![
            r(MeetingKind::Committee, Cadence::Month, 1, "2026-01-01"),
            r(MeetingKind::Assembly, Cadence::Quarter, 1, "2026-01-01"),
            // From December the committee must meet twice; the lecture is retired from July.
            r(MeetingKind::Committee, Cadence::Month, 2, "2026-12-01"),
            r(MeetingKind::Lecture, Cadence::Quarter, 1, "2026-01-01"),
            r(MeetingKind::Lecture, Cadence::Quarter, 0, "2026-07-01"),
        ],
    }
}

#[test]
fn requirement_versions_apply_from_their_period() {
    let b = book();
    let c = |day| {
        b.in_force(MeetingKind::Committee, d(day))
            .map(|r| r.min_count)
    };
    assert_eq!(c("2025-12-31"), None);
    assert_eq!(c("2026-11-30"), Some(1));
    assert_eq!(c("2026-12-01"), Some(2));
    assert!(b.in_force(MeetingKind::Lecture, d("2026-06-30")).is_some());
    assert!(b.in_force(MeetingKind::Lecture, d("2026-07-01")).is_none());
    let kinds: Vec<_> = b.on(d("2026-08-01")).iter().map(|r| r.kind).collect();
    assert_eq!(kinds, vec![MeetingKind::Assembly, MeetingKind::Committee]);
}

#[test]
fn requirement_changes_start_with_a_later_period() {
    let mut b = book();
    let today = d("2026-11-20");
    let r = |cadence, min_count, from: &str| Requirement {
        kind: MeetingKind::Group,
        cadence,
        min_count,
        effective_from: d(from),
    };
    // The running month and a day that is not a period's first are refused.
    assert_eq!(
        b.schedule(r(Cadence::Month, 1, "2026-11-01"), today),
        Err(RequirementChangeError::NotFromNextPeriod)
    );
    assert_eq!(
        b.schedule(r(Cadence::Month, 1, "2026-12-02"), today),
        Err(RequirementChangeError::NotFromNextPeriod)
    );
    // A quarterly requirement starts with the next quarter, not the next month.
    assert_eq!(
        b.schedule(r(Cadence::Quarter, 1, "2026-12-01"), today),
        Err(RequirementChangeError::NotFromNextPeriod)
    );
    assert_eq!(
        b.schedule(r(Cadence::Month, MAX_MIN_COUNT + 1, "2026-12-01"), today),
        Err(RequirementChangeError::BadCount)
    );
    b.schedule(r(Cadence::Month, 1, "2026-12-01"), today)
        .unwrap();
    b.schedule(r(Cadence::Month, 2, "2026-12-01"), today)
        .unwrap();
    assert_eq!(
        b.in_force(MeetingKind::Group, d("2026-12-05"))
            .map(|r| r.min_count),
        Some(2)
    );
    assert!(b.in_force(MeetingKind::Group, d("2026-11-30")).is_none());
    b.schedule(r(Cadence::Quarter, 1, "2027-01-01"), today)
        .unwrap();
    assert_eq!(
        b.in_force(MeetingKind::Group, d("2027-02-01"))
            .map(|r| r.cadence),
        Some(Cadence::Quarter)
    );
}

#[test]
fn cells_met_due_missed_upcoming() {
    let nov = Period::containing(PeriodKind::Month, d("2026-11-01"));
    assert_eq!(cell(nov, 1, 1, d("2026-11-03")), Cell::Met);
    assert_eq!(
        cell(nov, 1, 0, d("2026-11-03")),
        Cell::Due { days_left: 28 }
    );
    assert_eq!(cell(nov, 1, 0, d("2026-12-01")), Cell::Missed);
    assert_eq!(cell(nov, 1, 0, d("2026-10-31")), Cell::Upcoming);
    // Met stays met whenever it is looked at.
    assert_eq!(cell(nov, 2, 3, d("2027-05-01")), Cell::Met);
}

fn viewer(role: Role, path: &str, branch: Option<i64>) -> MeetingViewer<'_> {
    MeetingViewer {
        role,
        unit_path: path,
        member_branch: branch,
    }
}

#[test]
fn secretaries_run_their_branches_members_attend_others_see_nothing() {
    let branch = "/1/7/42/99/";
    let a = |v: &MeetingViewer| meeting_access(v, 5, branch);
    assert_eq!(
        a(&viewer(Role::VillageCadre, "/1/7/42/", None)),
        MeetingAccess::Manage
    );
    assert_eq!(
        a(&viewer(Role::VillageCadre, "/1/7/43/", None)),
        MeetingAccess::Hidden
    );
    assert_eq!(
        a(&viewer(Role::TownshipDispatcher, "/1/7/", None)),
        MeetingAccess::Watch
    );
    assert_eq!(
        a(&viewer(Role::TownshipDispatcher, "/1/8/", None)),
        MeetingAccess::Hidden
    );
    assert_eq!(
        a(&viewer(Role::CountySupervisor, "/1/", None)),
        MeetingAccess::Watch
    );
    assert_eq!(
        a(&viewer(Role::PartyMember, branch, Some(5))),
        MeetingAccess::Attend
    );
    assert_eq!(
        a(&viewer(Role::PartyMember, branch, Some(6))),
        MeetingAccess::Hidden
    );
    // Being in the grid is not membership: a grid worker or a resident sees nothing.
    assert_eq!(
        a(&viewer(Role::GridWorker, branch, None)),
        MeetingAccess::Hidden
    );
    assert_eq!(
        a(&viewer(Role::Resident, branch, None)),
        MeetingAccess::Hidden
    );
    assert_eq!(
        a(&viewer(Role::DepartmentStaff, "/1/7/", None)),
        MeetingAccess::Hidden
    );
}

proptest! {
    /// A check-in is accepted exactly inside the window of the member's own open meeting.
    #[test]
    fn check_in_exactly_inside_the_window(
        start in 0i64..1_000_000,
        len in 1i64..30_000,
        now in -5_000i64..1_100_000,
        same in any::<bool>(),
        closed in any::<bool>(),
    ) {
        let state = if closed { MeetingState::Closed } else { MeetingState::Planned };
        let r = check_in(1, if same { 1 } else { 2 }, state, start, start + len, now);
        let (from, until) = checkin_window(start, start + len);
        let inside = same && !closed && from <= now && now <= until;
        prop_assert_eq!(r.is_ok(), inside);
    }

    /// Over a year the cells of a monthly requirement: every month before today is met or
    /// missed, today's month is met or due, later months upcoming or met.
    #[test]
    fn cells_follow_the_calendar(month in 1u8..=12, day in 1u8..=28, held in 0u32..3, min in 1u32..3) {
        let today = Date::from_calendar_date(2026, time::Month::try_from(month).unwrap(), day).unwrap();
        for m in 1u8..=12 {
            let p = Period::containing(
                PeriodKind::Month,
                Date::from_calendar_date(2026, time::Month::try_from(m).unwrap(), 1).unwrap(),
            );
            let c = cell(p, min, held, today);
            if held >= min {
                prop_assert_eq!(c, Cell::Met);
            } else if m < month {
                prop_assert_eq!(c, Cell::Missed);
            } else if m == month {
                let due = matches!(c, Cell::Due { days_left } if (1..=31).contains(&days_left));
                prop_assert!(due, "{:?}", c);
            } else {
                prop_assert_eq!(c, Cell::Upcoming);
            }
        }
    }
}
