//! tower-sessions store on our own `sessions` table, so sessions survive restarts and work on
//! both databases; the sliding and absolute limits (`domain::session`); and the watch that
//! closes live streams when their session ends.

use std::sync::Arc;
use std::time::Duration;

use app::domain::session::{self, Verdict};
use app::ssr::{SESSION_SEEN_KEY, SESSION_SINCE_KEY, SESSION_USER_KEY};
use async_trait::async_trait;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use sqlx::AnyPool;
use tokio::sync::broadcast;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};
use tower_sessions::Session;

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    pool: AnyPool,
}

impl DbSessionStore {
    pub fn new(pool: AnyPool) -> Self {
        Self { pool }
    }

    /// Removes expired sessions; run periodically.
    pub async fn delete_expired(&self) -> Result<u64, sqlx::Error> {
        let r = sqlx::query("DELETE FROM sessions WHERE expiry <= $1")
            .bind(crate::db::now())
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected())
    }
}

fn backend<E: std::fmt::Display>(e: E) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        sqlx::query(
            "INSERT INTO sessions (id, data, expiry) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expiry = excluded.expiry",
        )
        .bind(record.id.to_string())
        .bind(data)
        .bind(record.expiry_date.unix_timestamp())
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT data, expiry FROM sessions WHERE id = $1 AND expiry > $2")
                .bind(id.to_string())
                .bind(crate::db::now())
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        let Some((data, expiry)) = row else {
            return Ok(None);
        };
        Ok(Some(Record {
            id: *id,
            data: serde_json::from_str(&data)
                .map_err(|e| session_store::Error::Decode(e.to_string()))?,
            expiry_date: time::OffsetDateTime::from_unix_timestamp(expiry).map_err(backend)?,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id.to_string())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

impl DbSessionStore {
    /// Marks an existing session used now; false when it is gone (signed out or expired). Never
    /// brings a deleted session back, unlike `save`.
    pub async fn touch(&self, id: &Id, now: i64) -> Result<bool, sqlx::Error> {
        let Ok(Some(mut record)) = self.load(id).await else {
            return Ok(false);
        };
        record
            .data
            .insert(SESSION_SEEN_KEY.into(), serde_json::Value::from(now));
        let data = serde_json::to_string(&record.data).unwrap_or_default();
        let r = sqlx::query("UPDATE sessions SET data = $2, expiry = $3 WHERE id = $1")
            .bind(id.to_string())
            .bind(data)
            .bind(now + session::MAX_SECONDS)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// The session's sign-in and last-use times, when it exists and belongs to a user.
    async fn clock(&self, id: &Id) -> Option<(i64, i64)> {
        let record = self.load(id).await.ok().flatten()?;
        record.data.get(SESSION_USER_KEY)?;
        let get = |k: &str| record.data.get(k).and_then(|v| v.as_i64());
        let since = get(SESSION_SINCE_KEY).unwrap_or(0);
        Some((since, get(SESSION_SEEN_KEY).unwrap_or(since)))
    }
}

/// Applies the session rule on every request of a signed-in user: past a limit the session is
/// dropped (the request goes on as a visitor's), otherwise its use is recorded now and then.
pub async fn slide(session: Session, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let asset = ["/pkg/", "/leaflet/", "/favicon"]
        .iter()
        .any(|p| path.starts_with(p));
    if !asset {
        if let Ok(Some(_)) = session.get::<i64>(SESSION_USER_KEY).await {
            let since: i64 = session
                .get(SESSION_SINCE_KEY)
                .await
                .ok()
                .flatten()
                .unwrap_or(0);
            let seen: i64 = session
                .get(SESSION_SEEN_KEY)
                .await
                .ok()
                .flatten()
                .unwrap_or(since);
            let now = crate::db::now();
            match session::verdict(since, seen, now) {
                Verdict::End => {
                    let _ = session.flush().await;
                }
                Verdict::Touch => {
                    let _ = session.insert(SESSION_SEEN_KEY, now).await;
                }
                Verdict::Keep => {}
            }
        }
    }
    next.run(req).await
}

/// Ends of sessions, told to the live streams that were opened under them.
#[derive(Clone)]
pub struct SessionEnds {
    tx: broadcast::Sender<String>,
    store: DbSessionStore,
}

/// How often an open stream checks that its session still stands (and marks it used).
const STREAM_CHECK: Duration = Duration::from_secs(30);

impl SessionEnds {
    pub fn new(store: DbSessionStore) -> SessionEnds {
        SessionEnds {
            tx: broadcast::channel(256).0,
            store,
        }
    }

    pub fn notifier(&self) -> Arc<dyn Fn(String) + Send + Sync> {
        let tx = self.tx.clone();
        Arc::new(move |id| {
            let _ = tx.send(id);
        })
    }

    /// Resolves when the session ends: signed out here (at once), or found gone, over its
    /// absolute limit or idle at a periodic check (also for sign-outs on other instances). An
    /// open stream is use, so each check slides the idle limit.
    pub fn watch(&self, id: Option<Id>) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut rx = self.tx.subscribe();
        let store = self.store.clone();
        async move {
            let Some(id) = id else { return };
            let key = id.to_string();
            let mut every = tokio::time::interval(STREAM_CHECK);
            every.reset();
            loop {
                tokio::select! {
                    ended = rx.recv() => match ended {
                        Ok(k) if k == key => return,
                        Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                        Err(broadcast::error::RecvError::Closed) => return,
                    },
                    _ = every.tick() => {
                        let now = crate::db::now();
                        let Some((since, seen)) = store.clock(&id).await else { return };
                        match session::verdict(since, seen, now) {
                            Verdict::End => {
                                let _ = store.delete(&id).await;
                                return;
                            }
                            _ => {
                                if !store.touch(&id, now).await.unwrap_or(false) {
                                    return;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
