//! `server bench` (screens): push latency from a committed report to 200 connected screens over
//! real SSE on loopback, and the process's resident memory before and while they are connected.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use sqlx::AnyPool;

use super::rss_kib;

async fn login(http: &reqwest::Client, base: &str, user: &str) -> anyhow::Result<String> {
    let r = http
        .post(format!("{base}/api/login"))
        .header("Accept", "application/json")
        .form(&[("username", user), ("password", "bench-password")])
        .send()
        .await?;
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("lianxin_sid="))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
        .context("login gave no session")
}

fn version_of(frame: &str) -> Option<u64> {
    let i = frame.find("\"to\":")? + 5;
    frame[i..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect::<String>()
        .parse()
        .ok()
}

pub async fn run(
    pool: &AnyPool,
    label: &str,
    clients: usize,
    changes: usize,
) -> anyhow::Result<()> {
    let lb = super::loopback(pool).await?;
    let base = lb.base.clone();
    let server = &lb.server;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()?;
    let screen_cookie = login(&http, &base, "county").await?;
    let resident = login(&http, &base, "resident1").await?;
    let rss_before = rss_kib();
    // (client, patch version, when it arrived)
    let got: Arc<Mutex<Vec<(usize, u64, Instant)>>> = Arc::new(Mutex::new(Vec::new()));
    let ready = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for c in 0..clients {
        let req = http
            .get(format!("{base}/screen/live"))
            .header("Accept", "text/event-stream")
            .header("Cookie", screen_cookie.clone());
        let got = got.clone();
        let ready = ready.clone();
        tasks.push(tokio::spawn(async move {
            let Ok(mut res) = req.send().await else {
                return;
            };
            let mut buf = String::new();
            while let Ok(Some(chunk)) = res.chunk().await {
                buf.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(pos) = buf.find("\n\n") {
                    let frame: String = buf.drain(..pos + 2).collect();
                    if frame.contains("event: snapshot") {
                        ready.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    } else if frame.contains("event: patch") {
                        if let (Some(v), Ok(mut g)) = (version_of(&frame), got.lock()) {
                            g.push((c, v, Instant::now()));
                        }
                    }
                }
            }
        }));
    }
    let t = Instant::now();
    while ready.load(std::sync::atomic::Ordering::SeqCst) < clients {
        anyhow::ensure!(
            t.elapsed() < Duration::from_secs(60),
            "screens did not connect"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let connect_secs = t.elapsed().as_secs_f64();
    let rss_with = rss_kib();
    let category: i64 = sqlx::query_scalar("SELECT id FROM categories WHERE code = 'L02'")
        .fetch_one(pool)
        .await?;
    let mut latencies = Vec::new();
    let mut missed = 0;
    for i in 0..changes {
        let seen = got.lock().map(|g| g.len()).unwrap_or(0);
        let form = reqwest::multipart::Form::new()
            .text("idem_key", format!("screen-bench-{i}"))
            .text("channel", "mailbox")
            .text("category", category.to_string())
            .text("description", format!("大屏压测 {i}"));
        let r = http
            .post(format!("{base}/report"))
            .header("Accept", "application/json")
            .header("Cookie", resident.clone())
            .multipart(form)
            .send()
            .await?;
        let committed = Instant::now();
        anyhow::ensure!(r.status().as_u16() == 201, "report failed: {}", r.status());
        // Wait until every screen has a patch after this commit (or three seconds).
        let deadline = committed + Duration::from_secs(3);
        loop {
            let done = got
                .lock()
                .map(|g| {
                    let mut who: Vec<usize> = g[seen..].iter().map(|x| x.0).collect();
                    who.sort_unstable();
                    who.dedup();
                    who.len()
                })
                .unwrap_or(0);
            if done >= clients || Instant::now() > deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let mut first: std::collections::HashMap<usize, Instant> = Default::default();
        {
            let g = got.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
            for (c, _, at) in &g[seen..] {
                first.entry(*c).or_insert(*at);
            }
        }
        missed += clients - first.len();
        latencies.extend(
            first
                .values()
                .map(|at| at.saturating_duration_since(committed).as_secs_f64() * 1000.0),
        );
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
    for t in &tasks {
        t.abort();
    }
    server.abort();
    latencies.sort_by(f64::total_cmp);
    println!(
        "[{label}] screens: {clients} SSE clients connected in {connect_secs:.2} s; \
         {changes} reports → patch latency p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms ({} patches, {missed} missed)",
        super::percentile(&latencies, 0.5),
        super::percentile(&latencies, 0.95),
        latencies.last().copied().unwrap_or(0.0),
        latencies.len()
    );
    println!(
        "[{label}] screens: server process RSS {:.1} MiB before, {:.1} MiB with {clients} screens \
         connected (+{:.1} KiB each; the clients run in the same process)",
        rss_before as f64 / 1024.0,
        rss_with as f64 / 1024.0,
        (rss_with.saturating_sub(rss_before)) as f64 / clients as f64
    );
    Ok(())
}
