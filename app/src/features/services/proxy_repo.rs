//! 代办 in the database. Taking a request is one conditional update (`state = 'requested'`), every
//! later step one conditional on the state it leaves and the proxy who holds it; each step writes
//! its `proxy_steps` row and its audit row in the same transaction, and a satisfied rating writes
//! the proxy's ledger line there too. A resident holds one open request per item (a partial
//! unique index).

use sqlx::AnyPool;

use super::types::{ProxyStep, ProxyView};
use crate::domain::calendar::{light_at, Light};
use crate::domain::identity::mask_name;
use crate::domain::services::{ProxyAction, ProxyState};
use crate::error::AppError;
use crate::ssr::{audit, unique_violation};

/// A request's facts: (requester, item, path, state, proxy).
pub struct ProxyRow {
    pub user_id: i64,
    pub item_id: i64,
    pub path: String,
    pub state: ProxyState,
    pub proxy: Option<i64>,
}

pub async fn get(pool: &AnyPool, id: i64) -> Result<Option<ProxyRow>, AppError> {
    let row: Option<(i64, i64, String, String, Option<i64>)> = sqlx::query_as(
        "SELECT user_id, item_id, unit_path, state, proxy_user_id FROM proxy_requests WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(user_id, item_id, path, state, proxy)| ProxyRow {
        user_id,
        item_id,
        path,
        state: ProxyState::parse(&state).unwrap_or(ProxyState::Withdrawn),
        proxy,
    }))
}

async fn step(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    state: ProxyState,
    by: i64,
    note: &str,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO proxy_steps (request_id, state, by_user, note, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(state.as_str())
    .bind(by)
    .bind(note)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    audit(
        tx,
        Some(by),
        &format!("proxy.{}", state.as_str()),
        &format!("proxy:{id}"),
        note,
    )
    .await
}

/// A resident asks; the deadline is the item's time limit in working days. Err(AlreadyBooked
/// key) when they already have one open for the item.
pub async fn request(
    pool: &AnyPool,
    user: i64,
    item: i64,
    path: &str,
    note: &str,
    limit_days: i64,
    now: i64,
) -> Result<i64, AppError> {
    let cal = crate::features::events::repo::calendar(pool).await?;
    let (due, yellow) = cal.deadline(now, limit_days.max(1) * cal.window_seconds());
    let mut tx = pool.begin().await?;
    let id: i64 = match sqlx::query_scalar(
        "INSERT INTO proxy_requests (item_id, user_id, unit_path, note, state, created_at, \
         yellow_at, due_at) VALUES ($1, $2, $3, $4, 'requested', $5, $6, $7) RETURNING id",
    )
    .bind(item)
    .bind(user)
    .bind(path)
    .bind(note)
    .bind(now)
    .bind(yellow)
    .bind(due)
    .fetch_one(&mut *tx)
    .await
    {
        Ok(id) => id,
        Err(e) if unique_violation(&e) => {
            return Err(AppError::invalid("item_id", "proxy_open"));
        }
        Err(e) => return Err(e.into()),
    };
    step(&mut tx, id, ProxyState::Requested, user, note, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// One step someone takes: `action` moves the request from `from` to `to`.
pub struct Step<'a> {
    pub by: i64,
    /// The actor's role (`Role::as_str`), kept with a take for the points.
    pub role: &'a str,
    pub action: ProxyAction,
    pub from: ProxyState,
    pub to: ProxyState,
    pub note: &'a str,
}

/// Takes the step when the request is still in `from` (and, for a proxy's step, still held by
/// them); false when someone else moved it first.
pub async fn advance(pool: &AnyPool, id: i64, st: &Step<'_>, now: i64) -> Result<bool, AppError> {
    let Step {
        by,
        role,
        action,
        from,
        to,
        note,
    } = *st;
    let mut tx = pool.begin().await?;
    let q = match action {
        ProxyAction::Take => sqlx::query(
            "UPDATE proxy_requests SET state = $1, proxy_user_id = $2, proxy_role = $5 \
             WHERE id = $3 AND state = $4 AND proxy_user_id IS NULL",
        )
        .bind(to.as_str())
        .bind(by)
        .bind(id)
        .bind(from.as_str())
        .bind(role),
        ProxyAction::Advance => sqlx::query(
            "UPDATE proxy_requests SET state = $1, \
             returned_at = CASE WHEN $1 = 'returned' THEN $5 ELSE returned_at END \
             WHERE id = $3 AND state = $4 AND proxy_user_id = $2",
        )
        .bind(to.as_str())
        .bind(by)
        .bind(id)
        .bind(from.as_str())
        .bind(now),
        ProxyAction::Rate(stars) => sqlx::query(
            "UPDATE proxy_requests SET state = $1, stars = $5, rated_at = $6 \
             WHERE id = $3 AND state = $4 AND user_id = $2",
        )
        .bind(to.as_str())
        .bind(by)
        .bind(id)
        .bind(from.as_str())
        .bind(i64::from(stars))
        .bind(now),
        ProxyAction::Withdraw => sqlx::query(
            "UPDATE proxy_requests SET state = $1 WHERE id = $3 AND state = $4 AND user_id = $2",
        )
        .bind(to.as_str())
        .bind(by)
        .bind(id)
        .bind(from.as_str()),
    };
    if q.execute(&mut *tx).await?.rows_affected() != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    step(&mut tx, id, to, by, note, now).await?;
    if matches!(action, ProxyAction::Rate(_)) {
        crate::features::scoring::ledger::score_proxy(&mut tx, id).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Whose requests a list shows.
enum Whose<'a> {
    Requester(i64),
    /// A proxy's: their village's open ones nobody holds, and the ones they hold.
    Proxy(i64, &'a str),
    /// Everything under a unit.
    Under(&'a str),
}

/// The full views of the requests a list shows, newest first.
async fn views(pool: &AnyPool, whose: Whose<'_>, now: i64) -> Result<Vec<ProxyView>, AppError> {
    type Row = (
        i64,
        String,
        String,
        String,
        String,
        Option<i64>,
        String,
        i64,
        i64,
        i64,
        Option<i64>,
    );
    let open = ProxyState::OPEN_SQL;
    let filter = match whose {
        Whose::Requester(_) => "r.user_id = $1".to_string(),
        Whose::Proxy(..) => format!(
            "((r.proxy_user_id IS NULL AND r.state = 'requested' AND r.unit_path LIKE ($2 || '%')) \
             OR (r.proxy_user_id = $1 AND (r.state IN {open} OR r.state = 'returned')))"
        ),
        Whose::Under(_) => "r.unit_path LIKE ($1 || '%')".to_string(),
    };
    let sql = format!(
        "SELECT r.id, i.name_zh, i.name_en, r.note, r.state, r.proxy_user_id, \
         COALESCE(p.display_name, ''), r.created_at, r.yellow_at, r.due_at, r.stars \
         FROM proxy_requests r JOIN service_items i ON i.id = r.item_id \
         LEFT JOIN users p ON p.id = r.proxy_user_id WHERE {filter} \
         ORDER BY r.id DESC LIMIT 50"
    );
    let q = sqlx::query_as::<_, Row>(&sql);
    let q = match whose {
        Whose::Requester(u) => q.bind(u),
        Whose::Proxy(u, village) => q.bind(u).bind(village),
        Whose::Under(path) => q.bind(path),
    };
    let rows = q.fetch_all(pool).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (
        id,
        item_zh,
        item_en,
        note,
        state,
        proxy,
        proxy_name,
        created_at,
        yellow_at,
        due_at,
        stars,
    ) in rows
    {
        let st = ProxyState::parse(&state).unwrap_or(ProxyState::Withdrawn);
        let steps: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT state, note, at FROM proxy_steps WHERE request_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?;
        let light = st
            .is_open()
            .then(|| match light_at(now, yellow_at, due_at) {
                Light::Green => "green",
                Light::Yellow => "yellow",
                Light::Red => "red",
            });
        out.push(ProxyView {
            id,
            item_zh,
            item_en,
            note,
            state,
            proxy_name: proxy.map(|_| mask_name(&proxy_name)),
            proxy_user: proxy,
            created_at,
            due_at,
            light: light.map(str::to_string),
            stars,
            steps: steps
                .into_iter()
                .map(|(state, note, at)| ProxyStep { state, note, at })
                .collect(),
        });
    }
    Ok(out)
}

/// A resident's own requests.
pub async fn mine(pool: &AnyPool, user: i64, now: i64) -> Result<Vec<ProxyView>, AppError> {
    views(pool, Whose::Requester(user), now).await
}

/// A proxy's work in their village.
pub async fn tasks(
    pool: &AnyPool,
    proxy: i64,
    village: &str,
    now: i64,
) -> Result<Vec<ProxyView>, AppError> {
    views(pool, Whose::Proxy(proxy, village), now).await
}

/// The requests under a unit, for the command roles' oversight.
pub async fn under(pool: &AnyPool, path: &str, now: i64) -> Result<Vec<ProxyView>, AppError> {
    views(pool, Whose::Under(path), now).await
}
