//! Admin-only server functions for the catalogue and the working calendar. Every change is one
//! transaction with its audit entry.

// A server function takes one argument per form field, so the add form's eight fields are eight
// arguments; the macro's generated client function does not carry an item-level allow.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::types::{CalendarYear, Catalog};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "catalog")]
pub async fn get_catalog() -> Result<Catalog, AppError> {
    crate::error::with_status(imp::catalog().await)
}

/// `active` is a checkbox: present when ticked.
#[server(prefix = "/api", endpoint = "save_category")]
pub async fn save_category(
    id: i64,
    limit_kind: String,
    limit_value: String,
    default_level: String,
    township_department: String,
    county_department: String,
    active: Option<String>,
) -> Result<(), AppError> {
    let edit = imp::Edit {
        limit_kind,
        limit_value,
        default_level,
        township_department,
        county_department,
        active: active.is_some(),
    };
    crate::error::with_status(imp::save(id, edit).await)
}

/// Returns the new category's code.
#[server(prefix = "/api", endpoint = "add_category")]
pub async fn add_category(
    board: String,
    name_zh: String,
    name_en: String,
    limit_kind: String,
    limit_value: String,
    default_level: String,
    township_department: String,
    county_department: String,
) -> Result<String, AppError> {
    let edit = imp::Edit {
        limit_kind,
        limit_value,
        default_level,
        township_department,
        county_department,
        active: true,
    };
    crate::error::with_status(imp::add(board, name_zh, name_en, edit).await)
}

#[server(prefix = "/api", endpoint = "calendar_year")]
pub async fn get_calendar_year(year: i32) -> Result<CalendarYear, AppError> {
    crate::error::with_status(imp::calendar_year(year).await)
}

/// `kind` is `holiday`, `workday` (a make-up workday) or `none` (back to the plain week).
#[server(prefix = "/api", endpoint = "set_calendar_day")]
pub async fn set_calendar_day(day: String, kind: String, name: String) -> Result<(), AppError> {
    crate::error::with_status(imp::set_day(day, kind, name).await)
}

#[cfg(feature = "ssr")]
mod imp {
    use super::super::repo::{self, CategoryEdit};
    use super::super::types::{CalendarYear, Catalog};
    use crate::domain::catalog::{board_letter, check_calendar_day, check_category, check_names};
    use crate::domain::roles::Role;
    use crate::domain::scope::Caller;
    use crate::error::AppError;
    use crate::ssr::{audit, caller, ctx};

    pub struct Edit {
        pub limit_kind: String,
        pub limit_value: String,
        pub default_level: String,
        pub township_department: String,
        pub county_department: String,
        pub active: bool,
    }

    async fn admin() -> Result<Caller, AppError> {
        let c = caller().await?;
        if c.role != Role::Admin {
            return Err(AppError::Forbidden);
        }
        Ok(c)
    }

    fn invalid((field, reason): (&str, &str)) -> AppError {
        AppError::invalid(field, reason)
    }

    pub async fn catalog() -> Result<Catalog, AppError> {
        admin().await?;
        let pool = ctx()?.pool;
        Ok(Catalog {
            entries: repo::entries(&pool).await?,
            township_departments: repo::department_names(&pool, "township").await?,
            county_departments: repo::department_names(&pool, "county").await?,
        })
    }

    /// Checks an edit against the rules and the departments that exist.
    async fn checked<'a>(pool: &sqlx::AnyPool, e: &'a Edit) -> Result<CategoryEdit<'a>, AppError> {
        let value = check_category(
            &e.limit_kind,
            &e.limit_value,
            &e.default_level,
            &e.township_department,
            &e.county_department,
        )
        .map_err(invalid)?;
        let town = e.township_department.trim();
        let county = e.county_department.trim();
        if !repo::department_names(pool, "township")
            .await?
            .iter()
            .any(|d| d == town)
            || !repo::department_names(pool, "county")
                .await?
                .iter()
                .any(|d| d == county)
        {
            return Err(AppError::invalid("department", "unknown_department"));
        }
        Ok(CategoryEdit {
            limit_kind: &e.limit_kind,
            limit_value: value,
            default_level: &e.default_level,
            active: e.active,
            township_department: town,
            county_department: county,
        })
    }

    pub async fn save(id: i64, e: Edit) -> Result<(), AppError> {
        let who = admin().await?;
        let pool = ctx()?.pool;
        let before = repo::entry_by_id(&pool, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let edit = checked(&pool, &e).await?;
        let c = &before.category;
        let detail = format!(
            "{}{} {} {}/{} {} -> {}{} {} {}/{} {}",
            c.limit_value,
            c.limit_kind,
            c.default_level,
            before.township_department,
            before.county_department,
            if before.active { "active" } else { "retired" },
            edit.limit_value,
            edit.limit_kind,
            edit.default_level,
            edit.township_department,
            edit.county_department,
            if edit.active { "active" } else { "retired" },
        );
        let mut tx = pool.begin().await?;
        repo::update_category(&mut tx, id, &edit).await?;
        audit(
            &mut tx,
            Some(who.user_id),
            "category_edit",
            &c.code,
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn add(
        board: String,
        name_zh: String,
        name_en: String,
        e: Edit,
    ) -> Result<String, AppError> {
        let who = admin().await?;
        let pool = ctx()?.pool;
        if board_letter(&board).is_none() {
            return Err(AppError::invalid("board", "invalid_value"));
        }
        check_names(&name_zh, &name_en).map_err(invalid)?;
        let edit = checked(&pool, &e).await?;
        let zh = name_zh.trim();
        let en = match name_en.trim() {
            "" => zh,
            en => en,
        };
        let mut tx = pool.begin().await?;
        let (_, code) = repo::insert_category(&mut tx, &board, zh, en, &edit).await?;
        audit(&mut tx, Some(who.user_id), "category_add", &code, zh).await?;
        tx.commit().await?;
        Ok(code)
    }

    pub async fn calendar_year(year: i32) -> Result<CalendarYear, AppError> {
        admin().await?;
        // 0 is "this year" as the server's clock says, so the page renders the same on both sides.
        let year = match year {
            0 => crate::domain::calendar::local_day(crate::ssr::now())[..4]
                .parse()
                .unwrap_or(2026),
            y => y,
        };
        if !(2000..=2100).contains(&year) {
            return Err(AppError::invalid("day", "out_of_range"));
        }
        let pool = ctx()?.pool;
        Ok(CalendarYear {
            year,
            entries: repo::calendar_entries(&pool, year).await?,
            years: repo::calendar_years(&pool).await?,
        })
    }

    pub async fn set_day(day: String, kind: String, name: String) -> Result<(), AppError> {
        let who = admin().await?;
        let pool = ctx()?.pool;
        let day = day.trim();
        check_calendar_day(day, &kind, &name).map_err(invalid)?;
        let before = repo::calendar_entry(&pool, day).await?;
        let was = before
            .map(|b| format!("{} {}", b.kind, b.name))
            .unwrap_or_else(|| "none".into());
        let name = name.trim();
        let mut tx = pool.begin().await?;
        let set = (kind != "none").then_some((kind.as_str(), name));
        repo::set_calendar_day(&mut tx, day, set).await?;
        audit(
            &mut tx,
            Some(who.user_id),
            "calendar_set",
            day,
            &format!("{was} -> {kind} {name}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
