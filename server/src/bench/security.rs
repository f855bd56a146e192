//! `server bench` (security): 300 sign-ins at once for names that do not exist, as a stranger
//! without an account can send them. Prints the process's resident memory (before, peak, after)
//! and the latency and answers of the sign-ins: once from one address (the per-address limit
//! answers), once as from many addresses (only the hashing gate stands between them and memory).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::AnyPool;

use super::rss_kib;

use crate::http::limits::Limits;

pub async fn run(pool: &AnyPool, sign_ins: usize) -> anyhow::Result<()> {
    for (what, limits) in [
        ("one address", Limits::default()),
        ("many addresses (no address limit)", Limits::unlimited()),
    ] {
        let lb = super::loopback_with(pool, limits).await?;
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .timeout(Duration::from_secs(60))
            .build()?;
        let before = rss_kib();
        let peak = Arc::new(AtomicU64::new(before));
        let done = Arc::new(AtomicBool::new(false));
        let sampler = {
            let (peak, done) = (peak.clone(), done.clone());
            tokio::spawn(async move {
                while !done.load(Ordering::Relaxed) {
                    peak.fetch_max(rss_kib(), Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            })
        };
        let t0 = Instant::now();
        let tasks: Vec<_> = (0..sign_ins)
            .map(|i| {
                let (http, base) = (http.clone(), lb.base.clone());
                tokio::spawn(async move {
                    let t = Instant::now();
                    let status = http
                        .post(format!("{base}/api/login"))
                        .header("Accept", "application/json")
                        .form(&[
                            ("username", format!("stranger{i}")),
                            ("password", "guess".to_string()),
                        ])
                        .send()
                        .await
                        .map(|r| r.status().as_u16())
                        .unwrap_or(0);
                    (status, t.elapsed().as_secs_f64() * 1000.0)
                })
            })
            .collect();
        let mut answers = std::collections::BTreeMap::<u16, usize>::new();
        let mut ms = Vec::new();
        for t in tasks {
            let (status, m) = t.await?;
            *answers.entry(status).or_default() += 1;
            ms.push(m);
        }
        let total = t0.elapsed().as_secs_f64();
        done.store(true, Ordering::Relaxed);
        sampler.await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let after = rss_kib();
        ms.sort_by(f64::total_cmp);
        let p = |q| super::percentile(&ms, q);
        let answers: Vec<String> = answers.iter().map(|(s, n)| format!("{s}×{n}")).collect();
        println!(
            "[security] {sign_ins} sign-ins at once for unknown names, {what}: resident memory \
             {:.0} MiB before, {:.0} MiB peak, {:.0} MiB after; latency p50 {:.0} ms, p95 {:.0} ms, \
             max {:.0} ms; all answered in {total:.1} s; answers {}",
            before as f64 / 1024.0,
            peak.load(Ordering::Relaxed) as f64 / 1024.0,
            after as f64 / 1024.0,
            p(0.5),
            p(0.95),
            p(1.0),
            answers.join(", ")
        );
        lb.server.abort();
    }
    Ok(())
}
