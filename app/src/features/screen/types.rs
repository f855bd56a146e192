//! What a large screen shows. The map's outlines are sent once; everything else is `ScreenLive`,
//! which the server keeps per scope and sends as patches: only the sections that changed, with
//! the version they apply to. A client whose version does not match asks for a snapshot.

use serde::{Deserialize, Serialize};

use crate::domain::kpi::KpiCounts;
use crate::features::scoring::types::{BoardRow, SatisfactionRow, VillageLists};

/// The grid outlines of the scope, projected into the SVG's coordinates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapShapes {
    pub width: f64,
    pub height: f64,
    pub grids: Vec<GridShape>,
    /// Township or village outlines drawn over the grids.
    pub borders: Vec<GridShape>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridShape {
    pub id: i64,
    pub name: String,
    /// SVG path data.
    pub d: String,
}

/// Reports and closures on one local day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    pub day: String,
    pub received: i64,
    pub closed: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedCount {
    pub name_zh: String,
    pub name_en: String,
    pub count: i64,
}

/// Branch life this month over the scope: the compliance matrix's cells (branches ×
/// requirements) met, still due and missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BranchLifeTally {
    pub met: u32,
    pub due: u32,
    pub missed: u32,
}

/// A unit one level down: satisfaction and on-time closure over the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitRank {
    pub id: i64,
    pub name: String,
    pub satisfied: Option<f64>,
    pub on_time: Option<f64>,
    pub received: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TickerItem {
    pub id: i64,
    pub tracking_no: String,
    pub category_zh: String,
    pub category_en: String,
    pub grid: String,
    pub state: String,
    pub at: i64,
}

/// An open event on the map; `light` 0 green, 1 yellow, 2 red; `fresh` for the last ten minutes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapPoint {
    pub id: i64,
    pub x: f64,
    pub y: f64,
    pub light: u8,
    pub fresh: bool,
}

/// 务工信息 on the wall: views and interest per day over the last `JOB_DAYS` days in the
/// demand area of the scope (its county, or the township it lies in), and the last week against
/// the four before it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct JobHeat {
    pub area: String,
    pub days: Vec<crate::domain::jobs::Row>,
    pub spike: Option<f64>,
}

/// The window of the wall's job chart: long enough for the spike's five weeks and the rise to it.
pub const JOB_DAYS: i64 = 60;

macro_rules! screen_sections {
    ($($field:ident : $ty:ty),* $(,)?) => {
        /// Everything on a screen that changes.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct ScreenLive {
            pub version: u64,
            /// The server's clock when this was computed (lights and "fresh" are taken then).
            pub at: i64,
            $(pub $field: $ty,)*
        }

        /// The sections that changed from version `from` to `to`.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct ScreenPatch {
            pub from: u64,
            pub to: u64,
            pub at: i64,
            $(#[serde(default, skip_serializing_if = "Option::is_none")] pub $field: Option<$ty>,)*
        }

        impl ScreenLive {
            /// The patch that turns `self` into `new`.
            pub fn diff(&self, new: &ScreenLive) -> ScreenPatch {
                ScreenPatch {
                    from: self.version,
                    to: new.version,
                    at: new.at,
                    $($field: (self.$field != new.$field).then(|| new.$field.clone()),)*
                }
            }

            /// Applies a patch made from this version; false (and nothing changed) otherwise,
            /// and the client then reloads a snapshot.
            pub fn apply(&mut self, p: ScreenPatch) -> bool {
                if p.from != self.version {
                    return false;
                }
                self.version = p.to;
                self.at = p.at;
                $(if let Some(v) = p.$field { self.$field = v; })*
                true
            }
        }

        impl ScreenPatch {
            /// The names of the sections it carries (for logs and tests).
            pub fn sections(&self) -> Vec<&'static str> {
                let mut out = Vec::new();
                $(if self.$field.is_some() { out.push(stringify!($field)); })*
                out
            }
        }
    };
}

screen_sections! {
    scope_name: String,
    tiles: KpiCounts,
    open: i64,
    today: i64,
    trend: Vec<DayCount>,
    categories: Vec<NamedCount>,
    units: Vec<UnitRank>,
    villages: Vec<SatisfactionRow>,
    departments: Vec<SatisfactionRow>,
    members: Vec<BoardRow>,
    workers: Vec<BoardRow>,
    lists: VillageLists,
    branch_life: BranchLifeTally,
    jobs: JobHeat,
    ticker: Vec<TickerItem>,
    lights: Vec<(i64, u8)>,
    points: Vec<MapPoint>,
}

/// What the page loads first: the outlines and the current state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreenFrame {
    pub shapes: MapShapes,
    pub live: ScreenLive,
    /// The window of the tiles, trend and rankings, in days.
    pub days: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn live(version: u64) -> ScreenLive {
        ScreenLive {
            version,
            at: 0,
            scope_name: "龙游县".into(),
            tiles: KpiCounts::default(),
            open: 3,
            today: 1,
            trend: vec![],
            categories: vec![],
            units: vec![],
            villages: vec![],
            departments: vec![],
            members: vec![],
            workers: vec![],
            lists: VillageLists {
                week: "2026-11-16".into(),
                red: vec![],
                black: vec![],
            },
            branch_life: BranchLifeTally::default(),
            jobs: JobHeat::default(),
            ticker: vec![],
            lights: vec![(7, 2)],
            points: vec![],
        }
    }

    #[test]
    fn a_patch_carries_only_what_changed_and_applies_once() {
        let old = live(4);
        let mut new = live(5);
        new.open = 4;
        new.lights = vec![(7, 2), (9, 0)];
        let p = old.diff(&new);
        assert_eq!(p.sections(), vec!["open", "lights"]);
        let json = serde_json::to_string(&p).unwrap();
        assert!(!json.contains("scope_name"), "{json}");
        let mut client = old.clone();
        assert!(client.apply(serde_json::from_str(&json).unwrap()));
        assert_eq!(client, new);
        // The same patch again is from the wrong version: refused, nothing changes.
        assert!(!client.apply(p));
        assert_eq!(client, new);
    }
}
