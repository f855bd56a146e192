//! The command map's rules: which pins a filter shows, and each grid's colour. The browser runs
//! them on every slider move, so they work on the loaded pins without a round trip.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::calendar::{day_start, light_at, local_date, Light};
use super::event::State;

/// One event on the map: just what filtering, colouring and placing it need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pin {
    pub id: i64,
    pub grid_id: i64,
    pub category_id: i64,
    pub state: State,
    /// Where it was reported, or the grid's centre when the reporter gave no point.
    pub lng: f64,
    pub lat: f64,
    pub located: bool,
    pub created_at: i64,
    pub yellow_at: i64,
    pub due_at: i64,
}

impl Pin {
    /// The deadline light of an open event at `now`; closed events have none.
    pub fn light(&self, now: i64) -> Option<Light> {
        self.state
            .is_open()
            .then(|| light_at(now, self.yellow_at, self.due_at))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum StateFilter {
    /// Everything not yet handled (the default: what needs someone now).
    #[default]
    Open,
    /// Handled, closed, rejected or merged.
    Done,
    All,
    One(State),
}

impl StateFilter {
    pub fn parse(s: &str) -> StateFilter {
        match s {
            "done" => StateFilter::Done,
            "all" => StateFilter::All,
            other => State::parse(other)
                .map(StateFilter::One)
                .unwrap_or(StateFilter::Open),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StateFilter::Open => "open",
            StateFilter::Done => "done",
            StateFilter::All => "all",
            StateFilter::One(s) => s.as_str(),
        }
    }

    pub fn admits(self, s: State) -> bool {
        match self {
            StateFilter::Open => s.is_open(),
            StateFilter::Done => !s.is_open(),
            StateFilter::All => true,
            StateFilter::One(x) => x == s,
        }
    }
}

/// What the map shows. `days == 0` means no time window: every loaded pin (all open events,
/// whatever their age, and those closed in the loaded period). Otherwise the window is the `days`
/// local days ending with the day `back` days before today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Filter {
    pub category: Option<i64>,
    pub state: StateFilter,
    pub days: i64,
    pub back: i64,
}

impl Filter {
    /// The half-open span of creation instants the window admits, if there is a window.
    pub fn window(&self, now: i64) -> Option<(i64, i64)> {
        (self.days > 0).then(|| {
            let end = day_start(local_date(now)) + (1 - self.back) * 86_400;
            (end - self.days * 86_400, end)
        })
    }

    pub fn shows(&self, p: &Pin, window: Option<(i64, i64)>) -> bool {
        self.category.is_none_or(|c| c == p.category_id)
            && self.state.admits(p.state)
            && window.is_none_or(|(from, to)| p.created_at >= from && p.created_at < to)
    }
}

fn rank(l: Light) -> u8 {
    match l {
        Light::Green => 0,
        Light::Yellow => 1,
        Light::Red => 2,
    }
}

/// Each grid's worst light among its open events at `now`, counting only the chosen category.
/// Grids with nothing open are absent. The time window does not apply: an old overdue event
/// keeps its grid red.
pub fn grid_lights<'a>(
    pins: impl IntoIterator<Item = &'a Pin>,
    category: Option<i64>,
    now: i64,
) -> HashMap<i64, Light> {
    let mut out: HashMap<i64, Light> = HashMap::new();
    for p in pins {
        if category.is_some_and(|c| c != p.category_id) {
            continue;
        }
        if let Some(l) = p.light(now) {
            out.entry(p.grid_id)
                .and_modify(|w| {
                    if rank(l) > rank(*w) {
                        *w = l
                    }
                })
                .or_insert(l);
        }
    }
    out
}

/// The worst of several lights (for a cluster of pins), if any is lit.
pub fn worst(lights: impl IntoIterator<Item = Light>) -> Option<Light> {
    lights.into_iter().max_by_key(|l| rank(*l))
}

/// Metres between two points (haversine on a 6,371 km sphere).
pub fn metres_between(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lng1, lat1) = (a.0.to_radians(), a.1.to_radians());
    let (lng2, lat2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lng2 - lng1) / 2.0).sin().powi(2);
    2.0 * 6_371_000.0 * h.sqrt().asin()
}

/// How far away a nearby report is, as told to someone who may not see where it is exactly:
/// rounded up to the next 50 m, never less than 50 m.
pub fn coarse_metres(m: f64) -> i64 {
    let bands = (m.max(0.0) / 50.0).ceil().max(1.0);
    bands as i64 * 50
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn distances_are_told_in_fifty_metre_bands() {
        let a = (119.17, 29.03);
        let b = (119.17, 29.03 + 100.0 / 111_195.0);
        let d = metres_between(a, b);
        assert!((d - 100.0).abs() < 0.5, "{d}");
        assert_eq!(coarse_metres(0.0), 50);
        assert_eq!(coarse_metres(12.0), 50);
        assert_eq!(coarse_metres(50.0), 50);
        assert_eq!(coarse_metres(50.1), 100);
        assert_eq!(coarse_metres(299.0), 300);
    }

    const DAY: i64 = 86_400;
    // 2026-11-23 12:00 in UTC+8.
    const NOW: i64 = 1_795_406_400;

    fn pin(id: i64, grid: i64, cat: i64, state: State, created: i64, due: i64) -> Pin {
        Pin {
            id,
            grid_id: grid,
            category_id: cat,
            state,
            lng: 120.0,
            lat: 29.0,
            located: true,
            created_at: created,
            yellow_at: due - 3600,
            due_at: due,
        }
    }

    #[test]
    fn old_overdue_event_keeps_its_grid_red_whatever_the_window() {
        let pins = vec![
            pin(1, 10, 1, State::Handling, NOW - 90 * DAY, NOW - 60 * DAY),
            pin(2, 10, 1, State::Dispatched, NOW - 3600, NOW + 10 * DAY),
            pin(3, 11, 2, State::Verified, NOW - 3600, NOW + 1800),
            pin(4, 12, 2, State::Closed, NOW - 3600, NOW - 1800),
        ];
        let lights = grid_lights(&pins, None, NOW);
        assert_eq!(lights.get(&10), Some(&Light::Red));
        assert_eq!(lights.get(&11), Some(&Light::Yellow));
        assert_eq!(lights.get(&12), None, "closed events light nothing");
        let only_cat2 = grid_lights(&pins, Some(2), NOW);
        assert_eq!(only_cat2.get(&10), None);
        assert_eq!(only_cat2.get(&11), Some(&Light::Yellow));
    }

    #[test]
    fn window_is_whole_local_days_ending_with_the_chosen_day() {
        let f = Filter {
            days: 1,
            back: 0,
            ..Filter::default()
        };
        let (from, to) = f.window(NOW).unwrap();
        assert_eq!(from, day_start(local_date(NOW)));
        assert_eq!(to - from, DAY);
        let week_ago = Filter {
            days: 7,
            back: 7,
            ..f
        };
        let (from2, to2) = week_ago.window(NOW).unwrap();
        assert_eq!(to2, from - 6 * DAY);
        assert_eq!(to2 - from2, 7 * DAY);
        assert_eq!(Filter::default().window(NOW), None);
    }

    #[test]
    fn filter_combines_category_state_and_window() {
        let today = pin(1, 10, 1, State::Reported, NOW - 60, NOW + DAY);
        let yesterday = pin(2, 10, 1, State::Closed, NOW - DAY, NOW);
        let f = Filter {
            category: Some(1),
            state: StateFilter::Open,
            days: 1,
            back: 0,
        };
        let w = f.window(NOW);
        assert!(f.shows(&today, w));
        assert!(!f.shows(&yesterday, w));
        let done_yesterday = Filter {
            state: StateFilter::Done,
            back: 1,
            ..f
        };
        let w = done_yesterday.window(NOW);
        assert!(done_yesterday.shows(&yesterday, w));
        assert!(!done_yesterday.shows(&today, w));
        let other_cat = Filter {
            category: Some(2),
            ..Filter::default()
        };
        assert!(!other_cat.shows(&today, None));
    }

    #[test]
    fn state_filter_round_trips() {
        for s in ["open", "done", "all", "reported", "handling", "closed"] {
            assert_eq!(StateFilter::parse(s).as_str(), s);
        }
        assert_eq!(StateFilter::parse("nonsense"), StateFilter::Open);
    }

    fn any_state() -> impl Strategy<Value = State> {
        proptest::sample::select(State::ALL.to_vec())
    }

    proptest! {
        /// A grid's colour is exactly the worst light of its open events of the category.
        #[test]
        fn grid_light_is_the_worst_of_its_open_pins(
            raw in proptest::collection::vec((0i64..5, 0i64..3, any_state(), -5i64..5), 0..60),
            cat in proptest::option::of(0i64..3),
        ) {
            let pins: Vec<Pin> = raw.iter().enumerate().map(|(i, (g, c, s, due))| {
                pin(i as i64, *g, *c, *s, NOW - DAY, NOW + due * 3000)
            }).collect();
            let lights = grid_lights(&pins, cat, NOW);
            for g in 0..5 {
                let expected = worst(pins.iter()
                    .filter(|p| p.grid_id == g && cat.is_none_or(|c| c == p.category_id))
                    .filter_map(|p| p.light(NOW)));
                prop_assert_eq!(lights.get(&g).copied(), expected);
            }
        }

        /// Shifting the window back never shows a pin created after its end.
        #[test]
        fn window_never_admits_the_future(days in 1i64..31, back in 0i64..30, offset in -40i64..2) {
            let f = Filter { days, back, ..Filter::default() };
            let p = pin(1, 1, 1, State::Reported, NOW + offset * DAY, NOW + DAY);
            let w = f.window(NOW);
            if f.shows(&p, w) {
                let (from, to) = w.unwrap();
                prop_assert!(p.created_at >= from && p.created_at < to);
                prop_assert!(to <= day_start(local_date(NOW)) + DAY);
            }
        }
    }
}
