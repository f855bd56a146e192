//! What the event pages and the server exchange.

use serde::{Deserialize, Serialize};

use crate::domain::event::{ActionKind, EventFacts};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Category {
    pub id: i64,
    pub board: String,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub limit_kind: String,
    pub limit_value: i64,
    pub default_level: String,
}

impl Category {
    pub fn name(&self, locale: &str) -> &str {
        if locale == "en" {
            &self.name_en
        } else {
            &self.name_zh
        }
    }
}

/// One event as a card in a queue or on the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct EventCard {
    pub id: i64,
    pub tracking_no: String,
    pub channel: String,
    pub category_id: i64,
    pub category_zh: String,
    pub category_en: String,
    pub board: String,
    pub grid_id: i64,
    pub grid_name: String,
    pub level: String,
    pub state: String,
    pub description: String,
    pub address: String,
    pub lng: Option<f64>,
    pub lat: Option<f64>,
    pub created_at: i64,
    pub due_at: i64,
    pub yellow_at: i64,
    pub supervisions: i64,
    pub assignee_dept_id: Option<i64>,
    pub assignee_user_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Step {
    pub id: i64,
    pub at: i64,
    pub actor_name: String,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub from_level: Option<String>,
    pub to_level: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoRef {
    pub id: i64,
    pub step_id: Option<i64>,
    pub width: i64,
    pub height: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDetail {
    pub card: EventCard,
    pub facts: EventFacts,
    pub reporter_name: String,
    /// Masked unless the viewer handles the event.
    pub reporter_phone: String,
    pub result_note: String,
    pub reject_reason: String,
    pub pending_extension_hours: i64,
    pub steps: Vec<Step>,
    pub photos: Vec<PhotoRef>,
    pub allowed: Vec<ActionKind>,
    pub light: String,
}

/// Where a dispatcher may send an event: the departments of the holding unit and the grid's
/// workers, with the responsibility list's suggestion first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DispatchTargets {
    pub departments: Vec<Target>,
    pub workers: Vec<Target>,
    pub suggested_department: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Target {
    pub id: i64,
    pub name: String,
}

/// An open report of the same category near the point being reported, as "already reported
/// nearby?" shows it. Who may not open the event learns only that it exists: its category, its
/// state and a distance rounded to 50 m.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearbyEvent {
    /// Set only for a viewer who may open the event.
    pub id: Option<i64>,
    pub tracking_no: Option<String>,
    pub category_zh: String,
    pub category_en: String,
    pub state: String,
    pub within_m: i64,
}

/// A change pushed to open consoles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveChange {
    /// Monotonic per server process; a gap tells the client to resync.
    pub seq: u64,
    pub event_id: i64,
    pub grid_path: String,
    pub state: String,
    pub action: String,
    pub version: i64,
    pub assignee_dept_id: Option<i64>,
    pub assignee_user_id: Option<i64>,
    pub reporter_user_id: Option<i64>,
    /// The holding level and the co-handling departments: with the rest, what the visibility
    /// rule needs to decide who is told.
    pub level: String,
    pub co_handlers: Vec<i64>,
}

/// What the report page needs before the form: the catalogue, a fresh submission key (so a
/// retried post makes one event), and the reporter's home grid for the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportSetup {
    pub signed_in: bool,
    pub wechat: bool,
    pub categories: Vec<Category>,
    pub idem_key: String,
    pub home: Option<HomeGrid>,
    /// The channels this user may report on: app and mailbox for everyone, hotline for the
    /// command room, patrol for grid workers and village cadres.
    pub channels: Vec<String>,
    /// Grids in scope, for staff channels (a hotline call names a place, not a point).
    pub grids: Vec<Target>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct HomeGrid {
    pub id: i64,
    pub name: String,
    pub center_lng: Option<f64>,
    pub center_lat: Option<f64>,
    pub geometry: Option<String>,
}

/// An in-app reminder (a new event to handle, due soon, overdue) for the caller, their
/// department or their unit. Read or not is the caller's own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reminder {
    pub id: i64,
    pub event_id: i64,
    pub tracking_no: String,
    pub kind: String,
    pub at: i64,
    pub read: bool,
}

/// An open event past 80% of its time limit, as the overdue list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverdueRow {
    pub card: EventCard,
    pub township: String,
    pub village: String,
    /// Working seconds past the deadline (positive) or still left (negative).
    pub over_working_secs: i64,
}

/// The caller's queue, with the server's clock when it was read: the cards' lights are taken at
/// that instant, so the server render and the hydration agree and a wrong phone clock cannot
/// turn a card red.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkQueue {
    pub now: i64,
    pub cards: Vec<EventCard>,
}

/// Red and yellow counts of one unit one level below the caller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct UnitLights {
    pub id: i64,
    pub name: String,
    pub red: i64,
    pub yellow: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverdueList {
    /// The server's clock when the list was read; lights on the page are taken at this instant so
    /// the server render and the hydration agree.
    pub now: i64,
    pub red: i64,
    pub yellow: i64,
    pub rows: Vec<OverdueRow>,
    pub by_unit: Vec<UnitLights>,
}
