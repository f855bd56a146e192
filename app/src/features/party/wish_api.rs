//! Server functions of the small wishes (党群微心愿): caller → `domain::party::wish_access` →
//! repo → `domain::party::wish_step`. A wish out of scope answers exactly like one that does
//! not exist.

use leptos::prelude::*;

use super::types::{WishDetail, WishWall};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "wish_wall")]
pub async fn get_wish_wall() -> Result<WishWall, AppError> {
    crate::error::with_status(imp::wall().await)
}

/// `ask` (any value): addressed to the member who serves the caller's household (党员联户),
/// who holds it from the start, rather than posted on the wall for any member.
#[server(prefix = "/api", endpoint = "post_wish")]
pub async fn post_wish(
    title: String,
    detail: Option<String>,
    ask: Option<String>,
) -> Result<i64, AppError> {
    crate::error::with_status(
        imp::post(
            title,
            detail.unwrap_or_default(),
            ask.is_some_and(|a| !a.is_empty()),
        )
        .await,
    )
}

#[server(prefix = "/api", endpoint = "wish_detail")]
pub async fn get_wish(id: i64) -> Result<WishDetail, AppError> {
    crate::error::with_status(imp::detail(id).await)
}

/// `action`: claim, release, fulfil, confirm, not_yet, withdraw; `note` says what was done
/// (fulfil) or what is missing (not_yet).
#[server(prefix = "/api", endpoint = "wish_act")]
pub async fn wish_act(id: i64, action: String, note: Option<String>) -> Result<(), AppError> {
    crate::error::with_status(imp::act(id, action, note.unwrap_or_default()).await)
}

#[cfg(feature = "ssr")]
mod imp {
    use super::super::types::{WishDetail, WishRow, WishWall};
    use super::super::{links_repo, repo, wish_repo};
    use crate::domain::identity::mask_name;
    use crate::domain::party::{
        validate_wish, wall_path, wish_access, wish_actions, wish_step, WishAccess, WishAction,
        WishFacts, WishState, WishViewer, MAX_ACTIVE_WISHES, MAX_NOTE_CHARS,
    };
    use crate::domain::scope::Caller;
    use crate::error::AppError;
    use crate::ssr::{caller, ctx, redirect_form_post};

    /// The caller as far as wishes go, with their household.
    async fn viewer() -> Result<(Caller, WishViewer, Option<i64>), AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let home = wish_repo::home_of(&pool, c.resident_id).await?;
        let member = match repo::member_of(&pool, c.resident_id).await? {
            Some((id, branch, _)) => repo::branch(&pool, branch).await?.map(|b| (id, b.0)),
            None => None,
        };
        let v = WishViewer {
            user_id: c.user_id,
            role: c.role,
            unit_path: c.unit_path.clone(),
            home_path: home.as_ref().map(|h| h.1.clone()),
            member,
        };
        Ok((c, v, home.map(|h| h.0)))
    }

    fn access(v: &WishViewer, w: &WishRow) -> WishAccess {
        wish_access(
            v,
            &WishFacts {
                path: &w.unit_path,
                poster: w.poster_id,
                claimer: w.claimer_id,
            },
        )
    }

    /// The row as this viewer may see it: the poster masked and the address dropped unless
    /// the viewer is the poster, the claimer or staff over the area.
    fn shown(mut w: WishRow, a: WishAccess) -> WishRow {
        if !a.sees_poster() {
            w.poster = mask_name(&w.poster);
            w.address = None;
        }
        w
    }

    pub async fn wall() -> Result<WishWall, AppError> {
        let (c, v, household) = viewer().await?;
        let pool = ctx()?.pool;
        let Some(path) = wall_path(&v) else {
            return Err(AppError::Forbidden);
        };
        let (rows, open, come_true) = wish_repo::wall(&pool, &path, 60).await?;
        let mut wall = Vec::with_capacity(rows.len());
        for w in rows {
            let a = access(&v, &w);
            if a != WishAccess::Hidden {
                wall.push(shown(w, a));
            }
        }
        let taken = match &v.member {
            Some((m, _)) => wish_repo::taken(&pool, *m).await?,
            None => Vec::new(),
        };
        let my_member = match household {
            Some(h) => links_repo::member_of_household(&pool, h)
                .await?
                .map(|(_, name, _, branch)| (name, branch)),
            None => None,
        };
        Ok(WishWall {
            my_member,
            can_post: household.is_some(),
            active: wish_repo::active(&pool, c.user_id).await?,
            max_active: MAX_ACTIVE_WISHES,
            mine: wish_repo::mine(&pool, c.user_id).await?,
            taken,
            claimable: v.member.is_some(),
            wall,
            open,
            come_true,
        })
    }

    pub async fn post(title: String, detail: String, ask: bool) -> Result<i64, AppError> {
        let (c, v, household) = viewer().await?;
        let (Some(household), Some(path)) = (household, v.home_path.clone()) else {
            return Err(AppError::Forbidden);
        };
        validate_wish(&title, &detail).map_err(|(f, r)| AppError::invalid(f, r))?;
        let pool = ctx()?.pool;
        let ask = if ask {
            let (m, ..) = links_repo::member_of_household(&pool, household)
                .await?
                .ok_or_else(|| AppError::invalid("wish_title", "no_member_linked"))?;
            Some(m)
        } else {
            None
        };
        let id = wish_repo::post(
            &pool,
            c.user_id,
            household,
            &path,
            title.trim(),
            detail.trim(),
            ask,
        )
        .await?
        .ok_or_else(|| AppError::invalid("wish_title", "too_many_wishes"))?;
        redirect_form_post(&format!("/wishes/{id}"));
        Ok(id)
    }

    /// The wish and what the caller is to it; Hidden answers as not found.
    async fn load(id: i64, v: &WishViewer) -> Result<(WishRow, WishAccess), AppError> {
        let pool = ctx()?.pool;
        let w = wish_repo::row(&pool, id).await?.ok_or(AppError::NotFound)?;
        match access(v, &w) {
            WishAccess::Hidden => Err(AppError::NotFound),
            a => Ok((w, a)),
        }
    }

    pub async fn detail(id: i64) -> Result<WishDetail, AppError> {
        let (_, v, _) = viewer().await?;
        let (w, a) = load(id, &v).await?;
        let state = WishState::parse(&w.state).unwrap_or(WishState::Withdrawn);
        Ok(WishDetail {
            actions: wish_actions(state, a)
                .into_iter()
                .map(|x| x.as_str().to_string())
                .collect(),
            access: match a {
                WishAccess::Poster => "poster",
                WishAccess::Claimer => "claimer",
                WishAccess::Member => "member",
                WishAccess::Oversee => "oversee",
                _ => "wall",
            }
            .into(),
            wish: shown(w, a),
        })
    }

    pub async fn act(id: i64, action: String, note: String) -> Result<(), AppError> {
        let (c, v, _) = viewer().await?;
        let (w, a) = load(id, &v).await?;
        let action = WishAction::parse(&action)
            .ok_or_else(|| AppError::invalid("action", "invalid_value"))?;
        let note = if action.needs_note() {
            AppError::required_text("wish_note", &note, MAX_NOTE_CHARS)?
        } else {
            ""
        };
        let from = WishState::parse(&w.state).unwrap_or(WishState::Withdrawn);
        let to = wish_step(from, a, action).map_err(|e| match e {
            crate::domain::party::WishError::NotYours => AppError::Forbidden,
            e => AppError::invalid("wish", e.reason()),
        })?;
        let member = v.member.as_ref().map(|m| m.0);
        let moved = wish_repo::act(
            &ctx()?.pool,
            c.user_id,
            id,
            w.poster_id,
            action,
            from,
            to,
            member,
            note,
        )
        .await?;
        if !moved {
            return Err(AppError::invalid("wish", "wish_moved_on"));
        }
        redirect_form_post(&format!("/wishes/{id}"));
        Ok(())
    }
}
