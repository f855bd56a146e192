//! Server functions of the org network: auth → scope → repo.

use leptos::prelude::*;

use super::types::{GridLedger, MapData, OrgView};
use crate::error::AppError;

/// A node with its trail and children; None means the caller's own unit.
#[server(prefix = "/api", endpoint = "org_view")]
pub async fn get_org_view(node: Option<i64>) -> Result<OrgView, AppError> {
    crate::error::with_status(imp::org_view(node).await)
}

#[server(prefix = "/api", endpoint = "map_layers")]
pub async fn map_layers(node: Option<i64>) -> Result<MapData, AppError> {
    crate::error::with_status(imp::map_layers(node).await)
}

#[server(prefix = "/api", endpoint = "grid_ledger")]
pub async fn get_grid_ledger(grid: i64) -> Result<GridLedger, AppError> {
    crate::error::with_status(imp::grid_ledger(grid).await)
}

#[server(prefix = "/api", endpoint = "rename_unit")]
pub async fn rename_unit(id: i64, name: String) -> Result<(), AppError> {
    crate::error::with_status(imp::rename_unit(id, name).await)
}

#[cfg(feature = "ssr")]
pub(crate) mod imp {
    use super::super::repo;
    use super::super::types::{GridLedger, MapData, OrgNode, OrgView};
    use crate::domain::org::{path_ids, path_within};
    use crate::domain::roles::Capability;
    use crate::domain::scope::Caller;
    use crate::error::AppError;
    use crate::ssr::{audit, caller, ctx};

    /// Loads a node the caller may use `cap` on; anything else is "not found".
    pub async fn authorized_node(
        pool: &sqlx::AnyPool,
        who: &Caller,
        id: Option<i64>,
        cap: Capability,
    ) -> Result<OrgNode, AppError> {
        let node = match id {
            Some(id) => repo::node(pool, id).await?,
            None => {
                let own = path_ids(&who.unit_path).last().copied().unwrap_or_default();
                repo::node(pool, own).await?
            }
        }
        .ok_or(AppError::NotFound)?;
        who.check(cap, &node.path)?;
        Ok(node)
    }

    pub async fn org_view(id: Option<i64>) -> Result<OrgView, AppError> {
        let who = caller().await?;
        let pool = ctx()?.pool;
        let node = authorized_node(&pool, &who, id, Capability::ViewOrg).await?;
        let trail_ids: Vec<i64> = path_ids(&node.path);
        let mut trail = repo::nodes_by_ids(&pool, &trail_ids).await?;
        // Ancestors above the caller's own unit are outside their scope.
        trail.retain(|n| path_within(&n.path, &who.unit_path));
        let children = repo::children(&pool, node.id).await?;
        let ledger = if node.level == "grid" {
            Some(repo::ledger(&pool, node.id).await?)
        } else {
            None
        };
        Ok(OrgView {
            node,
            trail,
            children,
            ledger,
        })
    }

    pub async fn map_layers(id: Option<i64>) -> Result<MapData, AppError> {
        let who = caller().await?;
        let c = ctx()?;
        let node = authorized_node(&c.pool, &who, id, Capability::ViewOrg).await?;
        let (geojson, feature_count) = repo::map_geojson(&c.pool, &node.path).await?;
        Ok(MapData {
            focus_id: node.id,
            tile_url: c.tile_url.clone(),
            geojson,
            feature_count,
        })
    }

    pub async fn grid_ledger(grid: i64) -> Result<GridLedger, AppError> {
        let who = caller().await?;
        let pool = ctx()?.pool;
        let node = authorized_node(&pool, &who, Some(grid), Capability::ViewOrg).await?;
        if node.level != "grid" {
            return Err(AppError::NotFound);
        }
        repo::ledger(&pool, node.id).await
    }

    pub async fn rename_unit(id: i64, name: String) -> Result<(), AppError> {
        let who = caller().await?;
        let pool = ctx()?.pool;
        let node = authorized_node(&pool, &who, Some(id), Capability::EditOrg).await?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 60 {
            return Err(AppError::invalid("name", "name_length"));
        }
        let mut tx = pool.begin().await?;
        repo::rename(&mut tx, node.id, name).await?;
        audit(
            &mut tx,
            Some(who.user_id),
            "rename_unit",
            &node.code,
            &format!("{} -> {}", node.name, name),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
