//! Live screens: one state per org unit being watched, recomputed when a change in its subtree
//! is published (at most every quarter second) and every thirty seconds for what time alone
//! changes (lights turning yellow or red). Each recomputation that changes something becomes a
//! versioned patch for every screen of that unit. A screen's stream opens with a snapshot, then
//! patches, with a heartbeat every five seconds so the screen knows its data is current.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use app::domain::org::path_within;
use app::domain::roles::Capability;
use app::features::screen::api::SCREEN_DAYS;
use app::features::screen::repo::snapshot;
use app::features::screen::types::ScreenLive;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream, StreamExt};
use sqlx::AnyPool;
use tokio::sync::broadcast;
use tokio_stream::wrappers::{BroadcastStream, IntervalStream};
use tower_sessions::Session;

use crate::http::reply;
use crate::http::AppState;
use crate::realtime::live::Live;

const DEBOUNCE: Duration = Duration::from_millis(250);
const REFRESH: Duration = Duration::from_secs(30);
const HEARTBEAT: Duration = Duration::from_secs(5);

struct Feed {
    path: String,
    state: tokio::sync::Mutex<ScreenLive>,
    tx: broadcast::Sender<Arc<String>>,
    dirty: AtomicBool,
}

#[derive(Clone)]
pub struct ScreenHub {
    pool: AnyPool,
    live: Live,
    feeds: Arc<Mutex<HashMap<String, Arc<Feed>>>>,
    started: Arc<AtomicBool>,
}

fn now() -> i64 {
    app::ssr::now()
}

impl ScreenHub {
    pub fn new(pool: AnyPool, live: Live) -> ScreenHub {
        ScreenHub {
            pool,
            live,
            feeds: Arc::new(Mutex::new(HashMap::new())),
            started: Arc::new(AtomicBool::new(false)),
        }
    }

    fn feeds(&self) -> Vec<Arc<Feed>> {
        self.feeds
            .lock()
            .map(|m| m.values().cloned().collect())
            .unwrap_or_default()
    }

    /// The unit's current state as JSON and a receiver of its patches from that state on.
    pub async fn subscribe(
        &self,
        path: &str,
    ) -> Result<(String, broadcast::Receiver<Arc<String>>), app::error::AppError> {
        if !self.started.swap(true, Ordering::SeqCst) {
            tokio::spawn(self.clone().run());
        }
        let existing = self.feeds.lock().ok().and_then(|m| m.get(path).cloned());
        let feed = match existing {
            Some(f) => f,
            None => {
                let mut first = snapshot(&self.pool, path, SCREEN_DAYS, now()).await?;
                first.version = 1;
                let (tx, _) = broadcast::channel(64);
                let f = Arc::new(Feed {
                    path: path.to_string(),
                    state: tokio::sync::Mutex::new(first),
                    tx,
                    dirty: AtomicBool::new(false),
                });
                let mut m = self
                    .feeds
                    .lock()
                    .map_err(|_| app::error::AppError::Internal)?;
                m.entry(path.to_string()).or_insert(f).clone()
            }
        };
        // Under the state's lock, so no patch falls between the snapshot and the subscription.
        let state = feed.state.lock().await;
        let json = serde_json::to_string(&*state).map_err(app::ssr::internal)?;
        Ok((json, feed.tx.subscribe()))
    }

    async fn run(self) {
        let mut changes = self.live.subscribe();
        let mut debounce = tokio::time::interval(DEBOUNCE);
        let mut refresh = tokio::time::interval(REFRESH);
        loop {
            tokio::select! {
                r = changes.recv() => match r {
                    Ok(ch) => {
                        for f in self.feeds() {
                            if path_within(&ch.change.grid_path, &f.path) {
                                f.dirty.store(true, Ordering::SeqCst);
                            }
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => self.mark_all(),
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                _ = debounce.tick() => self.recompute().await,
                _ = refresh.tick() => self.mark_all(),
            }
        }
    }

    fn mark_all(&self) {
        for f in self.feeds() {
            f.dirty.store(true, Ordering::SeqCst);
        }
    }

    async fn recompute(&self) {
        if let Ok(mut m) = self.feeds.lock() {
            // Nobody watching: forget the unit (a new screen starts from a fresh snapshot).
            m.retain(|_, f| f.tx.receiver_count() > 0);
        }
        for f in self.feeds() {
            if !f.dirty.swap(false, Ordering::SeqCst) {
                continue;
            }
            let mut next = match snapshot(&self.pool, &f.path, SCREEN_DAYS, now()).await {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!(error = %e, path = %f.path, "screen recompute failed");
                    f.dirty.store(true, Ordering::SeqCst);
                    continue;
                }
            };
            let mut state = f.state.lock().await;
            next.version = state.version + 1;
            let patch = state.diff(&next);
            if patch.sections().is_empty() {
                continue;
            }
            match serde_json::to_string(&patch) {
                Ok(json) => {
                    *state = next;
                    let _ = f.tx.send(Arc::new(json));
                }
                Err(e) => tracing::warn!(error = %e, "screen patch not serialisable"),
            }
        }
    }
}

fn stream_for(
    snapshot: String,
    rx: broadcast::Receiver<Arc<String>>,
) -> impl Stream<Item = Result<Event, Infallible>> + Send + 'static {
    let first = stream::once(async move { Event::default().event("snapshot").data(snapshot) });
    // A lagging screen misses patches; its next one will not apply and it reconnects.
    let patches = BroadcastStream::new(rx).filter_map(|r| {
        std::future::ready(
            r.ok()
                .map(|p| Event::default().event("patch").data(p.as_str())),
        )
    });
    let mut beat = tokio::time::interval(HEARTBEAT);
    beat.reset();
    let ticks =
        IntervalStream::new(beat).map(|_| Event::default().event("tick").data(now().to_string()));
    first.chain(stream::select(patches, ticks)).map(Ok)
}

/// `GET /screen/live`: the caller's unit's screen over Server-Sent Events.
pub async fn sse(State(st): State<AppState>, session: Session, headers: HeaderMap) -> Response {
    let c = match crate::http::caller::caller(&st.ctx.pool, &session).await {
        Ok(c) => c,
        Err(e) => return reply::error(&e, &headers, "/login"),
    };
    if !c.role.can(Capability::ViewOrg) {
        return reply::error(&app::error::AppError::Forbidden, &headers, "/login");
    }
    match st.screens.subscribe(&c.unit_path).await {
        Ok((snap, rx)) => {
            let ends = st.session_ends.watch(session.id());
            Sse::new(stream_for(snap, rx).take_until(ends))
                .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
                .into_response()
        }
        Err(e) => reply::error(&e, &headers, "/login"),
    }
}
