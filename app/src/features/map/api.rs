//! The map's server functions: the whole picture once, then one pin per live change.

use leptos::prelude::*;

use super::types::CommandMap;
use crate::domain::map::Pin;
use crate::error::AppError;

/// The caller's unit, or a unit below it, with its outlines and pins.
#[server(prefix = "/api", endpoint = "command_map")]
pub async fn get_command_map(node: Option<i64>) -> Result<CommandMap, AppError> {
    crate::error::with_status(imp::command_map(node).await)
}

/// One event as a pin, after a live change; `None` when the caller may not see it on the map.
#[server(prefix = "/api", endpoint = "map_pin")]
pub async fn get_map_pin(id: i64) -> Result<Option<Pin>, AppError> {
    crate::error::with_status(imp::map_pin(id).await)
}

#[cfg(feature = "ssr")]
mod imp {
    use super::super::repo;
    use super::super::types::{CommandMap, MAP_DAYS, MAX_PINS};
    use crate::domain::calendar::{day_start, local_date};
    use crate::domain::map::Pin;
    use crate::domain::org::path_within;
    use crate::domain::roles::{Capability, Role};
    use crate::domain::visibility::event_access;
    use crate::error::AppError;
    use crate::features::events::api::imp::actor_of;
    use crate::features::events::repo::categories;
    use crate::features::org::api::imp::authorized_node;
    use crate::features::org::repo::map_geojson;
    use crate::ssr::{caller, ctx, now};

    pub async fn command_map(node: Option<i64>) -> Result<CommandMap, AppError> {
        let who = caller().await?;
        if !who.role.can(Capability::ViewOrg) {
            return Err(AppError::Forbidden);
        }
        let c = ctx()?;
        let node = authorized_node(&c.pool, &who, node, Capability::ViewOrg).await?;
        let now = now();
        let since = day_start(local_date(now)) - (MAP_DAYS - 1) * 86_400;
        let rows = repo::pins(&c.pool, &node.path, since, MAX_PINS).await?;
        let truncated = rows.len() as i64 > MAX_PINS;
        // Co-handling widens only what a department sees, joining only what a member sees.
        let people = if matches!(who.role, Role::DepartmentStaff | Role::PartyMember) {
            repo::people_under(&c.pool, &node.path).await?
        } else {
            Default::default()
        };
        let actor = actor_of(&who);
        let pins = rows
            .iter()
            .take(MAX_PINS as usize)
            .filter(|r| {
                let facts = r
                    .fact
                    .facts(people.get(&r.id()).cloned().unwrap_or_default());
                event_access(&actor, &facts).sees()
            })
            .filter_map(|r| r.pin())
            .collect();
        let (geojson, _) = map_geojson(&c.pool, &node.path).await?;
        Ok(CommandMap {
            focus_id: node.id,
            focus_path: node.path.clone(),
            tile_url: c.tile_url.clone(),
            geojson,
            grids: repo::grid_names(&c.pool, &node.path).await?,
            categories: categories(&c.pool).await?,
            pins,
            truncated,
            now,
        })
    }

    pub async fn map_pin(id: i64) -> Result<Option<Pin>, AppError> {
        let who = caller().await?;
        if !who.role.can(Capability::ViewOrg) {
            return Err(AppError::Forbidden);
        }
        let pool = ctx()?.pool;
        let Some(row) = repo::pin(&pool, id).await? else {
            return Ok(None);
        };
        let facts = row
            .fact
            .facts(crate::features::events::repo::people(&pool, id).await?);
        // On this map: in the focus subtree and visible to the caller.
        let shown = path_within(&row.fact.grid_path, &who.unit_path)
            && event_access(&actor_of(&who), &facts).sees();
        Ok(shown.then(|| row.pin()).flatten())
    }
}
