//! Server functions of the reporter's side: the report form's data, "already reported
//! nearby?" with "me too", one's own reports, and looking a tracking number up.

use leptos::prelude::*;

use super::types::{MyReport, NearbyEvent, ReportSetup};
use crate::error::AppError;

/// The report page's data; visitors get `signed_in: false` and the sign-in choices.
#[server(prefix = "/api", endpoint = "report_setup")]
pub async fn get_report_setup() -> Result<ReportSetup, AppError> {
    crate::error::with_status(imp::setup().await)
}

/// Open events of the same category near a point, shown before a resident submits: in full for
/// those who may open them, otherwise only category, state and a coarse distance (and, for a
/// resident, a token to join it).
#[server(prefix = "/api", endpoint = "nearby_events")]
pub async fn nearby_events(
    category_id: i64,
    lng: f64,
    lat: f64,
) -> Result<Vec<NearbyEvent>, AppError> {
    crate::error::with_status(imp::nearby(category_id, lng, lat).await)
}

/// "Me too": the caller joins a nearby open report instead of making another; they follow it
/// and are told the result like its reporter. Returns the event's id.
#[server(prefix = "/api", endpoint = "join_report")]
pub async fn join_report(join: String, note: String) -> Result<i64, AppError> {
    crate::error::with_status(imp::join(join, note).await)
}

/// The caller's own reports, made or joined.
#[server(prefix = "/api", endpoint = "my_reports")]
pub async fn my_reports() -> Result<Vec<MyReport>, AppError> {
    crate::error::with_status(imp::mine().await)
}

/// A tracking number's event, when the caller may see it (else "not found"); without
/// JavaScript the form is sent on to the event's page.
#[server(prefix = "/api", endpoint = "find_report")]
pub async fn find_report(tracking_no: String) -> Result<i64, AppError> {
    crate::error::with_status(imp::find(tracking_no).await)
}

#[cfg(feature = "ssr")]
pub mod imp {
    use super::super::api::imp::{actor_name, actor_of, load_visible};
    use super::super::repo;
    use super::super::types::{MyReport, NearbyEvent, ReportSetup};
    use crate::domain::map::{coarse_metres, metres_between};
    use crate::domain::roles::Role;
    use crate::domain::visibility::event_access;
    use crate::error::AppError;
    use crate::ssr::{caller, ctx, now, redirect_form_post, sign, verify_signed};

    pub async fn setup() -> Result<ReportSetup, AppError> {
        let cx = ctx()?;
        let c = match caller().await {
            Ok(c) => c,
            Err(AppError::Unauthenticated) => {
                let code_phone = crate::ssr::session()
                    .await?
                    .get::<String>(crate::ssr::SESSION_CODE_PHONE_KEY)
                    .await
                    .map_err(crate::ssr::internal)?;
                return Ok(ReportSetup {
                    signed_in: false,
                    wechat: cx.wechat_enabled,
                    code_phone,
                    categories: Vec::new(),
                    idem_key: String::new(),
                    home: None,
                    around: Vec::new(),
                    channels: Vec::new(),
                    grids: Vec::new(),
                });
            }
            Err(e) => return Err(e),
        };
        let grid = crate::domain::org::path_ids(&c.unit_path)
            .last()
            .copied()
            .unwrap_or(0);
        let home: Option<super::super::types::HomeGrid> = sqlx::query_as(
            "SELECT id, name, center_lng, center_lat, geometry FROM org_units \
             WHERE id = $1 AND level = 'grid'",
        )
        .bind(grid)
        .fetch_optional(&cx.pool)
        .await?;
        // Something to find one's way by without tiles: the home village's other grids and the
        // township's villages, with their names.
        let around = match &home {
            Some(h) => {
                sqlx::query_as(
                    "SELECT o.name, o.level, o.geometry FROM org_units g \
                 JOIN org_units v ON v.id = g.parent_id \
                 JOIN org_units o ON (o.parent_id = v.id AND o.level = 'grid' AND o.id <> g.id) \
                   OR (o.parent_id = v.parent_id AND o.level = 'village') \
                 WHERE g.id = $1 AND o.geometry IS NOT NULL ORDER BY o.level, o.code LIMIT 200",
                )
                .bind(h.id)
                .fetch_all(&cx.pool)
                .await?
            }
            None => Vec::new(),
        };
        let idem_key = crate::ssr::random_hex(12);
        let mut channels = vec!["app".to_string(), "mailbox".to_string()];
        match c.role {
            Role::TownshipDispatcher | Role::CountySupervisor | Role::Admin => {
                channels.push("hotline".into())
            }
            Role::GridWorker | Role::VillageCadre => channels.push("patrol".into()),
            _ => {}
        }
        let grids = if channels.len() > 2 {
            sqlx::query_as(
                "SELECT g.id, v.name || ' · ' || g.name AS name FROM org_units g \
                 JOIN org_units v ON v.id = g.parent_id WHERE g.level = 'grid' \
                 AND g.path LIKE ($1 || '%') ORDER BY g.path LIMIT 2000",
            )
            .bind(&c.unit_path)
            .fetch_all(&cx.pool)
            .await?
        } else {
            Vec::new()
        };
        Ok(ReportSetup {
            signed_in: true,
            wechat: cx.wechat_enabled,
            code_phone: None,
            categories: repo::categories(&cx.pool).await?,
            idem_key,
            home,
            around,
            channels,
            grids,
        })
    }

    fn join_message(event: i64, user: i64) -> String {
        format!("join:{event}:{user}")
    }

    pub async fn nearby(
        category_id: i64,
        lng: f64,
        lat: f64,
    ) -> Result<Vec<NearbyEvent>, AppError> {
        let c = caller().await?;
        if !(-180.0..=180.0).contains(&lng) || !(-90.0..=90.0).contains(&lat) {
            return Err(AppError::invalid("location", "out_of_range"));
        }
        let pool = ctx()?.pool;
        let actor = actor_of(&c);
        let found = repo::nearby_open(&pool, category_id, lng, lat, 300.0).await?;
        let mut out = Vec::with_capacity(found.len());
        for n in found {
            let facts = n.fact.facts(repo::people(&pool, n.id).await?);
            let sees = event_access(&actor, &facts).sees();
            // A resident (or member) who did not report it may add their voice to it.
            let reports_for_self = matches!(c.role, Role::Resident | Role::PartyMember);
            let join = if !reports_for_self || facts.reported_by(c.user_id) {
                None
            } else {
                let sig = sign(&pool, &join_message(n.id, c.user_id)).await?;
                Some(format!("{}.{sig}", n.id))
            };
            out.push(NearbyEvent {
                id: sees.then_some(n.id),
                tracking_no: sees.then(|| n.tracking_no.clone()),
                join,
                category_zh: n.category_zh,
                category_en: n.category_en,
                state: n.fact.state.clone(),
                within_m: coarse_metres(metres_between((lng, lat), (n.lng, n.lat))),
            });
        }
        Ok(out)
    }

    pub async fn join(token: String, note: String) -> Result<i64, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let bad = || AppError::invalid("event", "out_of_range");
        let (id, sig) = token.split_once('.').ok_or_else(bad)?;
        let id: i64 = id.parse().map_err(|_| bad())?;
        if !verify_signed(&pool, &join_message(id, c.user_id), sig).await? {
            return Err(bad());
        }
        if note.chars().count() > 500 {
            return Err(AppError::invalid("note", "too_long"));
        }
        let name = actor_name(&pool, c.user_id).await?;
        if !repo::join(&pool, id, c.user_id, &name, &note, now()).await? {
            // Already among its reporters, or no longer open: say which by its state.
            let state = repo::event_row(&pool, id)
                .await?
                .map(|r| r.fact.state)
                .unwrap_or_default();
            return Err(AppError::Conflict { state });
        }
        (ctx()?.notify)(id);
        Ok(id)
    }

    pub async fn mine() -> Result<Vec<MyReport>, AppError> {
        let c = caller().await?;
        repo::my_reports(&ctx()?.pool, c.user_id).await
    }

    pub async fn find(tracking_no: String) -> Result<i64, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let id = repo::find_by_tracking_no(&pool, &tracking_no)
            .await?
            .ok_or(AppError::NotFound)?;
        load_visible(&pool, &c, id).await?;
        redirect_form_post(&format!("/events/{id}"));
        Ok(id)
    }
}
