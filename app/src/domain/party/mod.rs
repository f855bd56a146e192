//! Party life (智慧党建): branch meetings (三会一课, 主题党日) with check-in, the compliance each
//! branch owes per period, who may see and run a branch's meetings, and residents' small
//! wishes (党群微心愿) that members take on, member development (发展党员) and the households
//! each member serves (党员联户).

mod access;
pub mod affairs;
mod compliance;
pub mod development;
#[cfg(test)]
mod development_tests;
pub mod links;
mod meeting;
pub mod posts;
pub mod rectify;
#[cfg(test)]
mod tests;
mod wish;
#[cfg(test)]
mod wish_tests;

pub use access::{meeting_access, MeetingAccess, MeetingViewer};
pub use compliance::{
    cell, Cadence, Cell, Requirement, RequirementBook, RequirementChangeError, MAX_MIN_COUNT,
};
pub use meeting::{
    check_in, checkin_window, close, is_code_shape, validate_plan, AttendMode, CheckInError,
    CloseError, MeetingKind, MeetingState, Plan, PlanError, CHECKIN_EARLY_SECS, CODE_LEN,
    MAX_DURATION_MIN, MAX_MINUTES_CHARS, MIN_DURATION_MIN,
};
pub use wish::{
    actions as wish_actions, step as wish_step, validate as validate_wish, wall_path, wish_access,
    WishAccess, WishAction, WishError, WishFacts, WishState, WishViewer, MAX_ACTIVE_WISHES,
    MAX_DETAIL_CHARS, MAX_NOTE_CHARS,
};
