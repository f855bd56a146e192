use serde::{Deserialize, Serialize};

/// A household in a list: where, whose, how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct HouseholdRow {
    pub id: i64,
    pub grid: String,
    pub address: String,
    pub head_name: String,
    pub members: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Households {
    pub area: String,
    pub rows: Vec<HouseholdRow>,
    /// More than the page holds: narrow the search.
    pub more: bool,
}

/// A member as the archive shows them: identifiers masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: i64,
    pub name: String,
    pub relation: String,
    pub gender: String,
    pub birth_year: i64,
    pub id_number: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdView {
    pub id: i64,
    pub grid: String,
    pub address: String,
    pub head_name: String,
    pub members: Vec<Member>,
    /// Whether the caller may unmask (`domain::archive::Sight::Unmask`).
    pub may_unmask: bool,
}

/// One look at a resident's identifier, as the resident sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AccessLine {
    pub at: i64,
    pub viewer: String,
    pub unit: String,
    pub member: String,
    pub field: String,
    pub reason: String,
}
