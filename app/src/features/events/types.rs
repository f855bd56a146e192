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
    /// `normal`, `urgent` or `critical`.
    pub urgency: String,
    /// Times it was sent back to be handled again (a dissatisfied rating, "not solved").
    pub reopened: i64,
    /// People who reported it: the first and those who joined ("me too").
    pub reporters: i64,
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
    /// `StepDetail` as JSON: the department it went to, the hours asked, the scores given.
    pub detail: String,
}

impl Step {
    pub fn details(&self) -> StepDetail {
        serde_json::from_str(&self.detail).unwrap_or_default()
    }
}

/// What a timeline step records besides its note, with names as they were at the time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepDetail {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// A tracking number: merged into, or a duplicate of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved: Option<bool>,
    /// 态度、能力、作风、结果.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scores: Option<[u8; 4]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solved: Option<bool>,
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
    /// The unit holding it now (its command room), by name.
    pub holder_name: String,
    pub co_handler_names: Vec<String>,
    /// How it ended (`solved`, `referred`, `cannot_fix`, `duplicate`) and to whom or what.
    pub outcome: String,
    pub outcome_ref: String,
    /// Whether the caller reported it themselves or joined it.
    pub mine: bool,
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
    /// For a resident who did not report it: a token to join it ("me too") instead of
    /// reporting it again.
    pub join: Option<String>,
    pub category_zh: String,
    pub category_en: String,
    pub state: String,
    pub within_m: i64,
}

/// One of the caller's own reports (made or joined), as "我的上报" lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct MyReport {
    pub id: i64,
    pub tracking_no: String,
    pub category_zh: String,
    pub category_en: String,
    pub description: String,
    pub state: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// The last step's action, e.g. `dispatch`.
    pub last_action: String,
    /// 1 when the caller joined someone else's report.
    pub joined: i64,
    /// 1 while "解决了吗？" waits for the caller's answer.
    pub follow_up_open: i64,
    pub version: i64,
}

/// A ready answer the room can start a note from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ReplyTemplate {
    pub id: i64,
    pub text_zh: String,
    pub text_en: String,
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
}

/// What the report page needs before the form: the catalogue, a fresh submission key (so a
/// retried post makes one event), and the reporter's home grid for the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportSetup {
    pub signed_in: bool,
    pub wechat: bool,
    /// For a visitor: the number a sign-in code was just sent to (the code form's number).
    pub code_phone: Option<String>,
    pub categories: Vec<Category>,
    pub idem_key: String,
    pub home: Option<HomeGrid>,
    /// Named outlines around the home grid (its village's other grids, the township's
    /// villages), to find one's way on a map without tiles.
    pub around: Vec<AreaShape>,
    /// The channels this user may report on: app and mailbox for everyone, hotline for the
    /// command room, patrol for grid workers and village cadres.
    pub channels: Vec<String>,
    /// Grids in scope, for staff channels (a hotline call names a place, not a point).
    pub grids: Vec<Target>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AreaShape {
    pub name: String,
    pub level: String,
    pub geometry: Option<String>,
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
