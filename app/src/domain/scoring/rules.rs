use serde::{Deserialize, Serialize};
use time::Date;

use super::period::{Period, PeriodKind};

/// Who earns points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Subject {
    /// A party member (先锋指数).
    Member,
    /// A grid worker (履职考核).
    GridWorker,
    /// A household (信用积分).
    Household,
}

impl Subject {
    pub const ALL: [Subject; 3] = [Subject::Member, Subject::GridWorker, Subject::Household];

    pub fn period_kind(self) -> PeriodKind {
        PeriodKind::Month
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Member => "member",
            Subject::GridWorker => "grid_worker",
            Subject::Household => "household",
        }
    }

    pub fn parse(s: &str) -> Option<Subject> {
        Subject::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// What a rule counts, from the seeds' lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Source {
    /// An event reported that was accepted (not rejected, not a duplicate).
    EventReported,
    /// An event handled and closed within its time limit.
    EventOnTime,
    /// An event closed after its deadline (a negative rule).
    EventOverdue,
    /// A household visited (走访).
    Visit,
    /// Branch life attended (三会一课, 主题党日).
    BranchLife,
    /// A resident rated the person's service satisfied (every dimension 3 or more).
    RatingSatisfied,
    /// A resident rated it dissatisfied (a dimension 2 or less): a deduction.
    RatingDissatisfied,
    /// Records kept up to date (数据录入).
    DataEntry,
    /// Awarded by hand with a reason; needs approval.
    Manual,
    /// A resident's small wish fulfilled, as the resident confirmed (党群微心愿).
    Wish,
    /// A proxy service (代办) brought back and rated satisfied by the resident.
    Proxy,
}

impl Source {
    pub const ALL: [Source; 11] = [
        Source::EventReported,
        Source::EventOnTime,
        Source::EventOverdue,
        Source::Visit,
        Source::BranchLife,
        Source::RatingSatisfied,
        Source::RatingDissatisfied,
        Source::DataEntry,
        Source::Manual,
        Source::Wish,
        Source::Proxy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::EventReported => "event_reported",
            Source::EventOnTime => "event_on_time",
            Source::EventOverdue => "event_overdue",
            Source::Visit => "visit",
            Source::BranchLife => "branch_life",
            Source::RatingSatisfied => "rating_satisfied",
            Source::RatingDissatisfied => "rating_dissatisfied",
            Source::DataEntry => "data_entry",
            Source::Manual => "manual",
            Source::Wish => "wish",
            Source::Proxy => "proxy",
        }
    }

    pub fn parse(s: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// One version of a rule: what it is worth from `effective_from` on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleVersion {
    pub code: String,
    pub subject: Subject,
    pub source: Source,
    /// Points per occurrence; negative for deductions.
    pub points: i64,
    /// Most points (in absolute value) one subject can get from this rule in one period.
    pub cap: Option<i64>,
    pub needs_approval: bool,
    /// The first day of the period from which this version applies.
    pub effective_from: Date,
    /// A retired rule earns nothing from `effective_from` on.
    pub retired: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleChangeError {
    /// A change must start at a future period's first day: the current and closed periods keep
    /// the rules they were scored under.
    NotFromNextPeriod,
    /// Points of zero, a cap of zero or below, or a cap smaller than one occurrence.
    BadValue,
}

/// All versions of all rules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleBook {
    pub versions: Vec<RuleVersion>,
}

impl RuleBook {
    /// The version of `code` in force on `day`, unless retired.
    pub fn in_force(&self, code: &str, day: Date) -> Option<&RuleVersion> {
        self.versions
            .iter()
            .filter(|v| v.code == code && v.effective_from <= day)
            .max_by_key(|v| v.effective_from)
            .filter(|v| !v.retired)
    }

    /// The rules in force on `day` for a subject and source (normally one).
    pub fn for_source(&self, subject: Subject, source: Source, day: Date) -> Vec<&RuleVersion> {
        let mut codes: Vec<&str> = self
            .versions
            .iter()
            .filter(|v| v.subject == subject && v.source == source)
            .map(|v| v.code.as_str())
            .collect();
        codes.sort_unstable();
        codes.dedup();
        codes
            .into_iter()
            .filter_map(|c| self.in_force(c, day))
            .filter(|v| v.subject == subject && v.source == source)
            .collect()
    }

    /// Adds a version. It must begin at the start of a period after the one `today` is in, so
    /// nothing already scored (or being scored) changes. A version for the same start replaces
    /// the scheduled one.
    pub fn schedule(&mut self, v: RuleVersion, today: Date) -> Result<(), RuleChangeError> {
        let kind = v.subject.period_kind();
        let next = Period::containing(kind, today).next();
        if v.effective_from < next.start
            || Period::containing(kind, v.effective_from).start != v.effective_from
        {
            return Err(RuleChangeError::NotFromNextPeriod);
        }
        if !v.retired && (v.points == 0 || v.cap.is_some_and(|c| c < v.points.abs())) {
            return Err(RuleChangeError::BadValue);
        }
        self.versions
            .retain(|o| !(o.code == v.code && o.effective_from == v.effective_from));
        self.versions.push(v);
        Ok(())
    }
}

/// What one more occurrence earns under `rule`, given what the subject already has from it in this
/// period: the rule's points, cut so the period's total stays within the cap.
pub fn award(rule: &RuleVersion, so_far: i64) -> i64 {
    match rule.cap {
        None => rule.points,
        Some(cap) => {
            if rule.points >= 0 {
                rule.points.min((cap - so_far).max(0))
            } else {
                rule.points.max((-cap - so_far).min(0))
            }
        }
    }
}
