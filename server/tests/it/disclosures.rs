//! 三务公开 on both databases, through the real router: a village puts up its finances with
//! a photo and a PDF, a resident reads the table and asks, the cadre answers; a table whose
//! totals are off, a file that is not a PDF and a second month's disclosure are refused with
//! nothing written and no file left behind; someone of another township finds nothing; one
//! resident's parallel questions never pass the limit; the on-time view follows the due day.

use app::domain::disclosures::{Kind, Month1, MAX_OPEN_QUESTIONS};
use app::features::disclosures::repo::{self, NewDisclosure};

use crate::common::http::{json, signed_in, Client, Part};
use crate::common::{jpeg, residents, TestDb};

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".to_vec()
}

fn this_month() -> String {
    Month1::of(app::domain::calendar::local_date(app::ssr::now())).as_string()
}

/// A finance disclosure as the form sends it: text first, then the files.
fn finance_form(
    period: &str,
    expense_total: &str,
    files: Vec<Part<'static>>,
) -> Vec<Part<'static>> {
    let mut parts = vec![
        Part::Text("kind", "finance".into()),
        Part::Text("period", period.into()),
        Part::Text("title", "十一月财务收支".into()),
        Part::Text("body", "".into()),
    ];
    for (item, inc, exp) in [
        ("上级拨款", "50000", ""),
        ("道路维修", "", "12000.50"),
        ("", "", ""),
    ] {
        parts.push(Part::Text("item", item.into()));
        parts.push(Part::Text("income", inc.into()));
        parts.push(Part::Text("expense", exp.into()));
    }
    parts.push(Part::Text("income_total", "50,000".into()));
    parts.push(Part::Text("expense_total", expense_total.into()));
    parts.extend(files);
    parts
}

async fn count(db: &TestDb, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}"))
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

/// Files under the upload folder, pending notes aside.
fn stored_files(dir: &std::path::Path) -> usize {
    fn walk(p: &std::path::Path, n: &mut usize) {
        if let Ok(rd) = std::fs::read_dir(p) {
            for e in rd.flatten() {
                let path = e.path();
                if path.is_dir() {
                    if !path.ends_with("pending") {
                        walk(&path, n);
                    }
                } else {
                    *n += 1;
                }
            }
        }
    }
    let mut n = 0;
    walk(&dir.join("photos"), &mut n);
    n
}

/// A resident account in a village of another township, signed in.
async fn stranger(db: &TestDb, app: &axum::Router) -> Client {
    let grid: i64 = sqlx::query_scalar(
        "SELECT g.id FROM org_units g WHERE g.level = 'grid' AND g.path NOT LIKE \
         (SELECT t.path FROM users u JOIN org_units x ON x.id = u.org_unit_id \
          JOIN org_units t ON x.path LIKE (t.path || '%') AND t.level = 'township' \
          WHERE u.username = 'resident1') || '%' ORDER BY g.id LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO users (username, password_hash, display_name, role, org_unit_id, created_at) \
         SELECT 'faraway', password_hash, '外镇居民', 'resident', $1, 0 FROM users \
         WHERE username = 'resident1'",
    )
    .bind(grid)
    .execute(&db.pool)
    .await
    .unwrap();
    signed_in(app, "faraway").await
}

#[tokio::test]
async fn a_financial_disclosure_from_the_form_to_a_residents_answered_question() {
    for db in TestDb::seeded_both().await {
        let cfg = crate::common::http::config();
        let dir = cfg.data_dir.clone();
        let app = server::http::router(db.pool.clone(), &cfg);
        let mut cadre = signed_in(&app, "village1").await;
        let mut grid = signed_in(&app, "grid1").await;
        let mut r1 = signed_in(&app, "resident1").await;
        let mut r2 = signed_in(&app, "resident2").await;
        let mut far = stranger(&db, &app).await;
        let month = this_month();
        let files = || {
            vec![
                Part::File("photo", "a.jpg", jpeg(640, 480)),
                Part::File("pdf", "a.pdf", pdf()),
            ]
        };
        // Totals that are not the sums: refused, nothing written, no file left.
        let r = cadre
            .multipart(
                "/open/publish",
                &finance_form(&month, "12000", files()),
                true,
            )
            .await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        assert!(r.body.contains("totals_differ"), "{}", r.body);
        assert!(
            serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["message"]
                .as_str()
                .unwrap()
                .contains("合计"),
            "{}",
            r.body
        );
        // A "PDF" that is a web page: refused by its content.
        let mut fake = finance_form(&month, "12000.50", vec![]);
        fake.push(Part::File("photo", "a.jpg", jpeg(320, 240)));
        fake.push(Part::File(
            "pdf",
            "a.pdf",
            b"<html><script>alert(1)</script></html>".to_vec(),
        ));
        let r = cadre.multipart("/open/publish", &fake, true).await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        assert!(r.body.contains("not_pdf"), "{}", r.body);
        // A grid worker does not publish, and is refused before any file is read.
        let r = grid
            .multipart(
                "/open/publish",
                &finance_form(&month, "12000.50", files()),
                true,
            )
            .await;
        assert_eq!(r.status.as_u16(), 403, "{}", r.body);
        assert_eq!(
            count(
                &db,
                &format!("disclosures WHERE period = '{month}' AND kind = 'finance'")
            )
            .await,
            0,
            "{:?}: nothing written",
            db.backend
        );
        assert_eq!(
            stored_files(&dir),
            0,
            "{:?}: no file left behind",
            db.backend
        );
        let audits = count(&db, "audit_log WHERE action = 'disclosure.publish'").await;

        let r = cadre
            .multipart(
                "/open/publish",
                &finance_form(&month, "12,000.5", files()),
                true,
            )
            .await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let id: i64 = r.body.parse().unwrap();
        assert_eq!(
            count(&db, "audit_log WHERE action = 'disclosure.publish'").await,
            audits + 1
        );
        // The same month again: refused.
        let r = cadre
            .multipart(
                "/open/publish",
                &finance_form(&month, "12000.50", vec![]),
                true,
            )
            .await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        assert!(r.body.contains("already_published"), "{}", r.body);

        // The resident reads it on the phone: the table, its totals, the photo and the PDF.
        let d = json(&r1.call("open_disclosure", &format!("id={id}")).await);
        assert_eq!(d["lines"].as_array().unwrap().len(), 2, "{d}");
        assert_eq!(d["income_fen"], 5_000_000);
        assert_eq!(d["expense_fen"], 1_200_050);
        assert_eq!(d["may_ask"], true);
        let photo = d["photos"][0].as_i64().unwrap();
        let file = d["pdf"].as_i64().unwrap();
        let got = r1.get(&format!("/open/files/{file}")).await;
        assert_eq!(got.status.as_u16(), 200);
        assert_eq!(got.content_type.as_deref(), Some("application/pdf"));
        assert_eq!(got.bytes, pdf());
        let got = r1.get(&format!("/open/files/{photo}?size=thumb")).await;
        assert_eq!(got.content_type.as_deref(), Some("image/jpeg"));
        let home = json(&r1.call("open_home", "").await);
        assert!(
            home["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["id"] == id),
            "{home}"
        );
        // Someone of another township: not found, the list does not show it, nor its files.
        assert_eq!(
            far.call("open_disclosure", &format!("id={id}"))
                .await
                .status
                .as_u16(),
            404
        );
        assert_eq!(
            far.get(&format!("/open/files/{file}"))
                .await
                .status
                .as_u16(),
            404
        );
        let home = json(&far.call("open_home", "").await);
        assert!(!home["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == id));

        // A question: its asker sees it, the neighbour not until it is answered.
        let r = r1
            .call("open_ask", &format!("id={id}&question=道路维修是哪一段？"))
            .await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let qid: i64 = r.body.parse().unwrap();
        let mine = json(&r1.call("open_disclosure", &format!("id={id}")).await);
        assert_eq!(mine["questions"][0]["mine"], true);
        let theirs = json(&r2.call("open_disclosure", &format!("id={id}")).await);
        assert!(
            theirs["questions"].as_array().unwrap().is_empty(),
            "{theirs}"
        );
        let desk = json(&cadre.call("open_desk", "").await);
        assert!(
            desk["waiting"]
                .as_array()
                .unwrap()
                .iter()
                .any(|w| w[2]["id"] == qid),
            "{desk}"
        );
        // The grid worker reads but does not answer; the cadre answers once.
        assert_eq!(
            grid.call("open_answer", &format!("question_id={qid}&answer=x"))
                .await
                .status
                .as_u16(),
            403
        );
        let r = cadre
            .call(
                "open_answer",
                &format!("question_id={qid}&answer=村口到小学一段"),
            )
            .await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let r = cadre
            .call("open_answer", &format!("question_id={qid}&answer=again"))
            .await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        let theirs = json(&r2.call("open_disclosure", &format!("id={id}")).await);
        assert_eq!(
            theirs["questions"][0]["answer"], "村口到小学一段",
            "{theirs}"
        );
        assert_eq!(theirs["questions"][0]["mine"], false);
        assert!(
            !theirs["questions"][0]["asker"]
                .as_str()
                .unwrap()
                .contains("居民"),
            "masked"
        );
        let _ = std::fs::remove_dir_all(&dir);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn one_residents_parallel_questions_never_pass_the_limit() {
    for db in TestDb::seeded_both().await {
        let (vid, vpath): (i64, String) = sqlx::query_as(
            "SELECT v.id, v.path FROM users u JOIN org_units g ON g.id = u.org_unit_id \
             JOIN org_units v ON v.id = g.parent_id WHERE u.username = 'resident1'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let now = app::ssr::now();
        let id = repo::publish(
            &db.pool,
            1,
            &NewDisclosure {
                unit_id: vid,
                unit_path: &vpath,
                kind: Kind::Notice,
                period: &this_month(),
                title: "通知",
                body: "内容",
                table: None,
                day: "2026-12-01",
            },
            &[],
            None,
            now,
        )
        .await
        .unwrap()
        .unwrap();
        let me = residents(&db, "asker", "提问人", 1).await[0];
        let tasks: Vec<_> = (0..20)
            .map(|i| {
                let pool = db.pool.clone();
                tokio::spawn(async move {
                    repo::ask(&pool, me, id, &format!("问题{i}"), now)
                        .await
                        .unwrap()
                })
            })
            .collect();
        let mut asked = Vec::new();
        for t in tasks {
            if let Some(q) = t.await.unwrap() {
                asked.push(q);
            }
        }
        assert_eq!(asked.len() as i64, MAX_OPEN_QUESTIONS, "{:?}", db.backend);
        assert_eq!(
            count(
                &db,
                &format!("disclosure_questions WHERE disclosure_id = {id}")
            )
            .await,
            MAX_OPEN_QUESTIONS
        );
        assert_eq!(
            repo::open_questions(&db.pool, id, me).await.unwrap(),
            MAX_OPEN_QUESTIONS
        );
        // One answered makes room for one more, and only one.
        assert!(repo::answer(&db.pool, 1, asked[0], "答", now)
            .await
            .unwrap());
        assert!(!repo::answer(&db.pool, 1, asked[0], "答", now)
            .await
            .unwrap());
        assert!(repo::ask(&db.pool, me, id, "再问", now)
            .await
            .unwrap()
            .is_some());
        assert!(repo::ask(&db.pool, me, id, "又问", now)
            .await
            .unwrap()
            .is_none());
        db.drop_db().await;
    }
}

#[tokio::test]
async fn the_on_time_view_follows_the_due_day() {
    for db in TestDb::seeded_both().await {
        let (vid, vpath): (i64, String) = sqlx::query_as(
            "SELECT v.id, v.path FROM users u JOIN org_units v ON v.id = u.org_unit_id \
             WHERE u.username = 'village1'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let today = app::domain::calendar::local_date(app::ssr::now());
        // Two months back: its due day (the 10th of last month) has passed.
        let month = Month1::of(today).prev().prev();
        let due = month.due().unwrap();
        for (kind, day) in [
            (Kind::Finance, due - time::Duration::days(3)),
            (Kind::Party, due + time::Duration::days(1)),
        ] {
            repo::publish(
                &db.pool,
                1,
                &NewDisclosure {
                    unit_id: vid,
                    unit_path: &vpath,
                    kind,
                    period: &month.as_string(),
                    title: "公开",
                    body: "内容",
                    table: None,
                    day: &app::domain::calendar::format_date(day),
                },
                &[],
                None,
                app::domain::calendar::day_start(day),
            )
            .await
            .unwrap()
            .unwrap();
        }
        let app = crate::common::http::router(db.pool.clone());
        let mut town = signed_in(&app, "town1").await;
        let desk = json(&town.call("open_desk", "").await);
        let months: Vec<String> = serde_json::from_value(desk["months"].clone()).unwrap();
        let col = months.iter().position(|m| *m == month.as_string()).unwrap();
        let row = desk["villages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["village_id"] == vid)
            .unwrap()
            .clone();
        assert_eq!(
            row["months"][col],
            serde_json::json!(["late", "missing", "on_time"]),
            "{:?}: party late, village missing, finance on time",
            db.backend
        );
        // The village cadre sees only their own village; a grid worker has no desk.
        let mut cadre = signed_in(&app, "village1").await;
        let own = json(&cadre.call("open_desk", "").await);
        assert_eq!(own["villages"].as_array().unwrap().len(), 1);
        let mut grid = signed_in(&app, "grid1").await;
        assert_eq!(grid.call("open_desk", "").await.status.as_u16(), 403);
        db.drop_db().await;
    }
}
