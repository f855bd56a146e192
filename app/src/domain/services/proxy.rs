//! 代办 (proxy service): a resident asks for an item to be done for them; a proxy of their
//! village (a grid worker or a party member) takes it, collects the materials, submits them and
//! brings the result back, each step visible to the resident, on the item's time limit with the
//! lights of events; the resident rates it at the end and a satisfied rating earns the proxy
//! points.

use serde::{Deserialize, Serialize};

use crate::domain::org::{ancestor_path, path_within, OrgLevel};
use crate::domain::roles::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ProxyState {
    Requested,
    Taken,
    Collected,
    Submitted,
    Returned,
    Rated,
    Withdrawn,
}

impl ProxyState {
    pub const ALL: [ProxyState; 7] = [
        ProxyState::Requested,
        ProxyState::Taken,
        ProxyState::Collected,
        ProxyState::Submitted,
        ProxyState::Returned,
        ProxyState::Rated,
        ProxyState::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProxyState::Requested => "requested",
            ProxyState::Taken => "taken",
            ProxyState::Collected => "collected",
            ProxyState::Submitted => "submitted",
            ProxyState::Returned => "returned",
            ProxyState::Rated => "rated",
            ProxyState::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Still running against its deadline (it has a light).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ProxyState::Requested
                | ProxyState::Taken
                | ProxyState::Collected
                | ProxyState::Submitted
        )
    }

    /// The states a request in SQL is open in, for `state IN …`.
    pub const OPEN_SQL: &'static str = "('requested', 'taken', 'collected', 'submitted')";
}

/// What someone does to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyAction {
    /// A proxy takes it on.
    Take,
    /// The proxy's next step: collected → submitted → result returned.
    Advance,
    /// The resident rates the result, 1 to 5 stars.
    Rate(u8),
    /// The resident no longer needs it (before the materials are submitted).
    Withdraw,
}

/// Who is acting, relative to the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyActor {
    /// The resident who asked.
    Requester,
    /// The proxy who took it.
    Holder,
    /// A proxy of the village who has not taken it.
    Eligible,
    /// Anyone else.
    Other,
}

/// The state an action leads to, or the message key (under `errors.`) saying why not.
pub fn proxy_next(
    state: ProxyState,
    action: ProxyAction,
    who: ProxyActor,
) -> Result<ProxyState, &'static str> {
    use ProxyAction as A;
    use ProxyActor as W;
    use ProxyState as S;
    match (action, who, state) {
        (A::Take, W::Eligible, S::Requested) => Ok(S::Taken),
        (A::Take, W::Eligible | W::Holder, _) => Err("proxy_taken"),
        (A::Advance, W::Holder, S::Taken) => Ok(S::Collected),
        (A::Advance, W::Holder, S::Collected) => Ok(S::Submitted),
        (A::Advance, W::Holder, S::Submitted) => Ok(S::Returned),
        (A::Advance, W::Holder, _) => Err("proxy_not_open"),
        (A::Rate(n), W::Requester, S::Returned) if (1..=5).contains(&n) => Ok(S::Rated),
        (A::Rate(_), W::Requester, S::Returned) => Err("stars_range"),
        (A::Rate(_), W::Requester, _) => Err("proxy_not_returned"),
        (A::Withdraw, W::Requester, S::Requested | S::Taken | S::Collected) => Ok(S::Withdrawn),
        (A::Withdraw, W::Requester, _) => Err("proxy_not_open"),
        _ => Err("forbidden_step"),
    }
}

/// A satisfied rating earns the proxy points.
pub fn proxy_satisfied(stars: u8) -> bool {
    stars >= 3
}

/// The village a path lies in; proxies serve their own village.
pub fn village_of(path: &str) -> Option<String> {
    ancestor_path(path, OrgLevel::Village)
}

/// May this caller act as a proxy for a request from `request_path`? Grid workers and party
/// members living or working in the requester's village.
pub fn may_proxy(role: Role, caller_path: &str, request_path: &str) -> bool {
    matches!(role, Role::GridWorker | Role::PartyMember)
        && village_of(request_path).is_some_and(|v| path_within(caller_path, &v))
}

/// Who the caller is to a request.
pub fn proxy_actor(
    caller: i64,
    role: Role,
    caller_path: &str,
    requester: i64,
    holder: Option<i64>,
    request_path: &str,
) -> ProxyActor {
    if caller == requester {
        ProxyActor::Requester
    } else if holder == Some(caller) {
        ProxyActor::Holder
    } else if may_proxy(role, caller_path, request_path) {
        ProxyActor::Eligible
    } else {
        ProxyActor::Other
    }
}

/// Who may see a request: its requester, its proxy, the village's proxies while nobody holds
/// it, and the command roles above it (the village, township, county) for oversight.
pub fn may_see_proxy(
    actor: ProxyActor,
    role: Role,
    caller_path: &str,
    request_path: &str,
    taken: bool,
) -> bool {
    match actor {
        ProxyActor::Requester | ProxyActor::Holder => true,
        ProxyActor::Eligible => !taken,
        ProxyActor::Other => {
            matches!(
                role,
                Role::Admin
                    | Role::CountySupervisor
                    | Role::TownshipDispatcher
                    | Role::VillageCadre
            ) && path_within(request_path, caller_path)
        }
    }
}
