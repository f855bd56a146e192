use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct MemberRecord {
    pub name: String,
    pub relation: String,
    pub birth_year: i64,
    /// Masked by default: the full number is never sent to the browser.
    pub id_number: String,
    pub phone: String,
}

/// What a signed-in person may read about themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyRecords {
    pub display_name: String,
    pub unit_name: String,
    pub address: Option<String>,
    pub household: Vec<MemberRecord>,
}
