use serde::{Deserialize, Serialize};

/// The meetings of branch life: 三会 (支部党员大会, 支委会, 党小组会), 一课 (党课) and 主题党日.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MeetingKind {
    /// 支部党员大会
    Assembly,
    /// 支部委员会
    Committee,
    /// 党小组会
    Group,
    /// 党课
    Lecture,
    /// 主题党日
    ThemeDay,
}

impl MeetingKind {
    pub const ALL: [MeetingKind; 5] = [
        MeetingKind::Assembly,
        MeetingKind::Committee,
        MeetingKind::Group,
        MeetingKind::Lecture,
        MeetingKind::ThemeDay,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MeetingKind::Assembly => "assembly",
            MeetingKind::Committee => "committee",
            MeetingKind::Group => "group",
            MeetingKind::Lecture => "lecture",
            MeetingKind::ThemeDay => "theme_day",
        }
    }

    pub fn parse(s: &str) -> Option<MeetingKind> {
        MeetingKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MeetingState {
    /// Planned or under way: members check in during the window.
    Planned,
    /// Held and recorded (minutes written): counts for compliance.
    Closed,
}

impl MeetingState {
    pub fn as_str(self) -> &'static str {
        match self {
            MeetingState::Planned => "planned",
            MeetingState::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<MeetingState> {
        match s {
            "planned" => Some(MeetingState::Planned),
            "closed" => Some(MeetingState::Closed),
            _ => None,
        }
    }
}

/// How a member took part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AttendMode {
    /// In the room, checked in with the code shown there.
    Present,
    /// From elsewhere (流动党员 working away), checked in with the code read out online.
    Remote,
    /// Not there, with the reason the secretary recorded (请假).
    Absent,
}

impl AttendMode {
    pub fn as_str(self) -> &'static str {
        match self {
            AttendMode::Present => "present",
            AttendMode::Remote => "remote",
            AttendMode::Absent => "absent",
        }
    }

    pub fn parse(s: &str) -> Option<AttendMode> {
        [AttendMode::Present, AttendMode::Remote, AttendMode::Absent]
            .into_iter()
            .find(|m| m.as_str() == s)
    }

    /// Taking part earns branch-life points; an absence does not.
    pub fn earns(self) -> bool {
        self != AttendMode::Absent
    }
}

/// Check-in opens this long before the start, for members arriving early.
pub const CHECKIN_EARLY_SECS: i64 = 30 * 60;
pub const MIN_DURATION_MIN: i64 = 15;
pub const MAX_DURATION_MIN: i64 = 8 * 60;
/// Digits of the check-in code shown in the room.
pub const CODE_LEN: usize = 6;

/// Whether `code` could be a check-in code at all (six digits), before any lookup.
pub fn is_code_shape(code: &str) -> bool {
    code.len() == CODE_LEN && code.bytes().all(|b| b.is_ascii_digit())
}

/// The instants between which the code is accepted: from a little before the start to the end.
pub fn checkin_window(starts_at: i64, ends_at: i64) -> (i64, i64) {
    (starts_at - CHECKIN_EARLY_SECS, ends_at)
}

/// A meeting as a secretary plans it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub topic: String,
    pub place: String,
    pub starts_at: i64,
    pub duration_min: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlanError {
    TopicRequired,
    TopicTooLong,
    PlaceTooLong,
    BadDuration,
    /// More than a year ahead or more than 90 days back (a record typed in late is fine).
    OutOfRange,
}

impl PlanError {
    /// (field, reason) as the error type names them.
    pub fn field_reason(self) -> (&'static str, &'static str) {
        match self {
            PlanError::TopicRequired => ("topic", "required"),
            PlanError::TopicTooLong => ("topic", "too_long"),
            PlanError::PlaceTooLong => ("place", "too_long"),
            PlanError::BadDuration => ("duration", "out_of_range"),
            PlanError::OutOfRange => ("starts_at", "out_of_range"),
        }
    }
}

pub fn validate_plan(p: &Plan, now: i64) -> Result<(), PlanError> {
    let topic = p.topic.trim();
    if topic.is_empty() {
        return Err(PlanError::TopicRequired);
    }
    if topic.chars().count() > 100 {
        return Err(PlanError::TopicTooLong);
    }
    if p.place.trim().chars().count() > 100 {
        return Err(PlanError::PlaceTooLong);
    }
    if !(MIN_DURATION_MIN..=MAX_DURATION_MIN).contains(&p.duration_min) {
        return Err(PlanError::BadDuration);
    }
    if p.starts_at < now - 90 * 86_400 || p.starts_at > now + 366 * 86_400 {
        return Err(PlanError::OutOfRange);
    }
    Ok(())
}

/// Why a check-in is refused; each has its own message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckInError {
    /// No meeting of the member's branch has this code.
    WrongCode,
    /// The code is another branch's meeting.
    OtherBranch,
    /// Too early: the window has not opened.
    NotYet,
    /// The window has passed or the meeting is closed.
    Over,
}

impl CheckInError {
    pub fn reason(self) -> &'static str {
        match self {
            CheckInError::WrongCode => "wrong_code",
            CheckInError::OtherBranch => "other_branch",
            CheckInError::NotYet => "checkin_not_yet",
            CheckInError::Over => "checkin_over",
        }
    }
}

/// Whether a member of `member_branch` may check in now to a meeting found by its code.
pub fn check_in(
    member_branch: i64,
    meeting_branch: i64,
    state: MeetingState,
    starts_at: i64,
    ends_at: i64,
    now: i64,
) -> Result<(), CheckInError> {
    if member_branch != meeting_branch {
        return Err(CheckInError::OtherBranch);
    }
    let (from, until) = checkin_window(starts_at, ends_at);
    if state == MeetingState::Closed || now > until {
        return Err(CheckInError::Over);
    }
    if now < from {
        return Err(CheckInError::NotYet);
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CloseError {
    AlreadyClosed,
    /// A meeting that has not started cannot have been held.
    NotStarted,
    MinutesRequired,
    MinutesTooLong,
}

impl CloseError {
    pub fn field_reason(self) -> (&'static str, &'static str) {
        match self {
            CloseError::AlreadyClosed => ("meeting", "already_closed"),
            CloseError::NotStarted => ("meeting", "not_started"),
            CloseError::MinutesRequired => ("minutes", "required"),
            CloseError::MinutesTooLong => ("minutes", "too_long"),
        }
    }
}

pub const MAX_MINUTES_CHARS: usize = 5000;

/// Closing records the meeting as held: it must have begun and have its minutes.
pub fn close(
    state: MeetingState,
    starts_at: i64,
    minutes: &str,
    now: i64,
) -> Result<(), CloseError> {
    if state == MeetingState::Closed {
        return Err(CloseError::AlreadyClosed);
    }
    if now < starts_at {
        return Err(CloseError::NotStarted);
    }
    let m = minutes.trim();
    if m.is_empty() {
        return Err(CloseError::MinutesRequired);
    }
    if m.chars().count() > MAX_MINUTES_CHARS {
        return Err(CloseError::MinutesTooLong);
    }
    Ok(())
}
