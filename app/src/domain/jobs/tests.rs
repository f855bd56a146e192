use proptest::prelude::*;

use super::*;
use crate::domain::roles::Role;

#[test]
fn bands_and_sexes() {
    assert_eq!(age_band(Some(2000), 2026), "26-35");
    assert_eq!(age_band(Some(2001), 2026), "16-25");
    assert_eq!(age_band(Some(1970), 2026), "56+");
    assert_eq!(age_band(Some(2015), 2026), "unknown");
    assert_eq!(age_band(None, 2026), "unknown");
    assert_eq!(sex_of("女"), "female");
    assert_eq!(sex_of("male"), "male");
    assert_eq!(sex_of(""), "unknown");
}

#[test]
fn a_posting_is_checked() {
    assert_eq!(validate_job("焊工", "某厂", 5000, 8000, 10, 30), Ok(()));
    assert_eq!(
        validate_job(" ", "某厂", 0, 0, 1, 1),
        Err(("job_title", "required"))
    );
    assert_eq!(
        validate_job("焊工", "", 0, 0, 1, 1),
        Err(("employer", "required"))
    );
    assert_eq!(
        validate_job("焊工", "厂", 8000, 5000, 1, 1),
        Err(("wage_high", "wage_order"))
    );
    assert_eq!(
        validate_job("焊工", "厂", 0, 0, 0, 1),
        Err(("headcount", "out_of_range"))
    );
    assert_eq!(
        validate_job("焊工", "厂", 0, 0, 1, 181),
        Err(("job_days", "out_of_range"))
    );
    assert!(may_post(Role::DepartmentStaff) && may_post(Role::TownshipDispatcher));
    assert!(
        !may_post(Role::Resident) && !may_post(Role::VillageCadre) && !may_post(Role::GridWorker)
    );
    assert!(Trade::ALL
        .iter()
        .all(|t| Trade::parse(t.as_str()) == Some(*t)));
}

fn cell(day: &str, township: &str, trade: &str, band: &str, sex: &str, v: i64, i: i64) -> Cell {
    Cell {
        day: day.into(),
        township: township.into(),
        trade: trade.into(),
        band: band.into(),
        sex: sex.into(),
        views: v,
        interest: i,
    }
}

#[test]
fn the_picture_sums_its_cells() {
    let cells = vec![
        cell("2026-01-02", "东华", "construction", "26-35", "male", 5, 1),
        cell("2026-01-02", "东华", "catering", "16-25", "female", 3, 2),
        cell("2026-01-03", "西湖", "construction", "26-35", "male", 4, 0),
    ];
    let days: Vec<String> = ["2026-01-01", "2026-01-02", "2026-01-03"]
        .map(String::from)
        .to_vec();
    let p = picture(&cells, &days);
    assert_eq!(
        p.days,
        vec![
            ("2026-01-01".into(), 0, 0),
            ("2026-01-02".into(), 8, 3),
            ("2026-01-03".into(), 4, 0)
        ]
    );
    assert_eq!(p.bands.len(), BANDS.len());
    assert_eq!(p.bands[1], ("26-35".into(), 9, 1));
    assert_eq!(p.trades[0], ("construction".into(), 9, 1));
    assert_eq!(p.townships[0], ("东华".into(), 8, 3));
    assert_eq!((p.views, p.interest), (12, 3));
}

#[test]
fn the_spike_compares_the_last_week_with_the_four_before() {
    let mut days: Vec<Row> = (0..35).map(|i| (format!("d{i}"), 10, 0)).collect();
    assert_eq!(spike(&days), Some(1.0));
    for d in days.iter_mut().skip(28) {
        d.1 = 40;
    }
    assert_eq!(spike(&days), Some(4.0));
    assert_eq!(spike(&days[1..]), None);
}

#[test]
fn a_places_area_is_its_township_or_county() {
    assert_eq!(area_of("/1/"), Some("/1/".into()));
    assert_eq!(area_of("/1/2/"), Some("/1/2/".into()));
    assert_eq!(area_of("/1/2/3/4/"), Some("/1/2/".into()));
    assert_eq!(area_of(""), None);
    assert_eq!(cell_keys("/1/"), Some(("/1/".into(), None)));
    assert_eq!(cell_keys("/1/2/"), Some(("/1/".into(), Some(2))));
}

#[test]
fn a_window_fills_its_empty_days() {
    // 2026-03-02 10:00 in UTC+8.
    let w = window(1_772_416_800, 3);
    assert_eq!(w, ["2026-02-28", "2026-03-01", "2026-03-02"]);
    let rows = fill_days(&[("2026-03-01".into(), 4, 1)], &w);
    assert_eq!(rows[0], ("2026-02-28".into(), 0, 0));
    assert_eq!(rows[1], ("2026-03-01".into(), 4, 1));
    assert_eq!(rows.len(), 3);
}

#[test]
fn a_spike_is_hot_from_half_as_much_again() {
    assert!(!is_hot(None));
    assert!(!is_hot(Some(1.49)));
    assert!(is_hot(Some(1.5)));
    assert!(is_hot(Some(4.0)));
}

proptest! {
    #[test]
    fn every_dimension_adds_up_to_the_whole(
        raw in proptest::collection::vec((0usize..5, 0usize..3, 0usize..4, 0usize..6, 0usize..3, 0i64..50, 0i64..10), 0..60)
    ) {
        let days: Vec<String> = (1..=5).map(|d| format!("2026-01-0{d}")).collect();
        let cells: Vec<Cell> = raw
            .iter()
            .map(|&(d, t, tr, b, s, v, i)| {
                cell(&days[d], ["a", "b", "c"][t], ["x", "y", "z", "w"][tr], BANDS[b], ["male", "female", "unknown"][s], v, i)
            })
            .collect();
        let p = picture(&cells, &days);
        for rows in [&p.days, &p.bands, &p.sexes, &p.townships, &p.trades] {
            prop_assert_eq!(rows.iter().map(|r| r.1).sum::<i64>(), p.views);
            prop_assert_eq!(rows.iter().map(|r| r.2).sum::<i64>(), p.interest);
        }
        prop_assert_eq!(p.days.len(), days.len());
    }
}

#[test]
fn the_demand_area_is_the_callers_county_or_township() {
    assert_eq!(
        demand_area(Role::CountySupervisor, "/1/"),
        Some("/1/".into())
    );
    assert_eq!(demand_area(Role::Admin, "/1/"), Some("/1/".into()));
    assert_eq!(
        demand_area(Role::DepartmentStaff, "/1/"),
        Some("/1/".into())
    );
    assert_eq!(
        demand_area(Role::DepartmentStaff, "/1/2/"),
        Some("/1/2/".into())
    );
    assert_eq!(
        demand_area(Role::TownshipDispatcher, "/1/2/"),
        Some("/1/2/".into())
    );
    assert_eq!(demand_area(Role::VillageCadre, "/1/2/3/"), None);
    assert_eq!(demand_area(Role::Resident, "/1/2/3/4/"), None);
    assert!(sees_job("/1/2/3/4/", "/1/"));
    assert!(!sees_job("/9/2/", "/1/"));
}
