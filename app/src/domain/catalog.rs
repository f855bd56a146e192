//! Rules for the event catalogue: the six boards of the seeds, category codes, and what an admin
//! may enter.

use super::calendar::{parse_date, Limit};
use super::org::OrgLevel;

/// The six boards (民生事项, 信访诉求, 社会治安, 矛盾纠纷, 疫情防控, 营商环境) and their code letters.
pub const BOARDS: [(&str, char); 6] = [
    ("livelihood", 'L'),
    ("petition", 'P'),
    ("security", 'S'),
    ("dispute", 'D'),
    ("epidemic", 'E'),
    ("business", 'B'),
];

pub fn board_letter(board: &str) -> Option<char> {
    BOARDS.iter().find(|(b, _)| *b == board).map(|(_, l)| *l)
}

/// The next free code of a board: its letter and one more than the highest number in use, at least
/// two digits (L42 → L43, none yet → L01).
pub fn next_code(board: &str, existing: &[String]) -> String {
    let letter = board_letter(board).unwrap_or('X');
    let highest = existing
        .iter()
        .filter_map(|c| c.strip_prefix(letter).and_then(|n| n.parse::<u32>().ok()))
        .max()
        .unwrap_or(0);
    format!("{letter}{:02}", highest + 1)
}

/// Levels an event of a category may first be held at.
pub fn valid_default_level(level: &str) -> bool {
    matches!(
        OrgLevel::parse(level),
        Some(OrgLevel::Grid | OrgLevel::Village | OrgLevel::Township | OrgLevel::County)
    )
}

/// A checked category edit; errors name the field and the reason, as `AppError::invalid` wants.
pub fn check_category(
    limit_kind: &str,
    limit_value: &str,
    default_level: &str,
    township_department: &str,
    county_department: &str,
) -> Result<i64, (&'static str, &'static str)> {
    let value: i64 = limit_value
        .trim()
        .parse()
        .map_err(|_| ("limit", "invalid_value"))?;
    Limit::from_parts(limit_kind, value).map_err(|r| ("limit", r))?;
    if !valid_default_level(default_level) {
        return Err(("level", "invalid_value"));
    }
    for d in [township_department, county_department] {
        if d.trim().is_empty() {
            return Err(("department", "required"));
        }
        if d.chars().count() > 40 {
            return Err(("department", "too_long"));
        }
    }
    Ok(value)
}

/// A category's names: Chinese required, English may follow later (falls back to the Chinese).
pub fn check_names(name_zh: &str, name_en: &str) -> Result<(), (&'static str, &'static str)> {
    let zh = name_zh.trim().chars().count();
    if zh == 0 {
        return Err(("name", "required"));
    }
    if zh > 30 || name_en.trim().chars().count() > 60 {
        return Err(("name", "too_long"));
    }
    Ok(())
}

/// A calendar entry: a real date in a sensible range, a known kind, a short name. A make-up
/// workday only makes sense on a weekend.
pub fn check_calendar_day(
    day: &str,
    kind: &str,
    name: &str,
) -> Result<(), (&'static str, &'static str)> {
    let d = parse_date(day).ok_or(("day", "invalid_value"))?;
    if !(2000..=2100).contains(&d.year()) {
        return Err(("day", "out_of_range"));
    }
    match kind {
        "holiday" | "none" => {}
        "workday" => {
            if !matches!(d.weekday(), time::Weekday::Saturday | time::Weekday::Sunday) {
                return Err(("day", "makeup_on_weekday"));
            }
        }
        _ => return Err(("kind", "invalid_value")),
    }
    if name.trim().chars().count() > 20 {
        return Err(("name", "too_long"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_continue_the_board() {
        let have = vec!["L01".to_string(), "L12".into(), "P03".into(), "Lx".into()];
        assert_eq!(next_code("livelihood", &have), "L13");
        assert_eq!(next_code("petition", &have), "P04");
        assert_eq!(next_code("business", &have), "B01");
        assert_eq!(next_code("livelihood", &["L99".into()]), "L100");
    }

    #[test]
    fn category_edits_are_checked() {
        assert_eq!(check_category("days", " 5 ", "township", "a", "b"), Ok(5));
        assert_eq!(
            check_category("days", "五", "township", "a", "b"),
            Err(("limit", "invalid_value"))
        );
        assert_eq!(
            check_category("hours", "721", "grid", "a", "b"),
            Err(("limit", "out_of_range"))
        );
        assert_eq!(
            check_category("days", "3", "building", "a", "b"),
            Err(("level", "invalid_value"))
        );
        assert_eq!(
            check_category("days", "3", "village", " ", "b"),
            Err(("department", "required"))
        );
        assert!(check_names("路灯故障", "").is_ok());
        assert_eq!(check_names("  ", "x"), Err(("name", "required")));
    }

    #[test]
    fn calendar_days_are_checked() {
        assert!(check_calendar_day("2027-02-06", "holiday", "春节").is_ok());
        // 2027-02-20 is a Saturday; 2027-02-22 a Monday.
        assert!(check_calendar_day("2027-02-20", "workday", "春节调休").is_ok());
        assert_eq!(
            check_calendar_day("2027-02-22", "workday", ""),
            Err(("day", "makeup_on_weekday"))
        );
        assert_eq!(
            check_calendar_day("2027-02-30", "holiday", ""),
            Err(("day", "invalid_value"))
        );
        assert_eq!(
            check_calendar_day("2027-02-01", "vacation", ""),
            Err(("kind", "invalid_value"))
        );
        assert!(check_calendar_day("2027-02-01", "none", "").is_ok());
    }
}
