//! Server functions of 三务公开: caller → `domain::disclosures::access` → repo → rules. A
//! disclosure out of the caller's area answers exactly like one that does not exist.
//! Publishing (a multipart form with photos and a PDF) is `POST /open/publish` in the server.

use leptos::prelude::*;

use super::types::{Desk, Disclosure, OpenHome};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "open_home")]
pub async fn get_open_home() -> Result<OpenHome, AppError> {
    crate::error::with_status(imp::home().await)
}

#[server(prefix = "/api", endpoint = "open_disclosure")]
pub async fn get_disclosure(id: i64) -> Result<Disclosure, AppError> {
    crate::error::with_status(imp::detail(id).await)
}

#[server(prefix = "/api", endpoint = "open_ask")]
pub async fn ask_disclosure(id: i64, question: String) -> Result<i64, AppError> {
    crate::error::with_status(imp::ask(id, question).await)
}

#[server(prefix = "/api", endpoint = "open_answer")]
pub async fn answer_disclosure(question_id: i64, answer: String) -> Result<(), AppError> {
    crate::error::with_status(imp::answer(question_id, answer).await)
}

#[server(prefix = "/api", endpoint = "open_desk")]
pub async fn get_open_desk() -> Result<Desk, AppError> {
    crate::error::with_status(imp::desk().await)
}

#[cfg(feature = "ssr")]
pub mod imp {
    use super::super::repo::{self, Row};
    use super::super::types::{Desk, Disclosure, Listed, OpenHome, Question, VillageRow};
    use crate::domain::calendar::{local_date, parse_date};
    use crate::domain::disclosures::{
        access, kind_fits, may_publish_for, sees_question, standing_from, Access, Kind, Month1,
        MAX_OPEN_QUESTIONS, MAX_QUESTION_CHARS,
    };
    use crate::domain::identity::mask_name;
    use crate::domain::scope::Caller;
    use crate::error::AppError;
    use crate::ssr::{caller, ctx, now, parse_level, redirect_form_post};

    fn access_to(c: &Caller, r: &Row) -> Access {
        access(c.role, &c.unit_path, &r.2, parse_level(&r.3))
    }

    /// The disclosure if the caller sees it (with the access), or not found.
    pub async fn visible(c: &Caller, id: i64) -> Result<(Row, Access), AppError> {
        let r = repo::get(&ctx()?.pool, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let a = access_to(c, &r);
        if !a.sees() {
            return Err(AppError::NotFound);
        }
        Ok((r, a))
    }

    async fn listed(r: Row) -> Result<Listed, AppError> {
        let (files, questions) = repo::counts(&ctx()?.pool, r.0).await?;
        Ok(Listed {
            id: r.0,
            kind: r.5,
            period: r.6,
            title: r.7,
            unit_name: r.4,
            published_at: r.11,
            files,
            questions,
        })
    }

    pub async fn home() -> Result<OpenHome, AppError> {
        let c = caller().await?;
        let mut items = Vec::new();
        for r in repo::near(&ctx()?.pool, &c.unit_path, 200).await? {
            if access_to(&c, &r).sees() {
                items.push(listed(r).await?);
            }
        }
        let (_, path, level, _) = own_unit(&c).await?;
        let desk = matches!(
            access(c.role, &c.unit_path, &path, level),
            Access::Publish | Access::Oversee
        );
        Ok(OpenHome { items, desk })
    }

    pub async fn detail(id: i64) -> Result<Disclosure, AppError> {
        let c = caller().await?;
        let (r, a) = visible(&c, id).await?;
        let pool = ctx()?.pool;
        let files = repo::files(&pool, id).await?;
        let questions: Vec<Question> = repo::questions(&pool, id)
            .await?
            .into_iter()
            .filter(|(user, q)| sees_question(a, *user == c.user_id, q.answer.is_some()))
            .map(|(user, mut q)| {
                q.mine = user == c.user_id;
                q.asker = mask_name(&q.asker);
                q
            })
            .collect();
        let open = repo::open_questions(&pool, id, c.user_id).await?;
        Ok(Disclosure {
            id,
            lines: repo::lines(&pool, id).await?,
            photos: files
                .iter()
                .filter(|f| f.1 == "photo")
                .map(|f| f.0)
                .collect(),
            pdf: files.iter().find(|f| f.1 == "pdf").map(|f| f.0),
            questions,
            may_ask: a == Access::Read && open < MAX_OPEN_QUESTIONS,
            may_answer: a == Access::Publish,
            kind: r.5,
            period: r.6,
            title: r.7,
            body: r.8,
            unit_name: r.4,
            income_fen: r.9,
            expense_fen: r.10,
            published_at: r.11,
        })
    }

    pub async fn ask(id: i64, text: String) -> Result<i64, AppError> {
        let c = caller().await?;
        let (_, a) = visible(&c, id).await?;
        if a != Access::Read {
            return Err(AppError::Forbidden);
        }
        let text = AppError::required_text("question_text", &text, MAX_QUESTION_CHARS)?;
        let qid = repo::ask(&ctx()?.pool, c.user_id, id, text, now())
            .await?
            .ok_or_else(|| AppError::invalid("question_text", "too_many_open"))?;
        redirect_form_post(&format!("/open/{id}"));
        Ok(qid)
    }

    pub async fn answer(qid: i64, text: String) -> Result<(), AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let (id, _) = repo::question(&pool, qid)
            .await?
            .ok_or(AppError::NotFound)?;
        let (_, a) = visible(&c, id).await?;
        if a != Access::Publish {
            return Err(AppError::Forbidden);
        }
        let text = AppError::required_text("answer_text", &text, MAX_QUESTION_CHARS * 2)?;
        if !repo::answer(&pool, c.user_id, qid, text, now()).await? {
            return Err(AppError::invalid("answer_text", "already_answered"));
        }
        redirect_form_post(&format!("/open/{id}"));
        Ok(())
    }

    /// The caller's own unit: (id, path, level, name).
    pub async fn own_unit(
        c: &Caller,
    ) -> Result<(i64, String, crate::domain::org::OrgLevel, String), AppError> {
        let id = *crate::domain::org::path_ids(&c.unit_path)
            .last()
            .ok_or(AppError::Forbidden)?;
        let (path, level, name) = repo::unit(&ctx()?.pool, id)
            .await?
            .ok_or(AppError::Forbidden)?;
        Ok((id, path, level, name))
    }

    /// Months shown on the on-time view: the last six begun before this one, newest first.
    const MONTHS: usize = 6;

    pub async fn desk() -> Result<Desk, AppError> {
        let c = caller().await?;
        let (_, path, level, unit_name) = own_unit(&c).await?;
        let own = access(c.role, &c.unit_path, &path, level);
        if !matches!(own, Access::Publish | Access::Oversee) {
            return Err(AppError::Forbidden);
        }
        let pool = ctx()?.pool;
        let t = now();
        let today = local_date(t);
        let publishes = own == Access::Publish;
        let kinds = if publishes {
            Kind::ALL
                .into_iter()
                .filter(|k| kind_fits(*k, level))
                .map(|k| k.as_str().to_string())
                .collect()
        } else {
            Vec::new()
        };
        let mut m = Month1::of(today);
        let mut periods = Vec::new();
        while may_publish_for(m, today) {
            periods.push(m.as_string());
            m = m.prev();
        }
        let mut mine = Vec::new();
        let mut waiting = Vec::new();
        for r in repo::near(&pool, &c.unit_path, 200).await? {
            if r.2 != c.unit_path || !publishes {
                continue;
            }
            for (user, q) in repo::questions(&pool, r.0).await? {
                if q.answer.is_none() {
                    let mut q = q;
                    q.asker = mask_name(&q.asker);
                    q.mine = user == c.user_id;
                    waiting.push((r.0, r.7.clone(), q));
                }
            }
            mine.push(listed(r).await?);
        }
        let mut months = Vec::new();
        let mut m = Month1::of(today).prev();
        for _ in 0..MONTHS {
            months.push(m);
            m = m.prev();
        }
        let first = months.last().map(|m| m.as_string()).unwrap_or_default();
        let (villages, published) = repo::published_since(&pool, &c.unit_path, &first).await?;
        // The county's first month: before it nobody could have published.
        let county =
            crate::domain::org::ancestor_path(&c.unit_path, crate::domain::org::OrgLevel::County)
                .unwrap_or_else(|| c.unit_path.clone());
        let started = repo::first_period(&pool, &county)
            .await?
            .and_then(|p| Month1::parse(&p));
        let villages = villages
            .into_iter()
            .map(|(vid, name)| {
                let cells: Vec<[crate::domain::disclosures::Standing; 3]> = months
                    .iter()
                    .map(|month| {
                        let p = month.as_string();
                        Kind::MONTHLY.map(|k| {
                            let day = published
                                .iter()
                                .find(|x| x.0 == vid && x.1 == k.as_str() && x.2 == p)
                                .and_then(|x| parse_date(&x.3));
                            standing_from(*month, day, today, started)
                        })
                    })
                    .collect();
                let missed = cells.iter().flatten().filter(|s| s.missed()).count() as i64;
                let cells = cells
                    .iter()
                    .map(|m| m.map(|s| s.as_str().to_string()))
                    .collect();
                VillageRow {
                    village_id: vid,
                    name,
                    months: cells,
                    missed,
                }
            })
            .collect();
        Ok(Desk {
            kinds,
            periods,
            unit_name,
            mine,
            waiting,
            months: months.iter().map(|m| m.as_string()).collect(),
            villages,
        })
    }
}
