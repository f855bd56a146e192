//! The event catalogue every deployment starts with: six boards of categories with their time
//! limits and responsibility list (权责清单), the public-holiday calendar, and the scoring rules
//! (积分规则) and the room's reply templates. Loaded once, when the tables are empty; after that
//! admins own them.

use anyhow::Context;
use app::domain::scoring::{Source, Subject};
use sqlx::AnyPool;

const CATEGORIES: &str = include_str!("../../../seed/catalog/categories.csv");
const HOLIDAYS: &str = include_str!("../../../seed/catalog/holidays-cn.csv");
const SCORE_RULES: &str = include_str!("../../../seed/scoring/rules.csv");
const REPLIES: &str = include_str!("../../../seed/catalog/replies.csv");
/// Seeded scoring rules apply from this period on, so a demo year of history has rules to use.
const RULES_FROM: &str = "2020-01-01";

#[derive(Debug, serde::Deserialize)]
struct CategoryRow {
    board: String,
    code: String,
    name_zh: String,
    name_en: String,
    limit_kind: String,
    limit_value: i64,
    default_level: String,
    township_department: String,
    county_department: String,
}

#[derive(Debug, serde::Deserialize)]
struct RuleRow {
    code: String,
    subject: String,
    source: String,
    points: i64,
    cap: Option<i64>,
    needs_approval: i64,
    name_zh: String,
    name_en: String,
}

#[derive(Debug, serde::Deserialize)]
struct ReplyRow {
    board: String,
    category_code: String,
    text_zh: String,
    text_en: String,
}

#[derive(Debug, serde::Deserialize)]
struct DayRow {
    day: String,
    kind: String,
    name: String,
}

/// Inserts the seed catalogue where none exists yet, in one transaction.
pub async fn ensure(pool: &AnyPool) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    let have: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM categories")
        .fetch_one(&mut *tx)
        .await?;
    if have == 0 {
        let mut rd = csv::Reader::from_reader(CATEGORIES.as_bytes());
        for row in rd.deserialize::<CategoryRow>() {
            let r = row.context("seed/catalog/categories.csv")?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO categories (board, code, name_zh, name_en, limit_kind, limit_value, default_level)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(&r.board)
            .bind(&r.code)
            .bind(&r.name_zh)
            .bind(&r.name_en)
            .bind(&r.limit_kind)
            .bind(r.limit_value)
            .bind(&r.default_level)
            .fetch_one(&mut *tx)
            .await?;
            for (level, dept) in [
                ("township", &r.township_department),
                ("county", &r.county_department),
            ] {
                sqlx::query(
                    "INSERT INTO responsibilities (category_id, level, department) VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(level)
                .bind(dept)
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    let days: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM calendar_days")
        .fetch_one(&mut *tx)
        .await?;
    if days == 0 {
        let mut rd = csv::Reader::from_reader(HOLIDAYS.as_bytes());
        for row in rd.deserialize::<DayRow>() {
            let r = row.context("seed/catalog/holidays-cn.csv")?;
            sqlx::query("INSERT INTO calendar_days (day, kind, name) VALUES ($1, $2, $3)")
                .bind(&r.day)
                .bind(&r.kind)
                .bind(&r.name)
                .execute(&mut *tx)
                .await?;
        }
    }
    // Rule by rule, so a rule added in a later release reaches databases seeded before it; a
    // code already there (in any version, retired too) is the administrator's to change.
    let mut rd = csv::Reader::from_reader(SCORE_RULES.as_bytes());
    for row in rd.deserialize::<RuleRow>() {
        let r = row.context("seed/scoring/rules.csv")?;
        anyhow::ensure!(
            Subject::parse(&r.subject).is_some() && Source::parse(&r.source).is_some(),
            "seed/scoring/rules.csv: {} has an unknown subject or source",
            r.code
        );
        sqlx::query(
            "INSERT INTO score_rules (code, subject, source, points, cap, needs_approval, \
             effective_from, name_zh, name_en, created_at) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 \
             WHERE NOT EXISTS (SELECT 1 FROM score_rules WHERE code = $1)",
        )
        .bind(&r.code)
        .bind(&r.subject)
        .bind(&r.source)
        .bind(r.points)
        .bind(r.cap)
        .bind(r.needs_approval)
        .bind(RULES_FROM)
        .bind(&r.name_zh)
        .bind(&r.name_en)
        .bind(app::ssr::now())
        .execute(&mut *tx)
        .await?;
    }
    let replies: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reply_templates")
        .fetch_one(&mut *tx)
        .await?;
    if replies == 0 {
        let mut rd = csv::Reader::from_reader(REPLIES.as_bytes());
        for row in rd.deserialize::<ReplyRow>() {
            let r = row.context("seed/catalog/replies.csv")?;
            sqlx::query(
                "INSERT INTO reply_templates (board, category_code, text_zh, text_en) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(&r.board)
            .bind(Some(r.category_code.trim()).filter(|c| !c.is_empty()))
            .bind(&r.text_zh)
            .bind(&r.text_en)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
