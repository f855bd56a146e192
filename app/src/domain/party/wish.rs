//! 党群微心愿: a resident posts a small wish, a party member of the area claims and fulfils it,
//! the resident confirms, and the member's points follow the confirmation.
//!
//! Who may see and move a wish is decided here once; the store asks `wish_access` and then
//! `step` for every change, and writes the change with a guard on the state it started from.

use serde::{Deserialize, Serialize};

use crate::domain::org::{ancestor_path, path_within, OrgLevel};
use crate::domain::roles::Role;

/// Most wishes one resident may have under way (not yet confirmed or withdrawn): a wall is
/// for small, real needs, and a member can only take on so many.
pub const MAX_ACTIVE_WISHES: i64 = 3;
pub const TITLE_CHARS: (usize, usize) = (2, 40);
pub const MAX_DETAIL_CHARS: usize = 300;
pub const MAX_NOTE_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WishState {
    Open,
    Claimed,
    /// The member says it is done; the resident has yet to confirm.
    Fulfilled,
    Confirmed,
    Withdrawn,
}

impl WishState {
    pub const ALL: [WishState; 5] = [
        WishState::Open,
        WishState::Claimed,
        WishState::Fulfilled,
        WishState::Confirmed,
        WishState::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WishState::Open => "open",
            WishState::Claimed => "claimed",
            WishState::Fulfilled => "fulfilled",
            WishState::Confirmed => "confirmed",
            WishState::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<WishState> {
        WishState::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Still counts against the poster's quota.
    pub fn active(self) -> bool {
        matches!(
            self,
            WishState::Open | WishState::Claimed | WishState::Fulfilled
        )
    }

    /// On the public wall: wishes waiting for a member and wishes come true.
    pub fn on_wall(self) -> bool {
        self != WishState::Withdrawn
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WishAction {
    Claim,
    /// The claiming member gives it back to the wall.
    Release,
    Fulfil,
    Confirm,
    /// The resident says it is not done yet: back to the member.
    NotYet,
    Withdraw,
}

impl WishAction {
    pub const ALL: [WishAction; 6] = [
        WishAction::Claim,
        WishAction::Release,
        WishAction::Fulfil,
        WishAction::Confirm,
        WishAction::NotYet,
        WishAction::Withdraw,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WishAction::Claim => "claim",
            WishAction::Release => "release",
            WishAction::Fulfil => "fulfil",
            WishAction::Confirm => "confirm",
            WishAction::NotYet => "not_yet",
            WishAction::Withdraw => "withdraw",
        }
    }

    pub fn parse(s: &str) -> Option<WishAction> {
        WishAction::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Actions that must say something: what was done, or what is still missing.
    pub fn needs_note(self) -> bool {
        matches!(self, WishAction::Fulfil | WishAction::NotYet)
    }
}

/// What the viewer is to a wish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum WishAccess {
    Hidden,
    /// A neighbour of the same village: sees the wall entry, with the poster's name masked.
    Wall,
    /// Staff over the area (grid worker, village, township, county, admin): sees it whole.
    Oversee,
    /// A party member whose branch serves the area: may claim it while it is open.
    Member,
    /// The member who claimed it.
    Claimer,
    /// The resident who posted it.
    Poster,
}

impl WishAccess {
    /// Sees the poster's name and the details, not only the wall entry.
    pub fn sees_poster(self) -> bool {
        matches!(
            self,
            WishAccess::Oversee | WishAccess::Claimer | WishAccess::Poster
        )
    }
}

/// The viewer as far as wishes go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WishViewer {
    pub user_id: i64,
    pub role: Role,
    pub unit_path: String,
    /// The grid path of the viewer's household, for residents and members.
    pub home_path: Option<String>,
    /// As a party member: (member id, the branch's village path).
    pub member: Option<(i64, String)>,
}

/// A wish as far as access goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WishFacts<'a> {
    /// The poster's household grid.
    pub path: &'a str,
    pub poster: i64,
    pub claimer: Option<i64>,
}

fn same_village(a: &str, b: &str) -> bool {
    match ancestor_path(a, OrgLevel::Village) {
        Some(v) => path_within(b, &v),
        None => false,
    }
}

pub fn wish_access(v: &WishViewer, w: &WishFacts) -> WishAccess {
    if v.user_id == w.poster {
        return WishAccess::Poster;
    }
    if let Some((member, branch)) = &v.member {
        if w.claimer == Some(*member) {
            return WishAccess::Claimer;
        }
        if path_within(w.path, branch) {
            return WishAccess::Member;
        }
    }
    let staff = matches!(
        v.role,
        Role::Admin
            | Role::CountySupervisor
            | Role::TownshipDispatcher
            | Role::VillageCadre
            | Role::GridWorker
    );
    if staff && path_within(w.path, &v.unit_path) {
        return WishAccess::Oversee;
    }
    match &v.home_path {
        Some(home) if same_village(home, w.path) => WishAccess::Wall,
        _ => WishAccess::Hidden,
    }
}

/// The wall a viewer sees: their subtree for staff, their village for residents and members
/// (a member's branch village first). None: no wall at all.
pub fn wall_path(v: &WishViewer) -> Option<String> {
    match v.role {
        Role::Admin
        | Role::CountySupervisor
        | Role::TownshipDispatcher
        | Role::VillageCadre
        | Role::GridWorker => Some(v.unit_path.clone()).filter(|p| !p.is_empty()),
        _ => v.member.as_ref().map(|m| m.1.clone()).or_else(|| {
            v.home_path
                .as_deref()
                .and_then(|h| ancestor_path(h, OrgLevel::Village))
        }),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WishError {
    /// The viewer may see the wish but not do this to it.
    NotYours,
    /// The wish has moved on (someone claimed it first, it was withdrawn…).
    WrongState,
}

impl WishError {
    pub fn reason(self) -> &'static str {
        match self {
            WishError::NotYours => "wish_not_yours",
            WishError::WrongState => "wish_moved_on",
        }
    }
}

/// The state after `action`, if the viewer may take it now.
pub fn step(
    state: WishState,
    access: WishAccess,
    action: WishAction,
) -> Result<WishState, WishError> {
    use WishAccess as A;
    use WishAction as X;
    use WishState as S;
    let (who, from, to) = match action {
        X::Claim => (A::Member, S::Open, S::Claimed),
        X::Release => (A::Claimer, S::Claimed, S::Open),
        X::Fulfil => (A::Claimer, S::Claimed, S::Fulfilled),
        X::Confirm => (A::Poster, S::Fulfilled, S::Confirmed),
        X::NotYet => (A::Poster, S::Fulfilled, S::Claimed),
        X::Withdraw => (A::Poster, S::Open, S::Withdrawn),
    };
    if access != who {
        return Err(WishError::NotYours);
    }
    if state != from {
        return Err(WishError::WrongState);
    }
    Ok(to)
}

/// The actions open to the viewer now, in the order a page offers them.
pub fn actions(state: WishState, access: WishAccess) -> Vec<WishAction> {
    WishAction::ALL
        .into_iter()
        .filter(|a| step(state, access, *a).is_ok())
        .collect()
}

/// Checks a new wish's text; Err is (field, reason).
pub fn validate(title: &str, detail: &str) -> Result<(), (&'static str, &'static str)> {
    let n = title.trim().chars().count();
    if n == 0 {
        return Err(("wish_title", "required"));
    }
    if n < TITLE_CHARS.0 || n > TITLE_CHARS.1 {
        return Err(("wish_title", "wish_title_length"));
    }
    if detail.trim().chars().count() > MAX_DETAIL_CHARS {
        return Err(("wish_detail", "too_long"));
    }
    Ok(())
}
