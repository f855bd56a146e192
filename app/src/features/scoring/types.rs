use serde::{Deserialize, Serialize};

use crate::domain::scoring::Subject;

/// One row of a scoreboard: a person or household and its score in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardRow {
    pub rank: usize,
    pub subject_id: i64,
    /// Household heads are masked (张**): boards are shown to many.
    pub name: String,
    pub unit: String,
    pub score: i64,
    /// Party members only.
    pub stars: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub subject: Subject,
    pub period: String,
    /// The periods that have entries, newest first (for the period picker).
    pub periods: Vec<String>,
    pub rows: Vec<BoardRow>,
}

/// A branch's bastion index: its members' mean score, members without points counting as 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BranchRow {
    pub rank: usize,
    pub branch_id: i64,
    pub name: String,
    pub members: i64,
    pub total: i64,
    /// The bastion index, branch-life misses deducted (`domain::scoring::bastion_index`).
    pub index: f64,
    /// Branch-life requirements of the period met and missed (the compliance matrix's cells).
    pub meetings_met: u32,
    pub meetings_missed: u32,
}

/// One line of a ledger as shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct LedgerLine {
    pub id: i64,
    pub rule_code: String,
    pub rule_zh: String,
    pub rule_en: String,
    pub source: String,
    pub amount: i64,
    pub status: String,
    pub reason: String,
    pub at: i64,
    pub proposed_by: Option<String>,
    pub approved_by: Option<String>,
}

/// Everything behind one score: the approved lines sum to `total`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    pub subject: Subject,
    pub subject_id: i64,
    pub name: String,
    pub unit: String,
    pub period: String,
    pub total: i64,
    pub lines: Vec<LedgerLine>,
}

/// Residents' ratings of a unit, department or person (态度、能力、作风、结果).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SatisfactionRow {
    pub rank: usize,
    pub id: i64,
    pub name: String,
    pub rated: i64,
    pub satisfied: i64,
    /// Mean of the four dimensions, 1–5.
    pub mean: f64,
}

impl SatisfactionRow {
    pub fn rate(&self) -> Option<f64> {
        (self.rated > 0).then(|| self.satisfied as f64 / self.rated as f64)
    }
}

/// A village on this week's red or black list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListedVillage {
    pub village_id: i64,
    pub name: String,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VillageLists {
    /// The week's Monday.
    pub week: String,
    pub red: Vec<ListedVillage>,
    pub black: Vec<ListedVillage>,
}

/// A manual award waiting for a second person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingAward {
    pub id: i64,
    pub subject: Subject,
    pub subject_id: i64,
    pub name: String,
    pub rule_zh: String,
    pub rule_en: String,
    pub amount: i64,
    pub reason: String,
    pub proposed_by: String,
    pub mine: bool,
}

/// A rule that is awarded by hand, for the proposal form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManualRule {
    pub code: String,
    pub subject: Subject,
    pub points: i64,
    pub name_zh: String,
    pub name_en: String,
}
