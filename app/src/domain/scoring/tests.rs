use proptest::prelude::*;
use time::Date;

use super::*;
use crate::domain::calendar::parse_date;

fn d(s: &str) -> Date {
    parse_date(s).unwrap()
}

fn rule(code: &str, points: i64, cap: Option<i64>, from: &str) -> RuleVersion {
    RuleVersion {
        code: code.into(),
        subject: Subject::Member,
        source: Source::EventOnTime,
        points,
        cap,
        needs_approval: false,
        effective_from: d(from),
        retired: false,
    }
}

#[test]
fn names_round_trip() {
    for s in Subject::ALL {
        assert_eq!(Subject::parse(s.as_str()), Some(s));
    }
    for s in Source::ALL {
        assert_eq!(Source::parse(s.as_str()), Some(s));
    }
    assert_eq!(Source::parse("rating"), None);
}

#[test]
fn periods_cover_weeks_and_months() {
    let w = Period::containing(PeriodKind::Week, d("2026-11-22")); // a Sunday
    assert_eq!(w.start, d("2026-11-16"));
    assert_eq!(w.end(), d("2026-11-23"));
    assert_eq!(w.label(), "2026-11-16");
    let m = Period::containing(PeriodKind::Month, d("2026-12-31"));
    assert_eq!(m.label(), "2026-12");
    assert_eq!(m.next().label(), "2027-01");
    assert_eq!(Period::parse(PeriodKind::Month, "2027-01"), Some(m.next()));
    let picker: Vec<String> = Period::recent(PeriodKind::Month, d("2026-02-10"), 3)
        .iter()
        .map(Period::label)
        .collect();
    assert_eq!(picker, ["2026-02", "2026-01", "2025-12"]);
    assert_eq!(
        Period::parse(PeriodKind::Week, "2026-11-17"),
        None,
        "not a Monday"
    );
}

#[test]
fn a_rule_change_applies_from_the_next_period_only() {
    let mut book = RuleBook::default();
    book.versions.push(rule("on_time", 5, None, "2026-01-01"));
    let today = d("2026-11-22");
    // Not this month, not backdated.
    assert_eq!(
        book.schedule(rule("on_time", 8, None, "2026-11-01"), today),
        Err(RuleChangeError::NotFromNextPeriod)
    );
    assert_eq!(
        book.schedule(rule("on_time", 8, None, "2026-12-02"), today),
        Err(RuleChangeError::NotFromNextPeriod),
        "periods start on their first day"
    );
    book.schedule(rule("on_time", 8, None, "2026-12-01"), today)
        .unwrap();
    assert_eq!(book.in_force("on_time", d("2026-11-30")).unwrap().points, 5);
    assert_eq!(book.in_force("on_time", d("2026-03-15")).unwrap().points, 5);
    assert_eq!(book.in_force("on_time", d("2026-12-01")).unwrap().points, 8);
    // Rescheduling the same start replaces it; retiring ends it from then on.
    book.schedule(rule("on_time", 6, None, "2026-12-01"), today)
        .unwrap();
    assert_eq!(book.in_force("on_time", d("2027-06-01")).unwrap().points, 6);
    let mut retire = rule("on_time", 6, None, "2027-02-01");
    retire.retired = true;
    book.schedule(retire, today).unwrap();
    assert!(book.in_force("on_time", d("2027-02-01")).is_none());
    assert_eq!(book.in_force("on_time", d("2027-01-31")).unwrap().points, 6);
    assert_eq!(
        book.schedule(rule("x", 0, None, "2027-01-01"), today),
        Err(RuleChangeError::BadValue)
    );
    assert_eq!(
        book.schedule(rule("x", 5, Some(3), "2027-01-01"), today),
        Err(RuleChangeError::BadValue)
    );
    assert_eq!(
        book.for_source(Subject::Member, Source::EventOnTime, d("2026-12-05"))
            .len(),
        1
    );
}

#[test]
fn manual_awards_need_someone_else_to_approve() {
    let e = Entry {
        subject: Subject::Household,
        subject_id: 7,
        rule: "good_deed".into(),
        source: "manual:扶老人过河".into(),
        amount: 5,
        period: Period::containing(PeriodKind::Month, d("2026-11-03")),
        status: EntryStatus::Pending,
        approved_by: None,
    };
    assert_eq!(decide(&e, 3, 3, true), Err(ApprovalError::OwnProposal));
    let ok = decide(&e, 3, 4, true).unwrap();
    assert_eq!(
        (ok.status, ok.approved_by),
        (EntryStatus::Approved, Some(4))
    );
    assert_eq!(decide(&ok, 3, 5, false), Err(ApprovalError::NotPending));
    // Only the approved entry counts.
    let entries = vec![e.clone(), ok.clone()];
    assert_eq!(score(&entries, Subject::Household, 7, e.period), 5);
    assert_eq!(
        score(&entries, Subject::Household, 7, e.period.next()),
        0,
        "zero-based"
    );
}

#[test]
fn stars_and_bastion_index() {
    let t = StarThresholds::default();
    assert!(t.is_valid());
    assert!(!StarThresholds([10, 10, 20, 30]).is_valid());
    assert_eq!(stars(-5, t), 1);
    assert_eq!(stars(20, t), 2);
    assert_eq!(stars(79, t), 4);
    assert_eq!(stars(500, t), 5);
    assert_eq!(bastion_index(&[], 0), None);
    assert_eq!(bastion_index(&[10, 20, 60], 0), Some(30.0));
    assert_eq!(
        bastion_index(&[10, 20, 60], 2),
        Some(30.0 - 2.0 * MISSED_MEETING_INDEX),
        "each missed requirement costs the branch"
    );
}

fn village(id: i64, hh: i64, active: i64, reports: i64, due: i64, on_time: i64) -> VillageWeek {
    VillageWeek {
        village_id: id,
        name: format!("村{id}"),
        households: hh,
        active_households: active,
        reports,
        due,
        on_time,
        rated: 0,
        satisfied: 0,
        missed_meetings: 0,
        late_disclosures: 0,
    }
}

#[test]
fn the_weekly_lists_reward_use_and_punctuality() {
    let weeks = vec![
        village(1, 100, 80, 10, 10, 10), // busy and punctual
        village(2, 100, 5, 1, 10, 2),    // silent and late
        village(3, 100, 40, 5, 0, 0),
        village(4, 0, 0, 0, 0, 0), // no households: not ranked
    ];
    let l = rank_villages(&weeks, 1);
    assert_eq!(l.red[0].0, 1);
    assert_eq!(l.black[0].0, 2);
    assert!(!l.red.iter().chain(&l.black).any(|v| v.0 == 4));
}

#[test]
fn missed_branch_meetings_count_against_the_village() {
    let mut keeps = village(1, 100, 40, 5, 10, 8);
    let mut misses = keeps.clone();
    misses.village_id = 2;
    misses.missed_meetings = 2;
    assert_eq!(
        keeps.score(5.0) - misses.score(5.0),
        2.0 * MISSED_MEETING_POINTS
    );
    let l = rank_villages(&[keeps.clone(), misses.clone()], 1);
    assert_eq!((l.red[0].0, l.black[0].0), (1, 2));
    keeps.missed_meetings = 50;
    assert_eq!(keeps.score(5.0), 0.0, "never below zero");
}

fn arb_date() -> impl Strategy<Value = Date> {
    (2000i32..2100, 1u16..=365).prop_map(|(y, n)| Date::from_ordinal_date(y, n).unwrap())
}

proptest! {
    #[test]
    fn a_cap_is_never_passed(points in -20i64..20, cap in 1i64..100, n in 0usize..60) {
        prop_assume!(points != 0 && cap >= points.abs());
        let r = rule("r", points, Some(cap), "2026-01-01");
        let mut total = 0;
        for _ in 0..n {
            total += award(&r, total);
            prop_assert!(total.abs() <= cap);
        }
        // Until the cap is reached each occurrence earns its full points.
        prop_assert_eq!(total, (points * n as i64).clamp(-cap, cap));
    }

    #[test]
    fn periods_tile_the_calendar(day in arb_date(), week in any::<bool>()) {
        let kind = if week { PeriodKind::Week } else { PeriodKind::Month };
        let p = Period::containing(kind, day);
        prop_assert!(p.contains(day));
        prop_assert!(!p.contains(p.end()));
        prop_assert_eq!(Period::containing(kind, p.end()), p.next());
        prop_assert_eq!(Period::parse(kind, &p.label()), Some(p));
        prop_assert_eq!(p.next().prev(), p);
        prop_assert_eq!(p.prev().end(), p.start);
    }

    #[test]
    fn recent_periods_run_back_without_gaps(day in arb_date(), n in 1usize..30) {
        let r = Period::recent(PeriodKind::Month, day, n);
        prop_assert_eq!(r.len(), n);
        prop_assert!(r[0].contains(day));
        for w in r.windows(2) {
            prop_assert_eq!(w[1].end(), w[0].start);
        }
    }

    #[test]
    fn more_points_never_mean_fewer_stars(a in -100i64..200, b in -100i64..200) {
        let t = StarThresholds::default();
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(stars(lo, t) <= stars(hi, t));
        prop_assert!((1..=5).contains(&stars(a, t)));
    }

    #[test]
    fn red_and_black_lists_are_disjoint_and_ordered(
        raw in proptest::collection::vec((1i64..200, 0i64..200, 0i64..30, 0i64..20, 0i64..20), 0..25),
        n in 1usize..6,
    ) {
        let weeks: Vec<VillageWeek> = raw
            .iter()
            .enumerate()
            .map(|(i, &(hh, active, reports, due, on_time))| {
                village(i as i64, hh, active.min(hh), reports, due, on_time.min(due))
            })
            .collect();
        let l = rank_villages(&weeks, n);
        prop_assert!(l.red.len() <= n && l.black.len() <= n);
        prop_assert!(l.red.iter().all(|r| !l.black.iter().any(|b| b.0 == r.0)));
        if let (Some(worst_red), Some(best_black)) = (l.red.last(), l.black.iter().map(|b| b.1).reduce(f64::max)) {
            prop_assert!(worst_red.1 >= best_black);
        }
        for w in &weeks {
            let s = w.score(1.0);
            prop_assert!((0.0..=100.0).contains(&s));
        }
    }
}

fn occ(day: &str, n: i64) -> Occurrence {
    Occurrence {
        subject: Subject::Member,
        subject_id: 1,
        source: Source::EventOnTime,
        reference: format!("event:{n}"),
        day: d(day),
    }
}

#[test]
fn earning_stops_at_the_cap_and_restarts_next_period() {
    let book = RuleBook {
        versions: vec![rule("m_on_time", 5, Some(12), "2026-01-01")],
    };
    let mut totals = Totals::new();
    let amounts: Vec<i64> = (0..4)
        .map(|n| earn(&book, &occ("2026-11-03", n), &mut totals))
        .map(|e| e.iter().map(|x| x.amount).sum())
        .collect();
    assert_eq!(amounts, vec![5, 5, 2, 0]);
    let december = earn(&book, &occ("2026-12-01", 9), &mut totals);
    assert_eq!(december.len(), 1);
    assert_eq!(december[0].amount, 5);
    assert_eq!(december[0].period.label(), "2026-12");
}

#[test]
fn a_rule_change_earns_from_its_period_and_leaves_the_closed_one_alone() {
    let mut book = RuleBook {
        versions: vec![rule("m_on_time", 5, None, "2026-01-01")],
    };
    let mut totals = Totals::new();
    let november = earn(&book, &occ("2026-11-20", 1), &mut totals);
    book.schedule(rule("m_on_time", 8, None, "2026-12-01"), d("2026-11-22"))
        .unwrap();
    // Scoring November again under the changed book gives November's points, not the new ones.
    let again = earn(&book, &occ("2026-11-21", 2), &mut totals);
    let december = earn(&book, &occ("2026-12-02", 3), &mut totals);
    assert_eq!(november[0].amount, 5);
    assert_eq!(again[0].amount, 5);
    assert_eq!(again[0].rule_from, d("2026-01-01"));
    assert_eq!(december[0].amount, 8);
    assert_eq!(december[0].rule_from, d("2026-12-01"));
}

#[test]
fn rules_needing_approval_never_earn_by_themselves() {
    let mut manual = rule("m_manual", 5, Some(20), "2026-01-01");
    manual.needs_approval = true;
    manual.source = Source::Manual;
    let book = RuleBook {
        versions: vec![manual],
    };
    let mut o = occ("2026-11-03", 1);
    o.source = Source::Manual;
    assert!(earn(&book, &o, &mut Totals::new()).is_empty());
}

proptest! {
    #[test]
    fn earnings_never_pass_a_cap(
        points in prop_oneof![-9i64..=-1, 1i64..=9],
        cap in 9i64..40,
        days in proptest::collection::vec(1u8..=28, 0..40),
    ) {
        let book = RuleBook { versions: vec![rule("r", points, Some(cap), "2026-01-01")] };
        let mut totals = Totals::new();
        let mut sum = 0;
        for (n, day) in days.iter().enumerate() {
            let o = occ(&format!("2026-11-{day:02}"), n as i64);
            for e in earn(&book, &o, &mut totals) {
                prop_assert_eq!(e.amount.signum(), points.signum());
                sum += e.amount;
            }
        }
        prop_assert!(sum.abs() <= cap);
        prop_assert_eq!(totals.values().sum::<i64>(), sum);
    }
}
