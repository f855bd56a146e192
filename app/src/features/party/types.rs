use serde::{Deserialize, Serialize};

/// A meeting in a list, with its attendance counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct MeetingRow {
    pub id: i64,
    pub branch_id: i64,
    pub branch_name: String,
    pub kind: String,
    pub topic: String,
    pub place: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub state: String,
    pub present: i64,
    pub remote: i64,
    pub absent: i64,
}

/// A branch the caller may plan meetings for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct BranchChoice {
    pub id: i64,
    pub name: String,
}

/// One of the member's own attendances.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct MyAttendance {
    pub meeting_id: i64,
    pub kind: String,
    pub topic: String,
    pub starts_at: i64,
    pub mode: String,
}

/// `/party`: what the caller does in branch life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyHome {
    /// The caller's own branch as a member: (branch name, member name, member id).
    pub member: Option<(String, String, i64)>,
    pub mine: Vec<MyAttendance>,
    /// Branches the caller plans for (empty for everyone but secretaries).
    pub branches: Vec<BranchChoice>,
    /// Whether the caller follows compliance (township, county, village, admin).
    pub oversees: bool,
    pub meetings: Vec<MeetingRow>,
    /// For a secretary: requirements due within a week, and those missed last month.
    pub alerts: Vec<Alert>,
}

/// A requirement the secretary should act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    pub branch: String,
    pub kind: String,
    pub period: String,
    /// `due` or `missed`.
    pub state: String,
    pub days_left: i64,
}

/// A member of the branch and how they took part (None: not yet recorded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct RosterLine {
    pub member_id: i64,
    pub name: String,
    pub migrant: i64,
    pub mode: Option<String>,
    pub reason: Option<String>,
    pub at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingDetail {
    pub meeting: MeetingRow,
    pub minutes: String,
    /// `manage`, `watch` or `attend` (see `domain::party::MeetingAccess`).
    pub access: String,
    /// The check-in code: for the secretary only, while the meeting is open.
    pub code: Option<String>,
    pub window: (i64, i64),
    /// Everyone of the branch for those who manage or watch; the member's own line otherwise.
    pub roster: Vec<RosterLine>,
    /// Photo ids, served at `/party/photos/{id}`.
    pub photos: Vec<i64>,
}

/// What a check-in did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedIn {
    pub meeting_id: i64,
    pub topic: String,
    pub mode: String,
    /// False when the member had already checked in (nothing changed).
    pub new: bool,
}

/// A requirement as a column of the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementCol {
    pub kind: String,
    pub cadence: String,
    pub min_count: u32,
    /// The period the column counts: `2026-11` or `2026-Q4`.
    pub period: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellView {
    /// `met`, `due`, `missed`, `upcoming`.
    pub state: String,
    pub held: u32,
    pub days_left: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplianceRow {
    pub branch_id: i64,
    pub branch: String,
    pub village: String,
    pub cells: Vec<CellView>,
}

/// Branches × requirements for the month `period`, with the months one can switch to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compliance {
    pub period: String,
    pub periods: Vec<String>,
    pub columns: Vec<RequirementCol>,
    pub rows: Vec<ComplianceRow>,
    /// Cells met, due and missed over the whole matrix.
    pub met: u32,
    pub due: u32,
    pub missed: u32,
}
