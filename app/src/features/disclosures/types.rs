use serde::{Deserialize, Serialize};

/// A disclosure in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listed {
    pub id: i64,
    /// `domain::disclosures::Kind::as_str`.
    pub kind: String,
    pub period: String,
    pub title: String,
    pub unit_name: String,
    pub published_at: i64,
    pub files: i64,
    pub questions: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub id: i64,
    /// Masked, or "me".
    pub asker: String,
    pub mine: bool,
    pub text: String,
    pub asked_at: i64,
    pub answer: Option<String>,
    pub answered_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FinanceLine {
    pub item: String,
    pub income_fen: i64,
    pub expense_fen: i64,
}

/// One disclosure as its reader sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Disclosure {
    pub id: i64,
    pub kind: String,
    pub period: String,
    pub title: String,
    pub body: String,
    pub unit_name: String,
    pub published_at: i64,
    pub lines: Vec<FinanceLine>,
    pub income_fen: Option<i64>,
    pub expense_fen: Option<i64>,
    /// Photo ids (served at `/open/files/{id}`).
    pub photos: Vec<i64>,
    /// The PDF's id, if one is attached.
    pub pdf: Option<i64>,
    pub questions: Vec<Question>,
    /// The caller may ask (reads it, and is under the open-question limit).
    pub may_ask: bool,
    /// The caller answers (the unit's own cadres).
    pub may_answer: bool,
}

/// One village's row on the township's on-time view: per month (newest first), per kind
/// (party, village, finance) its `Standing::as_str`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VillageRow {
    pub village_id: i64,
    pub name: String,
    pub months: Vec<[String; 3]>,
    pub missed: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Desk {
    /// The caller's own unit publishes: the kinds it may put up.
    pub kinds: Vec<String>,
    /// Months it may publish for, newest first.
    pub periods: Vec<String>,
    pub unit_name: String,
    /// What its unit put up, newest first.
    pub mine: Vec<Listed>,
    /// Questions waiting for an answer: (disclosure id, title, question).
    pub waiting: Vec<(i64, String, Question)>,
    /// The months of the on-time view, newest first.
    pub months: Vec<String>,
    pub villages: Vec<VillageRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenHome {
    pub items: Vec<Listed>,
    /// The caller publishes or oversees at their own unit (the menu offers `/open/desk`).
    pub desk: bool,
}
