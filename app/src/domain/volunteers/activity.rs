//! An activity from publication to closing, and a volunteer's sign-up to it.

use serde::{Deserialize, Serialize};

/// Check-in opens this long before the start, for volunteers arriving early.
pub const CHECKIN_EARLY_SECS: i64 = 30 * 60;
/// The most places an activity offers.
pub const MAX_LIMIT: i64 = 500;
pub const MIN_MINUTES: i64 = 30;
pub const MAX_MINUTES: i64 = 12 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActivityState {
    /// Published: volunteers sign up until it begins and check in while it runs.
    Open,
    /// Closed by its organiser: the hours are credited, nothing changes any more.
    Closed,
}

impl ActivityState {
    pub const ALL: [ActivityState; 2] = [ActivityState::Open, ActivityState::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            ActivityState::Open => "open",
            ActivityState::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SignupState {
    Signed,
    CheckedIn,
    Withdrawn,
}

impl SignupState {
    pub const ALL: [SignupState; 3] = [
        SignupState::Signed,
        SignupState::CheckedIn,
        SignupState::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SignupState::Signed => "signed",
            SignupState::CheckedIn => "checked_in",
            SignupState::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Holds one of the activity's places.
    pub fn holds_place(self) -> bool {
        self != SignupState::Withdrawn
    }
}

/// What the rules need to know of an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActivityFacts {
    pub state: ActivityState,
    pub starts_at: i64,
    pub ends_at: i64,
    pub limit: i64,
    pub signed: i64,
}

/// Why a volunteer's request was refused; `key` names the message under `errors.`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Full,
    Started,
    Over,
    Closed,
    AlreadySigned,
    NotSigned,
    WrongCode,
    NotNow,
}

impl Refusal {
    pub fn key(self) -> &'static str {
        match self {
            Refusal::Full => "activity_full",
            Refusal::Started => "activity_started",
            Refusal::Over => "activity_over",
            Refusal::Closed => "activity_closed",
            Refusal::AlreadySigned => "already_signed",
            Refusal::NotSigned => "not_signed",
            Refusal::WrongCode => "activity_wrong_code",
            Refusal::NotNow => "checkin_not_now",
        }
    }
}

pub fn places_left(limit: i64, signed: i64) -> i64 {
    (limit - signed).max(0)
}

/// May a volunteer take a place now? `mine` is their sign-up to it, if any. Places are taken
/// until the activity ends: volunteers who turn up on the day sign up on the spot (现场报名).
pub fn may_sign_up(a: &ActivityFacts, mine: Option<SignupState>, now: i64) -> Result<(), Refusal> {
    if a.state != ActivityState::Open {
        return Err(Refusal::Closed);
    }
    if now >= a.ends_at {
        return Err(Refusal::Over);
    }
    if mine.is_some_and(SignupState::holds_place) {
        return Err(Refusal::AlreadySigned);
    }
    if a.signed >= a.limit {
        return Err(Refusal::Full);
    }
    Ok(())
}

/// A volunteer gives their place back until the activity begins (once it has, the organiser
/// needs to know who is coming).
pub fn may_withdraw(a: &ActivityFacts, mine: Option<SignupState>, now: i64) -> Result<(), Refusal> {
    if a.state != ActivityState::Open {
        return Err(Refusal::Closed);
    }
    if mine != Some(SignupState::Signed) {
        return Err(Refusal::NotSigned);
    }
    if now >= a.starts_at {
        return Err(Refusal::Started);
    }
    Ok(())
}

/// The instants between which check-in is accepted.
pub fn checkin_window(starts_at: i64, ends_at: i64) -> (i64, i64) {
    (starts_at - CHECKIN_EARLY_SECS, ends_at)
}

/// May a signed-up volunteer check in now with this code? Checking in twice is no error.
pub fn may_check_in(
    a: &ActivityFacts,
    mine: Option<SignupState>,
    code_matches: bool,
    now: i64,
) -> Result<(), Refusal> {
    if a.state != ActivityState::Open {
        return Err(Refusal::Closed);
    }
    if !mine.is_some_and(SignupState::holds_place) {
        return Err(Refusal::NotSigned);
    }
    let (from, until) = checkin_window(a.starts_at, a.ends_at);
    if now < from || now > until {
        return Err(Refusal::NotNow);
    }
    if !code_matches {
        return Err(Refusal::WrongCode);
    }
    Ok(())
}

/// The organiser closes an activity once it has begun; closing credits the hours.
pub fn may_close(a: &ActivityFacts, now: i64) -> Result<(), Refusal> {
    if a.state != ActivityState::Open {
        return Err(Refusal::Closed);
    }
    if now < a.starts_at {
        return Err(Refusal::NotNow);
    }
    Ok(())
}

/// An activity as an organiser publishes it; the error is (field, key under `errors.`).
pub fn validate_activity(
    title: &str,
    starts_at: i64,
    minutes: i64,
    limit: i64,
    now: i64,
) -> Result<(), (&'static str, &'static str)> {
    if title.trim().is_empty() {
        return Err(("activity_title", "required"));
    }
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(("sign_up_limit", "limit_range"));
    }
    if !(MIN_MINUTES..=MAX_MINUTES).contains(&minutes) {
        return Err(("duration", "minutes_range"));
    }
    if starts_at <= now {
        return Err(("start", "slot_in_past"));
    }
    Ok(())
}

/// Who runs a team's activities and who sees them: the rule of a service point (a team serves
/// the area below its unit; the command roles of that unit or above run it; the county
/// oversees).
pub fn team_access(
    role: crate::domain::roles::Role,
    caller_path: &str,
    team_path: &str,
) -> crate::domain::services::PointAccess {
    crate::domain::services::point_access(role, caller_path, team_path)
}

/// Anyone living or working in the area a team serves may volunteer with it, cadres included.
pub fn may_join(caller_path: &str, team_path: &str) -> bool {
    crate::domain::org::path_within(caller_path, team_path)
}
