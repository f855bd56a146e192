//! 党员联户: each party member serves a few households of their village ("1+7"), visits them
//! (走访) and is the one their residents ask for help. Who may link a household to a member,
//! and what a visit must say, are decided here.

use crate::domain::org::path_within;
use crate::domain::party::MeetingAccess;

/// The seeds' "1+7": the number of households one member usually serves; the secretary's page
/// shows each member against it (a guide, not a limit).
pub const HOUSEHOLDS_PER_MEMBER: usize = 7;
/// A visit may be recorded up to this many days after it happened.
pub const VISIT_LATE_DAYS: i64 = 30;
pub const MAX_VISIT_NOTES: usize = 500;
pub const MAX_VISIT_PLACE: usize = 100;

/// The branch's secretary (or an administrator over it) links a household of the branch's
/// village to one of its members.
pub fn may_link(access: MeetingAccess, household_path: &str, branch_path: &str) -> bool {
    access == MeetingAccess::Manage && path_within(household_path, branch_path)
}

/// Checks a visit: at `at` (not in the future, at most `VISIT_LATE_DAYS` ago) with notes.
/// Err is (field, reason).
pub fn validate_visit(
    at: i64,
    now: i64,
    place: &str,
    notes: &str,
) -> Result<(), (&'static str, &'static str)> {
    if at > now + 60 {
        return Err(("visit_at", "in_future"));
    }
    if at < now - VISIT_LATE_DAYS * 86_400 {
        return Err(("visit_at", "visit_too_old"));
    }
    if place.trim().chars().count() > MAX_VISIT_PLACE {
        return Err(("place", "too_long"));
    }
    let n = notes.trim().chars().count();
    if n == 0 {
        return Err(("visit_notes", "required"));
    }
    if n > MAX_VISIT_NOTES {
        return Err(("visit_notes", "too_long"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_secretary_links_and_only_within_the_village() {
        let village = "/1/7/42/";
        assert!(may_link(MeetingAccess::Manage, "/1/7/42/99/", village));
        assert!(!may_link(MeetingAccess::Manage, "/1/7/43/99/", village));
        assert!(!may_link(MeetingAccess::Watch, "/1/7/42/99/", village));
        assert!(!may_link(MeetingAccess::Attend, "/1/7/42/99/", village));
    }

    #[test]
    fn a_visit_says_what_happened_and_when() {
        let now = 1_800_000_000;
        assert!(validate_visit(now - 3600, now, "家中", "了解老人身体情况").is_ok());
        assert_eq!(
            validate_visit(now + 86_400, now, "", "x"),
            Err(("visit_at", "in_future"))
        );
        assert_eq!(
            validate_visit(now - (VISIT_LATE_DAYS + 1) * 86_400, now, "", "x"),
            Err(("visit_at", "visit_too_old"))
        );
        assert_eq!(
            validate_visit(now, now, "", "  "),
            Err(("visit_notes", "required"))
        );
        assert_eq!(
            validate_visit(now, now, "", &"字".repeat(MAX_VISIT_NOTES + 1)),
            Err(("visit_notes", "too_long"))
        );
        assert_eq!(
            validate_visit(now, now, &"地".repeat(MAX_VISIT_PLACE + 1), "x"),
            Err(("place", "too_long"))
        );
    }
}
