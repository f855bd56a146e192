//! The archive's rows of the matrix: a household of grid1's grid and one of the sibling
//! township. The caring roles in scope read and unmask; the county's supervisor and the
//! administrator read masked and are refused an unmasking; departments, members and residents
//! do not open households (not found), nor does anyone outside their subtree. Everyone may ask
//! who looked at their own household.

use super::{check, RoleCase, Want};
use crate::common::http::Client;

pub struct ArchiveObjects {
    ours: (i64, i64),
    elsewhere: (i64, i64),
}

async fn household(pool: &sqlx::AnyPool, sql: &str, arg: &str) -> (i64, i64) {
    sqlx::query_as(sql).bind(arg).fetch_one(pool).await.unwrap()
}

/// `second_town`: the sibling township's code.
pub async fn objects(pool: &sqlx::AnyPool, second_town: &str) -> ArchiveObjects {
    ArchiveObjects {
        ours: household(
            pool,
            "SELECT h.id, MIN(r.id) FROM households h JOIN residents r ON r.household_id = h.id \
             JOIN users u ON u.org_unit_id = h.grid_id WHERE u.username = $1 GROUP BY h.id \
             ORDER BY h.id LIMIT 1",
            "grid1",
        )
        .await,
        elsewhere: household(
            pool,
            "SELECT h.id, MIN(r.id) FROM households h JOIN residents r ON r.household_id = h.id \
             JOIN org_units g ON g.id = h.grid_id WHERE g.code LIKE ($1 || '%') GROUP BY h.id \
             ORDER BY h.id LIMIT 1",
            second_town,
        )
        .await,
    }
}

pub async fn rows(c: &mut Client, case: &RoleCase, o: &ArchiveObjects) -> usize {
    let who = case.user;
    let caring = matches!(who, "town1" | "village1" | "grid1");
    let reads = caring || matches!(who, "admin" | "county");
    let open = if reads { Want::Ok } else { Want::NotFound };
    check(
        &format!("{who} archive_households"),
        &c.call("archive_households", "q=").await,
        open,
    );
    for (what, (hh, person), inside) in [
        ("ours", o.ours, true),
        ("elsewhere", o.elsewhere, !case.narrow),
    ] {
        let read = if reads && inside {
            Want::Ok
        } else {
            Want::NotFound
        };
        check(
            &format!("{who} archive_household {what}"),
            &c.call("archive_household", &format!("id={hh}")).await,
            read,
        );
        let unmask = match (read, caring) {
            (Want::Ok, true) => Want::Ok,
            (Want::Ok, false) => Want::Forbidden,
            _ => Want::NotFound,
        };
        check(
            &format!("{who} archive_unmask {what}"),
            &c.call(
                "archive_unmask",
                &format!("resident_id={person}&field=id_number&reason=核实身份信息"),
            )
            .await,
            unmask,
        );
    }
    check(
        &format!("{who} my_data_access"),
        &c.call("my_data_access", "").await,
        Want::Ok,
    );
    6
}
