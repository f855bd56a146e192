//! Reads of the org network. Scope checks happen in `api`; these functions trust their input.

use sqlx::AnyPool;

use super::types::{BuildingInfo, GridLedger, OrgNode, StaffInfo};
use crate::domain::identity::mask_phone;
use crate::error::AppError;

const NODE_COLUMNS: &str = "o.id, o.parent_id, o.level, o.code, o.name, o.kind, o.path, \
     (SELECT COUNT(*) FROM org_units c WHERE c.parent_id = o.id) AS child_count";

pub async fn node(pool: &AnyPool, id: i64) -> Result<Option<OrgNode>, AppError> {
    let sql = format!("SELECT {NODE_COLUMNS} FROM org_units o WHERE o.id = $1");
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?)
}

pub async fn children(pool: &AnyPool, id: i64) -> Result<Vec<OrgNode>, AppError> {
    let sql =
        format!("SELECT {NODE_COLUMNS} FROM org_units o WHERE o.parent_id = $1 ORDER BY o.code");
    Ok(sqlx::query_as(&sql).bind(id).fetch_all(pool).await?)
}

pub async fn nodes_by_ids(pool: &AnyPool, ids: &[i64]) -> Result<Vec<OrgNode>, AppError> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(n) = node(pool, *id).await? {
            out.push(n);
        }
    }
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct StaffRow {
    duty: String,
    name: String,
    phone: String,
}

#[derive(sqlx::FromRow)]
struct BranchRow {
    name: String,
    secretary: String,
}

#[derive(sqlx::FromRow)]
struct Counts {
    households: i64,
    residents: i64,
}

#[derive(sqlx::FromRow)]
struct MemberCounts {
    total: i64,
    without_post: i64,
    migrant: i64,
}

pub async fn ledger(pool: &AnyPool, grid_id: i64) -> Result<GridLedger, AppError> {
    let staff: Vec<StaffRow> = sqlx::query_as(
        "SELECT duty, name, phone FROM grid_staff WHERE grid_id = $1 \
         ORDER BY CASE duty WHEN 'leader' THEN 0 WHEN 'worker' THEN 1 ELSE 2 END, id",
    )
    .bind(grid_id)
    .fetch_all(pool)
    .await?;
    let branch: Option<BranchRow> =
        sqlx::query_as("SELECT name, secretary FROM party_branches WHERE org_unit_id = $1")
            .bind(grid_id)
            .fetch_optional(pool)
            .await?;
    let buildings: Vec<BuildingInfo> = sqlx::query_as(
        "SELECT b.id, b.name, g.name AS party_group, g.leader AS group_leader, \
           (SELECT COUNT(*) FROM households h WHERE h.building_id = b.id) AS households \
         FROM org_units b LEFT JOIN party_groups g ON g.building_id = b.id \
         WHERE b.parent_id = $1 ORDER BY b.code",
    )
    .bind(grid_id)
    .fetch_all(pool)
    .await?;
    let counts: Counts = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM households WHERE grid_id = $1) AS households, \
           (SELECT COUNT(*) FROM residents r JOIN households h ON h.id = r.household_id \
              WHERE h.grid_id = $1) AS residents",
    )
    .bind(grid_id)
    .fetch_one(pool)
    .await?;
    let members: MemberCounts = sqlx::query_as(
        "SELECT COUNT(*) AS total, \
           COUNT(CASE WHEN m.post = '' THEN 1 END) AS without_post, \
           COUNT(CASE WHEN m.migrant = 1 THEN 1 END) AS migrant \
         FROM party_members m JOIN party_branches b ON b.id = m.branch_id WHERE b.org_unit_id = $1",
    )
    .bind(grid_id)
    .fetch_one(pool)
    .await?;
    Ok(GridLedger {
        grid_id,
        branch_name: branch.as_ref().map(|b| b.name.clone()),
        branch_secretary: branch.map(|b| b.secretary),
        staff: staff
            .into_iter()
            .map(|s| StaffInfo {
                duty: s.duty,
                name: s.name,
                phone: mask_phone(&s.phone),
            })
            .collect(),
        buildings,
        households: counts.households,
        residents: counts.residents,
        party_members: members.total,
        members_without_post: members.without_post,
        migrant_members: members.migrant,
    })
}

#[derive(sqlx::FromRow)]
struct ShapeRow {
    id: i64,
    parent_id: Option<i64>,
    level: String,
    code: String,
    name: String,
    geometry: String,
    geometry_generated: i64,
}

/// The subtree's areas (county to grid) as one GeoJSON FeatureCollection, coarsest first so
/// that grids are drawn on top. Geometry is stored as GeoJSON text and passed through untouched.
pub async fn map_geojson(pool: &AnyPool, path: &str) -> Result<(String, usize), AppError> {
    let rows: Vec<ShapeRow> = sqlx::query_as(
        "SELECT id, parent_id, level, code, name, geometry, geometry_generated FROM org_units \
         WHERE path LIKE $1 AND level <> 'building' AND geometry IS NOT NULL \
         ORDER BY CASE level WHEN 'county' THEN 0 WHEN 'township' THEN 1 WHEN 'village' THEN 2 ELSE 3 END, code",
    )
    .bind(format!("{path}%"))
    .fetch_all(pool)
    .await?;
    let mut out =
        String::with_capacity(rows.iter().map(|r| r.geometry.len() + 160).sum::<usize>() + 64);
    out.push_str(r#"{"type":"FeatureCollection","features":["#);
    for (i, r) in rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let props = serde_json::json!({
            "id": r.id,
            "parent_id": r.parent_id,
            "level": r.level,
            "code": r.code,
            "name": r.name,
            "generated": r.geometry_generated != 0,
        });
        out.push_str(r#"{"type":"Feature","properties":"#);
        out.push_str(&props.to_string());
        out.push_str(r#","geometry":"#);
        out.push_str(&r.geometry);
        out.push('}');
    }
    out.push_str("]}");
    Ok((out, rows.len()))
}

pub async fn rename(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    name: &str,
) -> Result<(), AppError> {
    sqlx::query("UPDATE org_units SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
