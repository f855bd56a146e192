//! The demand picture: cells of counts, summed along one dimension at a time.

use serde::{Deserialize, Serialize};

/// Age bands as the bureau reports them.
pub const BANDS: [&str; 6] = ["16-25", "26-35", "36-45", "46-55", "56+", "unknown"];

/// The band of someone born in `birth_year` in `year`; "unknown" without a record or under 16.
pub fn age_band(birth_year: Option<i64>, year: i64) -> &'static str {
    let Some(b) = birth_year else {
        return "unknown";
    };
    match year - b {
        16..=25 => "16-25",
        26..=35 => "26-35",
        36..=45 => "36-45",
        46..=55 => "46-55",
        a if a >= 56 => "56+",
        _ => "unknown",
    }
}

/// `male` / `female` / `unknown`, from what the register holds.
pub fn sex_of(gender: &str) -> &'static str {
    match gender.trim() {
        "male" | "男" | "M" | "m" => "male",
        "female" | "女" | "F" | "f" => "female",
        _ => "unknown",
    }
}

/// One cell: what happened on a day among people of a township, band and sex, for jobs of a
/// trade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    pub day: String,
    pub township: String,
    pub trade: String,
    pub band: String,
    pub sex: String,
    pub views: i64,
    pub interest: i64,
}

/// (label, views, interest), in a stable order.
pub type Row = (String, i64, i64);

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Picture {
    /// Every day from the first to the last asked for, zero days included.
    pub days: Vec<Row>,
    pub bands: Vec<Row>,
    pub sexes: Vec<Row>,
    pub townships: Vec<Row>,
    pub trades: Vec<Row>,
    pub views: i64,
    pub interest: i64,
}

fn sum_by(cells: &[Cell], key: impl Fn(&Cell) -> &str) -> Vec<Row> {
    let mut m: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
    for c in cells {
        let e = m.entry(key(c).to_string()).or_default();
        e.0 += c.views;
        e.1 += c.interest;
    }
    m.into_iter().map(|(k, (v, i))| (k, v, i)).collect()
}

/// The days of a window of `days` ending on the local day of `now`, oldest first (YYYY-MM-DD).
pub fn window(now: i64, days: i64) -> Vec<String> {
    use crate::domain::calendar::{format_date, local_date};
    let today = local_date(now);
    (0..days)
        .rev()
        .map(|i| format_date(today - time::Duration::days(i)))
        .collect()
}

/// Every day of `days` with its row from `by_day` (in any order), zero where it has none.
pub fn fill_days(by_day: &[Row], days: &[String]) -> Vec<Row> {
    days.iter()
        .map(|d| {
            by_day
                .iter()
                .find(|r| &r.0 == d)
                .cloned()
                .unwrap_or((d.clone(), 0, 0))
        })
        .collect()
}

/// The picture of `cells` over `days` (every day of the window, oldest first).
pub fn picture(cells: &[Cell], days: &[String]) -> Picture {
    assemble(
        [
            sum_by(cells, |c| &c.day),
            sum_by(cells, |c| &c.band),
            sum_by(cells, |c| &c.sex),
            sum_by(cells, |c| &c.township),
            sum_by(cells, |c| &c.trade),
        ],
        days,
    )
}

/// The picture from the days' sums and the window's cells collapsed over the days (one per
/// township × trade × band × sex): what the store reads, two passes over a year instead of five.
pub fn picture_of(by_day: Vec<Row>, collapsed: &[Cell], days: &[String]) -> Picture {
    assemble(
        [
            by_day,
            sum_by(collapsed, |c| &c.band),
            sum_by(collapsed, |c| &c.sex),
            sum_by(collapsed, |c| &c.township),
            sum_by(collapsed, |c| &c.trade),
        ],
        days,
    )
}

/// The picture from its five sums (by day, band, sex, township, trade, in any order within
/// each): every day of the window, zero days included; bands in the bureau's order; the rest
/// by views, most first, ties by name.
pub fn assemble(sums: [Vec<Row>; 5], days: &[String]) -> Picture {
    let [by_day, by_band, sexes, townships, trades] = sums;
    let find = |rows: &[Row], key: &str| {
        rows.iter()
            .find(|r| r.0 == key)
            .cloned()
            .unwrap_or((key.to_string(), 0, 0))
    };
    let most_first = |mut v: Vec<Row>| {
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    };
    Picture {
        views: by_day.iter().map(|r| r.1).sum(),
        interest: by_day.iter().map(|r| r.2).sum(),
        days: fill_days(&by_day, days),
        bands: BANDS.iter().map(|b| find(&by_band, b)).collect(),
        sexes: most_first(sexes),
        townships: most_first(townships),
        trades: most_first(trades),
    }
}

/// The seasonal spike: the last 7 days' daily average of views against the 28 days before them
/// (1.0 is normal; None without a baseline).
pub fn spike(days: &[Row]) -> Option<f64> {
    if days.len() < 35 {
        return None;
    }
    let n = days.len();
    let recent: i64 = days[n - 7..].iter().map(|d| d.1).sum();
    let base: i64 = days[n - 35..n - 7].iter().map(|d| d.1).sum();
    (base > 0).then(|| (recent as f64 / 7.0) / (base as f64 / 28.0))
}

/// A ratio from `spike` worth pointing at: half as much again as normal. The desk and the large
/// screen both colour it.
pub fn is_hot(ratio: Option<f64>) -> bool {
    ratio.is_some_and(|r| r >= 1.5)
}
