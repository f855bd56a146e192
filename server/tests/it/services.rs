//! Resident services in the store, on both databases: the last places of a slot under many
//! requests at once, a resident's limit of bookings under their own parallel requests, changes
//! and cancellations that never leave a counter wrong, and the catalogue's path filter checked
//! against the domain's rule.

use app::domain::org::path_within;
use app::domain::services::{Refusal, MAX_ACTIVE_BOOKINGS};
use app::features::services::repo;

use crate::common::{residents, TestDb};

async fn seeded(db: &TestDb) {
    server::seed::services::seed_services(&db.pool, "330825", app::ssr::now())
        .await
        .unwrap();
}

/// The first bookable slot of resident1's township centre: (slot, item).
async fn a_slot(db: &TestDb) -> (i64, i64) {
    sqlx::query_as(
        "SELECT s.id, s.item_id FROM service_slots s JOIN service_points p ON p.id = s.point_id \
         JOIN org_units t ON t.id = p.org_unit_id WHERE t.level = 'township' \
         ORDER BY s.starts_at, s.id LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
}

async fn scalar(db: &TestDb, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn fifty_residents_race_for_five_places_and_five_get_one() {
    for db in TestDb::seeded_both().await {
        seeded(&db).await;
        let (slot, item) = a_slot(&db).await;
        sqlx::query("UPDATE service_slots SET capacity = 5, booked = 0 WHERE id = $1")
            .bind(slot)
            .execute(&db.pool)
            .await
            .unwrap();
        let users = residents(&db, "race", "居民", 50).await;
        let now = app::ssr::now();
        let tasks: Vec<_> = users
            .iter()
            .map(|&u| {
                let pool = db.pool.clone();
                tokio::spawn(async move { repo::book(&pool, u, slot, item, now).await.unwrap() })
            })
            .collect();
        let mut won = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => won += 1,
                Err(r) => assert_eq!(r, Refusal::Full),
            }
        }
        assert_eq!(won, 5, "{:?}", db.backend);
        assert_eq!(
            scalar(&db, "SELECT booked FROM service_slots WHERE id = $1", slot).await,
            5
        );
        assert_eq!(
            scalar(
                &db,
                "SELECT CAST(COUNT(*) AS BIGINT) FROM service_bookings WHERE slot_id = $1 AND state = 'booked'",
                slot
            )
            .await,
            5
        );
        assert_eq!(
            scalar(
                &db,
                "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'service.book' \
                 AND detail = 'slot:' || CAST($1 AS TEXT)",
                slot
            )
            .await,
            5,
            "one audit row per place given, none for a refusal"
        );
        db.drop_db().await;
    }
}

#[tokio::test]
async fn one_residents_parallel_requests_hold_one_place_per_item_and_three_in_all() {
    for db in TestDb::seeded_both().await {
        seeded(&db).await;
        let (slot, item) = a_slot(&db).await;
        let me = residents(&db, "eager", "居民", 1).await[0];
        let now = app::ssr::now();
        // A double tap, twenty times over: one booking.
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let pool = db.pool.clone();
                tokio::spawn(async move { repo::book(&pool, me, slot, item, now).await.unwrap() })
            })
            .collect();
        let mut won = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => won += 1,
                Err(r) => assert_eq!(r, Refusal::AlreadyBooked),
            }
        }
        assert_eq!(won, 1);
        assert_eq!(
            scalar(&db, "SELECT booked FROM service_slots WHERE id = $1", slot).await,
            1
        );
        // Ten other items with a slot each, all asked for at once: the limit holds.
        let (point, path): (i64, String) = sqlx::query_as(
            "SELECT p.id, p.unit_path FROM service_slots s JOIN service_points p ON p.id = s.point_id \
             WHERE s.id = $1",
        )
        .bind(slot)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let mut slots = Vec::new();
        for i in 0..10 {
            let item: i64 = sqlx::query_scalar(
                "INSERT INTO service_items (unit_path, name_zh, name_en, label, materials, department, \
                 time_limit_days) VALUES ($1, $2, $2, 'one_visit', '', '', 1) RETURNING id",
            )
            .bind(&path)
            .bind(format!("测试事项{i}"))
            .fetch_one(&db.pool)
            .await
            .unwrap();
            let s = repo::add_slot(
                &db.pool,
                me,
                point,
                item,
                now + 86_400,
                now + 90_000,
                5,
                now,
            )
            .await
            .unwrap();
            slots.push((s, item));
        }
        let tasks: Vec<_> = slots
            .iter()
            .map(|&(s, i)| {
                let pool = db.pool.clone();
                tokio::spawn(async move { repo::book(&pool, me, s, i, now).await.unwrap() })
            })
            .collect();
        let mut more = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => more += 1,
                Err(r) => assert_eq!(r, Refusal::TooMany),
            }
        }
        assert_eq!(1 + more, MAX_ACTIVE_BOOKINGS as i64, "{:?}", db.backend);
        assert_eq!(
            scalar(
                &db,
                "SELECT active FROM service_holders WHERE user_id = $1",
                me
            )
            .await,
            MAX_ACTIVE_BOOKINGS as i64
        );
        let placed: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(booked), 0) AS BIGINT) FROM service_slots",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(
            placed, MAX_ACTIVE_BOOKINGS as i64,
            "a refused request leaves no place taken"
        );
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_change_takes_the_new_place_first_and_a_cancel_gives_it_back() {
    for db in TestDb::seeded_both().await {
        seeded(&db).await;
        let (a, item) = a_slot(&db).await;
        let others: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM service_slots WHERE item_id = $1 AND id <> $2 AND point_id = \
             (SELECT point_id FROM service_slots WHERE id = $2) ORDER BY starts_at LIMIT 2",
        )
        .bind(item)
        .bind(a)
        .fetch_all(&db.pool)
        .await
        .unwrap();
        let (full, roomy) = (others[0], others[1]);
        sqlx::query("UPDATE service_slots SET capacity = 1, booked = 1 WHERE id = $1")
            .bind(full)
            .execute(&db.pool)
            .await
            .unwrap();
        let me = residents(&db, "mover", "居民", 1).await[0];
        let now = app::ssr::now();
        let id = repo::book(&db.pool, me, a, item, now)
            .await
            .unwrap()
            .unwrap();
        let booked = |s: i64| {
            let db = &db;
            async move { scalar(db, "SELECT booked FROM service_slots WHERE id = $1", s).await }
        };
        let before_a = booked(a).await;
        // Moving to a full slot: refused, and the booking stays where it was.
        assert_eq!(
            repo::change(&db.pool, me, id, full, now).await.unwrap(),
            Err(Refusal::Full)
        );
        assert_eq!(booked(a).await, before_a);
        assert_eq!(booked(full).await, 1);
        // Moving to one with room: the place moves.
        let before_roomy = booked(roomy).await;
        repo::change(&db.pool, me, id, roomy, now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(booked(a).await, before_a - 1);
        assert_eq!(booked(roomy).await, before_roomy + 1);
        // Cancelled: given back, and the resident holds nothing.
        repo::cancel(&db.pool, me, id, now).await.unwrap().unwrap();
        assert_eq!(booked(roomy).await, before_roomy);
        assert_eq!(
            scalar(
                &db,
                "SELECT active FROM service_holders WHERE user_id = $1",
                me
            )
            .await,
            0
        );
        assert_eq!(
            repo::cancel(&db.pool, me, id, now).await.unwrap(),
            Err(Refusal::NotActive)
        );
        // Someone else's booking does not exist for them.
        let other = residents(&db, "other", "居民", 1).await[0];
        assert!(matches!(
            repo::cancel(&db.pool, other, id, now).await,
            Err(app::error::AppError::NotFound)
        ));
        // Once the slot has begun it can be neither booked nor left.
        let id2 = repo::book(&db.pool, me, roomy, item, now)
            .await
            .unwrap()
            .unwrap();
        let later = now + 30 * 86_400;
        assert_eq!(
            repo::cancel(&db.pool, me, id2, later).await.unwrap(),
            Err(Refusal::Started)
        );
        assert_eq!(
            repo::book(&db.pool, other, roomy, item, later)
                .await
                .unwrap(),
            Err(Refusal::Started)
        );
        db.drop_db().await;
    }
}

/// Residents on slot X moving to Y while as many on Y move to X, all at once, several rounds:
/// nobody waits on anybody for ever (PostgreSQL would report a deadlock) and the counters end
/// equal to the bookings.
#[tokio::test]
async fn residents_swapping_two_slots_at_once_never_deadlock() {
    for db in TestDb::seeded_both().await {
        seeded(&db).await;
        let (x, item) = a_slot(&db).await;
        let y: i64 = sqlx::query_scalar(
            "SELECT id FROM service_slots WHERE item_id = $1 AND id <> $2 AND point_id = \
             (SELECT point_id FROM service_slots WHERE id = $2) ORDER BY starts_at LIMIT 1",
        )
        .bind(item)
        .bind(x)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        sqlx::query("UPDATE service_slots SET capacity = 100, booked = 0 WHERE id IN ($1, $2)")
            .bind(x)
            .bind(y)
            .execute(&db.pool)
            .await
            .unwrap();
        let users = residents(&db, "swap", "居民", 20).await;
        let now = app::ssr::now();
        let mut held = Vec::new();
        for (i, &u) in users.iter().enumerate() {
            let slot = if i % 2 == 0 { x } else { y };
            let id = repo::book(&db.pool, u, slot, item, now)
                .await
                .unwrap()
                .unwrap();
            held.push((u, id, slot));
        }
        for _round in 0..4 {
            let tasks: Vec<_> = held
                .iter()
                .map(|&(u, id, slot)| {
                    let pool = db.pool.clone();
                    let to = if slot == x { y } else { x };
                    tokio::spawn(async move {
                        repo::change(&pool, u, id, to, now).await.map(|r| (r, to))
                    })
                })
                .collect();
            for (k, t) in tasks.into_iter().enumerate() {
                let (r, to) = t
                    .await
                    .unwrap()
                    .unwrap_or_else(|e| panic!("{:?}: a change failed: {e:?}", db.backend));
                r.unwrap();
                held[k].2 = to;
            }
        }
        for s in [x, y] {
            let bookings = scalar(
                &db,
                "SELECT CAST(COUNT(*) AS BIGINT) FROM service_bookings WHERE slot_id = $1 AND state = 'booked'",
                s,
            )
            .await;
            assert_eq!(
                scalar(&db, "SELECT booked FROM service_slots WHERE id = $1", s).await,
                bookings
            );
            assert_eq!(bookings, 10);
        }
        db.drop_db().await;
    }
}

/// The catalogue's SQL filter (items listed by a unit on the caller's path) against the
/// domain's path rule, for every unit of the county.
#[tokio::test]
async fn the_catalogue_filter_matches_the_path_rule() {
    let db = TestDb::seeded_sqlite().await;
    seeded(&db).await;
    let town: String = sqlx::query_scalar(
        "SELECT path FROM org_units WHERE level = 'township' ORDER BY path LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO service_items (unit_path, name_zh, name_en, label, materials, department, \
         time_limit_days) VALUES ($1, '乡镇事项', 'Township item', 'one_visit', '', '', 1)",
    )
    .bind(&town)
    .execute(&db.pool)
    .await
    .unwrap();
    let items: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, unit_path FROM service_items ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    let units: Vec<String> =
        sqlx::query_scalar("SELECT path FROM org_units ORDER BY path LIMIT 400")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    let mut township_seen = 0;
    for path in &units {
        let listed: Vec<i64> = repo::items_for(&db.pool, path)
            .await
            .unwrap()
            .into_iter()
            .map(|i| i.0)
            .collect();
        let want: Vec<i64> = items
            .iter()
            .filter(|(_, p)| path_within(path, p))
            .map(|(id, _)| *id)
            .collect();
        assert_eq!(listed, want, "{path}");
        township_seen += (listed.len() == 6) as usize;
    }
    assert!(township_seen > 0, "some unit lies below the township");
    db.drop_db().await;
}

/// The day-before reminder, as the background pass sends it: the bookings it marks are exactly
/// those `reminder_due` names, each once; a booking moved to another slot is reminded again.
#[tokio::test]
async fn the_day_before_reminder_goes_to_the_bookings_due_and_only_once() {
    use app::domain::services::reminder_due;
    for db in TestDb::seeded_both().await {
        seeded(&db).await;
        let (_, item) = a_slot(&db).await;
        let slots: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT id, starts_at FROM service_slots WHERE item_id = $1 ORDER BY starts_at, id",
        )
        .bind(item)
        .fetch_all(&db.pool)
        .await
        .unwrap();
        // One slot per start time, so the moment below falls between some of them.
        let mut spread = slots.clone();
        spread.dedup_by_key(|s| s.1);
        let users = residents(&db, "remind", "居民", spread.len().min(12)).await;
        let before = app::ssr::now();
        let mut held = Vec::new();
        for (u, (slot, starts)) in users.iter().zip(&spread) {
            if let Ok(id) = repo::book(&db.pool, *u, *slot, item, before).await.unwrap() {
                held.push((id, *u, *starts));
            }
        }
        assert!(held.len() >= 4, "enough bookings to tell apart");
        // A moment at which some slots are within a day and some are not.
        let now = held[held.len() / 2].2 - 3600;
        let quiet: std::sync::Arc<dyn Fn(i64) + Send + Sync> = std::sync::Arc::new(|_| {});
        let n = server::jobs::tick(&db.pool, &quiet, now)
            .await
            .unwrap()
            .booking_reminders;
        let mut due = 0;
        for (id, _, starts) in &held {
            let marked = scalar(
                &db,
                "SELECT CAST(CASE WHEN reminded_at IS NULL THEN 0 ELSE 1 END AS BIGINT) \
                 FROM service_bookings WHERE id = $1",
                *id,
            )
            .await;
            assert_eq!(
                marked == 1,
                reminder_due(*starts, now),
                "{:?} booking {id}",
                db.backend
            );
            due += usize::from(reminder_due(*starts, now));
        }
        assert!(
            due > 0 && due < held.len(),
            "the moment splits the bookings"
        );
        assert_eq!(n as usize, due);
        assert_eq!(repo::remind_due(&db.pool, now).await.unwrap(), 0, "once");
        let &(id, u, _) = held.iter().find(|h| reminder_due(h.2, now)).unwrap();
        let shown = |mine: Vec<app::features::services::types::MyBooking>| {
            mine.into_iter().find(|b| b.id == id).unwrap().reminded
        };
        assert!(shown(repo::my_bookings(&db.pool, u, now).await.unwrap()));
        // Moved to a slot a week on: not reminded until that one is a day away.
        let last = slots.last().unwrap().0;
        repo::change(&db.pool, u, id, last, now)
            .await
            .unwrap()
            .unwrap();
        assert!(!shown(repo::my_bookings(&db.pool, u, now).await.unwrap()));
        db.drop_db().await;
    }
}
