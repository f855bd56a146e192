//! Demo small wishes on the demo accounts' village wall: the neighbour (`resident2`) has one
//! wish that came true through `member2` and one still waiting. They go through the same store
//! calls as the pages, so the member's ledger line is written as it would be.

use app::domain::party::{WishAction, WishState};
use app::features::party::wish_repo;
use sqlx::AnyPool;

fn err(e: app::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// Returns the number of wishes written.
pub async fn seed_wishes(pool: &AnyPool) -> anyhow::Result<usize> {
    let poster: Option<(i64, i64, String)> = sqlx::query_as(
        "SELECT u.id, h.id, o.path FROM users u JOIN residents r ON r.id = u.resident_id \
         JOIN households h ON h.id = r.household_id JOIN org_units o ON o.id = h.grid_id \
         WHERE u.username = 'resident2'",
    )
    .fetch_optional(pool)
    .await?;
    let member: Option<(i64, i64)> = sqlx::query_as(
        "SELECT u.id, pm.id FROM users u JOIN party_members pm ON pm.resident_id = u.resident_id \
         WHERE u.username = 'member2'",
    )
    .fetch_optional(pool)
    .await?;
    let (Some((user, household, path)), Some((member_user, member))) = (poster, member) else {
        return Ok(0);
    };
    let done = wish_repo::post(
        pool,
        user,
        household,
        &path,
        "帮家里老人代买降压药",
        "老人腿脚不便，每月需要到镇卫生院配药。",
        None,
    )
    .await
    .map_err(err)?;
    if let Some(id) = done {
        for (by, action, from, to, note) in [
            (
                member_user,
                WishAction::Claim,
                WishState::Open,
                WishState::Claimed,
                "",
            ),
            (
                member_user,
                WishAction::Fulfil,
                WishState::Claimed,
                WishState::Fulfilled,
                "已从镇卫生院代配一个月的药送到家。",
            ),
            (
                user,
                WishAction::Confirm,
                WishState::Fulfilled,
                WishState::Confirmed,
                "",
            ),
        ] {
            wish_repo::act(pool, by, id, user, action, from, to, Some(member), note)
                .await
                .map_err(err)?;
        }
    }
    wish_repo::post(
        pool,
        user,
        household,
        &path,
        "想学用智能手机视频通话",
        "孩子在外地打工，想和孙子视频。",
        None,
    )
    .await
    .map_err(err)?;
    Ok(2)
}
