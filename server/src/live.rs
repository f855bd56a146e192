//! The live feed: every transition is published once and pushed over SSE to each open console
//! that may see the event. A client that connects or falls behind is told to resync.

use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use app::domain::event::{Assignee, EventFacts};
use app::domain::scope::Caller;
use app::domain::visibility::event_access;
use app::features::events::types::LiveChange;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream, StreamExt};
use sqlx::AnyPool;
use tokio::sync::broadcast;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_stream::wrappers::BroadcastStream;
use tower_sessions::Session;

use crate::reply;
use crate::web::AppState;

#[derive(Clone)]
pub struct Live {
    tx: broadcast::Sender<LiveChange>,
    seq: Arc<AtomicU64>,
    pool: AnyPool,
}

#[derive(sqlx::FromRow)]
struct Row {
    grid_path: String,
    level: String,
    state: String,
    version: i64,
    assignee_dept_id: Option<i64>,
    assignee_user_id: Option<i64>,
    reporter_user_id: Option<i64>,
    action: Option<String>,
}

impl Live {
    pub fn new(pool: AnyPool) -> Live {
        let (tx, _) = broadcast::channel(1024);
        Live {
            tx,
            seq: Arc::new(AtomicU64::new(0)),
            pool,
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LiveChange> {
        self.tx.subscribe()
    }

    /// The callback handed to server functions: publishing reads the event after the commit.
    pub fn notifier(&self) -> Arc<dyn Fn(i64) + Send + Sync> {
        let me = self.clone();
        Arc::new(move |id| {
            let me = me.clone();
            tokio::spawn(async move {
                if let Err(e) = me.publish(id).await {
                    tracing::warn!(error = %e, event = id, "live publish failed");
                }
            });
        })
    }

    pub async fn publish(&self, id: i64) -> Result<(), sqlx::Error> {
        let row: Option<Row> = sqlx::query_as(
            "SELECT grid_path, level, state, version, assignee_dept_id, assignee_user_id, reporter_user_id, \
             (SELECT action FROM event_steps s WHERE s.event_id = e.id ORDER BY s.id DESC LIMIT 1) \
             AS action FROM events e WHERE e.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        if let Some(r) = row {
            let co_handlers: Vec<i64> = sqlx::query_scalar(
                "SELECT department_id FROM event_co_handlers WHERE event_id = $1",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
            let change = LiveChange {
                seq: self.seq.fetch_add(1, Ordering::SeqCst) + 1,
                event_id: id,
                grid_path: r.grid_path,
                state: r.state,
                action: r.action.unwrap_or_default(),
                version: r.version,
                assignee_dept_id: r.assignee_dept_id,
                assignee_user_id: r.assignee_user_id,
                reporter_user_id: r.reporter_user_id,
                level: r.level,
                co_handlers,
            };
            // No receivers is fine: nobody has a console open.
            let _ = self.tx.send(change);
        }
        Ok(())
    }
}

/// The facts of a change, as the visibility rule reads them.
pub fn facts_of(ch: &LiveChange) -> EventFacts {
    let assignee = match (ch.assignee_dept_id, ch.assignee_user_id) {
        (Some(d), _) => Some(Assignee::Department(d)),
        (None, Some(u)) => Some(Assignee::User(u)),
        _ => None,
    };
    EventFacts {
        state: app::domain::event::State::parse(&ch.state)
            .unwrap_or(app::domain::event::State::Reported),
        level: app::ssr::parse_level(&ch.level),
        grid_path: ch.grid_path.clone(),
        assignee,
        co_handlers: ch.co_handlers.clone(),
        reporter_id: ch.reporter_user_id,
        pending_extension: false,
    }
}

/// Whether this caller's console is told of the change: exactly those who may see the event.
pub fn concerns(c: &Caller, ch: &LiveChange) -> bool {
    let actor = app::features::events::api::imp::actor_of(c);
    event_access(&actor, &facts_of(ch)).sees()
}

fn frame(c: &Caller, item: Result<LiveChange, BroadcastStreamRecvError>) -> Option<Event> {
    match item {
        Ok(ch) if concerns(c, &ch) => Event::default()
            .event("change")
            .id(ch.seq.to_string())
            .json_data(&ch)
            .ok(),
        Ok(_) => None,
        // Missed changes: the client reloads its queue instead of guessing.
        Err(BroadcastStreamRecvError::Lagged(_)) => {
            Some(Event::default().event("resync").data("lagged"))
        }
    }
}

pub fn stream_for(
    live: &Live,
    c: Caller,
) -> impl Stream<Item = Result<Event, Infallible>> + Send + 'static {
    let first = stream::once(async { Event::default().event("resync").data("hello") });
    let changes = BroadcastStream::new(live.subscribe())
        .filter_map(move |item| std::future::ready(frame(&c, item)));
    first.chain(changes).map(Ok)
}

/// `GET /live`: Server-Sent Events for the signed-in user, until their session ends.
pub async fn sse(State(st): State<AppState>, session: Session, headers: HeaderMap) -> Response {
    match reply::caller(&st.ctx.pool, &session).await {
        Ok(c) => {
            let ends = st.session_ends.watch(session.id());
            Sse::new(stream_for(&st.live, c).take_until(ends))
                .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
                .into_response()
        }
        Err(e) => reply::error(&e, &headers, "/login"),
    }
}
