//! Rate limits (governor): reports per account and per address, sign-ins and sign-in codes per
//! address, the "already reported nearby?" look-up and meeting check-in codes per session.
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

use crate::http::reply;

#[derive(Clone)]
pub struct Limits {
    pub report_user: Arc<DefaultKeyedRateLimiter<i64>>,
    pub report_addr: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    pub signin_addr: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    pub login_addr: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    pub nearby: Arc<DefaultKeyedRateLimiter<String>>,
    /// Check-in codes are six digits: guessing one must take longer than a meeting lasts.
    pub checkin: Arc<DefaultKeyedRateLimiter<String>>,
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
            // A township office signs its staff in from one address at the start of a shift.
            login_addr: Arc::new(RateLimiter::keyed(per_minute(30, 20))),
            // The report form asks again when the point or category changes.
            nearby: Arc::new(RateLimiter::keyed(per_minute(30, 15))),
            // A member mistypes a code once or twice.
            checkin: Arc::new(RateLimiter::keyed(per_minute(10, 6))),
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
            login_addr: Arc::new(RateLimiter::keyed(q)),
            nearby: Arc::new(RateLimiter::keyed(q)),
            checkin: Arc::new(RateLimiter::keyed(q)),
        }
    }
}

pub fn addr_of(req_ext: &axum::http::Extensions) -> IpAddr {
    req_ext
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

fn session_key(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("lianxin_sid=").map(str::to_owned))
}

/// Middleware for the server functions a stranger can make expensive or use to probe.
pub async fn guard(State(limits): State<Limits>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let ip = addr_of(req.extensions());
    let refused = match path {
        "/api/send_code" | "/api/phone_login" => limits.signin_addr.check_key(&ip).is_err(),
        "/api/login" => limits.login_addr.check_key(&ip).is_err(),
        "/api/nearby_events" => {
            let key = session_key(req.headers()).unwrap_or_else(|| ip.to_string());
            limits.nearby.check_key(&key).is_err()
        }
        "/api/party_check_in" | "/api/volunteer_check_in" => {
            let key = session_key(req.headers()).unwrap_or_else(|| ip.to_string());
            limits.checkin.check_key(&key).is_err()
        }
        _ => false,
    };
    if refused {
        let headers: HeaderMap = req.headers().clone();
        return reply::error(&app::error::AppError::RateLimited, &headers, "/login");
    }
    next.run(req).await
}
