//! Server functions of resident services: caller → `domain::services::point_access` → repo →
//! `domain::services` rules. A point, slot or booking out of scope answers exactly like one
//! that does not exist.

use leptos::prelude::*;

use super::types::{Desk, ServicesHome};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "services_home")]
pub async fn get_services() -> Result<ServicesHome, AppError> {
    crate::error::with_status(imp::home().await)
}

#[server(prefix = "/api", endpoint = "book_slot")]
pub async fn book_slot(slot_id: i64) -> Result<i64, AppError> {
    crate::error::with_status(imp::book(slot_id).await)
}

#[server(prefix = "/api", endpoint = "cancel_booking")]
pub async fn cancel_booking(booking_id: i64) -> Result<(), AppError> {
    crate::error::with_status(imp::cancel(booking_id).await)
}

/// Moves a booking to another slot of the same item.
#[server(prefix = "/api", endpoint = "change_booking")]
pub async fn change_booking(booking_id: i64, slot_id: i64) -> Result<(), AppError> {
    crate::error::with_status(imp::change(booking_id, slot_id).await)
}

#[server(prefix = "/api", endpoint = "service_desk")]
pub async fn get_desk() -> Result<Desk, AppError> {
    crate::error::with_status(imp::desk().await)
}

/// `day` is `YYYY-MM-DD`, `start` `HH:MM` (China's time), `minutes` the slot's length.
#[server(prefix = "/api", endpoint = "add_slot")]
pub async fn add_slot(
    point_id: i64,
    item_id: i64,
    day: String,
    start: String,
    minutes: i64,
    capacity: i64,
) -> Result<i64, AppError> {
    crate::error::with_status(imp::add_slot(point_id, item_id, day, start, minutes, capacity).await)
}

/// `state`: attended or missed.
#[server(prefix = "/api", endpoint = "mark_booking")]
pub async fn mark_booking(booking_id: i64, state: String) -> Result<(), AppError> {
    crate::error::with_status(imp::mark(booking_id, state).await)
}

#[cfg(feature = "ssr")]
mod imp {
    use super::super::repo;
    use super::super::types::{Desk, DeskPoint, ServiceItem, ServicesHome};
    use crate::domain::scope::Caller;
    use crate::domain::services::{
        point_access, runs_desks, slot_start, validate_slot, BookingState, PointAccess, Refusal,
    };
    use crate::error::AppError;
    use crate::ssr::{caller, ctx, now, redirect_form_post};

    /// How far ahead a resident sees slots.
    const AHEAD: i64 = 14 * 86_400;

    fn refused(r: Refusal) -> AppError {
        AppError::invalid("slot", r.key())
    }

    fn access(c: &Caller, point_path: &str) -> PointAccess {
        point_access(c.role, &c.unit_path, point_path)
    }

    pub async fn home() -> Result<ServicesHome, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let t = now();
        let points: Vec<_> = repo::points_of_county(&pool, &c.unit_path)
            .await?
            .into_iter()
            .filter(|p| access(&c, &p.1) == PointAccess::Book)
            .collect();
        let mut slots = Vec::new();
        for p in &points {
            slots.extend(repo::open_slots(&pool, p, t, t + AHEAD).await?);
        }
        slots.sort_by_key(|(_, s)| (s.starts_at, s.id));
        let items = repo::items_for(&pool, &c.unit_path)
            .await?
            .into_iter()
            .map(
                |(id, name_zh, name_en, label, materials, department, time_limit_days)| {
                    ServiceItem {
                        id,
                        name_zh,
                        name_en,
                        label,
                        materials,
                        department,
                        time_limit_days,
                        slots: slots
                            .iter()
                            .filter(|(item, _)| *item == id)
                            .map(|(_, s)| s.clone())
                            .collect(),
                    }
                },
            )
            .collect();
        Ok(ServicesHome {
            items,
            mine: repo::my_bookings(&pool, c.user_id, t).await?,
            desk: runs_desks(c.role),
            proxies: super::super::proxy_repo::mine(&pool, c.user_id, t).await?,
            proxy_page: runs_desks(c.role)
                || matches!(
                    c.role,
                    crate::domain::roles::Role::GridWorker
                        | crate::domain::roles::Role::PartyMember
                ),
        })
    }

    pub async fn book(slot: i64) -> Result<i64, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let (facts, path) = repo::slot(&pool, slot).await?.ok_or(AppError::NotFound)?;
        if access(&c, &path) != PointAccess::Book {
            return Err(AppError::NotFound);
        }
        let id = repo::book(&pool, c.user_id, slot, facts.item_id, now())
            .await?
            .map_err(refused)?;
        redirect_form_post("/services");
        Ok(id)
    }

    pub async fn cancel(id: i64) -> Result<(), AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        // The repo answers someone else's booking as not found.
        repo::cancel(&pool, c.user_id, id, now())
            .await?
            .map_err(refused)?;
        redirect_form_post("/services");
        Ok(())
    }

    pub async fn change(id: i64, slot: i64) -> Result<(), AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let (_, path) = repo::slot(&pool, slot).await?.ok_or(AppError::NotFound)?;
        if access(&c, &path) != PointAccess::Book {
            return Err(AppError::NotFound);
        }
        repo::change(&pool, c.user_id, id, slot, now())
            .await?
            .map_err(refused)?;
        redirect_form_post("/services");
        Ok(())
    }

    pub async fn desk() -> Result<Desk, AppError> {
        let c = caller().await?;
        if !runs_desks(c.role) {
            return Err(AppError::Forbidden);
        }
        let pool = ctx()?.pool;
        let t = now();
        let mut points = Vec::new();
        for p in repo::points_of_county(&pool, &c.unit_path).await? {
            let a = access(&c, &p.1);
            if !matches!(a, PointAccess::Manage | PointAccess::Oversee) {
                continue;
            }
            let manage = a == PointAccess::Manage;
            points.push(DeskPoint {
                id: p.0,
                slots: repo::desk_slots(&pool, p.0, t, manage).await?,
                name: p.2,
                address: p.3,
                unit_name: p.4,
                manage,
            });
        }
        let items = repo::items_for(&pool, &c.unit_path)
            .await?
            .into_iter()
            .map(|i| (i.0, i.1, i.2))
            .collect();
        Ok(Desk { points, items })
    }

    pub async fn add_slot(
        point: i64,
        item: i64,
        day: String,
        start: String,
        minutes: i64,
        capacity: i64,
    ) -> Result<i64, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let points = repo::points_of_county(&pool, &c.unit_path).await?;
        let p = points
            .iter()
            .find(|p| p.0 == point)
            .filter(|p| access(&c, &p.1).sees())
            .ok_or(AppError::NotFound)?;
        if access(&c, &p.1) != PointAccess::Manage {
            return Err(AppError::Forbidden);
        }
        if !repo::item_exists_for(&pool, item, &p.1).await? {
            return Err(AppError::invalid("item_id", "unknown_item"));
        }
        let t = now();
        let starts =
            slot_start(&day, &start).ok_or_else(|| AppError::invalid("start", "bad_time"))?;
        let ends = starts + minutes.clamp(0, 24 * 60) * 60;
        validate_slot(starts, ends, capacity, t).map_err(|(f, r)| AppError::invalid(f, r))?;
        let id = repo::add_slot(&pool, c.user_id, point, item, starts, ends, capacity, t).await?;
        redirect_form_post("/services/desk");
        Ok(id)
    }

    pub async fn mark(id: i64, state: String) -> Result<(), AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let (owner, _, _, current, starts_at, path) =
            repo::booking(&pool, id).await?.ok_or(AppError::NotFound)?;
        match access(&c, &path) {
            PointAccess::Manage => {}
            PointAccess::Oversee => return Err(AppError::Forbidden),
            _ => return Err(AppError::NotFound),
        }
        let to = BookingState::parse(&state)
            .filter(|s| matches!(s, BookingState::Attended | BookingState::Missed))
            .ok_or_else(|| AppError::invalid("state", "bad_state"))?;
        let current = BookingState::parse(&current).unwrap_or(BookingState::Cancelled);
        let t = now();
        if !crate::domain::services::may_mark(current, starts_at, t, to) {
            return Err(AppError::invalid("state", "cannot_mark"));
        }
        if !repo::mark(&pool, c.user_id, id, owner, to, t).await? {
            return Err(AppError::invalid("state", "booking_not_active"));
        }
        redirect_form_post("/services/desk");
        Ok(())
    }
}
