use serde::{Deserialize, Serialize};

/// The least score for 2, 3, 4 and 5 stars (党员星级); below the first is one star.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StarThresholds(pub [i64; 4]);

impl Default for StarThresholds {
    fn default() -> Self {
        StarThresholds([20, 40, 60, 80])
    }
}

impl StarThresholds {
    pub fn is_valid(&self) -> bool {
        self.0.windows(2).all(|w| w[0] < w[1])
    }
}

/// 1 to 5 stars for a period's score.
pub fn stars(score: i64, t: StarThresholds) -> u8 {
    1 + t.0.iter().filter(|&&min| score >= min).count() as u8
}

/// How a village used the platform in one week (红黑榜).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VillageWeek {
    pub village_id: i64,
    pub name: String,
    pub households: i64,
    /// Residents who reported, rated or acknowledged something this week.
    pub active_households: i64,
    /// Events reported and accepted.
    pub reports: i64,
    /// Events due this week, and of those closed on time.
    pub due: i64,
    pub on_time: i64,
    pub rated: i64,
    pub satisfied: i64,
    /// Branch-life requirements its branch missed in the last closed month (or quarter).
    pub missed_meetings: i64,
    /// Of the three monthly disclosures (三务公开) of the last judged month, those put up late
    /// or not at all (`domain::disclosures::misses`).
    pub late_disclosures: i64,
}

/// What one missed branch-life requirement costs a village on the weekly lists.
pub const MISSED_MEETING_POINTS: f64 = 10.0;
/// What one late or missing monthly disclosure costs.
pub const LATE_DISCLOSURE_POINTS: f64 = 5.0;

impl VillageWeek {
    /// 0–100: participation 30, on-time closure 30, satisfaction 20, reporting 20 (reports per
    /// hundred households against the busiest village of the week). Missing parts (nothing due,
    /// nothing rated) count as met, so a quiet village is not punished for having no problems.
    /// Each branch-life requirement missed costs `MISSED_MEETING_POINTS`, each late or missing
    /// disclosure `LATE_DISCLOSURE_POINTS` (never below 0).
    pub fn score(&self, busiest_per_100: f64) -> f64 {
        let hh = self.households.max(1) as f64;
        let participation = (self.active_households as f64 / hh).min(1.0);
        let on_time = ratio(self.on_time, self.due);
        let satisfied = ratio(self.satisfied, self.rated);
        let per_100 = self.reports as f64 * 100.0 / hh;
        let reporting = if busiest_per_100 > 0.0 {
            (per_100 / busiest_per_100).min(1.0)
        } else {
            0.0
        };
        let base = 30.0 * participation + 30.0 * on_time + 20.0 * satisfied + 20.0 * reporting;
        (base
            - MISSED_MEETING_POINTS * self.missed_meetings as f64
            - LATE_DISCLOSURE_POINTS * self.late_disclosures as f64)
            .max(0.0)
    }
}

fn ratio(part: i64, whole: i64) -> f64 {
    if whole <= 0 {
        1.0
    } else {
        (part as f64 / whole as f64).clamp(0.0, 1.0)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeeklyLists {
    /// (village id, score), best first.
    pub red: Vec<(i64, f64)>,
    /// (village id, score), worst first.
    pub black: Vec<(i64, f64)>,
}

/// The week's red list (the best `n`) and black list (the worst `n`, none of them on the red
/// list). Villages without households are left out; equal scores are ordered by id.
pub fn rank_villages(weeks: &[VillageWeek], n: usize) -> WeeklyLists {
    let rated: Vec<&VillageWeek> = weeks.iter().filter(|w| w.households > 0).collect();
    let busiest = rated
        .iter()
        .map(|w| w.reports as f64 * 100.0 / w.households as f64)
        .fold(0.0, f64::max);
    let mut scored: Vec<(i64, f64)> = rated
        .iter()
        .map(|w| (w.village_id, w.score(busiest)))
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let red: Vec<(i64, f64)> = scored.iter().take(n).copied().collect();
    let black: Vec<(i64, f64)> = scored
        .iter()
        .rev()
        .filter(|v| !red.iter().any(|r| r.0 == v.0))
        .take(n)
        .copied()
        .collect();
    WeeklyLists { red, black }
}
