use serde::{Deserialize, Serialize};
use time::Date;

use super::meeting::MeetingKind;
use crate::domain::scoring::{Period, PeriodKind};

/// How often a requirement falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Cadence {
    Month,
    Quarter,
}

impl Cadence {
    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Month => "month",
            Cadence::Quarter => "quarter",
        }
    }

    pub fn parse(s: &str) -> Option<Cadence> {
        match s {
            "month" => Some(Cadence::Month),
            "quarter" => Some(Cadence::Quarter),
            _ => None,
        }
    }

    pub fn period_kind(self) -> PeriodKind {
        match self {
            Cadence::Month => PeriodKind::Month,
            Cadence::Quarter => PeriodKind::Quarter,
        }
    }
}

/// What a branch owes: at least `min_count` closed meetings of `kind` in every period of its
/// cadence, from `effective_from` (a period's first day) on. `min_count` 0 retires it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    pub kind: MeetingKind,
    pub cadence: Cadence,
    pub min_count: u32,
    pub effective_from: Date,
}

/// More meetings of one kind a period than anyone holds.
pub const MAX_MIN_COUNT: u32 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequirementChangeError {
    NotFromNextPeriod,
    BadCount,
}

impl RequirementChangeError {
    pub fn field_reason(self) -> (&'static str, &'static str) {
        match self {
            RequirementChangeError::NotFromNextPeriod => ("effective_from", "not_next_period"),
            RequirementChangeError::BadCount => ("min_count", "out_of_range"),
        }
    }
}

/// Every version of every requirement; a change applies from the next period, as rules do.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementBook {
    pub versions: Vec<Requirement>,
}

impl RequirementBook {
    /// The version of `kind` in force on `day`, unless retired.
    pub fn in_force(&self, kind: MeetingKind, day: Date) -> Option<&Requirement> {
        self.versions
            .iter()
            .filter(|r| r.kind == kind && r.effective_from <= day)
            .max_by_key(|r| r.effective_from)
            .filter(|r| r.min_count > 0)
    }

    /// Adds a version from `effective_from`, which must be the first day of a period of its
    /// cadence after the one `today` is in, so no period already running changes its rules. A
    /// version for the same kind and day replaces the scheduled one.
    pub fn schedule(&mut self, r: Requirement, today: Date) -> Result<(), RequirementChangeError> {
        let kind = r.cadence.period_kind();
        let next = Period::containing(kind, today).next();
        if r.effective_from < next.start
            || Period::containing(kind, r.effective_from).start != r.effective_from
        {
            return Err(RequirementChangeError::NotFromNextPeriod);
        }
        if r.min_count > MAX_MIN_COUNT {
            return Err(RequirementChangeError::BadCount);
        }
        self.versions
            .retain(|o| !(o.kind == r.kind && o.effective_from == r.effective_from));
        self.versions.push(r);
        Ok(())
    }

    /// The requirements in force on `day`, one per kind, in the kinds' order.
    pub fn on(&self, day: Date) -> Vec<&Requirement> {
        MeetingKind::ALL
            .into_iter()
            .filter_map(|k| self.in_force(k, day))
            .collect()
    }
}

/// A branch × requirement × period cell of the compliance matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Cell {
    /// Enough meetings held and recorded.
    Met,
    /// The period is running and not yet met: `days_left` until its end.
    Due { days_left: i64 },
    /// The period ended short.
    Missed,
    /// The period has not begun.
    Upcoming,
}

impl Cell {
    pub fn as_str(self) -> &'static str {
        match self {
            Cell::Met => "met",
            Cell::Due { .. } => "due",
            Cell::Missed => "missed",
            Cell::Upcoming => "upcoming",
        }
    }
}

/// The cell for `held` closed meetings in `period` under a minimum of `min_count`, seen on `today`.
pub fn cell(period: Period, min_count: u32, held: u32, today: Date) -> Cell {
    if held >= min_count {
        Cell::Met
    } else if today >= period.end() {
        Cell::Missed
    } else if today >= period.start {
        Cell::Due {
            days_left: (period.end() - today).whole_days(),
        }
    } else {
        Cell::Upcoming
    }
}
