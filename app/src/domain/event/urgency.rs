//! How urgent an event is (一般 / 紧急 / 特急) and the deadline that follows from it. A hazard to
//! life does not wait for Monday: a critical event's two hours run on the clock, nights and
//! holidays included; the others count working time.

use serde::{Deserialize, Serialize};

use crate::domain::calendar::WorkCalendar;

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum Urgency {
    #[default]
    Normal,
    Urgent,
    Critical,
}

/// An urgent event gets half its category's limit, but never less than this (working time).
pub const URGENT_FLOOR_SECS: i64 = 4 * 3600;
/// A critical event's limit, on the clock.
pub const CRITICAL_SECS: i64 = 2 * 3600;

impl Urgency {
    pub const ALL: [Urgency; 3] = [Urgency::Normal, Urgency::Urgent, Urgency::Critical];

    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Normal => "normal",
            Urgency::Urgent => "urgent",
            Urgency::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Urgency> {
        Urgency::ALL.into_iter().find(|u| u.as_str() == s)
    }

    /// The due and yellow (80%) instants of an event started at `start` whose category allows
    /// `limit_secs` of working time (with any approved extension added).
    pub fn deadline(self, cal: &WorkCalendar, start: i64, limit_secs: i64) -> (i64, i64) {
        match self {
            Urgency::Normal => cal.deadline(start, limit_secs),
            Urgency::Urgent => {
                let half = (limit_secs / 2).max(URGENT_FLOOR_SECS).min(limit_secs);
                cal.deadline(start, half)
            }
            Urgency::Critical => (start + CRITICAL_SECS, start + CRITICAL_SECS * 4 / 5),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Friday 2026-11-27 17:00 in UTC+8: the working day is nearly over.
    const FRIDAY_5PM: i64 = 1_796_202_000;

    #[test]
    fn urgency_shortens_the_limit_and_critical_runs_on_the_clock() {
        let cal = WorkCalendar::default();
        let three_days = 3 * cal.window_seconds();
        let (normal, _) = Urgency::Normal.deadline(&cal, FRIDAY_5PM, three_days);
        let (urgent, _) = Urgency::Urgent.deadline(&cal, FRIDAY_5PM, three_days);
        let (critical, yellow) = Urgency::Critical.deadline(&cal, FRIDAY_5PM, three_days);
        assert!(urgent < normal);
        assert_eq!(critical, FRIDAY_5PM + 2 * 3600, "not on Monday");
        assert_eq!(yellow, FRIDAY_5PM + 96 * 60);
        // A short limit is not stretched to the floor.
        let (two_hours, _) = Urgency::Urgent.deadline(&cal, FRIDAY_5PM, 2 * 3600);
        assert_eq!(two_hours, cal.deadline(FRIDAY_5PM, 2 * 3600).0);
        for u in Urgency::ALL {
            assert_eq!(Urgency::parse(u.as_str()), Some(u));
        }
    }
}
