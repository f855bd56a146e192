//! The closed loop of an event as one state machine, compiled into the WASM client (to offer only
//! the actions this user may take now) and the server (to enforce exactly the same rule).
//!
//! An event is *held* by one org unit at one level (grid, village, township, county): that unit's
//! command role verifies, dispatches, escalates or sends it down. Once dispatched it also has an
//! *assignee* (a department, or one person) who accepts, handles and resolves it.

/// The open states as an SQL list literal, so that queries can build their text with `concat!`;
/// `State::OPEN_SQL` is the same list, and a test holds both to `is_open`.
#[macro_export]
macro_rules! open_states_sql {
    () => {
        "('reported','verified','dispatched','handling')"
    };
}

/// The end states as an SQL list literal (`is_terminal`).
#[macro_export]
macro_rules! terminal_states_sql {
    () => {
        "('closed','rejected','merged')"
    };
}

use serde::{Deserialize, Serialize};

use super::org::{path_ids, path_within, OrgLevel};
use super::roles::Role;

pub mod notes;
pub mod urgency;

pub use urgency::Urgency;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum State {
    /// 待核实: waiting for the command room to verify it.
    Reported,
    /// 待派遣: verified, waiting to be dispatched at its level.
    Verified,
    /// 待签收: dispatched, the assignee has not accepted it yet.
    Dispatched,
    /// 处置中: being handled.
    Handling,
    /// 待评价: handled and fed back; waiting for the reporter's rating.
    Resolved,
    /// 已办结.
    Closed,
    /// 不予受理: rejected with a reason the reporter sees.
    Rejected,
    /// 已合并: a duplicate, merged into another event.
    Merged,
}

impl State {
    pub const ALL: [State; 8] = [
        State::Reported,
        State::Verified,
        State::Dispatched,
        State::Handling,
        State::Resolved,
        State::Closed,
        State::Rejected,
        State::Merged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Reported => "reported",
            State::Verified => "verified",
            State::Dispatched => "dispatched",
            State::Handling => "handling",
            State::Resolved => "resolved",
            State::Closed => "closed",
            State::Rejected => "rejected",
            State::Merged => "merged",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn is_terminal(self) -> bool {
        matches!(self, State::Closed | State::Rejected | State::Merged)
    }

    /// The open states as an SQL list, for queries that must filter as `is_open` does.
    pub const OPEN_SQL: &'static str = crate::open_states_sql!();
    /// The end states as an SQL list (`is_terminal`).
    pub const TERMINAL_SQL: &'static str = crate::terminal_states_sql!();

    /// The states for which `pick` holds, as an SQL list.
    pub fn sql_list(pick: impl Fn(State) -> bool) -> String {
        let names: Vec<String> = State::ALL
            .into_iter()
            .filter(|s| pick(*s))
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        format!("({})", names.join(","))
    }

    /// Open events run against their deadline and can be supervised.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            State::Reported | State::Verified | State::Dispatched | State::Handling
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Assignee {
    Department(i64),
    /// One person: a grid worker, or a cadre who took the event on themselves.
    User(i64),
}

/// What the rules need to know about an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventFacts {
    pub state: State,
    /// The level of the holding unit.
    pub level: OrgLevel,
    /// Materialised path of the event's grid; the holder is its ancestor at `level`.
    pub grid_path: String,
    pub assignee: Option<Assignee>,
    pub co_handlers: Vec<i64>,
    pub reporter_id: Option<i64>,
    pub pending_extension: bool,
    /// Residents who joined the report ("me too"): they follow it as its reporter does.
    #[serde(default)]
    pub co_reporters: Vec<i64>,
    /// The level that dispatched it, while the dispatch stands: that level may recall it.
    #[serde(default)]
    pub dispatched_from: Option<OrgLevel>,
    #[serde(default)]
    pub urgency: Urgency,
    /// A closed event whose reporter has been asked "解决了吗？" and has not answered yet.
    #[serde(default)]
    pub follow_up_open: bool,
}

impl EventFacts {
    /// A new report at `level` by `reporter`, as intake writes it.
    pub fn reported(level: OrgLevel, grid_path: &str, reporter: Option<i64>) -> EventFacts {
        EventFacts {
            state: State::Reported,
            level,
            grid_path: grid_path.into(),
            assignee: None,
            co_handlers: Vec::new(),
            reporter_id: reporter,
            pending_extension: false,
            co_reporters: Vec::new(),
            dispatched_from: None,
            urgency: Urgency::Normal,
            follow_up_open: false,
        }
    }

    /// Did `user` report this event, first or by joining it?
    pub fn reported_by(&self, user: i64) -> bool {
        self.reporter_id == Some(user) || self.co_reporters.contains(&user)
    }

    /// Path of the unit holding the event.
    pub fn holder_path(&self) -> String {
        ancestor_path(&self.grid_path, self.level)
    }
}

/// The ancestor of a grid path at `level` (county is the root of every path).
pub fn ancestor_path(grid_path: &str, level: OrgLevel) -> String {
    let depth = match level {
        OrgLevel::County => 1,
        OrgLevel::Township => 2,
        OrgLevel::Village => 3,
        OrgLevel::Grid | OrgLevel::Building => 4,
    };
    let ids = path_ids(grid_path);
    let mut out = String::from("/");
    for id in ids.iter().take(depth) {
        out.push_str(&id.to_string());
        out.push('/');
    }
    out
}

/// Who is acting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
    pub unit_path: String,
    pub department_id: Option<i64>,
}

impl Actor {
    /// The background jobs (auto-close, reminders).
    pub fn system() -> Actor {
        Actor {
            user_id: 0,
            role: Role::Admin,
            unit_path: String::new(),
            department_id: None,
        }
    }

    pub fn is_system(&self) -> bool {
        self.user_id == 0
    }
}

/// Days after closing when the reporter is asked "解决了吗？" (did it stay solved?).
pub const FOLLOW_UP_DAYS: i64 = 21;

/// Four dimensions, 1–5 each: 态度、能力、作风、结果.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scores {
    pub attitude: u8,
    pub ability: u8,
    pub conduct: u8,
    pub result: u8,
}

impl Scores {
    pub fn valid(&self) -> bool {
        [self.attitude, self.ability, self.conduct, self.result]
            .iter()
            .all(|s| (1..=5).contains(s))
    }

    /// Satisfied when no dimension is rated 2 or lower: one bad mark reopens the event.
    pub fn satisfied(&self) -> bool {
        [self.attitude, self.ability, self.conduct, self.result]
            .iter()
            .all(|s| *s >= 3)
    }

    pub fn mean(&self) -> f64 {
        (self.attitude + self.ability + self.conduct + self.result) as f64 / 4.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    Verify,
    Reject {
        reason: String,
    },
    Merge {
        into: i64,
    },
    Dispatch {
        to: Assignee,
    },
    /// The commander of the level takes the event on personally.
    TakeOn,
    Escalate,
    SendDown,
    Accept,
    Progress {
        note: String,
    },
    Resolve {
        note: String,
        /// What came of it; solved unless said otherwise.
        #[serde(default)]
        outcome: Resolution,
    },
    /// A grid worker solves what they reported there and then (能自行解决的立即处理).
    ResolveOnSpot {
        note: String,
    },
    Return {
        reason: String,
    },
    RequestExtension {
        hours: u32,
    },
    DecideExtension {
        approve: bool,
    },
    AddCoHandler {
        department: i64,
    },
    Supervise {
        note: String,
    },
    Rate {
        scores: Scores,
    },
    AutoClose,
    /// The level that dispatched takes the event back while nobody has accepted it.
    Recall,
    /// The command room marks how urgent it is (at intake or verification): a shorter limit.
    SetUrgency {
        urgency: Urgency,
    },
    /// The reporter's answer to "解决了吗？" some weeks after closing; "no" reopens it.
    FollowUp {
        solved: bool,
    },
}

/// How a handled event ended (办结方式).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Resolution {
    #[default]
    Solved,
    /// Not ours: referred on, to whom.
    Referred { to: String },
    /// Cannot be fixed; the note says why.
    CannotFix,
    /// The same as another event (its tracking number).
    Duplicate { of: String },
}

impl Resolution {
    pub fn as_str(&self) -> &'static str {
        match self {
            Resolution::Solved => "solved",
            Resolution::Referred { .. } => "referred",
            Resolution::CannotFix => "cannot_fix",
            Resolution::Duplicate { .. } => "duplicate",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ActionKind {
    Verify,
    Reject,
    Merge,
    Dispatch,
    TakeOn,
    Escalate,
    SendDown,
    Accept,
    Progress,
    Resolve,
    ResolveOnSpot,
    Return,
    RequestExtension,
    DecideExtension,
    AddCoHandler,
    Supervise,
    Rate,
    AutoClose,
    Recall,
    SetUrgency,
    FollowUp,
}

impl ActionKind {
    pub const ALL: [ActionKind; 21] = [
        ActionKind::Verify,
        ActionKind::Reject,
        ActionKind::Merge,
        ActionKind::Dispatch,
        ActionKind::TakeOn,
        ActionKind::Escalate,
        ActionKind::SendDown,
        ActionKind::Accept,
        ActionKind::Progress,
        ActionKind::Resolve,
        ActionKind::ResolveOnSpot,
        ActionKind::Return,
        ActionKind::RequestExtension,
        ActionKind::DecideExtension,
        ActionKind::AddCoHandler,
        ActionKind::Supervise,
        ActionKind::Rate,
        ActionKind::AutoClose,
        ActionKind::Recall,
        ActionKind::SetUrgency,
        ActionKind::FollowUp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Verify => "verify",
            ActionKind::Reject => "reject",
            ActionKind::Merge => "merge",
            ActionKind::Dispatch => "dispatch",
            ActionKind::TakeOn => "take_on",
            ActionKind::Escalate => "escalate",
            ActionKind::SendDown => "send_down",
            ActionKind::Accept => "accept",
            ActionKind::Progress => "progress",
            ActionKind::Resolve => "resolve",
            ActionKind::ResolveOnSpot => "resolve_on_spot",
            ActionKind::Return => "return",
            ActionKind::RequestExtension => "request_extension",
            ActionKind::DecideExtension => "decide_extension",
            ActionKind::AddCoHandler => "add_co_handler",
            ActionKind::Supervise => "supervise",
            ActionKind::Rate => "rate",
            ActionKind::AutoClose => "auto_close",
            ActionKind::Recall => "recall",
            ActionKind::SetUrgency => "set_urgency",
            ActionKind::FollowUp => "follow_up",
        }
    }

    pub fn parse(s: &str) -> Option<ActionKind> {
        ActionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Verify => ActionKind::Verify,
            Action::Reject { .. } => ActionKind::Reject,
            Action::Merge { .. } => ActionKind::Merge,
            Action::Dispatch { .. } => ActionKind::Dispatch,
            Action::TakeOn => ActionKind::TakeOn,
            Action::Escalate => ActionKind::Escalate,
            Action::SendDown => ActionKind::SendDown,
            Action::Accept => ActionKind::Accept,
            Action::Progress { .. } => ActionKind::Progress,
            Action::Resolve { .. } => ActionKind::Resolve,
            Action::ResolveOnSpot { .. } => ActionKind::ResolveOnSpot,
            Action::Return { .. } => ActionKind::Return,
            Action::RequestExtension { .. } => ActionKind::RequestExtension,
            Action::DecideExtension { .. } => ActionKind::DecideExtension,
            Action::AddCoHandler { .. } => ActionKind::AddCoHandler,
            Action::Supervise { .. } => ActionKind::Supervise,
            Action::Rate { .. } => ActionKind::Rate,
            Action::AutoClose => ActionKind::AutoClose,
            Action::Recall => ActionKind::Recall,
            Action::SetUrgency { .. } => ActionKind::SetUrgency,
            Action::FollowUp { .. } => ActionKind::FollowUp,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransitionError {
    /// Not allowed for this user, or not in this state.
    NotAllowed,
    /// The input is wrong: (field, reason key for i18n).
    Invalid(&'static str, &'static str),
}

/// The role that commands events held at `level`.
pub fn commander_role(level: OrgLevel) -> Role {
    match level {
        OrgLevel::County => Role::CountySupervisor,
        OrgLevel::Township => Role::TownshipDispatcher,
        OrgLevel::Village => Role::VillageCadre,
        OrgLevel::Grid | OrgLevel::Building => Role::GridWorker,
    }
}

/// Where "上报上级" sends an event. From a grid it goes to the township command room, which
/// collects and dispatches everything (the village still sees it and can be sent it); above
/// that, one level up.
fn level_up(level: OrgLevel) -> Option<OrgLevel> {
    match level {
        OrgLevel::Grid | OrgLevel::Building => Some(OrgLevel::Township),
        OrgLevel::Village => Some(OrgLevel::Township),
        OrgLevel::Township => Some(OrgLevel::County),
        OrgLevel::County => None,
    }
}

fn level_down(level: OrgLevel) -> Option<OrgLevel> {
    match level {
        OrgLevel::County => Some(OrgLevel::Township),
        OrgLevel::Township => Some(OrgLevel::Village),
        OrgLevel::Village => Some(OrgLevel::Grid),
        OrgLevel::Grid | OrgLevel::Building => None,
    }
}

fn is_commander(a: &Actor, e: &EventFacts) -> bool {
    commands_at(a, e, e.level)
}

/// Does `a` command the unit above the event's grid at `level`?
fn commands_at(a: &Actor, e: &EventFacts, level: OrgLevel) -> bool {
    let unit = ancestor_path(&e.grid_path, level);
    if a.role == Role::Admin && !a.is_system() {
        return path_within(&unit, &a.unit_path);
    }
    a.role == commander_role(level) && a.unit_path == unit
}

fn is_assignee(a: &Actor, e: &EventFacts) -> bool {
    match e.assignee {
        Some(Assignee::Department(d)) => {
            a.role == Role::DepartmentStaff && a.department_id == Some(d)
        }
        Some(Assignee::User(u)) => a.user_id == u && !a.is_system(),
        None => false,
    }
}

fn is_co_handler(a: &Actor, e: &EventFacts) -> bool {
    a.role == Role::DepartmentStaff && a.department_id.is_some_and(|d| e.co_handlers.contains(&d))
}

/// A cadre above the holder (or the holder's own command room, for a department's request).
fn is_supervisor(a: &Actor, e: &EventFacts) -> bool {
    if a.is_system() || is_assignee(a, e) {
        return false;
    }
    let above = matches!(
        a.role,
        Role::Admin | Role::CountySupervisor | Role::TownshipDispatcher | Role::VillageCadre
    );
    above && path_within(&e.holder_path(), &a.unit_path) && !a.unit_path.is_empty()
}

/// May `a` take an action of `kind` on `e` now?
pub fn may(a: &Actor, e: &EventFacts, kind: ActionKind) -> bool {
    use ActionKind as K;
    use State as S;
    let s = e.state;
    match kind {
        // Nobody verifies (or turns down) what they reported themselves.
        K::Verify | K::Reject => {
            s == S::Reported && is_commander(a, e) && e.reporter_id != Some(a.user_id)
        }
        K::Merge => matches!(s, S::Reported | S::Verified) && is_commander(a, e),
        K::Dispatch => s == S::Verified && is_commander(a, e) && e.level != OrgLevel::Grid,
        K::TakeOn => s == S::Verified && is_commander(a, e),
        K::Escalate => {
            level_up(e.level).is_some()
                && ((matches!(s, S::Reported | S::Verified) && is_commander(a, e))
                    || (matches!(s, S::Dispatched | S::Handling)
                        && matches!(e.assignee, Some(Assignee::User(_)))
                        && is_assignee(a, e)))
        }
        K::SendDown => s == S::Verified && level_down(e.level).is_some() && is_commander(a, e),
        K::Accept => s == S::Dispatched && is_assignee(a, e),
        K::Progress => s == S::Handling && (is_assignee(a, e) || is_co_handler(a, e)),
        K::Resolve => s == S::Handling && is_assignee(a, e),
        K::ResolveOnSpot => {
            s == S::Reported
                && e.level == OrgLevel::Grid
                && a.role == Role::GridWorker
                && e.reporter_id == Some(a.user_id)
                && is_commander(a, e)
        }
        K::Return => {
            matches!(s, S::Dispatched | S::Handling)
                && matches!(e.assignee, Some(Assignee::Department(_)))
                && is_assignee(a, e)
        }
        K::RequestExtension => s == S::Handling && !e.pending_extension && is_assignee(a, e),
        K::DecideExtension => s == S::Handling && e.pending_extension && is_supervisor(a, e),
        K::AddCoHandler => matches!(s, S::Dispatched | S::Handling) && is_commander(a, e),
        K::Supervise => {
            s.is_open()
                && is_supervisor(a, e)
                && matches!(
                    a.role,
                    Role::Admin | Role::CountySupervisor | Role::TownshipDispatcher
                )
        }
        K::Rate => {
            s == S::Resolved
                && !a.is_system()
                && match e.reporter_id {
                    Some(r) => a.user_id == r,
                    // A hotline caller has no account: the command room records the call-back.
                    None => {
                        a.role == Role::TownshipDispatcher
                            && a.unit_path == ancestor_path(&e.grid_path, OrgLevel::Township)
                    }
                }
        }
        K::AutoClose => s == S::Resolved && a.is_system(),
        K::Recall => s == S::Dispatched && e.dispatched_from.is_some_and(|l| commands_at(a, e, l)),
        K::SetUrgency => matches!(s, S::Reported | S::Verified) && is_commander(a, e),
        K::FollowUp => {
            s == S::Closed && e.follow_up_open && !a.is_system() && e.reporter_id == Some(a.user_id)
        }
    }
}

/// Every action `a` may take on `e` now, for the UI.
pub fn allowed(a: &Actor, e: &EventFacts) -> Vec<ActionKind> {
    ActionKind::ALL
        .into_iter()
        .filter(|k| may(a, e, *k))
        .collect()
}

/// What a transition changes; the caller stores it with the timeline step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub facts: EventFacts,
    pub from: State,
    /// The pending extension was approved: its hours add to the time limit.
    pub extension_approved: bool,
    /// Counts against the owner (督办).
    pub supervision: bool,
    /// A dissatisfied rating sent the event back to the command room.
    pub reopened: bool,
}

fn need_text(field: &'static str, s: &str) -> Result<(), TransitionError> {
    let n = s.trim().chars().count();
    if n == 0 {
        Err(TransitionError::Invalid(field, "required"))
    } else if n > 2000 {
        Err(TransitionError::Invalid(field, "too_long"))
    } else {
        Ok(())
    }
}

/// Applies `action` by `a` to `e`: the one function both sides use. Validates the payload's form;
/// whether a target department or person exists in scope is the store's question.
pub fn apply(a: &Actor, e: &EventFacts, action: &Action) -> Result<Outcome, TransitionError> {
    if !may(a, e, action.kind()) {
        return Err(TransitionError::NotAllowed);
    }
    let mut f = e.clone();
    let mut extension_approved = false;
    let mut supervision = false;
    let mut reopened = false;
    match action {
        Action::Verify => f.state = State::Verified,
        Action::Reject { reason } => {
            need_text("reason", reason)?;
            f.state = State::Rejected;
        }
        Action::Merge { .. } => {
            f.state = State::Merged;
            f.assignee = None;
        }
        Action::Dispatch { to } => {
            f.dispatched_from = Some(e.level);
            if let Assignee::User(_) = to {
                // A person on the ground: the event moves down to the grid.
                f.level = OrgLevel::Grid;
            }
            f.assignee = Some(*to);
            f.state = State::Dispatched;
        }
        Action::TakeOn => {
            f.assignee = Some(Assignee::User(a.user_id));
            f.state = State::Handling;
        }
        Action::Escalate => {
            f.level = level_up(e.level).ok_or(TransitionError::NotAllowed)?;
            f.dispatched_from = None;
            f.assignee = None;
            f.co_handlers.clear();
            f.pending_extension = false;
            f.state = State::Verified;
        }
        Action::SendDown => {
            f.level = level_down(e.level).ok_or(TransitionError::NotAllowed)?;
            f.state = State::Verified;
        }
        Action::Accept => {
            f.state = State::Handling;
            f.dispatched_from = None;
        }
        Action::Progress { note } => need_text("note", note)?,
        Action::Resolve { note, outcome } => {
            need_text("note", note)?;
            match outcome {
                Resolution::Referred { to } => need_text("referred_to", to)?,
                Resolution::Duplicate { of } => {
                    if !looks_like_tracking_no(of) {
                        return Err(TransitionError::Invalid("duplicate_of", "invalid_value"));
                    }
                }
                Resolution::Solved | Resolution::CannotFix => {}
            }
            f.pending_extension = false;
            f.state = State::Resolved;
        }
        Action::ResolveOnSpot { note } => {
            need_text("note", note)?;
            if action.kind() == ActionKind::ResolveOnSpot {
                f.assignee = Some(Assignee::User(a.user_id));
            }
            f.pending_extension = false;
            f.state = State::Resolved;
        }
        Action::Return { reason } => {
            need_text("reason", reason)?;
            f.dispatched_from = None;
            f.assignee = None;
            f.co_handlers.clear();
            f.pending_extension = false;
            f.state = State::Verified;
        }
        Action::RequestExtension { hours } => {
            if *hours == 0 || *hours > 24 * 30 {
                return Err(TransitionError::Invalid("hours", "out_of_range"));
            }
            f.pending_extension = true;
        }
        Action::DecideExtension { approve } => {
            f.pending_extension = false;
            extension_approved = *approve;
        }
        Action::AddCoHandler { department } => {
            if Some(Assignee::Department(*department)) == e.assignee
                || e.co_handlers.contains(department)
            {
                return Err(TransitionError::Invalid("department", "already_handling"));
            }
            f.co_handlers.push(*department);
        }
        Action::Supervise { note } => {
            need_text("note", note)?;
            supervision = true;
        }
        Action::Rate { scores } => {
            if !scores.valid() {
                return Err(TransitionError::Invalid("scores", "out_of_range"));
            }
            if scores.satisfied() {
                f.state = State::Closed;
            } else {
                reopen(&mut f);
                reopened = true;
            }
        }
        Action::AutoClose => f.state = State::Closed,
        Action::Recall => {
            f.level = e.dispatched_from.ok_or(TransitionError::NotAllowed)?;
            f.dispatched_from = None;
            f.assignee = None;
            f.co_handlers.clear();
            f.pending_extension = false;
            f.state = State::Verified;
        }
        Action::SetUrgency { urgency } => f.urgency = *urgency,
        Action::FollowUp { solved } => {
            f.follow_up_open = false;
            if !solved {
                reopen(&mut f);
                reopened = true;
            }
        }
    }
    Ok(Outcome {
        facts: f,
        from: e.state,
        extension_approved,
        supervision,
        reopened,
    })
}

/// Back to the township command room that owns the grid, to be handled again.
fn reopen(f: &mut EventFacts) {
    f.state = State::Verified;
    f.level = OrgLevel::Township;
    f.assignee = None;
    f.co_handlers.clear();
    f.dispatched_from = None;
    f.pending_extension = false;
}

/// `LX` + eight digits of date + at least six of sequence (see the store's `tracking_no`).
pub fn looks_like_tracking_no(s: &str) -> bool {
    let s = s.trim();
    s.len() >= 16 && s.starts_with("LX") && s[2..].bytes().all(|b| b.is_ascii_digit())
}

/// Consistency every stored event keeps: an assignee exactly while dispatched or handling.
pub fn consistent(e: &EventFacts) -> bool {
    let assignee_ok = match e.state {
        State::Dispatched | State::Handling => e.assignee.is_some(),
        State::Reported | State::Verified | State::Merged => e.assignee.is_none(),
        State::Resolved | State::Closed | State::Rejected => true,
    };
    let user_at_grid = match (e.state, e.assignee) {
        (State::Dispatched, Some(Assignee::User(_))) => e.level == OrgLevel::Grid,
        _ => true,
    };
    let recall_ok = e.dispatched_from.is_none() || e.state == State::Dispatched;
    assignee_ok
        && user_at_grid
        && recall_ok
        && (!e.pending_extension || e.state == State::Handling)
        && (!e.follow_up_open || e.state == State::Closed)
}

#[cfg(test)]
mod tests;
