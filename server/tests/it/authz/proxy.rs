//! The 代办 rows of the matrix: anyone below a village asks; the village's grid workers and
//! members take and work a request, the command roles above see it without acting, everyone
//! else does not see it at all.

use super::{check, RoleCase, Want};
use crate::common::http::Client;
use app::features::services::proxy_repo as repo;

pub struct ProxyObjects {
    item: i64,
    /// resident2's, in resident1's grid.
    neighbour: i64,
    /// A resident's of the second township.
    sibling: i64,
}

pub async fn objects(pool: &sqlx::AnyPool, second_town: &str) -> ProxyObjects {
    let now = app::ssr::now();
    let (item, days): (i64, i64) = sqlx::query_as(
        "SELECT id, time_limit_days FROM service_items WHERE label = 'full_proxy' ORDER BY id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let (neighbour_user, path): (i64, String) = sqlx::query_as(
        "SELECT u.id, g.path FROM users u JOIN org_units g ON g.id = u.org_unit_id \
         WHERE u.username = 'resident2'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let neighbour = repo::request(pool, neighbour_user, item, &path, "", days, now)
        .await
        .unwrap();
    let (grid, grid_path): (i64, String) = sqlx::query_as(
        "SELECT id, path FROM org_units WHERE level = 'grid' AND code LIKE ($1 || '%') \
         ORDER BY code LIMIT 1",
    )
    .bind(second_town)
    .fetch_one(pool)
    .await
    .unwrap();
    let far: i64 = sqlx::query_scalar(
        "INSERT INTO users (username, display_name, role, org_unit_id, created_at) \
         VALUES ('proxy-far', '邻镇居民', 'resident', $1, 0) RETURNING id",
    )
    .bind(grid)
    .fetch_one(pool)
    .await
    .unwrap();
    let sibling = repo::request(pool, far, item, &grid_path, "", days, now)
        .await
        .unwrap();
    ProxyObjects {
        item,
        neighbour,
        sibling,
    }
}

pub async fn rows(
    c: &mut Client,
    case: &RoleCase,
    pool: &sqlx::AnyPool,
    o: &ProxyObjects,
) -> usize {
    let who = case.user;
    let proxy = matches!(who, "grid1" | "member1");
    let oversees = matches!(who, "admin" | "county" | "town1" | "village1");
    check(
        &format!("{who} proxy_tasks"),
        &c.call("proxy_tasks", "").await,
        if proxy || oversees {
            Want::Ok
        } else {
            Want::Forbidden
        },
    );
    let asks = matches!(who, "village1" | "grid1" | "member1" | "resident1");
    let r = c
        .call("request_proxy", &format!("item_id={}&note=", o.item))
        .await;
    check(
        &format!("{who} request_proxy"),
        &r,
        if asks { Want::Ok } else { Want::Forbidden },
    );
    if asks {
        let id: i64 = r.body.trim().parse().unwrap();
        check(
            &format!("{who} proxy_act withdraw own"),
            &c.call("proxy_act", &format!("id={id}&action=withdraw&note="))
                .await,
            Want::Ok,
        );
    }
    check(
        &format!("{who} proxy_act take neighbour's"),
        &c.call(
            "proxy_act",
            &format!("id={}&action=take&note=", o.neighbour),
        )
        .await,
        match who {
            _ if proxy => Want::Ok,
            _ if oversees => Want::Forbidden,
            _ => Want::NotFound,
        },
    );
    // Taken: back to waiting for the next role.
    sqlx::query(
        "UPDATE proxy_requests SET state = 'requested', proxy_user_id = NULL, proxy_role = NULL \
         WHERE id = $1",
    )
    .bind(o.neighbour)
    .execute(pool)
    .await
    .unwrap();
    check(
        &format!("{who} proxy_act take sibling's"),
        &c.call("proxy_act", &format!("id={}&action=take&note=", o.sibling))
            .await,
        match who {
            "admin" | "county" => Want::Forbidden,
            _ => Want::NotFound,
        },
    );
    5
}
