use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month};

use crate::domain::calendar::{format_date, parse_date};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PeriodKind {
    /// Monday to Sunday: the villages' red and black lists.
    Week,
    /// A calendar month: party members' points, grid workers' assessment, household credit.
    Month,
    /// A calendar quarter: branch meetings required quarterly (支部党员大会, 党课).
    Quarter,
}

/// A scoring period, named by its first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Period {
    pub kind: PeriodKind,
    pub start: Date,
}

impl Period {
    pub fn containing(kind: PeriodKind, d: Date) -> Period {
        let start = match kind {
            PeriodKind::Week => d - Duration::days(d.weekday().number_days_from_monday() as i64),
            PeriodKind::Month => d.replace_day(1).unwrap_or(d),
            PeriodKind::Quarter => {
                let first = (d.month() as u8 - 1) / 3 * 3 + 1;
                Month::try_from(first)
                    .ok()
                    .and_then(|m| Date::from_calendar_date(d.year(), m, 1).ok())
                    .unwrap_or(d)
            }
        };
        Period { kind, start }
    }

    /// The first day after the period.
    pub fn end(&self) -> Date {
        match self.kind {
            PeriodKind::Week => self.start + Duration::days(7),
            PeriodKind::Month => month_after(self.start),
            PeriodKind::Quarter => month_after(month_after(month_after(self.start))),
        }
    }

    pub fn next(&self) -> Period {
        Period {
            kind: self.kind,
            start: self.end(),
        }
    }

    pub fn prev(&self) -> Period {
        Period::containing(self.kind, self.start - Duration::days(1))
    }

    /// The `n` periods up to and including the one containing `today`, newest first: what a
    /// period picker offers.
    pub fn recent(kind: PeriodKind, today: Date, n: usize) -> Vec<Period> {
        std::iter::successors(Some(Period::containing(kind, today)), |p| Some(p.prev()))
            .take(n)
            .collect()
    }

    pub fn contains(&self, d: Date) -> bool {
        self.start <= d && d < self.end()
    }

    /// `2026-11` for a month, `2026-11-16` (its Monday) for a week: both sort as text.
    pub fn label(&self) -> String {
        match self.kind {
            PeriodKind::Month => format_date(self.start)[..7].to_string(),
            PeriodKind::Week => format_date(self.start),
            PeriodKind::Quarter => format!(
                "{}-Q{}",
                self.start.year(),
                (self.start.month() as u8 - 1) / 3 + 1
            ),
        }
    }

    pub fn parse(kind: PeriodKind, label: &str) -> Option<Period> {
        let d = match kind {
            PeriodKind::Month => parse_date(&format!("{label}-01"))?,
            PeriodKind::Week => parse_date(label)?,
            PeriodKind::Quarter => {
                let (y, q) = label.split_once("-Q")?;
                let q: u8 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
                parse_date(&format!("{y}-{:02}-01", (q - 1) * 3 + 1))?
            }
        };
        let p = Period::containing(kind, d);
        (p.start == d).then_some(p)
    }
}

/// The first day of the month after the one `d` starts.
fn month_after(d: Date) -> Date {
    let (y, m) = match d.month() {
        Month::December => (d.year() + 1, Month::January),
        m => (d.year(), m.next()),
    };
    Date::from_calendar_date(y, m, 1).unwrap_or(d)
}
