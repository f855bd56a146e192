use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// What is put up. The three 三务 are a village's, month by month; a notice is any unit's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kind {
    /// 党务公开
    Party,
    /// 村务公开
    Village,
    /// 财务公开, with its table.
    Finance,
    /// 通知公告
    Notice,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Party, Kind::Village, Kind::Finance, Kind::Notice];
    /// The three a village owes every month.
    pub const MONTHLY: [Kind; 3] = [Kind::Party, Kind::Village, Kind::Finance];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Party => "party",
            Kind::Village => "village",
            Kind::Finance => "finance",
            Kind::Notice => "notice",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn monthly(self) -> bool {
        self != Kind::Notice
    }
}

/// The day of the following month by which a month's disclosures are due (inclusive).
pub const DUE_DAY: u8 = 10;

/// A calendar month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month1 {
    pub year: i32,
    pub month: u8,
}

impl Month1 {
    pub fn of(d: Date) -> Month1 {
        Month1 {
            year: d.year(),
            month: d.month() as u8,
        }
    }

    /// `2026-11`; None for anything else (years 2000–2099).
    pub fn parse(s: &str) -> Option<Month1> {
        let (y, m) = s.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let month: u8 = m.parse().ok()?;
        ((2000..2100).contains(&year) && (1..=12).contains(&month))
            .then_some(Month1 { year, month })
    }

    pub fn as_string(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    pub fn next(self) -> Month1 {
        if self.month == 12 {
            Month1 {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month1 {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn prev(self) -> Month1 {
        if self.month == 1 {
            Month1 {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month1 {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    fn day(self, day: u8) -> Option<Date> {
        Date::from_calendar_date(self.year, Month::try_from(self.month).ok()?, day).ok()
    }

    /// The last day its disclosures may go up on time.
    pub fn due(self) -> Option<Date> {
        self.next().day(DUE_DAY)
    }
}

/// A month's disclosure may be published once the month has begun (a month's accounts are
/// often put up as it closes) and never for a month ahead.
pub fn may_publish_for(period: Month1, today: Date) -> bool {
    period <= Month1::of(today) && period >= Month1::of(today).prev().prev().prev()
}

/// Where one village stands for one kind and month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    OnTime,
    Late,
    /// Not published, and the due day has passed.
    Missing,
    /// Not published, and still in time.
    Pending,
    /// Before the area's first disclosure on the platform: nothing to judge.
    NotStarted,
}

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::OnTime => "on_time",
            Standing::Late => "late",
            Standing::Missing => "missing",
            Standing::Pending => "pending",
            Standing::NotStarted => "not_started",
        }
    }

    /// Counts against the village on the weekly lists.
    pub fn missed(self) -> bool {
        matches!(self, Standing::Late | Standing::Missing)
    }
}

/// `published` is the local day it went up, if it did.
pub fn standing(period: Month1, published: Option<Date>, today: Date) -> Standing {
    let Some(due) = period.due() else {
        return Standing::Missing;
    };
    match published {
        Some(d) if d <= due => Standing::OnTime,
        Some(_) => Standing::Late,
        None if today > due => Standing::Missing,
        None => Standing::Pending,
    }
}

/// The latest month whose due day has passed on `today`: the one the weekly lists judge.
pub fn last_judged(today: Date) -> Month1 {
    let this = Month1::of(today);
    if today.day() > DUE_DAY {
        this.prev()
    } else {
        this.prev().prev()
    }
}

/// How many of the three monthly disclosures a village missed or put up late for `period`
/// (none before the area's first month on the platform, `first`).
pub fn misses(
    period: Month1,
    published: &[(Kind, Date)],
    today: Date,
    first: Option<Month1>,
) -> i64 {
    Kind::MONTHLY
        .iter()
        .filter(|k| {
            let earliest = published
                .iter()
                .filter(|(pk, _)| pk == *k)
                .map(|(_, d)| *d)
                .min();
            standing_from(period, earliest, today, first).missed()
        })
        .count() as i64
}

/// `standing`, except that a month before `first` (the earliest month anyone in the area put a
/// disclosure up for; None when nobody has yet) was before the area used the platform.
pub fn standing_from(
    period: Month1,
    published: Option<Date>,
    today: Date,
    first: Option<Month1>,
) -> Standing {
    match first {
        Some(f) if period >= f => standing(period, published, today),
        _ => Standing::NotStarted,
    }
}
