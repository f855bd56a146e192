//! Who sees and who puts up a unit's disclosures: the residents and staff of the area read
//! them; the cadres of the unit itself publish and answer; those above oversee.

use crate::domain::org::{path_within, OrgLevel};
use crate::domain::roles::Role;

use super::Kind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Not there, as far as this caller can tell.
    Hidden,
    /// Lives or works in the area: reads, asks.
    Read,
    /// A unit above: reads, sees the questions and who is on time, answers nothing.
    Oversee,
    /// The unit's own cadres: publish and answer.
    Publish,
}

impl Access {
    pub fn sees(self) -> bool {
        self != Access::Hidden
    }
}

/// The cadres who run a unit of this level.
fn runs(role: Role, level: OrgLevel) -> bool {
    matches!(
        (role, level),
        (Role::Admin, _)
            | (Role::VillageCadre, OrgLevel::Village)
            | (Role::TownshipDispatcher, OrgLevel::Township)
            | (Role::CountySupervisor, OrgLevel::County)
    )
}

/// `unit_level` is the level of the unit at `unit_path`.
pub fn access(role: Role, caller_path: &str, unit_path: &str, unit_level: OrgLevel) -> Access {
    if caller_path == unit_path && runs(role, unit_level) {
        return Access::Publish;
    }
    let above = path_within(unit_path, caller_path) && caller_path != unit_path;
    match role {
        Role::Admin | Role::TownshipDispatcher | Role::CountySupervisor | Role::VillageCadre
            if above =>
        {
            Access::Oversee
        }
        _ if path_within(caller_path, unit_path) => Access::Read,
        _ => Access::Hidden,
    }
}

/// The 三务 are a village's; a notice may come from a village, township or county.
pub fn kind_fits(kind: Kind, level: OrgLevel) -> bool {
    match kind {
        Kind::Notice => matches!(
            level,
            OrgLevel::Village | OrgLevel::Township | OrgLevel::County
        ),
        _ => level == OrgLevel::Village,
    }
}

/// Unanswered questions one person may have on one disclosure at a time.
pub const MAX_OPEN_QUESTIONS: i64 = 3;
pub const MAX_QUESTION_CHARS: usize = 300;
pub const MAX_BODY_CHARS: usize = 5000;
pub const MAX_PHOTOS: usize = 6;
/// A PDF attached to a disclosure.
pub const MAX_PDF_BYTES: usize = 5 * 1024 * 1024;

/// A PDF by its content: the header at the start and an end-of-file marker near the end.
pub fn looks_like_pdf(bytes: &[u8]) -> bool {
    if bytes.len() < 16 || !bytes.starts_with(b"%PDF-") {
        return false;
    }
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    tail.windows(5).any(|w| w == b"%%EOF")
}

/// Who sees a question: its asker always; everyone who reads the disclosure once it is answered
/// (the cadres chose to answer it in public); those who publish or oversee always.
pub fn sees_question(access: Access, mine: bool, answered: bool) -> bool {
    match access {
        Access::Hidden => false,
        Access::Publish | Access::Oversee => true,
        Access::Read => mine || answered,
    }
}
