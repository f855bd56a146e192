//! The working-time clock for deadlines (限时办结): working hours on workdays, where a workday is
//! Monday to Friday unless the calendar makes it a public holiday, plus the make-up workdays
//! (调休上班) that fall on weekends. China keeps one time zone without daylight saving, so local
//! time is UTC+8 throughout.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, Weekday};

const CHINA: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => panic!("valid offset"),
};

/// A time limit as the responsibility list states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Limit {
    WorkingHours(u32),
    WorkingDays(u32),
}

/// The longest limits an admin may set: a month of working hours, a quarter of working days.
pub const MAX_LIMIT_HOURS: i64 = 720;
pub const MAX_LIMIT_DAYS: i64 = 60;

impl Limit {
    /// A limit as the catalogue stores it (`hours`/`days` and a count); the error is the reason
    /// key shown to the admin.
    pub fn from_parts(kind: &str, value: i64) -> Result<Limit, &'static str> {
        let max = match kind {
            "hours" => MAX_LIMIT_HOURS,
            "days" => MAX_LIMIT_DAYS,
            _ => return Err("invalid_value"),
        };
        if !(1..=max).contains(&value) {
            return Err("out_of_range");
        }
        Ok(if kind == "hours" {
            Limit::WorkingHours(value as u32)
        } else {
            Limit::WorkingDays(value as u32)
        })
    }

    /// Seconds of working time; a working day is one full working window.
    pub fn seconds(self, cal: &WorkCalendar) -> i64 {
        match self {
            Limit::WorkingHours(h) => h as i64 * 3600,
            Limit::WorkingDays(d) => d as i64 * cal.window_seconds(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Light {
    Green,
    /// 80% of the limit used.
    Yellow,
    /// Over the limit.
    Red,
}

impl Light {
    pub fn as_str(self) -> &'static str {
        match self {
            Light::Green => "green",
            Light::Yellow => "yellow",
            Light::Red => "red",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkCalendar {
    pub holidays: BTreeSet<Date>,
    pub workdays: BTreeSet<Date>,
    /// Working window, seconds after local midnight.
    pub day_start: i64,
    pub day_end: i64,
}

impl Default for WorkCalendar {
    fn default() -> Self {
        WorkCalendar {
            holidays: BTreeSet::new(),
            workdays: BTreeSet::new(),
            day_start: 9 * 3600,
            day_end: 17 * 3600,
        }
    }
}

pub fn local_date(ts: i64) -> Date {
    OffsetDateTime::from_unix_timestamp(ts)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(CHINA)
        .date()
}

/// The instant a local day begins.
pub fn day_start(d: Date) -> i64 {
    at(d, 0)
}

fn at(d: Date, secs: i64) -> i64 {
    PrimitiveDateTime::new(d, Time::MIDNIGHT)
        .assume_offset(CHINA)
        .unix_timestamp()
        + secs
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<Date> {
    let mut it = s.trim().splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u8 = it.next()?.parse().ok()?;
    let d: u8 = it.next()?.parse().ok()?;
    Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()
}

pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

impl WorkCalendar {
    pub fn window_seconds(&self) -> i64 {
        self.day_end - self.day_start
    }

    pub fn is_workday(&self, d: Date) -> bool {
        if self.workdays.contains(&d) {
            return true;
        }
        if self.holidays.contains(&d) {
            return false;
        }
        !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
    }

    fn window(&self, d: Date) -> (i64, i64) {
        (at(d, self.day_start), at(d, self.day_end))
    }

    /// The instant at which `secs` of working time have passed since `start`.
    pub fn add_working(&self, start: i64, secs: i64) -> i64 {
        let mut remaining = secs.max(0);
        let mut d = local_date(start);
        // Ten years of days is far beyond any limit; it only guards against a broken calendar.
        for _ in 0..3660 {
            if self.is_workday(d) {
                let (ws, we) = self.window(d);
                let s = start.max(ws);
                if s < we || (remaining == 0 && s <= we) {
                    let avail = we - s;
                    if remaining <= avail {
                        return s + remaining;
                    }
                    remaining -= avail;
                }
            }
            d = match d.next_day() {
                Some(n) => n,
                None => break,
            };
        }
        start + secs
    }

    /// Working seconds between two instants (0 if `end` is before `start`).
    pub fn working_between(&self, start: i64, end: i64) -> i64 {
        if end <= start {
            return 0;
        }
        let mut total = 0;
        let mut d = local_date(start);
        let last = local_date(end);
        while d <= last {
            if self.is_workday(d) {
                let (ws, we) = self.window(d);
                let s = start.max(ws);
                let e = end.min(we);
                if e > s {
                    total += e - s;
                }
            }
            d = match d.next_day() {
                Some(n) => n,
                None => break,
            };
        }
        total
    }

    /// The deadline and the moment the light turns yellow (80% of the limit used).
    pub fn deadline(&self, start: i64, limit_secs: i64) -> (i64, i64) {
        let due = self.add_working(start, limit_secs);
        let yellow = self.add_working(start, limit_secs * 4 / 5);
        (due, yellow)
    }
}

/// The light of an event from its two stored instants; cheap enough to run in SQL as well.
pub fn light_at(now: i64, yellow_at: i64, due_at: i64) -> Light {
    if now >= due_at {
        Light::Red
    } else if now >= yellow_at {
        Light::Yellow
    } else {
        Light::Green
    }
}

/// What a calendar day is, for showing the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DayKind {
    Workday,
    Weekend,
    /// A public holiday (法定节假日或调休放假).
    Holiday,
    /// A weekend day worked to make up for a holiday (调休上班).
    MakeUp,
}

impl DayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Workday => "workday",
            DayKind::Weekend => "weekend",
            DayKind::Holiday => "holiday",
            DayKind::MakeUp => "makeup",
        }
    }
}

impl WorkCalendar {
    pub fn day_kind(&self, d: Date) -> DayKind {
        let weekend = matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday);
        match (self.is_workday(d), weekend) {
            (true, true) => DayKind::MakeUp,
            (true, false) => DayKind::Workday,
            (false, _) if self.holidays.contains(&d) => DayKind::Holiday,
            (false, _) => DayKind::Weekend,
        }
    }
}

/// A month laid out in weeks from Monday, with `None` before the 1st and after the last day.
pub fn month_weeks(year: i32, month: u8) -> Vec<[Option<Date>; 7]> {
    let Some(first) = time::Month::try_from(month)
        .ok()
        .and_then(|m| Date::from_calendar_date(year, m, 1).ok())
    else {
        return Vec::new();
    };
    let mut weeks = Vec::new();
    let mut week = [None; 7];
    let mut d = first;
    loop {
        let col = d.weekday().number_days_from_monday() as usize;
        week[col] = Some(d);
        let next = d.next_day();
        let month_over = next.is_none_or(|n| n.month() != first.month());
        if col == 6 || month_over {
            weeks.push(week);
            week = [None; 7];
        }
        match next {
            Some(n) if !month_over => d = n,
            _ => break,
        }
    }
    weeks
}

/// The local date of an instant, as `YYYY-MM-DD`.
pub fn local_day(ts: i64) -> String {
    format_date(local_date(ts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    fn ts(day: &str, h: i64, m: i64) -> i64 {
        at(d(day), h * 3600 + m * 60)
    }

    /// The 2025/2026 turn of the year as the State Council published it: 1 Jan 2026 (Thu) to
    /// 3 Jan are off, Sunday 4 Jan is a make-up workday.
    fn new_year_2026() -> WorkCalendar {
        WorkCalendar {
            holidays: ["2026-01-01", "2026-01-02", "2026-01-03"]
                .iter()
                .map(|s| d(s))
                .collect(),
            workdays: [d("2026-01-04")].into_iter().collect(),
            ..Default::default()
        }
    }

    #[test]
    fn weekends_are_skipped() {
        let cal = WorkCalendar::default();
        // Friday 16:00 + 2 working hours = Monday 10:00.
        let start = ts("2025-11-21", 16, 0);
        assert_eq!(cal.add_working(start, 2 * 3600), ts("2025-11-24", 10, 0));
        assert_eq!(cal.working_between(start, ts("2025-11-24", 10, 0)), 7200);
    }

    #[test]
    fn outside_hours_the_clock_waits_for_the_morning() {
        let cal = WorkCalendar::default();
        let night = ts("2025-11-19", 22, 30);
        assert_eq!(cal.add_working(night, 3600), ts("2025-11-20", 10, 0));
        assert_eq!(cal.working_between(night, ts("2025-11-20", 8, 0)), 0);
        assert_eq!(
            cal.add_working(ts("2025-11-19", 7, 0), 0),
            ts("2025-11-19", 9, 0)
        );
    }

    #[test]
    fn holidays_and_make_up_days_across_the_year_end() {
        let cal = new_year_2026();
        // Wed 31 Dec 16:00 + 1 working day (8 h): 1 h on the 31st, then the holiday (1–3 Jan),
        // then Sunday 4 Jan is a workday: 7 h more ends at 16:00 on the 4th.
        let start = ts("2025-12-31", 16, 0);
        let due = cal.add_working(start, Limit::WorkingDays(1).seconds(&cal));
        assert_eq!(due, ts("2026-01-04", 16, 0));
        assert!(!cal.is_workday(d("2026-01-02")), "a Friday made a holiday");
        assert!(cal.is_workday(d("2026-01-04")), "a Sunday made a workday");
        assert!(!cal.is_workday(d("2026-01-10")), "an ordinary Saturday");
        // Without the calendar the same limit would end on New Year's Day.
        let plain = WorkCalendar::default();
        assert_eq!(plain.add_working(start, 8 * 3600), ts("2026-01-01", 16, 0));
        assert_eq!(cal.working_between(start, due), 8 * 3600);
    }

    #[test]
    fn spring_festival_week() {
        // 2026: 15–23 Feb off, Saturdays 14 and 28 Feb worked.
        let mut cal = WorkCalendar::default();
        let mut day = d("2026-02-15");
        while day <= d("2026-02-23") {
            cal.holidays.insert(day);
            day = day.next_day().unwrap();
        }
        cal.workdays.insert(d("2026-02-14"));
        cal.workdays.insert(d("2026-02-28"));
        // Friday 13 Feb 17:00 closes the day; 3 working days: Sat 14, Tue 24, Wed 25.
        let due = cal.add_working(ts("2026-02-13", 17, 0), 3 * 8 * 3600);
        assert_eq!(due, ts("2026-02-25", 17, 0));
    }

    #[test]
    fn lights() {
        let cal = WorkCalendar::default();
        let start = ts("2025-11-17", 9, 0); // Monday
        let (due, yellow) = cal.deadline(start, 10 * 3600);
        assert_eq!(
            yellow,
            ts("2025-11-17", 17, 0),
            "8 of 10 hours: close of Monday"
        );
        assert_eq!(due, ts("2025-11-18", 11, 0));
        assert_eq!(light_at(yellow - 1, yellow, due), Light::Green);
        assert_eq!(light_at(yellow, yellow, due), Light::Yellow);
        assert_eq!(light_at(due, yellow, due), Light::Red);
    }

    #[test]
    fn dates_parse_and_print() {
        assert_eq!(format_date(d("2026-02-28")), "2026-02-28");
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("x").is_none());
        assert_eq!(local_day(ts("2026-03-01", 23, 59)), "2026-03-01");
    }

    #[test]
    fn limits_entered_by_admins_are_bounded() {
        assert_eq!(Limit::from_parts("hours", 24), Ok(Limit::WorkingHours(24)));
        assert_eq!(Limit::from_parts("days", 60), Ok(Limit::WorkingDays(60)));
        assert_eq!(Limit::from_parts("days", 61), Err("out_of_range"));
        assert_eq!(Limit::from_parts("hours", 0), Err("out_of_range"));
        assert_eq!(Limit::from_parts("weeks", 2), Err("invalid_value"));
    }

    #[test]
    fn day_kinds_follow_the_calendar() {
        let mut cal = WorkCalendar::default();
        cal.holidays.insert(d("2026-10-01"));
        cal.holidays.insert(d("2026-10-03"));
        cal.workdays.insert(d("2026-10-10"));
        assert_eq!(cal.day_kind(d("2026-10-01")), DayKind::Holiday); // Thursday
        assert_eq!(cal.day_kind(d("2026-10-03")), DayKind::Holiday); // a Saturday holiday
        assert_eq!(cal.day_kind(d("2026-10-04")), DayKind::Weekend);
        assert_eq!(cal.day_kind(d("2026-10-10")), DayKind::MakeUp);
        assert_eq!(cal.day_kind(d("2026-10-12")), DayKind::Workday);
    }

    #[test]
    fn months_are_laid_out_from_monday() {
        // February 2026 starts on a Sunday and has 28 days: five rows.
        let weeks = month_weeks(2026, 2);
        assert_eq!(weeks.len(), 5);
        assert_eq!(weeks[0][6], Some(d("2026-02-01")));
        assert!(weeks[0][..6].iter().all(Option::is_none));
        assert_eq!(weeks[4][5], Some(d("2026-02-28")));
        assert_eq!(weeks[4][6], None);
        let days: usize = weeks.iter().map(|w| w.iter().flatten().count()).sum();
        assert_eq!(days, 28);
        // Every month of a leap year, every day exactly once, in order.
        for m in 1..=12u8 {
            let all: Vec<Date> = month_weeks(2028, m)
                .into_iter()
                .flatten()
                .flatten()
                .collect();
            assert!(all.windows(2).all(|w| w[1] == w[0].next_day().unwrap()));
            assert_eq!(all[0].day(), 1);
            assert_eq!(all.last().unwrap().next_day().unwrap().day(), 1);
        }
        assert!(month_weeks(2026, 13).is_empty());
    }
}
