//! Rectification (整改): the township or county asks a branch that missed a requirement to make
//! it good by a deadline, and follows it up; the branch's secretary says what was done. One
//! request per missed cell (branch × requirement × period).

use serde::{Deserialize, Serialize};
use time::Date;

use crate::domain::party::MeetingAccess;
use crate::domain::roles::Role;

/// The longest deadline a request may set, in days.
pub const MAX_RECTIFY_DAYS: i64 = 30;
pub const MAX_RECTIFY_NOTE: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RectifyState {
    Open,
    /// Past its deadline and not done: red until it is.
    Overdue,
    Done,
}

impl RectifyState {
    pub fn as_str(self) -> &'static str {
        match self {
            RectifyState::Open => "open",
            RectifyState::Overdue => "overdue",
            RectifyState::Done => "done",
        }
    }
}

/// A request's state on `today`: done, or open until the end of its deadline day.
pub fn rectify_state(due: Date, done: bool, today: Date) -> RectifyState {
    match (done, today > due) {
        (true, _) => RectifyState::Done,
        (false, true) => RectifyState::Overdue,
        (false, false) => RectifyState::Open,
    }
}

/// Those above the branch ask for rectification (the township, the county, the administrator).
pub fn may_request(access: MeetingAccess, role: Role) -> bool {
    matches!(access, MeetingAccess::Watch)
        || (access == MeetingAccess::Manage && role == Role::Admin)
}

/// The branch's secretary answers it.
pub fn may_answer(access: MeetingAccess) -> bool {
    access == MeetingAccess::Manage
}

/// A request is for a missed cell, with a deadline of 1 to `MAX_RECTIFY_DAYS` days.
pub fn validate_request(cell_state: &str, days: i64) -> Result<(), (&'static str, &'static str)> {
    if cell_state != "missed" {
        return Err(("period", "rectify_not_missed"));
    }
    if !(1..=MAX_RECTIFY_DAYS).contains(&days) {
        return Err(("rectify_days", "rectify_days"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::parse_date;

    #[test]
    fn open_until_the_deadline_day_ends() {
        let due = parse_date("2026-12-10").unwrap();
        let on = |s| parse_date(s).unwrap();
        assert_eq!(
            rectify_state(due, false, on("2026-12-10")),
            RectifyState::Open
        );
        assert_eq!(
            rectify_state(due, false, on("2026-12-11")),
            RectifyState::Overdue
        );
        assert_eq!(
            rectify_state(due, true, on("2027-01-01")),
            RectifyState::Done
        );
    }

    #[test]
    fn above_asks_the_secretary_answers() {
        assert!(may_request(MeetingAccess::Watch, Role::TownshipDispatcher));
        assert!(may_request(MeetingAccess::Manage, Role::Admin));
        assert!(!may_request(MeetingAccess::Manage, Role::VillageCadre));
        assert!(!may_request(MeetingAccess::Attend, Role::PartyMember));
        assert!(may_answer(MeetingAccess::Manage) && !may_answer(MeetingAccess::Watch));
    }

    #[test]
    fn only_a_miss_with_a_sensible_deadline() {
        assert!(validate_request("missed", 7).is_ok());
        assert_eq!(
            validate_request("due", 7),
            Err(("period", "rectify_not_missed"))
        );
        assert_eq!(
            validate_request("met", 7),
            Err(("period", "rectify_not_missed"))
        );
        assert_eq!(
            validate_request("missed", 0),
            Err(("rectify_days", "rectify_days"))
        );
        assert_eq!(
            validate_request("missed", MAX_RECTIFY_DAYS + 1),
            Err(("rectify_days", "rectify_days"))
        );
    }
}
