//! The live feed: every transition is published once and pushed over SSE to each open console
//! that may see the event. A client that connects or falls behind is told to resync.

use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use app::domain::event::{Assignee, EventFacts};
use app::domain::scope::Caller;
use app::domain::visibility::event_access;
use app::features::events::repo;
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

use crate::http::reply;
use crate::http::AppState;

#[derive(Clone)]
pub struct Live {
    tx: broadcast::Sender<Published>,
    seq: Arc<AtomicU64>,
    pool: AnyPool,
}

/// A change as it goes round inside the server: what consoles are sent, and the facts the
/// visibility rule decides by (never sent).
#[derive(Clone, Debug)]
pub struct Published {
    pub change: LiveChange,
    pub facts: Arc<EventFacts>,
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

    pub fn subscribe(&self) -> broadcast::Receiver<Published> {
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

    pub async fn publish(&self, id: i64) -> Result<(), app::error::AppError> {
        let Some(facts) = repo::facts_by_id(&self.pool, id).await? else {
            return Ok(());
        };
        let (version, action): (i64, Option<String>) = sqlx::query_as(
            "SELECT version, (SELECT action FROM event_steps s WHERE s.event_id = e.id              ORDER BY s.id DESC LIMIT 1) AS action FROM events e WHERE e.id = $1",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        let (dept, user) = match facts.assignee {
            Some(Assignee::Department(d)) => (Some(d), None),
            Some(Assignee::User(u)) => (None, Some(u)),
            None => (None, None),
        };
        let change = LiveChange {
            seq: self.seq.fetch_add(1, Ordering::SeqCst) + 1,
            event_id: id,
            grid_path: facts.grid_path.clone(),
            state: facts.state.as_str().into(),
            action: action.unwrap_or_default(),
            version,
            assignee_dept_id: dept,
            assignee_user_id: user,
            reporter_user_id: facts.reporter_id,
        };
        // No receivers is fine: nobody has a console open.
        let _ = self.tx.send(Published {
            change,
            facts: Arc::new(facts),
        });
        Ok(())
    }
}

/// Whether this caller's console is told of the change: exactly those who may see the event.
pub fn concerns(c: &Caller, p: &Published) -> bool {
    let actor = app::features::events::api::imp::actor_of(c);
    event_access(&actor, &p.facts).sees()
}

fn frame(c: &Caller, item: Result<Published, BroadcastStreamRecvError>) -> Option<Event> {
    match item {
        Ok(p) if concerns(c, &p) => Event::default()
            .event("change")
            .id(p.change.seq.to_string())
            .json_data(&p.change)
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
    match crate::http::caller::caller(&st.ctx.pool, &session).await {
        Ok(c) => {
            let ends = st.session_ends.watch(session.id());
            Sse::new(stream_for(&st.live, c).take_until(ends))
                .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
                .into_response()
        }
        Err(e) => reply::error(&e, &headers, "/login"),
    }
}
