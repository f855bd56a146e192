use time::macros::date;

use super::*;
use crate::domain::org::OrgLevel;
use crate::domain::roles::Role;

#[test]
fn months_parse_and_step() {
    let m = Month1::parse("2026-11").unwrap();
    assert_eq!(m.as_string(), "2026-11");
    assert_eq!(m.next().as_string(), "2026-12");
    assert_eq!(m.next().next().as_string(), "2027-01");
    assert_eq!(
        Month1::parse("2027-01").unwrap().prev().as_string(),
        "2026-12"
    );
    for bad in [
        "2026-13", "2026-00", "26-11", "2026/11", "", "2026-1", "1999-12",
    ] {
        assert_eq!(Month1::parse(bad), None, "{bad}");
    }
    assert_eq!(m.due(), Some(date!(2026 - 12 - 10)));
    assert_eq!(
        Month1::parse("2026-12").unwrap().due(),
        Some(date!(2027 - 01 - 10))
    );
}

#[test]
fn standing_follows_the_due_day() {
    let m = Month1::parse("2026-10").unwrap();
    let today = date!(2026 - 11 - 20);
    assert_eq!(
        standing(m, Some(date!(2026 - 11 - 10)), today),
        Standing::OnTime
    );
    assert_eq!(
        standing(m, Some(date!(2026 - 10 - 31)), today),
        Standing::OnTime
    );
    assert_eq!(
        standing(m, Some(date!(2026 - 11 - 11)), today),
        Standing::Late
    );
    assert_eq!(standing(m, None, today), Standing::Missing);
    assert_eq!(standing(m, None, date!(2026 - 11 - 10)), Standing::Pending);
    assert!(Standing::Late.missed() && Standing::Missing.missed());
    assert!(!Standing::OnTime.missed() && !Standing::Pending.missed());
    assert!(!Standing::NotStarted.missed());
    let first = Month1::parse("2026-10");
    assert_eq!(standing_from(m, None, today, first), Standing::Missing);
    assert_eq!(
        standing_from(m.prev(), None, today, first),
        Standing::NotStarted
    );
    assert_eq!(standing_from(m, None, today, None), Standing::NotStarted);
}

#[test]
fn the_lists_judge_the_last_month_past_its_due_day() {
    assert_eq!(last_judged(date!(2026 - 12 - 03)).as_string(), "2026-10");
    assert_eq!(last_judged(date!(2026 - 12 - 10)).as_string(), "2026-10");
    assert_eq!(last_judged(date!(2026 - 12 - 11)).as_string(), "2026-11");
    assert_eq!(last_judged(date!(2027 - 01 - 05)).as_string(), "2026-11");
    let m = Month1::parse("2026-10").unwrap();
    let today = date!(2026 - 11 - 20);
    let started = Some(Month1::parse("2026-09").unwrap());
    assert_eq!(misses(m, &[], today, started), 3);
    assert_eq!(
        misses(m, &[], today, None),
        0,
        "nobody in the area has begun"
    );
    assert_eq!(
        misses(m, &[], today, Month1::parse("2026-11")),
        0,
        "before the area's first month"
    );
    let published = [
        (Kind::Finance, date!(2026 - 11 - 02)),
        (Kind::Party, date!(2026 - 11 - 15)),
        (Kind::Notice, date!(2026 - 11 - 01)),
    ];
    // Finance on time; party late; village missing; a notice counts for nothing.
    assert_eq!(misses(m, &published, today, started), 2);
}

#[test]
fn a_month_is_published_from_its_start_and_up_to_three_months_back() {
    let today = date!(2026 - 12 - 03);
    assert!(may_publish_for(Month1::parse("2026-12").unwrap(), today));
    assert!(may_publish_for(Month1::parse("2026-09").unwrap(), today));
    assert!(!may_publish_for(Month1::parse("2026-08").unwrap(), today));
    assert!(!may_publish_for(Month1::parse("2027-01").unwrap(), today));
}

#[test]
fn yuan_parse_and_print() {
    assert_eq!(parse_yuan("1234.56"), Some(123_456));
    assert_eq!(parse_yuan("1,234.5"), Some(123_450));
    assert_eq!(parse_yuan("¥12"), Some(1_200));
    assert_eq!(parse_yuan(" "), Some(0));
    assert_eq!(parse_yuan(".5"), Some(50));
    for bad in ["-1", "1.234", "abc", "1e3", ".", "1.2.3", "999999999999"] {
        assert_eq!(parse_yuan(bad), None, "{bad}");
    }
    assert_eq!(yuan_text(123_456), "1,234.56");
    assert_eq!(yuan_text(5), "0.05");
    assert_eq!(yuan_text(100_000_000), "1,000,000.00");
    assert_eq!(yuan_text(-1_050), "-10.50");
}

fn row(i: &str, a: &str, b: &str) -> (String, String, String) {
    (i.into(), a.into(), b.into())
}

#[test]
fn totals_must_equal_the_lines() {
    let rows = vec![
        row("上级拨款", "50000", ""),
        row("", "", ""),
        row("道路维修", "", "12000.50"),
        row("保洁工资", "", "3000"),
    ];
    let t = check_table(&rows, "50,000.00", "15000.5").unwrap();
    assert_eq!(t.lines.len(), 3);
    assert_eq!(t.income_fen, 5_000_000);
    assert_eq!(t.expense_fen, 1_500_050);
    assert_eq!(t.balance_fen(), 3_499_950);
    assert_eq!(
        check_table(&rows, "50000", "15000"),
        Err(("expense_total", "totals_differ"))
    );
    assert_eq!(
        check_table(&rows, "5000", "15000.5"),
        Err(("income_total", "totals_differ"))
    );
    assert_eq!(
        check_table(&[row("", "10", "")], "10", "0"),
        Err(("line_item", "required"))
    );
    assert_eq!(
        check_table(&[row("x", "ten", "")], "10", "0"),
        Err(("line_amount", "bad_amount"))
    );
    assert_eq!(
        check_table(&[row("x", "", "")], "0", "0"),
        Err(("line_amount", "required"))
    );
    assert_eq!(check_table(&[], "0", "0"), Err(("line_item", "required")));
}

proptest::proptest! {
    #[test]
    fn a_table_is_accepted_exactly_when_its_totals_are_the_sums(
        amounts in proptest::collection::vec((0i64..10_000_000, 0i64..10_000_000), 1..20),
        slip in -3i64..3,
    ) {
        let rows: Vec<_> = amounts
            .iter()
            .enumerate()
            .map(|(i, (a, b))| (format!("项{i}"), yuan_text(*a), yuan_text(*b)))
            .collect();
        let inc: i64 = amounts.iter().map(|x| x.0).sum();
        let exp: i64 = amounts.iter().map(|x| x.1).sum();
        let nonzero = amounts.iter().all(|(a, b)| *a > 0 || *b > 0);
        let r = check_table(&rows, &yuan_text(inc + slip), &yuan_text(exp));
        if !nonzero {
            proptest::prop_assert_eq!(r, Err(("line_amount", "required")));
        } else if slip != 0 {
            proptest::prop_assert_eq!(r, Err(("income_total", "totals_differ")));
        } else {
            let t = r.unwrap();
            proptest::prop_assert_eq!(t.income_fen, inc);
            proptest::prop_assert_eq!(t.expense_fen, exp);
        }
    }
}

const COUNTY: &str = "/1/";
const TOWN: &str = "/1/2/";
const VILLAGE: &str = "/1/2/3/";
const GRID: &str = "/1/2/3/4/";
const OTHER_VILLAGE: &str = "/1/2/9/";

#[test]
fn who_reads_and_who_publishes() {
    use Access::*;
    let v = |role, path| access(role, path, VILLAGE, OrgLevel::Village);
    assert_eq!(v(Role::VillageCadre, VILLAGE), Publish);
    assert_eq!(v(Role::VillageCadre, OTHER_VILLAGE), Hidden);
    assert_eq!(v(Role::Resident, GRID), Read);
    assert_eq!(v(Role::Resident, OTHER_VILLAGE), Hidden);
    assert_eq!(v(Role::GridWorker, GRID), Read);
    assert_eq!(v(Role::PartyMember, GRID), Read);
    assert_eq!(v(Role::TownshipDispatcher, TOWN), Oversee);
    assert_eq!(v(Role::CountySupervisor, COUNTY), Oversee);
    assert_eq!(v(Role::Admin, COUNTY), Oversee);
    // A township's notice: its dispatcher publishes; every village below reads it.
    let t = |role, path| access(role, path, TOWN, OrgLevel::Township);
    assert_eq!(t(Role::TownshipDispatcher, TOWN), Publish);
    assert_eq!(t(Role::Resident, GRID), Read);
    assert_eq!(t(Role::VillageCadre, VILLAGE), Read);
    assert_eq!(t(Role::Resident, "/1/7/8/9/"), Hidden);
    assert_eq!(
        access(Role::CountySupervisor, COUNTY, COUNTY, OrgLevel::County),
        Publish
    );
    // A resident registered at the village itself (no grid) reads too, but never publishes.
    assert_eq!(v(Role::Resident, VILLAGE), Read);
}

#[test]
fn kinds_fit_their_levels() {
    assert!(kind_fits(Kind::Finance, OrgLevel::Village));
    assert!(!kind_fits(Kind::Finance, OrgLevel::Township));
    assert!(kind_fits(Kind::Notice, OrgLevel::County));
    assert!(!kind_fits(Kind::Notice, OrgLevel::Grid));
    assert!(Kind::MONTHLY.iter().all(|k| k.monthly()) && !Kind::Notice.monthly());
}

#[test]
fn questions_are_private_until_answered() {
    assert!(sees_question(Access::Read, true, false));
    assert!(!sees_question(Access::Read, false, false));
    assert!(sees_question(Access::Read, false, true));
    assert!(sees_question(Access::Oversee, false, false));
    assert!(!sees_question(Access::Hidden, true, true));
}

#[test]
fn pdfs_are_known_by_content() {
    let mut pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n".to_vec();
    assert!(!looks_like_pdf(&pdf));
    pdf.extend_from_slice(b"%%EOF\n");
    assert!(looks_like_pdf(&pdf));
    assert!(!looks_like_pdf(b"<html>%PDF-1.4 %%EOF</html>"));
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
    jpeg.extend_from_slice(&[0; 40]);
    assert!(!looks_like_pdf(&jpeg));
}
