//! Server functions of the event loop as the room and the handlers use it: auth → scope (the
//! visibility rule) → domain rule → store. The reporter's side is in `report_api`.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::types::{Category, DispatchTargets, EventCard, EventDetail, ReplyTemplate, WorkQueue};
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

/// Ready answers for an event's category, for those who may act on it.
#[server(prefix = "/api", endpoint = "reply_templates")]
pub async fn get_reply_templates(id: i64) -> Result<Vec<ReplyTemplate>, AppError> {
    crate::error::with_status(imp::templates(id).await)
}

/// One transition. `version` is the version the caller saw: if someone acted first, the answer
/// is a conflict naming the event's state now, and nothing is written. `comment` is the note
/// typed with it; for actions whose text is their content it is that text.
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

#[cfg(feature = "ssr")]
pub mod imp {
    use super::super::repo;
    use super::super::types::{
        Category, DispatchTargets, EventCard, EventDetail, ReplyTemplate, WorkQueue,
    };
    use crate::domain::calendar::light_at;
    use crate::domain::event::{allowed, apply, Action, Actor, EventFacts, State, TransitionError};
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
        let facts = row.fact.facts(repo::people(pool, id).await?);
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
        let open = format!("e.state IN {}", State::OPEN_SQL);
        // $1 the caller's unit, $2 the caller, $3 their department. Whoever an event is given
        // to in person sees it in their queue, whatever their role (`visibility::handles`).
        let cond = match c.role {
            Role::Resident | Role::PartyMember => "(e.reporter_user_id = $2 OR e.id IN \
                 (SELECT event_id FROM event_reporters WHERE user_id = $2) \
                 OR e.assignee_user_id = $2) AND $1 = $1 AND $3 = $3"
                .to_string(),
            Role::DepartmentStaff => format!(
                "{open} AND (e.assignee_dept_id = $3 OR e.assignee_user_id = $2 OR e.id IN \
                 (SELECT event_id FROM event_co_handlers WHERE department_id = $3)) AND $1 = $1"
            ),
            _ => format!(
                "{open} AND (e.holder_path = $1 OR (e.grid_path LIKE ($1 || '%') \
                 AND e.state IN ('dispatched','handling')) OR e.assignee_user_id = $2) AND $3 = $3"
            ),
        };
        // The most urgent and the most pressing first.
        let sql = format!(
            "SELECT {} FROM {} WHERE {cond} ORDER BY \
             CASE e.urgency WHEN 'critical' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END, e.due_at \
             LIMIT 500",
            repo::CARD_COLUMNS,
            repo::CARD_FROM
        );
        let cards = sqlx::query_as(&sql)
            .bind(c.unit_path.clone())
            .bind(c.user_id)
            .bind(c.department_id.unwrap_or(-1))
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
        let (reporter_name, reporter_phone) = reporter_fields(
            access,
            &row.reporter_name,
            &crate::crypto::open("events.reporter_phone", &row.reporter_phone)?,
        );
        let light = if facts.state.is_open() {
            light_at(now(), row.yellow_at, row.due_at)
                .as_str()
                .to_string()
        } else {
            String::new()
        };
        // The reporters' own steps name them: masked along with their name above.
        let masked: Vec<i64> = if access.sees_reporter() {
            Vec::new()
        } else {
            facts
                .reporter_id
                .iter()
                .chain(&facts.co_reporters)
                .copied()
                .filter(|u| *u != c.user_id)
                .collect()
        };
        Ok(EventDetail {
            card,
            reporter_name,
            reporter_phone,
            result_note: row.result_note.clone(),
            reject_reason: row.reject_reason.clone(),
            pending_extension_hours: row.fact.pending_extension_hours,
            steps: repo::steps(&pool, id, &masked).await?,
            photos: repo::photos(&pool, id).await?,
            allowed: acts,
            light,
            holder_name: repo::unit_name(&pool, &facts.holder_path()).await?,
            co_handler_names: repo::department_names(&pool, &facts.co_handlers).await?,
            outcome: row.outcome.clone(),
            outcome_ref: row.outcome_ref.clone(),
            mine: facts.reported_by(c.user_id),
            facts,
        })
    }

    pub async fn targets(id: i64) -> Result<DispatchTargets, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let Visible { row, facts, .. } = load_visible(&pool, &c, id).await?;
        let holder = facts.holder_path();
        Ok(DispatchTargets {
            departments: repo::departments_at(&pool, &holder).await?,
            workers: repo::grid_workers(&pool, &row.fact.grid_path).await?,
            suggested_department: repo::suggested_department(
                &pool,
                row.category_id,
                facts.level,
                &holder,
            )
            .await?,
        })
    }

    pub async fn templates(id: i64) -> Result<Vec<ReplyTemplate>, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let Visible { row, facts, .. } = load_visible(&pool, &c, id).await?;
        if allowed(&actor_of(&c), &facts).is_empty() {
            return Ok(Vec::new());
        }
        repo::reply_templates(&pool, row.category_id).await
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
            return Err(AppError::Conflict {
                state: row.fact.state,
            });
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
