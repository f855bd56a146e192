//! Intake: a report from any channel becomes an event with its photos in one transaction.
//! The HTTP route (server crate) parses the form and stores the images; this decides who may
//! report what, where, and writes it.

use sqlx::AnyPool;

use super::repo::{self, NewEvent};
use crate::domain::event::Urgency;
use crate::domain::identity::is_mobile_phone;
use crate::domain::org::{path_within, OrgLevel};
use crate::domain::roles::Role;
use crate::domain::scope::Caller;
use crate::error::AppError;
use crate::ssr::{audit, now};

/// The report form, as posted by the page (with or without WASM) or a hotline operator.
#[derive(Debug, Clone, Default)]
pub struct ReportForm {
    pub idem_key: Option<String>,
    /// app, mailbox, hotline or patrol.
    pub channel: String,
    pub category_id: i64,
    pub description: String,
    pub address: String,
    pub lng: Option<f64>,
    pub lat: Option<f64>,
    /// Hotline and patrol may name the grid instead of a point.
    pub grid_id: Option<i64>,
    /// Hotline only: the caller on the line.
    pub reporter_name: String,
    pub reporter_phone: String,
    /// 一般 / 紧急 / 特急 as the reporter marks it (empty: normal).
    pub urgency: String,
}

/// An image already re-encoded and written under the data folder.
#[derive(Debug, Clone)]
pub struct StoredPhoto {
    pub file: String,
    pub width: i64,
    pub height: i64,
    pub bytes: i64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Reported {
    pub id: i64,
    pub tracking_no: String,
    /// False when an earlier post with the same key already made this event.
    pub created: bool,
}

pub const MAX_PHOTOS: usize = 9;

fn channel(s: &str) -> Result<&'static str, AppError> {
    match s {
        "app" | "" => Ok("app"),
        "mailbox" => Ok("mailbox"),
        "hotline" => Ok("hotline"),
        "patrol" => Ok("patrol"),
        _ => Err(AppError::invalid("channel", "invalid_value")),
    }
}

/// Checks the form; `located` is the grid containing the reported point, if there was one.
pub async fn report(
    pool: &AnyPool,
    c: &Caller,
    form: &ReportForm,
    located: Option<i64>,
    photos: &[StoredPhoto],
) -> Result<Reported, AppError> {
    let channel = channel(&form.channel)?;
    let staff_only = matches!(channel, "hotline" | "patrol");
    let may = match channel {
        "hotline" => matches!(
            c.role,
            Role::TownshipDispatcher | Role::CountySupervisor | Role::Admin
        ),
        "patrol" => matches!(c.role, Role::GridWorker | Role::VillageCadre),
        _ => true,
    };
    if !may {
        return Err(AppError::Forbidden);
    }
    let desc = form.description.trim();
    let n = desc.chars().count();
    if n < 5 {
        return Err(AppError::invalid("description", "too_short"));
    }
    if n > 1000 {
        return Err(AppError::invalid("description", "too_long"));
    }
    if form.address.chars().count() > 200 {
        return Err(AppError::invalid("address", "too_long"));
    }
    if photos.len() > MAX_PHOTOS {
        return Err(AppError::invalid("photo", "out_of_range"));
    }
    if let Some(k) = &form.idem_key {
        if k.is_empty() || k.len() > 64 {
            return Err(AppError::invalid("idem_key", "invalid_value"));
        }
    }
    let urgency = match form.urgency.trim() {
        "" => Urgency::Normal,
        u => Urgency::parse(u).ok_or_else(|| AppError::invalid("urgency", "invalid_value"))?,
    };
    let category = repo::category(pool, form.category_id)
        .await?
        .ok_or_else(|| AppError::invalid("category", "required"))?;

    // The grid: the point's grid; else a grid named by staff in their scope; else, for the
    // mailbox, the reporter's own grid.
    let grid_id = match (located, form.grid_id) {
        (Some(g), _) => g,
        (None, Some(g)) if staff_only => g,
        _ if form.lng.is_some() => return Err(AppError::invalid("location", "not_in_county")),
        _ => own_grid(pool, c)
            .await?
            .ok_or_else(|| AppError::invalid("location", "required"))?,
    };
    let grid_path: String =
        sqlx::query_scalar("SELECT path FROM org_units WHERE id = $1 AND level = 'grid'")
            .bind(grid_id)
            .fetch_optional(pool)
            .await?
            .ok_or_else(|| AppError::invalid("location", "not_in_county"))?;
    if staff_only && !path_within(&grid_path, &c.unit_path) {
        return Err(AppError::invalid("location", "outside_scope"));
    }

    let (reporter_name, reporter_phone): (String, String) = if channel == "hotline" {
        let phone = form.reporter_phone.trim().to_string();
        if !is_mobile_phone(&phone) && !phone.is_empty() {
            return Err(AppError::invalid("phone", "invalid_value"));
        }
        (form.reporter_name.trim().chars().take(40).collect(), phone)
    } else {
        sqlx::query_as::<_, (String, Option<String>)>(
            "SELECT display_name, phone FROM users WHERE id = $1",
        )
        .bind(c.user_id)
        .fetch_one(pool)
        .await
        .map(|(n, p)| (n, p.unwrap_or_default()))?
    };
    let reporter_phone = crate::crypto::open("users.phone", &reporter_phone)?;
    let ev = NewEvent {
        // A submission key is the submitter's own: another account sending the same key makes
        // its own event and never learns of the first.
        idem_key: form.idem_key.as_ref().map(|k| format!("{}:{k}", c.user_id)),
        channel,
        category,
        grid_id,
        grid_path,
        reporter_user_id: (channel != "hotline").then_some(c.user_id),
        reporter_name,
        reporter_phone,
        description: desc.to_string(),
        address: form.address.trim().to_string(),
        lng: form.lng,
        lat: form.lat,
        level: if channel == "patrol" {
            OrgLevel::Grid
        } else {
            OrgLevel::Township
        },
        urgency,
        at: now(),
    };
    let cal = repo::calendar(pool).await?;
    let actor = super::api::imp::actor_name(pool, c.user_id).await?;
    let mut tx = pool.begin().await?;
    let ins = repo::insert_event(&mut tx, &cal, &ev, &actor).await?;
    if let Some(step) = ins.step_id {
        for p in photos {
            repo::insert_photo(&mut tx, ins.id, Some(step), p, c.user_id).await?;
        }
        audit(
            &mut tx,
            Some(c.user_id),
            "event_report",
            &ins.tracking_no,
            channel,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Reported {
        id: ins.id,
        tracking_no: ins.tracking_no,
        created: ins.created,
    })
}

/// The grid the caller's account hangs from, when it is a grid (residents, grid workers).
async fn own_grid(pool: &AnyPool, c: &Caller) -> Result<Option<i64>, AppError> {
    let id = crate::domain::org::path_ids(&c.unit_path)
        .last()
        .copied()
        .unwrap_or(0);
    Ok(
        sqlx::query_scalar("SELECT id FROM org_units WHERE id = $1 AND level = 'grid'")
            .bind(id)
            .fetch_optional(pool)
            .await?,
    )
}
