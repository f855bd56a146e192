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
    /// For a member: the households they serve (党员联户).
    pub households: Vec<LinkedHousehold>,
    /// For a secretary: rectification requests not yet answered.
    pub rectify: Vec<RectifyRow>,
    /// For a secretary: committees whose term ends within half a year or has ended.
    pub terms: Vec<TermAlert>,
    /// For a secretary: transfers into their branches waiting for an answer.
    pub transfers_waiting: i64,
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
    /// 1 when the absence is leave asked before the meeting.
    pub on_leave: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingDetail {
    pub meeting: MeetingRow,
    pub minutes: String,
    /// `manage`, `watch` or `attend` (see `domain::party::MeetingAccess`).
    pub access: String,
    /// The check-in code: for the secretary only, while the meeting is open.
    pub code: Option<String>,
    /// The same code as a QR code of the check-in link, beside it.
    #[serde(default)]
    pub qr: Option<QrImage>,
    pub window: (i64, i64),
    /// Everyone of the branch for those who manage or watch; the member's own line otherwise.
    pub roster: Vec<RosterLine>,
    /// Photo ids, served at `/party/photos/{id}`.
    pub photos: Vec<i64>,
    /// A member may still ask for leave (the meeting has not begun).
    #[serde(default)]
    pub leave_open: bool,
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
    /// The caller asks for rectification of missed cells (township, county, admin).
    #[serde(default)]
    pub follows: bool,
    /// The caller edits the requirements (the administrator).
    #[serde(default)]
    pub edits: bool,
    /// Branches in the matrix (after the filter); `rows` holds one page of them.
    #[serde(default)]
    pub branches: u32,
    /// The page shown, from 1, and how many there are.
    #[serde(default)]
    pub page: u32,
    #[serde(default)]
    pub pages: u32,
}

/// A small wish (党群微心愿) as the viewer may see it: the poster masked on the wall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct WishRow {
    pub id: i64,
    pub title: String,
    pub detail: String,
    pub state: String,
    pub poster: String,
    pub village: String,
    /// The claiming member's name.
    pub claimer: Option<String>,
    /// The household's address: for the poster, the claimer and staff only.
    pub address: Option<String>,
    pub created_at: i64,
    pub claimed_at: Option<i64>,
    pub fulfilled_at: Option<i64>,
    pub confirmed_at: Option<i64>,
    pub fulfil_note: String,
    pub not_yet_note: String,
    /// For the server's access check only: never sent.
    #[serde(skip)]
    pub poster_id: i64,
    #[serde(skip)]
    pub claimer_id: Option<i64>,
    #[serde(skip)]
    pub unit_path: String,
}

/// `/wishes`: the wall of the viewer's village (or subtree), their own wishes and those they
/// have taken on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WishWall {
    /// The caller may post (a resident or member with a household).
    pub can_post: bool,
    /// Wishes the caller has under way, against the limit.
    pub active: i64,
    pub max_active: i64,
    pub mine: Vec<WishRow>,
    /// For a member: the wishes they claimed and have not seen confirmed.
    pub taken: Vec<WishRow>,
    /// For a member: open wishes they could claim.
    pub claimable: bool,
    pub wall: Vec<WishRow>,
    pub open: i64,
    pub come_true: i64,
    /// The member who serves the caller's household: (name, branch).
    pub my_member: Option<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WishDetail {
    pub wish: WishRow,
    /// `poster`, `claimer`, `member`, `oversee` or `wall` (see `domain::party::WishAccess`).
    pub access: String,
    /// The actions open to the caller now (`domain::party::wish_actions`).
    pub actions: Vec<String>,
}

/// An applicant for membership (发展党员) in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ApplicantRow {
    pub id: i64,
    pub branch_id: i64,
    pub branch_name: String,
    pub name: String,
    pub gender: String,
    pub birth_date: String,
    pub last_step: i64,
    pub last_on: Option<String>,
    /// `applicant`, `activist`, `candidate`, `probationary`, `full`.
    pub standing: String,
    #[serde(skip)]
    pub unit_path: String,
}

/// An applicant with where they stand: the next step and its deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicantLine {
    pub a: ApplicantRow,
    pub next_step: Option<u8>,
    /// The next step's deadline, if the rules set one (`YYYY-MM-DD`).
    pub due_by: Option<String>,
    pub overdue: bool,
}

/// `/party/development`: the applicants in the caller's scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Development {
    /// Branches the caller records new applications for.
    pub branches: Vec<BranchChoice>,
    /// (standing, count) in the order of the process.
    pub counts: Vec<(String, i64)>,
    pub overdue: i64,
    /// Lines matching the filter; `lines` holds the first hundred of them.
    pub total: i64,
    pub lines: Vec<ApplicantLine>,
}

/// One of the 25 steps as the applicant's page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepLine {
    pub no: u8,
    pub stage: String,
    pub code: String,
    /// `branch` or `higher`.
    pub taker: String,
    /// `nothing`, `document`, `sponsors`, `vote`.
    pub needs: String,
    /// `done`, `next` or `later`.
    pub state: String,
    pub on: Option<String>,
    pub document: String,
    pub sponsors: Vec<String>,
    /// (entitled, present, yes).
    pub votes: Option<(u32, u32, u32)>,
    /// For the next step: the earliest day and the deadline.
    pub earliest: Option<String>,
    pub due_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicantDetail {
    pub line: ApplicantLine,
    pub steps: Vec<StepLine>,
    /// Whether the caller takes the next step.
    pub may_record: bool,
    /// Members of the branch who may sponsor (for step 9).
    pub members: Vec<BranchChoice>,
    pub today: String,
}

/// A household as its member (or the secretary) sees it, with its visits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct LinkedHousehold {
    pub household_id: i64,
    pub head_name: String,
    pub address: String,
    pub grid: String,
    pub last_visit: Option<i64>,
    pub visits: i64,
}

/// A member of the branch and the households they serve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberLinks {
    pub member_id: i64,
    pub name: String,
    pub households: Vec<LinkedHousehold>,
}

/// `/party/links`: the secretary's picture of 党员联户 for one branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Links {
    pub branch_id: i64,
    pub branch: String,
    /// The branches the caller manages, to switch between.
    pub branches: Vec<BranchChoice>,
    pub members: Vec<MemberLinks>,
    /// Households of the village nobody serves yet (the first few hundred) and how many.
    pub unlinked: Vec<LinkedHousehold>,
    pub unlinked_total: i64,
    pub per_member: usize,
}

/// A rectification request (整改) as the lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct RectifyRow {
    pub id: i64,
    pub branch_id: i64,
    pub branch: String,
    pub kind: String,
    pub period: String,
    pub note: String,
    pub due_day: String,
    pub requested_at: i64,
    pub done_at: Option<i64>,
    pub done_note: String,
    /// `open`, `overdue`, `done` (`domain::party::rectify::rectify_state`), set after reading.
    pub state: String,
}

/// `/party/rectify`: the requests in the caller's scope, and the cell a new one would be for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rectify {
    pub rows: Vec<RectifyRow>,
    /// The caller asks for rectification (township, county, admin).
    pub may_request: bool,
    /// The missed cell named in the address: (branch id, branch name, kind, period).
    pub cell: Option<(i64, String, String, String)>,
}

/// A post (设岗定责) with its holders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostLine {
    pub id: i64,
    pub name: String,
    pub duties: String,
    /// (member id, name).
    pub holders: Vec<BranchChoice>,
    /// Duties recorded in the last 30 days.
    pub recent: i64,
}

/// `/party/posts`: a branch's posts, its members without one, and for a member their own posts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posts {
    pub branch_id: i64,
    pub branch: String,
    /// Whether the caller sets up posts here (the secretary).
    pub manage: bool,
    pub branches: Vec<BranchChoice>,
    pub posts: Vec<PostLine>,
    pub members: Vec<BranchChoice>,
    /// Members of the branch holding no post (无职党员).
    pub without_post: Vec<BranchChoice>,
    /// The caller's own posts, as a member.
    pub mine: Vec<PostLine>,
}

/// `/party/affairs`: a branch's housekeeping (支部事务).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Affairs {
    pub branch_id: i64,
    pub branch: String,
    /// `manage` (the secretary), `watch` (township, county) or `attend` (a member: own lines).
    pub access: String,
    /// Branches the caller may open here (secretaries and those who oversee).
    pub branches: Vec<BranchChoice>,
    pub term: TermView,
    pub dues: Vec<DuesLine>,
    /// Transfers out of this branch and into it, those waiting first.
    pub transfers: Vec<TransferLine>,
    /// Where a member may be moved to: the other branches of the county.
    pub targets: Vec<BranchChoice>,
    pub declarations: Vec<DeclarationLine>,
    /// The caller's member id when they belong to this branch (declares for themselves).
    pub me: Option<i64>,
    /// For those who oversee: every branch of their subtree with its housekeeping state.
    pub overview: Vec<AffairsRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermView {
    pub elected_on: Option<String>,
    pub years: i32,
    pub ends_on: Option<String>,
    /// `unknown`, `running`, `soon`, `overdue` (`domain::party::affairs::TermStatus`).
    pub status: String,
    pub days_left: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuesLine {
    pub member_id: i64,
    pub name: String,
    /// None until the secretary sets it.
    pub rate_fen: Option<i64>,
    /// `2026-11`: the last month paid.
    pub paid_to: Option<String>,
    pub arrears: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TransferLine {
    pub id: i64,
    pub member_id: i64,
    pub member: String,
    pub from_branch: i64,
    pub from_name: String,
    pub to_branch: i64,
    pub to_name: String,
    pub note: String,
    pub state: String,
    pub reason: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DeclarationLine {
    pub id: i64,
    pub member_id: i64,
    pub member: String,
    pub note: String,
    pub at: i64,
    pub entry_id: Option<i64>,
    /// The ledger entry's status: `pending`, `approved`, `rejected`.
    pub status: String,
    pub amount: i64,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub photos: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffairsRow {
    pub branch_id: i64,
    pub branch: String,
    pub term_status: String,
    pub days_left: i64,
    pub members: i64,
    pub in_arrears: i64,
    pub transfers_waiting: i64,
}

/// A term that needs the secretary: the branch, `soon` or `overdue`, days left (negative: past).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermAlert {
    pub branch_id: i64,
    pub branch: String,
    pub status: String,
    pub days_left: i64,
}

/// One version of a meeting requirement, for the administrator's editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementVersion {
    pub kind: String,
    pub cadence: String,
    /// 0: retired from `effective_from` on.
    pub min_count: u32,
    pub effective_from: String,
    /// The version that applies today.
    pub in_force: bool,
    /// Starts later.
    pub scheduled: bool,
}

/// A QR code as one SVG path of unit squares on a `size` × `size` grid (margin included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QrImage {
    pub size: u32,
    pub path: String,
}
