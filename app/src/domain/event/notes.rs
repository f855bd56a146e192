//! Which actions take a note and what the timeline keeps of it. Every action a person takes
//! may carry a note; for some the text *is* the action (a rejection's reason, a result), and
//! those cannot be taken without it. Nothing typed is dropped.

use super::{Action, ActionKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteUse {
    /// The text is the action's content and must be given.
    Required,
    /// A note may go with it.
    Optional,
    /// The system's own moves.
    Never,
}

impl ActionKind {
    pub fn note_use(self) -> NoteUse {
        use ActionKind as K;
        match self {
            K::Reject | K::Return | K::Progress | K::Resolve | K::ResolveOnSpot | K::Supervise => {
                NoteUse::Required
            }
            K::AutoClose => NoteUse::Never,
            _ => NoteUse::Optional,
        }
    }
}

/// The text of an action whose note is its content.
fn content(action: &Action) -> Option<&str> {
    match action {
        Action::Reject { reason } | Action::Return { reason } => Some(reason),
        Action::Progress { note }
        | Action::Resolve { note, .. }
        | Action::ResolveOnSpot { note }
        | Action::Supervise { note } => Some(note),
        _ => None,
    }
}

/// What the timeline step keeps as its note: the action's own text, or the note typed with it.
pub fn step_note(action: &Action, comment: &str) -> String {
    match action.kind().note_use() {
        NoteUse::Required => content(action).unwrap_or_default().trim().to_string(),
        NoteUse::Optional => comment.trim().to_string(),
        NoteUse::Never => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Assignee, Resolution, Scores, Urgency};
    use super::*;

    #[test]
    fn every_note_typed_is_kept() {
        let s = Scores {
            attitude: 5,
            ability: 5,
            conduct: 5,
            result: 5,
        };
        let optional = [
            Action::Verify,
            Action::Merge { into: 3 },
            Action::Dispatch {
                to: Assignee::Department(1),
            },
            Action::TakeOn,
            Action::Escalate,
            Action::SendDown,
            Action::Accept,
            Action::RequestExtension { hours: 8 },
            Action::DecideExtension { approve: true },
            Action::AddCoHandler { department: 2 },
            Action::Rate { scores: s },
            Action::Recall,
            Action::SetUrgency {
                urgency: Urgency::Critical,
            },
            Action::FollowUp { solved: false },
        ];
        for a in &optional {
            assert_eq!(a.kind().note_use(), NoteUse::Optional, "{a:?}");
            assert_eq!(step_note(a, "  请尽快到场 "), "请尽快到场", "{a:?}");
        }
        let required = [
            Action::Reject {
                reason: "不属实".into(),
            },
            Action::Return {
                reason: "非本部门".into(),
            },
            Action::Progress {
                note: "已到场".into(),
            },
            Action::Resolve {
                note: "已修复".into(),
                outcome: Resolution::Solved,
            },
            Action::ResolveOnSpot {
                note: "当场处理".into(),
            },
            Action::Supervise {
                note: "限期办理".into(),
            },
        ];
        for a in &required {
            assert_eq!(a.kind().note_use(), NoteUse::Required, "{a:?}");
            assert_eq!(step_note(a, "ignored"), content(a).unwrap());
        }
        let kinds: Vec<_> = optional.iter().chain(&required).map(|a| a.kind()).collect();
        for k in ActionKind::ALL {
            assert!(
                kinds.contains(&k) || k == ActionKind::AutoClose,
                "{k:?} untested"
            );
        }
        assert_eq!(step_note(&Action::AutoClose, "x"), "");
    }
}
