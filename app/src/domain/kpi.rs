//! The six KPIs of an org unit over a period, from counts the store gathers. Definitions, also in
//! `docs/kpi.md`:
//! - 接收率 received: events accepted for handling (verified, or solved on the spot) over all
//!   events reported in the period, not counting duplicates merged into another event.
//! - 办结率 closed: events resolved (handled and fed back) over events accepted.
//! - 按期办结率 on time: events resolved by their deadline over events resolved.
//! - 反馈率 fed back: resolved events the reporter rated (or the room called back) over resolved.
//! - 满意率 satisfied: satisfied ratings (no dimension below 3) over all ratings.
//! - 村内解决率 solved in the village: resolved events last handled at grid or village level
//!   over events resolved.
//!
//! A rate with nothing to divide by is absent, not 100%: a quiet unit is not a perfect one.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KpiCounts {
    pub reported: i64,
    pub merged: i64,
    pub accepted: i64,
    pub resolved: i64,
    pub resolved_on_time: i64,
    pub rated: i64,
    pub satisfied: i64,
    pub resolved_in_village: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Kpis {
    pub received: Option<f64>,
    pub closed: Option<f64>,
    pub on_time: Option<f64>,
    pub fed_back: Option<f64>,
    pub satisfied: Option<f64>,
    pub in_village: Option<f64>,
}

fn rate(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| (num.clamp(0, den)) as f64 / den as f64)
}

impl KpiCounts {
    pub fn add(&mut self, o: &KpiCounts) {
        self.reported += o.reported;
        self.merged += o.merged;
        self.accepted += o.accepted;
        self.resolved += o.resolved;
        self.resolved_on_time += o.resolved_on_time;
        self.rated += o.rated;
        self.satisfied += o.satisfied;
        self.resolved_in_village += o.resolved_in_village;
    }

    pub fn kpis(&self) -> Kpis {
        Kpis {
            received: rate(self.accepted, self.reported - self.merged),
            closed: rate(self.resolved, self.accepted),
            on_time: rate(self.resolved_on_time, self.resolved),
            fed_back: rate(self.rated, self.resolved),
            satisfied: rate(self.satisfied, self.rated),
            in_village: rate(self.resolved_in_village, self.resolved),
        }
    }
}

/// `98.6%`, or a dash when there is nothing to measure.
pub fn percent(r: Option<f64>) -> String {
    match r {
        Some(r) => format!("{:.1}%", r * 100.0),
        None => "—".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn shulan_closure_rate() {
        // Shulan: 13,602 of 13,639 closed = 99.73%.
        let c = KpiCounts {
            reported: 13_639,
            accepted: 13_639,
            resolved: 13_602,
            ..Default::default()
        };
        assert_eq!(percent(c.kpis().closed), "99.7%");
        assert_eq!(c.kpis().satisfied, None, "no ratings, no rate");
        assert_eq!(percent(None), "—");
    }

    #[test]
    fn merged_duplicates_do_not_count_as_unreceived() {
        let c = KpiCounts {
            reported: 10,
            merged: 2,
            accepted: 8,
            ..Default::default()
        };
        assert_eq!(c.kpis().received, Some(1.0));
    }

    proptest! {
        #[test]
        fn rates_stay_between_zero_and_one(v in proptest::array::uniform8(0i64..1000)) {
            let c = KpiCounts { reported: v[0], merged: v[1], accepted: v[2], resolved: v[3],
                resolved_on_time: v[4], rated: v[5], satisfied: v[6], resolved_in_village: v[7] };
            let k = c.kpis();
            for r in [k.received, k.closed, k.on_time, k.fed_back, k.satisfied, k.in_village].into_iter().flatten() {
                prop_assert!((0.0..=1.0).contains(&r));
            }
            let mut sum = KpiCounts::default();
            sum.add(&c);
            sum.add(&c);
            prop_assert_eq!(sum.reported, 2 * c.reported);
        }
    }
}
