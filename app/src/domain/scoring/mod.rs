//! Points as a ledger (积分台账). Every point is an entry: a rule, a source, an amount, a period and,
//! when awarded by hand, who approved it. Scores are sums of approved entries, so any score can be
//! opened to the entries that make it up. Points start from zero each period (零基积分法): a score
//! is always "in a period".
//!
//! Rules are versioned. A change takes effect from the start of the next period and never touches
//! an entry already written, so closed periods keep their scores.

mod earn;
mod lists;
mod period;
mod rules;
#[cfg(test)]
mod tests;

pub use earn::{earn, Earning, Occurrence, Totals};
pub use lists::{
    rank_villages, stars, StarThresholds, VillageWeek, WeeklyLists, MISSED_MEETING_POINTS,
};
pub use period::{Period, PeriodKind};
pub use rules::{award, RuleBook, RuleChangeError, RuleVersion, Source, Subject};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntryStatus {
    /// A manual award waiting for approval; counts for nothing yet.
    Pending,
    Approved,
    Rejected,
}

/// One line of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub subject: Subject,
    pub subject_id: i64,
    pub rule: String,
    /// What earned it: `event:123`, `visit:45`, `meeting:7`, `rating:9`, `manual:…`.
    pub source: String,
    pub amount: i64,
    pub period: Period,
    pub status: EntryStatus,
    pub approved_by: Option<i64>,
}

/// A subject's score in a period: the sum of its approved entries there.
pub fn score(entries: &[Entry], subject: Subject, subject_id: i64, period: Period) -> i64 {
    entries
        .iter()
        .filter(|e| {
            e.subject == subject
                && e.subject_id == subject_id
                && e.period == period
                && e.status == EntryStatus::Approved
        })
        .map(|e| e.amount)
        .sum()
}

/// Why an approval is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApprovalError {
    NotPending,
    /// Nobody approves their own proposal (四议两公开: a second pair of eyes).
    OwnProposal,
}

/// Decides a pending manual award. `proposer` is who entered it.
pub fn decide(
    entry: &Entry,
    proposer: i64,
    approver: i64,
    approve: bool,
) -> Result<Entry, ApprovalError> {
    if entry.status != EntryStatus::Pending {
        return Err(ApprovalError::NotPending);
    }
    if proposer == approver {
        return Err(ApprovalError::OwnProposal);
    }
    Ok(Entry {
        status: if approve {
            EntryStatus::Approved
        } else {
            EntryStatus::Rejected
        },
        approved_by: Some(approver),
        ..entry.clone()
    })
}

/// What one missed branch-life requirement (三会一课, 主题党日) costs a branch's bastion index.
pub const MISSED_MEETING_INDEX: f64 = 5.0;

/// A branch's bastion index (堡垒指数): its members' mean score, so a large branch does not win on
/// numbers alone, less `MISSED_MEETING_INDEX` for each branch-life requirement it missed in the
/// period; `None` for a branch without members.
pub fn bastion_index(member_scores: &[i64], missed: u32) -> Option<f64> {
    if member_scores.is_empty() {
        return None;
    }
    let mean = member_scores.iter().sum::<i64>() as f64 / member_scores.len() as f64;
    Some(mean - MISSED_MEETING_INDEX * f64::from(missed))
}
