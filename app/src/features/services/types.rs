use serde::{Deserialize, Serialize};

/// An item of the catalogue as a resident reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceItem {
    pub id: i64,
    pub name_zh: String,
    pub name_en: String,
    /// `domain::services::ServiceLabel::as_str`.
    pub label: String,
    pub materials: String,
    pub department: String,
    pub time_limit_days: i64,
    /// The open slots of the coming days at the points serving the caller.
    pub slots: Vec<SlotLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlotLine {
    pub id: i64,
    pub point: String,
    pub address: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: i64,
    pub left: i64,
}

/// One of the caller's own bookings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyBooking {
    pub id: i64,
    pub item_id: i64,
    pub item_zh: String,
    pub item_en: String,
    pub point: String,
    pub address: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub state: String,
    /// Still changeable or cancellable (`domain::services::may_cancel`).
    pub open: bool,
    /// Its day-before reminder has gone out and the slot has not begun.
    pub reminded: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServicesHome {
    pub items: Vec<ServiceItem>,
    pub mine: Vec<MyBooking>,
    /// The caller runs a desk (`domain::services::runs_desks`).
    pub desk: bool,
    /// The caller's 代办 requests.
    pub proxies: Vec<ProxyView>,
    /// The caller can act as a proxy or oversees proxies (the menu to `/services/proxy`).
    pub proxy_page: bool,
}

/// A desk: the points the caller runs or oversees, their coming slots and who booked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Desk {
    pub points: Vec<DeskPoint>,
    pub items: Vec<(i64, String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeskPoint {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub unit_name: String,
    /// Publishes slots and sees names (`PointAccess::Manage`), or only counts.
    pub manage: bool,
    pub slots: Vec<DeskSlot>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeskSlot {
    pub id: i64,
    pub item_zh: String,
    pub item_en: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: i64,
    pub booked: i64,
    /// Who holds a place or held one, for those running the point: (booking, masked name,
    /// state). Empty for oversight.
    pub bookings: Vec<(i64, String, String)>,
}

/// A step of a proxy request, as the resident follows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProxyStep {
    /// `domain::services::ProxyState::as_str` of the state reached.
    pub state: String,
    pub note: String,
    pub at: i64,
}

/// A proxy request (代办).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProxyView {
    pub id: i64,
    pub item_zh: String,
    pub item_en: String,
    pub note: String,
    pub state: String,
    /// Who took it (masked), once someone has.
    pub proxy_name: Option<String>,
    pub proxy_user: Option<i64>,
    pub created_at: i64,
    pub due_at: i64,
    /// green, yellow or red while it is open (`domain::calendar::light_at`).
    pub light: Option<String>,
    pub stars: Option<i64>,
    pub steps: Vec<ProxyStep>,
}

/// The proxies' page: what the caller may take or holds, or (for the command roles) what runs
/// under their unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProxyTasks {
    pub requests: Vec<ProxyView>,
    /// The caller is a proxy (may take and advance); otherwise they oversee.
    pub proxy: bool,
    pub me: i64,
}
