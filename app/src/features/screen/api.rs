use leptos::prelude::*;

use super::types::ScreenFrame;
use crate::error::AppError;

/// The window of the screen's tiles, trend and rankings.
pub const SCREEN_DAYS: i64 = 30;

/// The caller's own unit: outlines and the state now. Live changes come over `/screen/live`.
#[server(prefix = "/api", endpoint = "screen")]
pub async fn get_screen() -> Result<ScreenFrame, AppError> {
    crate::error::with_status(imp::frame().await)
}

#[cfg(feature = "ssr")]
mod imp {
    use super::super::repo;
    use super::super::types::ScreenFrame;
    use super::SCREEN_DAYS;
    use crate::domain::roles::Capability;
    use crate::error::AppError;
    use crate::ssr::{caller, ctx, now, parse_level};

    pub async fn frame() -> Result<ScreenFrame, AppError> {
        let c = caller().await?;
        if !c.role.can(Capability::ViewOrg) {
            return Err(AppError::Forbidden);
        }
        let pool = ctx()?.pool;
        let level: String = sqlx::query_scalar("SELECT level FROM org_units WHERE path = $1")
            .bind(&c.unit_path)
            .fetch_one(&pool)
            .await?;
        Ok(ScreenFrame {
            shapes: repo::shapes(&pool, &c.unit_path, parse_level(&level)).await?,
            live: repo::snapshot(&pool, &c.unit_path, SCREEN_DAYS, now()).await?,
            days: SCREEN_DAYS,
        })
    }
}
