//! Server functions of the archive: caller → `domain::archive::household_sight` → repo. A
//! household the caller may not open answers exactly like one that does not exist; an
//! identifier leaves the server in full only through `unmask_field`, logged first.

use leptos::prelude::*;

use super::types::{AccessLine, HouseholdView, Households};
use crate::error::AppError;

/// Households of the caller's area, `q` matching the address or the head's name.
#[server(prefix = "/api", endpoint = "archive_households")]
pub async fn get_households(q: String) -> Result<Households, AppError> {
    crate::error::with_status(imp::list(q).await)
}

#[server(prefix = "/api", endpoint = "archive_household")]
pub async fn get_household(id: i64) -> Result<HouseholdView, AppError> {
    crate::error::with_status(imp::detail(id).await)
}

/// One member's identifier in full (`field`: id_number or phone), for a reason.
#[server(prefix = "/api", endpoint = "archive_unmask")]
pub async fn unmask_field(
    resident_id: i64,
    field: String,
    reason: String,
) -> Result<String, AppError> {
    crate::error::with_status(imp::unmask(resident_id, field, reason).await)
}

/// Who unmasked the identifiers of the caller's household, and why.
#[server(prefix = "/api", endpoint = "my_data_access")]
pub async fn get_my_data_access() -> Result<Vec<AccessLine>, AppError> {
    crate::error::with_status(imp::my_access().await)
}

#[cfg(feature = "ssr")]
mod imp {
    use super::super::repo;
    use super::super::types::{AccessLine, HouseholdView, Households, Member};
    use crate::domain::archive::{check_reason, household_sight, opens_households, Field, Sight};
    use crate::domain::identity::{mask_id_number, mask_phone};
    use crate::error::AppError;
    use crate::features::jobs::repo::unit_name;
    use crate::ssr::{caller, ctx, now};

    const PAGE: i64 = 100;

    pub async fn list(q: String) -> Result<Households, AppError> {
        let c = caller().await?;
        if !opens_households(c.role) {
            return Err(AppError::NotFound);
        }
        let pool = ctx()?.pool;
        let q: String = q.trim().chars().take(40).collect();
        let mut rows = repo::households(&pool, &c.unit_path, &q, PAGE).await?;
        let more = rows.len() as i64 > PAGE;
        rows.truncate(PAGE as usize);
        Ok(Households {
            area: unit_name(&pool, &c.unit_path).await?,
            rows,
            more,
        })
    }

    pub async fn detail(id: i64) -> Result<HouseholdView, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let (path, grid, address, head_name) = repo::household(&pool, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let sight = household_sight(c.role, &c.unit_path, &path);
        if sight == Sight::Hidden {
            return Err(AppError::NotFound);
        }
        let members = repo::members(&pool, id)
            .await?
            .into_iter()
            .map(|(id, name, relation, gender, birth_year, idn, phone)| {
                Ok(Member {
                    id,
                    name,
                    relation,
                    gender,
                    birth_year,
                    id_number: mask_id_number(&crate::crypto::open(
                        Field::IdNumber.column(),
                        &idn,
                    )?),
                    phone: mask_phone(&crate::crypto::open(Field::Phone.column(), &phone)?),
                })
            })
            .collect::<Result<_, AppError>>()?;
        Ok(HouseholdView {
            id,
            grid,
            address,
            head_name,
            members,
            may_unmask: sight == Sight::Unmask,
        })
    }

    pub async fn unmask(resident: i64, field: String, reason: String) -> Result<String, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let field =
            Field::parse(&field).ok_or_else(|| AppError::invalid("field", "invalid_value"))?;
        let (_, path, stored) = repo::member_field(&pool, resident, field)
            .await?
            .ok_or(AppError::NotFound)?;
        match household_sight(c.role, &c.unit_path, &path) {
            Sight::Hidden => return Err(AppError::NotFound),
            Sight::Masked => return Err(AppError::Forbidden),
            Sight::Unmask => {}
        }
        let reason = check_reason(&reason).map_err(|r| AppError::invalid("reason", r))?;
        // Logged before it is shown: an unmasking nobody can see in the log did not happen.
        if !repo::log_unmask(&pool, c.user_id, resident, field, reason, now()).await? {
            return Err(AppError::RateLimited);
        }
        crate::crypto::open(field.column(), &stored)
    }

    pub async fn my_access() -> Result<Vec<AccessLine>, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let Some(resident) = c.resident_id else {
            return Ok(Vec::new());
        };
        match repo::household_of(&pool, resident).await? {
            Some(h) => repo::accesses(&pool, h).await,
            None => Ok(Vec::new()),
        }
    }
}
