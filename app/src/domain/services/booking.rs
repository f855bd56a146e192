//! A slot at a service point holds `capacity` places; a resident books one, may change or
//! cancel it until the slot begins, and staff mark it attended or missed afterwards.

use serde::{Deserialize, Serialize};

/// How much running about an item costs the resident (Longyou's four labels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ServiceLabel {
    /// 零审批: nothing to approve, done on the spot.
    ZeroApproval,
    /// 零跑腿: done from the phone.
    ZeroErrand,
    /// 跑一次: one visit, booked.
    OneVisit,
    /// 全代跑: a proxy does all of it.
    FullProxy,
}

impl ServiceLabel {
    pub const ALL: [ServiceLabel; 4] = [
        ServiceLabel::ZeroApproval,
        ServiceLabel::ZeroErrand,
        ServiceLabel::OneVisit,
        ServiceLabel::FullProxy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ServiceLabel::ZeroApproval => "zero_approval",
            ServiceLabel::ZeroErrand => "zero_errand",
            ServiceLabel::OneVisit => "one_visit",
            ServiceLabel::FullProxy => "full_proxy",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// Whether the resident books a time at a service point for it.
    pub fn bookable(self) -> bool {
        matches!(self, ServiceLabel::OneVisit | ServiceLabel::ZeroApproval)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BookingState {
    Booked,
    Cancelled,
    Attended,
    Missed,
}

impl BookingState {
    pub const ALL: [BookingState; 4] = [
        BookingState::Booked,
        BookingState::Cancelled,
        BookingState::Attended,
        BookingState::Missed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BookingState::Booked => "booked",
            BookingState::Cancelled => "cancelled",
            BookingState::Attended => "attended",
            BookingState::Missed => "missed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.as_str() == s)
    }

    /// Holds a place: the only state that counts against the slot's capacity.
    pub fn holds_place(self) -> bool {
        self == BookingState::Booked
    }
}

/// A resident holds at most this many bookings at once (a person books for themselves and
/// perhaps an elderly parent; more is someone hoarding places).
pub const MAX_ACTIVE_BOOKINGS: usize = 3;
/// Places in one slot, and a slot's longest span.
pub const MAX_CAPACITY: i64 = 500;
pub const MAX_SLOT_SECONDS: i64 = 12 * 3600;
/// Slots are published at most this far ahead.
pub const MAX_DAYS_AHEAD: i64 = 90;

pub fn places_left(capacity: i64, booked: i64) -> i64 {
    (capacity - booked).max(0)
}

/// What the store knows of a slot when someone asks for a place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotFacts {
    pub capacity: i64,
    pub booked: i64,
    pub starts_at: i64,
    pub item_id: i64,
}

/// The asker's own bookings that hold a place: (item, slot).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holding {
    pub active: Vec<(i64, i64)>,
}

/// Why a place was not given (an i18n key under `errors.`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Every place is taken.
    Full,
    /// The slot has begun or passed.
    Started,
    /// The asker already holds a place for this item.
    AlreadyBooked,
    /// The asker holds [`MAX_ACTIVE_BOOKINGS`] already.
    TooMany,
    /// The booking is no longer one that holds a place.
    NotActive,
}

impl Refusal {
    pub fn key(self) -> &'static str {
        match self {
            Refusal::Full => "slot_full",
            Refusal::Started => "slot_started",
            Refusal::AlreadyBooked => "already_booked",
            Refusal::TooMany => "too_many_bookings",
            Refusal::NotActive => "booking_not_active",
        }
    }
}

/// May this asker take a place in this slot now? `moving_from` is the slot of the booking
/// being changed (it stops counting once the new place is held).
pub fn may_book(
    slot: &SlotFacts,
    now: i64,
    mine: &Holding,
    moving_from: Option<i64>,
) -> Result<(), Refusal> {
    if slot.starts_at <= now {
        return Err(Refusal::Started);
    }
    let others: Vec<&(i64, i64)> = mine
        .active
        .iter()
        .filter(|(_, s)| Some(*s) != moving_from)
        .collect();
    if others.iter().any(|(item, _)| *item == slot.item_id) {
        return Err(Refusal::AlreadyBooked);
    }
    if others.len() >= MAX_ACTIVE_BOOKINGS {
        return Err(Refusal::TooMany);
    }
    if places_left(slot.capacity, slot.booked) == 0 {
        return Err(Refusal::Full);
    }
    Ok(())
}

/// A booking may be cancelled (or changed) while it holds a place and its slot has not begun.
pub fn may_cancel(state: BookingState, starts_at: i64, now: i64) -> Result<(), Refusal> {
    if !state.holds_place() {
        return Err(Refusal::NotActive);
    }
    if starts_at <= now {
        return Err(Refusal::Started);
    }
    Ok(())
}

/// Staff mark attendance once the slot has begun.
pub fn may_mark(state: BookingState, starts_at: i64, now: i64, to: BookingState) -> bool {
    state == BookingState::Booked
        && starts_at <= now
        && matches!(to, BookingState::Attended | BookingState::Missed)
}

/// How long before its slot a booking is reminded of.
pub const REMIND_AHEAD: i64 = 24 * 3600;

/// When the day-before reminder goes out.
pub fn remind_at(starts_at: i64) -> i64 {
    starts_at - REMIND_AHEAD
}

/// A booking of a slot starting at `starts_at` is due its reminder at `now`: from a day before
/// until the slot begins (a booking made an hour before is reminded at once, one whose slot has
/// begun never).
pub fn reminder_due(starts_at: i64, now: i64) -> bool {
    now >= remind_at(starts_at) && now < starts_at
}

/// A slot as staff publish it; the error is an i18n key under `errors.`.
pub fn validate_slot(
    starts_at: i64,
    ends_at: i64,
    capacity: i64,
    now: i64,
) -> Result<(), (&'static str, &'static str)> {
    if !(1..=MAX_CAPACITY).contains(&capacity) {
        return Err(("capacity", "capacity_range"));
    }
    if starts_at <= now {
        return Err(("starts_at", "slot_in_past"));
    }
    if starts_at > now + MAX_DAYS_AHEAD * 86_400 {
        return Err(("starts_at", "slot_too_far"));
    }
    if ends_at <= starts_at || ends_at - starts_at > MAX_SLOT_SECONDS {
        return Err(("ends_at", "slot_span"));
    }
    Ok(())
}

/// A capacity lowered below what is booked would strand residents: never below `booked`.
pub fn may_set_capacity(new: i64, booked: i64) -> bool {
    (1..=MAX_CAPACITY).contains(&new) && new >= booked
}

/// `YYYY-MM-DD` and `HH:MM` in China's time, as a desk types a slot's start.
pub fn slot_start(day: &str, hm: &str) -> Option<i64> {
    let d = crate::domain::calendar::parse_date(day)?;
    let (h, m) = hm.trim().split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    if !(0..24).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    Some(crate::domain::calendar::day_start(d) + h * 3600 + m * 60)
}
