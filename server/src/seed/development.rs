//! Demo member development: up to two applicants per branch, started in the last three years
//! and walked through the 25 steps on days the rules allow (`development::check_step` decides
//! every step), some stopped short and a few left past a deadline, so the county's list shows
//! every standing and something overdue.

use app::domain::calendar::{format_date, local_date};
use app::domain::party::development::{
    check_step, earliest, next_step, standing, Done, Needs, StepInput, Votes,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::AnyPool;
use time::Duration;

use crate::geo::import::progress;

/// Returns (applicants, steps) written.
pub async fn seed_development(
    pool: &AnyPool,
    county: &str,
    end: i64,
    seed: u64,
    quiet: bool,
) -> anyhow::Result<(usize, usize)> {
    let county_path = crate::seed::county_path(pool, county).await?;
    let branches: Vec<(i64, String)> = sqlx::query_as(
        "SELECT b.id, o.path FROM party_branches b JOIN org_units o ON o.id = b.org_unit_id \
         WHERE o.path LIKE ($1 || '%') ORDER BY b.id",
    )
    .bind(&county_path)
    .fetch_all(pool)
    .await?;
    let sponsors: Vec<(i64, i64)> =
        sqlx::query_as("SELECT branch_id, id FROM party_members ORDER BY id")
            .fetch_all(pool)
            .await?;
    let today = local_date(end);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let pb = progress(branches.len() as u64, "applicants", quiet);
    let (mut people, mut steps) = (0, 0);
    let mut tx = pool.begin().await?;
    for (branch, path) in &branches {
        let mine: Vec<i64> = sponsors
            .iter()
            .filter(|s| s.0 == *branch)
            .map(|s| s.1)
            .collect();
        for _ in 0..rng.gen_range(0..=2) {
            let start = today - Duration::days(rng.gen_range(20..1100));
            let birth = start - Duration::days(365 * rng.gen_range(19..40));
            // How far this applicant has come: all the way, or stopped at some step.
            let stop: u8 = if rng.gen_bool(0.2) {
                25
            } else {
                rng.gen_range(1..25)
            };
            let mut done: Vec<Done> = Vec::new();
            let mut rows = Vec::new();
            let mut day = start;
            while let Some(s) = next_step(&done) {
                if s.no > stop {
                    break;
                }
                if let Some(e) = earliest(&done, s) {
                    day = day.max(e);
                }
                if s.no > 1 {
                    day += Duration::days(rng.gen_range(3..40));
                }
                let input = match s.needs {
                    Needs::Nothing => StepInput::default(),
                    Needs::Document => StepInput {
                        document: format!("（演示）第{}步材料", s.no),
                        ..Default::default()
                    },
                    Needs::Sponsors => StepInput {
                        sponsors: mine.iter().take(2).copied().collect(),
                        ..Default::default()
                    },
                    Needs::Vote => {
                        let entitled = (mine.len() as u32).max(3);
                        let present = entitled * 4 / 5 + 1;
                        StepInput {
                            votes: Some(Votes {
                                entitled,
                                present: present.min(entitled),
                                yes: present.min(entitled),
                            }),
                            ..Default::default()
                        }
                    }
                };
                if check_step(&done, s.no, day, today, s.taker, birth, &input).is_err() {
                    break;
                }
                done.push(Done { no: s.no, on: day });
                rows.push((s.no, day, input));
            }
            if done.is_empty() {
                continue;
            }
            let last = done[done.len() - 1];
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO applicants (branch_id, unit_path, name, gender, birth_date, last_step, \
                 last_on, standing, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(branch)
            .bind(path)
            .bind(crate::seed::texts::person(&mut rng).0)
            .bind(if rng.gen_bool(0.5) { "male" } else { "female" })
            .bind(format_date(birth))
            .bind(i64::from(last.no))
            .bind(format_date(last.on))
            .bind(standing(&done).as_str())
            .bind(end)
            .fetch_one(&mut *tx)
            .await?;
            for (no, on, input) in rows {
                sqlx::query(
                    "INSERT INTO applicant_steps (applicant_id, step, on_day, document, sponsors, votes, at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(id)
                .bind(i64::from(no))
                .bind(format_date(on))
                .bind(&input.document)
                .bind(
                    input
                        .sponsors
                        .iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>()
                        .join(","),
                )
                .bind(input.votes.map(|v| v.encode()).unwrap_or_default())
                .bind(end)
                .execute(&mut *tx)
                .await?;
                steps += 1;
            }
            people += 1;
        }
        pb.inc(1);
    }
    tx.commit().await?;
    pb.finish_and_clear();
    Ok((people, steps))
}
