//! Party life (智慧党建): branch meetings (三会一课, 主题党日) with check-in, the compliance each
//! branch owes per period, and who may see and run a branch's meetings.

mod access;
mod compliance;
mod meeting;
#[cfg(test)]
mod tests;

pub use access::{meeting_access, MeetingAccess, MeetingViewer};
pub use compliance::{cell, Cadence, Cell, Requirement, RequirementBook};
pub use meeting::{
    check_in, checkin_window, close, validate_plan, AttendMode, CheckInError, CloseError,
    MeetingKind, MeetingState, Plan, PlanError, CHECKIN_EARLY_SECS, CODE_LEN, MAX_DURATION_MIN,
    MAX_MINUTES_CHARS, MIN_DURATION_MIN,
};
