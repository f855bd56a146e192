//! A branch's housekeeping (支部事务): the committee's term and the reminder before 换届, dues
//! (党费) with each member's monthly amount and the month paid up to, membership moving to
//! another branch (组织关系转接) with the receiving branch's review, leave asked before a
//! meeting (请假), and a member's own bonus declaration (加分申报) with photo evidence.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::domain::scoring::{Period, PeriodKind};

// ---- 换届: the committee's term ------------------------------------------------------------

/// Village and community branches sit for five years, every other branch for three
/// (《中国共产党农村基层组织工作条例》, 《中国共产党支部工作条例（试行）》).
pub fn term_years(village_or_community: bool) -> i32 {
    if village_or_community {
        5
    } else {
        3
    }
}

/// The higher committee is asked in writing before the election; half a year is when the
/// secretary is told to start preparing.
pub const ELECTION_NOTICE_DAYS: i64 = 183;

/// The day a term begun on `started` ends (29 February falls back to the 28th).
pub fn term_end(started: Date, years: i32) -> Date {
    let y = started.year() + years;
    Date::from_calendar_date(y, started.month(), started.day())
        .or_else(|_| Date::from_calendar_date(y, started.month(), 28))
        .unwrap_or(started)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TermStatus {
    /// No election recorded yet.
    Unknown,
    Running {
        days_left: i64,
    },
    /// Within the notice period: prepare the election.
    ElectionSoon {
        days_left: i64,
    },
    /// Past its end without a new term recorded.
    Overdue {
        days: i64,
    },
}

impl TermStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TermStatus::Unknown => "unknown",
            TermStatus::Running { .. } => "running",
            TermStatus::ElectionSoon { .. } => "soon",
            TermStatus::Overdue { .. } => "overdue",
        }
    }

    /// Days until the end (negative once past it); 0 when unknown.
    pub fn days_left(self) -> i64 {
        match self {
            TermStatus::Unknown => 0,
            TermStatus::Running { days_left } | TermStatus::ElectionSoon { days_left } => days_left,
            TermStatus::Overdue { days } => -days,
        }
    }

    pub fn needs_action(self) -> bool {
        matches!(
            self,
            TermStatus::ElectionSoon { .. } | TermStatus::Overdue { .. }
        )
    }
}

pub fn term_status(term: Option<(Date, i32)>, today: Date) -> TermStatus {
    let Some((started, years)) = term else {
        return TermStatus::Unknown;
    };
    let left = (term_end(started, years) - today).whole_days();
    if left < 0 {
        TermStatus::Overdue { days: -left }
    } else if left <= ELECTION_NOTICE_DAYS {
        TermStatus::ElectionSoon { days_left: left }
    } else {
        TermStatus::Running { days_left: left }
    }
}

/// Checks a recorded election: not in the future, not before the system's calendar, and the
/// term length the branch's kind allows.
pub fn validate_term(
    elected: Date,
    years: i32,
    today: Date,
) -> Result<(), (&'static str, &'static str)> {
    if elected > today {
        return Err(("elected_on", "in_future"));
    }
    if elected.year() < 2000 {
        return Err(("elected_on", "out_of_range"));
    }
    if years != 3 && years != 5 {
        return Err(("years", "invalid_value"));
    }
    Ok(())
}

// ---- 党费: dues ---------------------------------------------------------------------------

/// One payment covers at most a year; the rules allow paying ahead, not further.
pub const MAX_MONTHS_PER_PAYMENT: u32 = 12;
/// How far past the current month dues may be paid ahead.
pub const MAX_MONTHS_AHEAD: i32 = 12;
/// A monthly amount in fen: from 0.1 yuan (students, those on subsistence allowance pay 0.2
/// yuan; the floor keeps a typo of 0 out) to 10,000 yuan.
pub const MIN_RATE_FEN: i64 = 10;
pub const MAX_RATE_FEN: i64 = 1_000_000;

/// The first day of the month of `d`.
pub fn month_of(d: Date) -> Date {
    d.replace_day(1).unwrap_or(d)
}

/// Months from `a` to `b` (first days), `b - a`.
pub fn months_between(a: Date, b: Date) -> i32 {
    (b.year() - a.year()) * 12 + (b.month() as i32 - a.month() as i32)
}

/// `n` months after the month of `d` (its first day).
pub fn add_months(d: Date, n: i32) -> Date {
    let idx = d.year() * 12 + (d.month() as i32 - 1) + n;
    let (y, m) = (idx.div_euclid(12), idx.rem_euclid(12) + 1);
    Month::try_from(m as u8)
        .ok()
        .and_then(|m| Date::from_calendar_date(y, m, 1).ok())
        .unwrap_or(d)
}

/// Whole months owed before the current one: the current month is due by its end, so it is
/// not yet arrears. `paid_to` is the last month paid (its first day); None owes from `since`.
pub fn arrears(paid_to: Option<Date>, since: Date, today: Date) -> u32 {
    let first_unpaid = match paid_to {
        Some(p) => add_months(month_of(p), 1),
        None => month_of(since),
    };
    months_between(first_unpaid, month_of(today)).max(0) as u32
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DuesError {
    Months,
    TooFarAhead,
    Rate,
}

impl DuesError {
    pub fn field_reason(self) -> (&'static str, &'static str) {
        match self {
            DuesError::Months => ("months", "out_of_range"),
            DuesError::TooFarAhead => ("months", "dues_too_far_ahead"),
            DuesError::Rate => ("rate", "out_of_range"),
        }
    }
}

pub fn validate_rate(fen: i64) -> Result<(), DuesError> {
    if (MIN_RATE_FEN..=MAX_RATE_FEN).contains(&fen) {
        Ok(())
    } else {
        Err(DuesError::Rate)
    }
}

/// A payment of `months` at `rate_fen`: the new month paid up to and the amount in fen.
pub fn pay(
    paid_to: Option<Date>,
    since: Date,
    months: u32,
    rate_fen: i64,
    today: Date,
) -> Result<(Date, i64), DuesError> {
    if months == 0 || months > MAX_MONTHS_PER_PAYMENT {
        return Err(DuesError::Months);
    }
    validate_rate(rate_fen)?;
    let first_unpaid = match paid_to {
        Some(p) => add_months(month_of(p), 1),
        None => month_of(since),
    };
    let to = add_months(first_unpaid, months as i32 - 1);
    if months_between(month_of(today), to) > MAX_MONTHS_AHEAD {
        return Err(DuesError::TooFarAhead);
    }
    Ok((to, rate_fen * i64::from(months)))
}

/// `1234` fen as `12.34`.
pub fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, (fen % 100).abs())
}

/// `12.3` or `12.34` yuan as fen; anything else is not an amount.
pub fn parse_yuan(s: &str) -> Option<i64> {
    let s = s.trim();
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() || whole.len() > 7 || frac.len() > 2 {
        return None;
    }
    if !whole
        .bytes()
        .chain(frac.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let frac = format!("{frac:0<2}");
    Some(whole.parse::<i64>().ok()? * 100 + frac.parse::<i64>().ok()?)
}

// ---- 组织关系转接: moving to another branch ------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransferState {
    /// Sent by the member's branch, waiting for the receiving branch.
    Pending,
    Accepted,
    Refused,
    /// Taken back by the sending branch before the answer.
    Withdrawn,
}

impl TransferState {
    pub fn as_str(self) -> &'static str {
        match self {
            TransferState::Pending => "pending",
            TransferState::Accepted => "accepted",
            TransferState::Refused => "refused",
            TransferState::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<TransferState> {
        [
            TransferState::Pending,
            TransferState::Accepted,
            TransferState::Refused,
            TransferState::Withdrawn,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransferAction {
    Accept,
    Refuse,
    Withdraw,
}

impl TransferAction {
    pub fn parse(s: &str) -> Option<TransferAction> {
        match s {
            "accept" => Some(TransferAction::Accept),
            "refuse" => Some(TransferAction::Refuse),
            "withdraw" => Some(TransferAction::Withdraw),
            _ => None,
        }
    }
}

/// Which end of a transfer the caller runs (as the secretary of that branch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferSides {
    pub sending: bool,
    pub receiving: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransferError {
    /// Already answered or withdrawn.
    Settled,
    /// Not this side's move.
    NotYours,
    /// A refusal says why.
    ReasonRequired,
}

impl TransferError {
    pub fn reason(self) -> &'static str {
        match self {
            TransferError::Settled => "transfer_settled",
            TransferError::NotYours => "forbidden",
            TransferError::ReasonRequired => "required",
        }
    }
}

/// The receiving branch accepts or refuses (with a reason); the sending branch may withdraw
/// while nobody has answered. Nothing moves a settled transfer.
pub fn transfer_step(
    state: TransferState,
    action: TransferAction,
    sides: TransferSides,
    reason: &str,
) -> Result<TransferState, TransferError> {
    if state != TransferState::Pending {
        return Err(TransferError::Settled);
    }
    match action {
        TransferAction::Accept if sides.receiving => Ok(TransferState::Accepted),
        TransferAction::Refuse if sides.receiving => {
            if reason.trim().is_empty() {
                Err(TransferError::ReasonRequired)
            } else {
                Ok(TransferState::Refused)
            }
        }
        TransferAction::Withdraw if sides.sending => Ok(TransferState::Withdrawn),
        _ => Err(TransferError::NotYours),
    }
}

/// A transfer needs another branch to go to.
pub fn validate_transfer(from: i64, to: i64) -> Result<(), (&'static str, &'static str)> {
    if from == to {
        return Err(("to_branch", "transfer_same_branch"));
    }
    Ok(())
}

// ---- 请假: leave before a meeting -----------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LeaveError {
    /// The meeting has begun (or is closed): an absence is recorded by the secretary instead.
    TooLate,
    /// The member already checked in.
    Attended,
}

impl LeaveError {
    pub fn reason(self) -> &'static str {
        match self {
            LeaveError::TooLate => "leave_too_late",
            LeaveError::Attended => "already_attended",
        }
    }
}

/// Leave is asked before the meeting starts, by a member who has not checked in.
pub fn may_ask_leave(
    planned: bool,
    starts_at: i64,
    attended: bool,
    now: i64,
) -> Result<(), LeaveError> {
    if attended {
        return Err(LeaveError::Attended);
    }
    if !planned || now >= starts_at {
        return Err(LeaveError::TooLate);
    }
    Ok(())
}

// ---- 加分申报: a member's declaration -------------------------------------------------------

pub const MAX_DECLARATION_NOTE: usize = 300;
/// Photos of one declaration.
pub const MAX_DECLARATION_PHOTOS: usize = 3;

/// A declaration says what was done and shows it.
pub fn validate_declaration(note: &str, photos: usize) -> Result<(), (&'static str, &'static str)> {
    match note.trim().chars().count() {
        0 => return Err(("declaration_note", "required")),
        n if n > MAX_DECLARATION_NOTE => return Err(("declaration_note", "too_long")),
        _ => {}
    }
    if photos == 0 {
        return Err(("photo", "required"));
    }
    if photos > MAX_DECLARATION_PHOTOS {
        return Err(("photo", "out_of_range"));
    }
    Ok(())
}

/// The month a dues line is labelled with (`2026-11`).
pub fn month_label(d: Date) -> String {
    Period::containing(PeriodKind::Month, d).label()
}

#[cfg(test)]
#[path = "affairs_tests.rs"]
mod tests;
