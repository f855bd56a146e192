use super::*;
use proptest::prelude::*;
use std::collections::{HashSet, VecDeque};

const GRID: &str = "/1/2/3/4/";

fn actor(user_id: i64, role: Role, unit_path: &str, department_id: Option<i64>) -> Actor {
    Actor {
        user_id,
        role,
        unit_path: unit_path.into(),
        department_id,
    }
}

fn actors() -> Vec<Actor> {
    vec![
        actor(1, Role::Admin, "/1/", None),
        actor(2, Role::CountySupervisor, "/1/", None),
        actor(3, Role::TownshipDispatcher, "/1/2/", None),
        actor(4, Role::TownshipDispatcher, "/1/9/", None),
        actor(5, Role::VillageCadre, "/1/2/3/", None),
        actor(50, Role::GridWorker, GRID, None),
        actor(51, Role::GridWorker, "/1/2/3/5/", None),
        actor(60, Role::DepartmentStaff, "/1/2/", Some(7)),
        actor(61, Role::DepartmentStaff, "/1/2/", Some(8)),
        actor(70, Role::Resident, GRID, None),
        actor(71, Role::Resident, GRID, None),
        Actor::system(),
    ]
}

fn actions() -> Vec<Action> {
    let good = Scores {
        attitude: 5,
        ability: 4,
        conduct: 5,
        result: 4,
    };
    let bad = Scores { result: 2, ..good };
    vec![
        Action::Verify,
        Action::Reject {
            reason: "不属实".into(),
        },
        Action::Merge { into: 99 },
        Action::Dispatch {
            to: Assignee::Department(7),
        },
        Action::Dispatch {
            to: Assignee::User(50),
        },
        Action::TakeOn,
        Action::Escalate,
        Action::SendDown,
        Action::Accept,
        Action::Progress {
            note: "到场".into(),
        },
        Action::Resolve {
            note: "已修复".into(),
            outcome: Resolution::Solved,
        },
        Action::Resolve {
            note: "属供电公司管辖".into(),
            outcome: Resolution::Referred {
                to: "国网龙游供电公司".into(),
            },
        },
        Action::ResolveOnSpot {
            note: "当场处理".into(),
        },
        Action::Return {
            reason: "非本部门".into(),
        },
        Action::RequestExtension { hours: 8 },
        Action::DecideExtension { approve: true },
        Action::DecideExtension { approve: false },
        Action::AddCoHandler { department: 8 },
        Action::Supervise {
            note: "请加快".into(),
        },
        Action::Rate { scores: good },
        Action::Rate { scores: bad },
        Action::AutoClose,
        Action::Recall,
        Action::SetUrgency {
            urgency: Urgency::Critical,
        },
        Action::FollowUp { solved: false },
        Action::FollowUp { solved: true },
    ]
}

fn reported(level: OrgLevel, reporter: i64) -> EventFacts {
    EventFacts::reported(level, GRID, Some(reporter))
}

fn by(id: i64) -> Actor {
    actors().into_iter().find(|a| a.user_id == id).unwrap()
}

/// The legal moves, written out independently of `may`/`apply`: (from, action) → possible targets.
fn legal_targets(from: State, kind: ActionKind) -> &'static [State] {
    use ActionKind as K;
    use State as S;
    match (from, kind) {
        (S::Reported, K::Verify) => &[S::Verified],
        (S::Reported, K::Reject) => &[S::Rejected],
        (S::Reported | S::Verified, K::Merge) => &[S::Merged],
        (S::Verified, K::Dispatch) => &[S::Dispatched],
        (S::Verified, K::TakeOn) => &[S::Handling],
        (S::Reported | S::Verified | S::Dispatched | S::Handling, K::Escalate) => &[S::Verified],
        (S::Verified, K::SendDown) => &[S::Verified],
        (S::Dispatched, K::Accept) => &[S::Handling],
        (S::Handling, K::Progress | K::RequestExtension | K::DecideExtension) => &[S::Handling],
        (S::Handling, K::Resolve) => &[S::Resolved],
        (S::Reported, K::ResolveOnSpot) => &[S::Resolved],
        (S::Dispatched | S::Handling, K::Return) => &[S::Verified],
        (S::Dispatched | S::Handling, K::AddCoHandler) => &[S::Dispatched, S::Handling],
        (S::Reported | S::Verified | S::Dispatched | S::Handling, K::Supervise) => {
            &[S::Reported, S::Verified, S::Dispatched, S::Handling]
        }
        (S::Resolved, K::Rate) => &[S::Closed, S::Verified],
        (S::Resolved, K::AutoClose) => &[S::Closed],
        (S::Dispatched, K::Recall) => &[S::Verified],
        (S::Reported, K::SetUrgency) => &[S::Reported],
        (S::Verified, K::SetUrgency) => &[S::Verified],
        (S::Closed, K::FollowUp) => &[S::Closed, S::Verified],
        _ => &[],
    }
}

#[test]
fn resident_report_goes_round_the_loop_and_a_bad_rating_reopens_it() {
    let mut e = reported(OrgLevel::Township, 70);
    assert_eq!(e.holder_path(), "/1/2/");
    let steps: Vec<(i64, Action)> = vec![
        (3, Action::Verify),
        (
            3,
            Action::Dispatch {
                to: Assignee::Department(7),
            },
        ),
        (60, Action::Accept),
        (
            60,
            Action::Resolve {
                note: "修好了".into(),
                outcome: Resolution::Solved,
            },
        ),
    ];
    for (who, act) in steps {
        e = apply(&by(who), &e, &act).unwrap().facts;
        assert!(consistent(&e));
    }
    assert_eq!(e.state, State::Resolved);
    // Only the reporter rates.
    assert!(!may(&by(71), &e, ActionKind::Rate));
    assert!(!may(&by(3), &e, ActionKind::Rate));
    let bad = Scores {
        attitude: 4,
        ability: 4,
        conduct: 4,
        result: 1,
    };
    let out = apply(&by(70), &e, &Action::Rate { scores: bad }).unwrap();
    assert!(out.reopened);
    assert_eq!(out.facts.state, State::Verified);
    assert_eq!(
        out.facts.holder_path(),
        "/1/2/",
        "back in the township command room"
    );
    assert!(may(&by(3), &out.facts, ActionKind::Dispatch));
}

#[test]
fn only_the_holding_command_room_verifies() {
    let e = reported(OrgLevel::Township, 70);
    assert_eq!(
        allowed(&by(4), &e),
        vec![],
        "another township sees nothing to do"
    );
    assert_eq!(allowed(&by(70), &e), vec![]);
    assert_eq!(allowed(&by(60), &e), vec![]);
    let mine = allowed(&by(3), &e);
    for k in [
        ActionKind::Verify,
        ActionKind::Reject,
        ActionKind::Merge,
        ActionKind::Escalate,
    ] {
        assert!(mine.contains(&k), "{k:?}");
    }
    assert_eq!(
        apply(&by(4), &e, &Action::Verify),
        Err(TransitionError::NotAllowed)
    );
    assert_eq!(
        apply(
            &by(3),
            &e,
            &Action::Reject {
                reason: "  ".into()
            }
        ),
        Err(TransitionError::Invalid("reason", "required"))
    );
}

#[test]
fn escalation_climbs_and_each_level_can_send_it_back_down() {
    let mut e = reported(OrgLevel::Township, 70);
    e = apply(&by(3), &e, &Action::Verify).unwrap().facts;
    e = apply(
        &by(3),
        &e,
        &Action::Dispatch {
            to: Assignee::User(50),
        },
    )
    .unwrap()
    .facts;
    assert_eq!(e.level, OrgLevel::Grid);
    // A grid worker's "上报上级" goes to the township command room, not via the village.
    e = apply(&by(50), &e, &Action::Escalate).unwrap().facts;
    assert_eq!((e.level, e.state), (OrgLevel::Township, State::Verified));
    e = apply(&by(3), &e, &Action::SendDown).unwrap().facts;
    assert_eq!(e.level, OrgLevel::Village);
    e = apply(&by(5), &e, &Action::Escalate).unwrap().facts;
    assert_eq!(e.level, OrgLevel::Township);
    e = apply(&by(3), &e, &Action::Escalate).unwrap().facts;
    assert_eq!(e.level, OrgLevel::County);
    assert!(
        !may(&by(2), &e, ActionKind::Escalate),
        "nothing above the county"
    );
    e = apply(&by(2), &e, &Action::SendDown).unwrap().facts;
    assert_eq!(e.level, OrgLevel::Township);
    assert_eq!(e.holder_path(), "/1/2/");
}

#[test]
fn grid_worker_resolves_on_the_spot_only_what_they_reported() {
    let e = reported(OrgLevel::Grid, 50);
    let out = apply(
        &by(50),
        &e,
        &Action::ResolveOnSpot {
            note: "已清理".into(),
        },
    )
    .unwrap();
    assert_eq!(out.facts.state, State::Resolved);
    let other = reported(OrgLevel::Grid, 70);
    assert!(!may(&by(50), &other, ActionKind::ResolveOnSpot));
    assert!(
        !may(&by(51), &e, ActionKind::ResolveOnSpot),
        "not their grid"
    );
}

#[test]
fn extensions_are_asked_by_the_handler_and_decided_above() {
    let mut e = reported(OrgLevel::Township, 70);
    for (who, act) in [
        (3, Action::Verify),
        (
            3,
            Action::Dispatch {
                to: Assignee::Department(7),
            },
        ),
        (60, Action::Accept),
        (60, Action::RequestExtension { hours: 16 }),
    ] {
        e = apply(&by(who), &e, &act).unwrap().facts;
    }
    assert!(e.pending_extension);
    assert!(
        !may(&by(60), &e, ActionKind::RequestExtension),
        "one at a time"
    );
    assert!(
        !may(&by(60), &e, ActionKind::DecideExtension),
        "not your own"
    );
    let out = apply(&by(3), &e, &Action::DecideExtension { approve: true }).unwrap();
    assert!(out.extension_approved && !out.facts.pending_extension);
}

#[test]
fn supervision_counts_and_hotline_callbacks_are_rated_by_the_room() {
    let mut e = reported(OrgLevel::Township, 70);
    e.reporter_id = None;
    let out = apply(
        &by(2),
        &e,
        &Action::Supervise {
            note: "限期办理".into(),
        },
    )
    .unwrap();
    assert!(out.supervision);
    assert_eq!(out.facts.state, State::Reported);
    e.state = State::Resolved;
    assert!(may(&by(3), &e, ActionKind::Rate));
    assert!(!may(&by(4), &e, ActionKind::Rate));
    assert!(may(&Actor::system(), &e, ActionKind::AutoClose));
    assert!(
        !may(&by(1), &e, ActionKind::AutoClose),
        "only the clock auto-closes"
    );
}

#[test]
fn nobody_verifies_their_own_report() {
    // A grid worker's patrol report: they may solve it on the spot or send it up, not verify it.
    let e = reported(OrgLevel::Grid, 50);
    assert!(!may(&by(50), &e, ActionKind::Verify));
    assert!(!may(&by(50), &e, ActionKind::Reject));
    assert!(may(&by(50), &e, ActionKind::ResolveOnSpot));
    let up = apply(&by(50), &e, &Action::Escalate).unwrap().facts;
    assert_eq!(up.holder_path(), "/1/2/", "straight to the township");
    assert!(may(&by(3), &up, ActionKind::Dispatch));
}

#[test]
fn the_dispatching_level_recalls_until_someone_accepts() {
    let mut e = reported(OrgLevel::Township, 70);
    e = apply(&by(3), &e, &Action::Verify).unwrap().facts;
    e = apply(
        &by(3),
        &e,
        &Action::Dispatch {
            to: Assignee::User(50),
        },
    )
    .unwrap()
    .facts;
    assert_eq!(e.level, OrgLevel::Grid);
    assert!(
        !may(&by(5), &e, ActionKind::Recall),
        "the village did not send it"
    );
    assert!(!may(&by(50), &e, ActionKind::Recall));
    let back = apply(&by(3), &e, &Action::Recall).unwrap().facts;
    assert_eq!(
        (back.state, back.level),
        (State::Verified, OrgLevel::Township)
    );
    assert_eq!(back.assignee, None);
    let taken = apply(&by(50), &e, &Action::Accept).unwrap().facts;
    assert!(
        !may(&by(3), &taken, ActionKind::Recall),
        "accepted: too late"
    );
}

#[test]
fn urgency_is_set_by_the_room_before_dispatch() {
    let e = reported(OrgLevel::Township, 70);
    let out = apply(
        &by(3),
        &e,
        &Action::SetUrgency {
            urgency: Urgency::Critical,
        },
    )
    .unwrap();
    assert_eq!(out.facts.urgency, Urgency::Critical);
    assert_eq!(out.facts.state, State::Reported);
    assert!(!may(&by(70), &e, ActionKind::SetUrgency));
    assert!(!may(&by(4), &e, ActionKind::SetUrgency));
}

#[test]
fn a_follow_up_answered_no_reopens_the_closed_event() {
    let mut e = reported(OrgLevel::Township, 70);
    e.state = State::Closed;
    assert!(!may(&by(70), &e, ActionKind::FollowUp), "not asked yet");
    e.follow_up_open = true;
    assert!(
        !may(&by(71), &e, ActionKind::FollowUp),
        "only the reporter answers"
    );
    let yes = apply(&by(70), &e, &Action::FollowUp { solved: true }).unwrap();
    assert_eq!(yes.facts.state, State::Closed);
    assert!(!yes.facts.follow_up_open && !yes.reopened);
    let no = apply(&by(70), &e, &Action::FollowUp { solved: false }).unwrap();
    assert!(no.reopened);
    assert_eq!(
        (no.facts.state, no.facts.holder_path().as_str()),
        (State::Verified, "/1/2/")
    );
}

#[test]
fn a_referral_names_where_it_went() {
    let mut e = reported(OrgLevel::Township, 70);
    for (who, act) in [
        (3, Action::Verify),
        (
            3,
            Action::Dispatch {
                to: Assignee::Department(7),
            },
        ),
        (60, Action::Accept),
    ] {
        e = apply(&by(who), &e, &act).unwrap().facts;
    }
    let nowhere = Action::Resolve {
        note: "不属本部门".into(),
        outcome: Resolution::Referred { to: " ".into() },
    };
    assert_eq!(
        apply(&by(60), &e, &nowhere),
        Err(TransitionError::Invalid("referred_to", "required"))
    );
    let bad_dup = Action::Resolve {
        note: "重复".into(),
        outcome: Resolution::Duplicate { of: "12".into() },
    };
    assert!(apply(&by(60), &e, &bad_dup).is_err());
    let dup = Action::Resolve {
        note: "重复".into(),
        outcome: Resolution::Duplicate {
            of: "LX20261201000012".into(),
        },
    };
    assert_eq!(
        apply(&by(60), &e, &dup).unwrap().facts.state,
        State::Resolved
    );
}

#[test]
fn state_groups_in_sql_are_the_rule() {
    assert_eq!(State::OPEN_SQL, State::sql_list(State::is_open));
    assert_eq!(State::TERMINAL_SQL, State::sql_list(State::is_terminal));
}

#[test]
fn ancestors() {
    assert_eq!(ancestor_path(GRID, OrgLevel::County), "/1/");
    assert_eq!(ancestor_path(GRID, OrgLevel::Village), "/1/2/3/");
    assert_eq!(ancestor_path(GRID, OrgLevel::Grid), GRID);
    for s in State::ALL {
        assert_eq!(State::parse(s.as_str()), Some(s));
    }
    for k in ActionKind::ALL {
        assert_eq!(ActionKind::parse(k.as_str()), Some(k));
    }
}

fn start() -> impl Strategy<Value = EventFacts> {
    prop_oneof![
        Just(reported(OrgLevel::Township, 70)),
        Just(reported(OrgLevel::Grid, 50)),
        Just(EventFacts {
            reporter_id: None,
            ..reported(OrgLevel::Township, 70)
        }),
        Just(EventFacts {
            state: State::Closed,
            follow_up_open: true,
            ..reported(OrgLevel::Township, 70)
        }),
    ]
}

/// Every action by every actor, once each.
fn moves() -> Vec<(Actor, Action)> {
    let mut out = vec![];
    for a in actors() {
        for act in actions() {
            out.push((a.clone(), act));
        }
    }
    out
}

fn can_finish(e: &EventFacts) -> bool {
    let all = moves();
    let mut seen = HashSet::new();
    let mut queue = VecDeque::from([e.clone()]);
    while let Some(cur) = queue.pop_front() {
        if cur.state.is_terminal() {
            return true;
        }
        let key = format!("{cur:?}");
        if !seen.insert(key) || seen.len() > 5000 {
            continue;
        }
        for (a, act) in &all {
            if let Ok(o) = apply(a, &cur, act) {
                queue.push_back(o.facts);
            }
        }
    }
    false
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Random walks: an illegal move never succeeds, a legal one lands where the table says, the
    /// facts stay consistent, an end state is never left, and an end state stays reachable.
    #[test]
    fn no_illegal_transition_succeeds(e0 in start(), picks in proptest::collection::vec(0usize..1000, 1..60)) {
        let all = moves();
        let mut e = e0;
        for p in picks {
            let (a, act) = &all[p % all.len()];
            let before = e.clone();
            match apply(a, &e, act) {
                Ok(o) => {
                    prop_assert!(may(a, &before, act.kind()));
                    prop_assert!(legal_targets(before.state, act.kind()).contains(&o.facts.state),
                        "{:?} --{:?}--> {:?}", before.state, act.kind(), o.facts.state);
                    // An end state is never left, except by the reporter's "not solved".
                    prop_assert!(!before.state.is_terminal() || act.kind() == ActionKind::FollowUp);
                    prop_assert!(consistent(&o.facts), "{:?}", o.facts);
                    prop_assert_eq!(o.from, before.state);
                    e = o.facts;
                }
                Err(TransitionError::NotAllowed) => {
                    prop_assert!(!may(a, &before, act.kind()));
                }
                Err(TransitionError::Invalid(..)) => {}
            }
            prop_assert_eq!(allowed(a, &e).iter().all(|k| may(a, &e, *k)), true);
        }
        prop_assert!(can_finish(&e), "stuck: {:?}", e);
    }

    /// What the UI offers is exactly what the server accepts.
    #[test]
    fn offered_actions_are_the_accepted_ones(e0 in start(), picks in proptest::collection::vec(0usize..1000, 0..30)) {
        let all = moves();
        let mut e = e0;
        for p in picks {
            let (a, act) = &all[p % all.len()];
            if let Ok(o) = apply(a, &e, act) { e = o.facts; }
        }
        for (a, act) in &all {
            let offered = allowed(a, &e).contains(&act.kind());
            let accepted = !matches!(apply(a, &e, act), Err(TransitionError::NotAllowed));
            prop_assert_eq!(offered, accepted, "{:?} {:?} on {:?}", a.role, act.kind(), e.state);
        }
    }
}
