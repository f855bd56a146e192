use leptos::prelude::*;

use super::types::MyRecords;
use crate::error::AppError;

/// The caller's own records: their account, and for residents their household, masked.
#[server(prefix = "/api", endpoint = "my_records")]
pub async fn get_my_records() -> Result<MyRecords, AppError> {
    crate::error::with_status(imp::my_records().await)
}

#[cfg(feature = "ssr")]
mod imp {
    use super::super::types::{MemberRecord, MyRecords};
    use crate::domain::identity::{mask_id_number, mask_phone};
    use crate::error::AppError;
    use crate::features::auth::repo::current_user;
    use crate::ssr::{caller, ctx};

    #[derive(sqlx::FromRow)]
    struct Household {
        id: i64,
        address: String,
    }

    pub async fn my_records() -> Result<MyRecords, AppError> {
        let who = caller().await?;
        let pool = ctx()?.pool;
        let me = current_user(&pool, who.user_id)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        use crate::crypto::open;
        let mut out = MyRecords {
            display_name: me.display_name,
            unit_name: me.unit_name,
            address: None,
            household: vec![],
        };
        if let Some(rid) = who.resident_id {
            let hh: Option<Household> = sqlx::query_as(
                "SELECT h.id, h.address FROM households h JOIN residents r ON r.household_id = h.id \
                 WHERE r.id = $1",
            )
            .bind(rid)
            .fetch_optional(&pool)
            .await?;
            if let Some(hh) = hh {
                let members: Vec<MemberRecord> = sqlx::query_as(
                    "SELECT name, relation, birth_year, id_number, phone FROM residents \
                     WHERE household_id = $1 ORDER BY id",
                )
                .bind(hh.id)
                .fetch_all(&pool)
                .await?;
                out.address = Some(hh.address);
                out.household = members
                    .into_iter()
                    .map(|m| {
                        let id_number = open("residents.id_number", &m.id_number)?;
                        let phone = open("residents.phone", &m.phone)?;
                        Ok(MemberRecord {
                            id_number: mask_id_number(&id_number),
                            phone: mask_phone(&phone),
                            ..m
                        })
                    })
                    .collect::<Result<_, AppError>>()?;
            }
        }
        Ok(out)
    }
}
