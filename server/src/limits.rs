//! Rate limits (governor): reports per account and per address, sign-in codes per address.
//! Addresses come from the connection; behind a proxy they are the proxy's, which still
//! bounds the total.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::reply;

#[derive(Clone)]
pub struct Limits {
    pub report_user: Arc<DefaultKeyedRateLimiter<i64>>,
    pub report_addr: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    pub signin_addr: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

fn per_minute(n: u32, burst: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
        .allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN))
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // A villager rarely reports more than a few things at once.
            report_user: Arc::new(RateLimiter::keyed(per_minute(6, 6))),
            // A village behind one address, or a hotline desk, reports much more.
            report_addr: Arc::new(RateLimiter::keyed(per_minute(120, 60))),
            signin_addr: Arc::new(RateLimiter::keyed(per_minute(20, 10))),
        }
    }
}

impl Limits {
    /// For load benchmarks only: quotas no single machine can reach.
    pub fn unlimited() -> Limits {
        let q = per_minute(u32::MAX / 2, u32::MAX / 2);
        Limits {
            report_user: Arc::new(RateLimiter::keyed(q)),
            report_addr: Arc::new(RateLimiter::keyed(q)),
            signin_addr: Arc::new(RateLimiter::keyed(q)),
        }
    }
}

pub fn addr_of(req_ext: &axum::http::Extensions) -> IpAddr {
    req_ext
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

/// Middleware for the phone sign-in endpoints.
pub async fn signin_guard(State(limits): State<Limits>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path == "/api/send_code" || path == "/api/phone_login" {
        let ip = addr_of(req.extensions());
        if limits.signin_addr.check_key(&ip).is_err() {
            let headers: HeaderMap = req.headers().clone();
            return reply::error(&app::error::AppError::RateLimited, &headers, "/login");
        }
    }
    next.run(req).await
}
