//! Server functions of the event loop: auth → scope → domain rule → store.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::types::{
    Category, DispatchTargets, EventCard, EventDetail, NearbyEvent, ReportSetup, WorkQueue,
};
use crate::domain::event::Action;
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "event_categories")]
pub async fn event_categories() -> Result<Vec<Category>, AppError> {
    crate::error::with_status(imp::categories().await)
}

/// The caller's work: what their unit holds, what is assigned to them or their department.
#[server(prefix = "/api", endpoint = "event_queue")]
pub async fn event_queue() -> Result<WorkQueue, AppError> {
    crate::error::with_status(imp::queue().await)
}

#[server(prefix = "/api", endpoint = "event_detail")]
pub async fn get_event_detail(id: i64) -> Result<EventDetail, AppError> {
    crate::error::with_status(imp::detail(id).await)
}

#[server(prefix = "/api", endpoint = "dispatch_targets")]
pub async fn get_dispatch_targets(id: i64) -> Result<DispatchTargets, AppError> {
    crate::error::with_status(imp::targets(id).await)
}

/// One transition. `version` is the version the caller saw: if someone acted first, the answer
/// is a conflict naming the event's state now, and nothing is written.
#[server(prefix = "/api", endpoint = "event_act", input = Json)]
pub async fn event_act(
    id: i64,
    version: i64,
    action: Action,
    photos: Vec<i64>,
    comment: String,
) -> Result<EventCard, AppError> {
    crate::error::with_status(imp::act(id, version, action, photos, comment).await)
}

/// The report page's data; visitors get `signed_in: false` and the sign-in choices.
#[server(prefix = "/api", endpoint = "report_setup")]
pub async fn get_report_setup() -> Result<ReportSetup, AppError> {
    crate::error::with_status(imp::setup().await)
}

/// Open events of the same category near a point, shown before a resident submits: in full for
/// those who may open them, otherwise only category, state and a coarse distance.
#[server(prefix = "/api", endpoint = "nearby_events")]
pub async fn nearby_events(
    category_id: i64,
    lng: f64,
    lat: f64,
) -> Result<Vec<NearbyEvent>, AppError> {
    crate::error::with_status(imp::nearby(category_id, lng, lat).await)
}

#[cfg(feature = "ssr")]
pub mod imp {
    use super::super::repo;
    use super::super::types::{
        Category, DispatchTargets, EventCard, EventDetail, NearbyEvent, ReportSetup, WorkQueue,
    };
    use crate::domain::calendar::light_at;
    use crate::domain::event::{allowed, apply, Action, Actor, EventFacts, TransitionError};
    use crate::domain::map::{coarse_metres, metres_between};
    use crate::domain::roles::Role;
    use crate::domain::scope::Caller;
    use crate::domain::visibility::{event_access, reporter_fields, Access};
    use crate::error::AppError;
    use crate::ssr::{caller, ctx, now};

    pub fn actor_of(c: &Caller) -> Actor {
        Actor {
            user_id: c.user_id,
            role: c.role,
            unit_path: c.unit_path.clone(),
            department_id: c.department_id,
        }
    }

    /// An event the caller may see, with the facts the rules need and how much they see.
    pub struct Visible {
        pub row: repo::EventRow,
        pub facts: EventFacts,
        pub access: Access,
    }

    /// Loads an event through the visibility rule: anything hidden answers "not found".
    pub async fn load_visible(
        pool: &sqlx::AnyPool,
        c: &Caller,
        id: i64,
    ) -> Result<Visible, AppError> {
        let row = repo::event_row(pool, id).await?.ok_or(AppError::NotFound)?;
        let co = repo::co_handlers(pool, id).await?;
        let facts = repo::facts_of(&row, co);
        let access = event_access(&actor_of(c), &facts);
        if !access.sees() {
            return Err(AppError::NotFound);
        }
        Ok(Visible { row, facts, access })
    }

    pub async fn categories() -> Result<Vec<Category>, AppError> {
        caller().await?;
        repo::categories(&ctx()?.pool).await
    }

    pub async fn queue() -> Result<WorkQueue, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let open = "e.state IN ('reported','verified','dispatched','handling')";
        let (cond, a, b): (String, String, i64) = match c.role {
            Role::Resident | Role::PartyMember => (
                "e.reporter_user_id = $2 AND $1 = $1".into(),
                String::new(),
                c.user_id,
            ),
            Role::DepartmentStaff => (
                format!(
                    "{open} AND (e.assignee_dept_id = $2 OR e.id IN \
                     (SELECT event_id FROM event_co_handlers WHERE department_id = $2)) AND $1 = $1"
                ),
                String::new(),
                c.department_id.unwrap_or(-1),
            ),
            _ => (
                format!(
                    "{open} AND (e.holder_path = $1 OR (e.grid_path LIKE ($1 || '%') \
                     AND e.state IN ('dispatched','handling')) OR e.assignee_user_id = $2)"
                ),
                c.unit_path.clone(),
                c.user_id,
            ),
        };
        let sql = format!(
            "SELECT {} FROM {} WHERE {cond} ORDER BY e.due_at LIMIT 500",
            repo::CARD_COLUMNS,
            repo::CARD_FROM
        );
        let cards = sqlx::query_as(&sql)
            .bind(a)
            .bind(b)
            .fetch_all(&pool)
            .await?;
        Ok(WorkQueue { now: now(), cards })
    }

    pub async fn detail(id: i64) -> Result<EventDetail, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let Visible { row, facts, access } = load_visible(&pool, &c, id).await?;
        let card = repo::card(&pool, id).await?.ok_or(AppError::NotFound)?;
        let acts = allowed(&actor_of(&c), &facts);
        let (reporter_name, reporter_phone) =
            reporter_fields(access, &row.reporter_name, &row.reporter_phone);
        let light = if facts.state.is_open() {
            light_at(now(), row.yellow_at, row.due_at)
                .as_str()
                .to_string()
        } else {
            String::new()
        };
        // The reporter's own steps name them: masked along with their name above.
        let masked = (!access.sees_reporter())
            .then_some(row.reporter_user_id)
            .flatten();
        Ok(EventDetail {
            card,
            facts,
            reporter_name,
            reporter_phone,
            result_note: row.result_note.clone(),
            reject_reason: row.reject_reason.clone(),
            pending_extension_hours: row.pending_extension_hours,
            steps: repo::steps(&pool, id, masked).await?,
            photos: repo::photos(&pool, id).await?,
            allowed: acts,
            light,
        })
    }

    pub async fn targets(id: i64) -> Result<DispatchTargets, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let Visible { row, facts, .. } = load_visible(&pool, &c, id).await?;
        let holder = facts.holder_path();
        Ok(DispatchTargets {
            departments: repo::departments_at(&pool, &holder).await?,
            workers: repo::grid_workers(&pool, &row.grid_path).await?,
            suggested_department: repo::suggested_department(
                &pool,
                row.category_id,
                facts.level,
                &holder,
            )
            .await?,
        })
    }

    fn map_transition(e: TransitionError) -> AppError {
        match e {
            TransitionError::NotAllowed => AppError::Forbidden,
            TransitionError::Invalid(field, reason) => AppError::invalid(field, reason),
        }
    }

    pub async fn act(
        id: i64,
        version: i64,
        action: Action,
        photos: Vec<i64>,
        comment: String,
    ) -> Result<EventCard, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let Visible { row, facts, .. } = load_visible(&pool, &c, id).await?;
        if row.version != version {
            return Err(AppError::Conflict { state: row.state });
        }
        if photos.len() > 9 {
            return Err(AppError::invalid("photo", "out_of_range"));
        }
        if comment.chars().count() > 2000 {
            return Err(AppError::invalid("note", "too_long"));
        }
        let actor = actor_of(&c);
        let out = apply(&actor, &facts, &action).map_err(map_transition)?;
        repo::check_targets(&pool, &row, &facts, &action).await?;
        let name = actor_name(&pool, c.user_id).await?;
        let cal = repo::calendar(&pool).await?;
        repo::write_transition(
            &pool, &cal, &actor, &name, &row, &action, &out, &photos, &comment,
        )
        .await?;
        (ctx()?.notify)(id);
        repo::card(&pool, id).await?.ok_or(AppError::NotFound)
    }

    pub async fn setup() -> Result<ReportSetup, AppError> {
        let cx = ctx()?;
        let c = match caller().await {
            Ok(c) => c,
            Err(AppError::Unauthenticated) => {
                return Ok(ReportSetup {
                    signed_in: false,
                    wechat: cx.wechat_enabled,
                    categories: Vec::new(),
                    idem_key: String::new(),
                    home: None,
                    channels: Vec::new(),
                    grids: Vec::new(),
                })
            }
            Err(e) => return Err(e),
        };
        let grid = crate::domain::org::path_ids(&c.unit_path)
            .last()
            .copied()
            .unwrap_or(0);
        let home = sqlx::query_as(
            "SELECT id, name, center_lng, center_lat, geometry FROM org_units \
             WHERE id = $1 AND level = 'grid'",
        )
        .bind(grid)
        .fetch_optional(&cx.pool)
        .await?;
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
            categories: repo::categories(&cx.pool).await?,
            idem_key,
            home,
            channels,
            grids,
        })
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
            let co = repo::co_handlers(&pool, n.row.id).await?;
            let facts = repo::facts_of(&n.row, co);
            let sees = event_access(&actor, &facts).sees();
            out.push(NearbyEvent {
                id: sees.then_some(n.row.id),
                tracking_no: sees.then(|| n.row.tracking_no.clone()),
                category_zh: n.category_zh,
                category_en: n.category_en,
                state: n.row.state.clone(),
                within_m: coarse_metres(metres_between((lng, lat), (n.lng, n.lat))),
            });
        }
        Ok(out)
    }

    pub async fn actor_name(pool: &sqlx::AnyPool, user_id: i64) -> Result<String, AppError> {
        Ok(
            sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(pool)
                .await?
                .unwrap_or_default(),
        )
    }
}
