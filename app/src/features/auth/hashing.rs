//! Password and code hashing (argon2id, 19 MiB each) behind one gate: at most one hash per core
//! at a time, a short queue, and a prompt "busy" for whoever would wait longer. Anyone can
//! trigger a hash (a sign-in for a name that does not exist costs the same as a real one), so
//! without the gate three hundred strangers at once would hold gigabytes.
//!
//! The hashes run on a few threads of their own rather than tokio's blocking pool: the allocator
//! keeps each thread's freed 19 MiB for that thread, so a hash on each of dozens of pool threads
//! would leave hundreds of megabytes behind after a burst.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex, OnceLock};
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::error::AppError;

/// How long a sign-in may wait for a free core before it is told to come back.
const QUEUE_WAIT: Duration = Duration::from_secs(2);
/// Waiting callers per core beyond which new ones are turned away at once.
const QUEUE_PER_PERMIT: usize = 8;

type Job = Box<dyn FnOnce() + Send>;

struct Gate {
    permits: usize,
    sem: Semaphore,
    waiting: AtomicUsize,
    jobs: Mutex<mpsc::Sender<Job>>,
}

fn gate() -> &'static Gate {
    static GATE: OnceLock<Gate> = OnceLock::new();
    GATE.get_or_init(|| {
        let permits = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..permits {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("hashing-{i}"))
                .spawn(move || loop {
                    let job = match rx.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "could not start a hashing thread");
            }
        }
        Gate {
            permits,
            sem: Semaphore::new(permits),
            waiting: AtomicUsize::new(0),
            jobs: Mutex::new(tx),
        }
    })
}

/// A turn at hashing: held while one hash runs.
pub struct Turn {
    _permit: tokio::sync::SemaphorePermit<'static>,
}

/// Waits for a free core; `Busy` if none frees up in time or the queue is already long.
pub async fn turn() -> Result<Turn, AppError> {
    let g = gate();
    let queued = g.waiting.fetch_add(1, Ordering::SeqCst);
    let permit = if queued >= g.permits * QUEUE_PER_PERMIT {
        None
    } else {
        tokio::time::timeout(QUEUE_WAIT, g.sem.acquire())
            .await
            .ok()
            .and_then(Result::ok)
    };
    g.waiting.fetch_sub(1, Ordering::SeqCst);
    match permit {
        Some(p) => Ok(Turn { _permit: p }),
        None => {
            tracing::warn!("password hashing busy: request turned away");
            Err(AppError::Busy)
        }
    }
}

impl Turn {
    async fn run<T: Send + 'static>(
        self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(work());
        });
        gate()
            .jobs
            .lock()
            .map_err(crate::ssr::internal)?
            .send(job)
            .map_err(crate::ssr::internal)?;
        let out = result.await.map_err(crate::ssr::internal);
        drop(self);
        out
    }

    pub async fn hash(self, secret: String) -> Result<String, AppError> {
        self.run(move || hash_now(&secret)).await?
    }

    /// Checks `secret` against `hash`, or against the decoy when there is none.
    pub async fn verify(self, secret: String, hash: Option<String>) -> Result<bool, AppError> {
        self.run(move || match hash {
            Some(h) => verify_now(&secret, &h),
            None => {
                verify_now(&secret, decoy_hash());
                false
            }
        })
        .await
    }
}

/// Argon2id with the crate's recommended parameters.
pub fn hash_now(secret: &str) -> Result<String, AppError> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let salt = SaltString::generate(&mut rand_core::OsRng);
    argon2::Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(crate::ssr::internal)
}

fn verify_now(secret: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash)
        .map(|h| {
            argon2::Argon2::default()
                .verify_password(secret.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Verifying against a throwaway hash keeps unknown usernames as slow as wrong passwords.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_now("decoy-password").unwrap_or_default())
}

pub async fn hash(secret: String) -> Result<String, AppError> {
    turn().await?.hash(secret).await
}

pub async fn verify(secret: String, hash: Option<String>) -> Result<bool, AppError> {
    turn().await?.verify(secret, hash).await
}
