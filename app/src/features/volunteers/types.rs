use serde::{Deserialize, Serialize};

/// An activity as a volunteer sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub id: i64,
    pub team: String,
    pub title: String,
    pub place: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub limit: i64,
    pub left: i64,
    /// `domain::volunteers::ActivityState::as_str`.
    pub state: String,
    /// The caller's sign-up (`SignupState::as_str`), if any.
    pub mine: Option<String>,
    /// Open and not yet begun: a place held may be given back.
    pub upcoming: bool,
    /// Open and not over: places are taken.
    pub joinable: bool,
    /// The check-in window is open and the caller holds a place.
    pub can_check_in: bool,
    /// Hours it credits, in tenths.
    pub tenths: i64,
}

/// A line of the caller's hours ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoursLine {
    pub title: String,
    pub team: String,
    pub at: i64,
    pub tenths: i64,
}

/// A ranking entry: (rank, name — masked for people —, tenths).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    pub rank: usize,
    pub name: String,
    pub tenths: i64,
    /// The caller's own line.
    pub me: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VolunteerHome {
    pub activities: Vec<Activity>,
    pub total_tenths: i64,
    pub year_tenths: i64,
    pub ledger: Vec<HoursLine>,
    /// This year, in the caller's township.
    pub teams: Vec<Ranked>,
    pub volunteers: Vec<Ranked>,
    /// The caller runs a desk (`domain::services::runs_desks`).
    pub desk: bool,
}

/// The organiser's view of one activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeskActivity {
    pub id: i64,
    pub title: String,
    pub place: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub limit: i64,
    pub signed: i64,
    pub checked: i64,
    pub state: String,
    /// The check-in code, for those running the team while it is open.
    pub code: Option<String>,
    /// (masked name, sign-up state); empty for oversight.
    pub volunteers: Vec<(String, String)>,
    pub may_close: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeskTeam {
    pub id: i64,
    pub name: String,
    pub unit_name: String,
    pub manage: bool,
    pub year_tenths: i64,
    pub activities: Vec<DeskActivity>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VolunteerDesk {
    pub teams: Vec<DeskTeam>,
    /// The caller may found a team at their own unit.
    pub may_add_team: bool,
}
