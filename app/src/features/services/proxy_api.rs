//! Server functions of 代办: caller → `domain::services::proxy_actor` / `may_see_proxy` → repo →
//! `domain::services::proxy_next`. A request the caller may not see answers as not there.

use leptos::prelude::*;

use super::types::ProxyTasks;
use crate::error::AppError;

/// A resident asks a proxy of their village to do an item for them.
#[server(prefix = "/api", endpoint = "request_proxy")]
pub async fn request_proxy(item_id: i64, note: String) -> Result<i64, AppError> {
    crate::error::with_status(imp::request(item_id, note).await)
}

#[server(prefix = "/api", endpoint = "proxy_tasks")]
pub async fn get_proxy_tasks() -> Result<ProxyTasks, AppError> {
    crate::error::with_status(imp::tasks().await)
}

/// `action`: take, advance, withdraw or rate (with `stars`); `note` what the step says.
#[server(prefix = "/api", endpoint = "proxy_act")]
pub async fn proxy_act(
    id: i64,
    action: String,
    #[server(default)] note: String,
    #[server(default)] stars: Option<u8>,
) -> Result<String, AppError> {
    crate::error::with_status(imp::step(id, action, note, stars).await)
}

#[cfg(feature = "ssr")]
mod imp {
    use super::super::proxy_repo as repo;
    use super::super::types::ProxyTasks;
    use crate::domain::roles::Role;
    use crate::domain::services::{
        may_see_proxy, proxy_actor, proxy_next, village_of, ProxyAction, ProxyActor, ServiceLabel,
    };
    use crate::error::AppError;
    use crate::ssr::{caller, ctx, now, redirect_form_post};

    pub async fn request(item: i64, note: String) -> Result<i64, AppError> {
        let c = caller().await?;
        if village_of(&c.unit_path).is_none() {
            // Proxies serve a village; an account above one has nobody to ask.
            return Err(AppError::Forbidden);
        }
        let pool = ctx()?.pool;
        let items = super::super::repo::items_for(&pool, &c.unit_path).await?;
        let (_, _, _, label, _, _, days) = items
            .into_iter()
            .find(|i| i.0 == item)
            .ok_or_else(|| AppError::invalid("item_id", "unknown_item"))?;
        if ServiceLabel::parse(&label) != Some(ServiceLabel::FullProxy) {
            return Err(AppError::invalid("item_id", "not_proxied"));
        }
        let note = note.trim();
        if note.chars().count() > 300 {
            return Err(AppError::invalid("note", "too_long"));
        }
        let id = repo::request(&pool, c.user_id, item, &c.unit_path, note, days, now()).await?;
        redirect_form_post("/services");
        Ok(id)
    }

    fn oversees(role: Role) -> bool {
        matches!(
            role,
            Role::Admin | Role::CountySupervisor | Role::TownshipDispatcher | Role::VillageCadre
        )
    }

    pub async fn tasks() -> Result<ProxyTasks, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let t = now();
        let proxy = matches!(c.role, Role::GridWorker | Role::PartyMember);
        let requests = if proxy {
            let village = village_of(&c.unit_path).ok_or(AppError::Forbidden)?;
            repo::tasks(&pool, c.user_id, &village, t).await?
        } else if oversees(c.role) {
            repo::under(&pool, &c.unit_path, t).await?
        } else {
            return Err(AppError::Forbidden);
        };
        Ok(ProxyTasks {
            requests,
            proxy,
            me: c.user_id,
        })
    }

    pub async fn step(
        id: i64,
        action: String,
        note: String,
        stars: Option<u8>,
    ) -> Result<String, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let r = repo::get(&pool, id).await?.ok_or(AppError::NotFound)?;
        let who = proxy_actor(c.user_id, c.role, &c.unit_path, r.user_id, r.proxy, &r.path);
        if !may_see_proxy(who, c.role, &c.unit_path, &r.path, r.proxy.is_some()) {
            return Err(AppError::NotFound);
        }
        let action = match action.as_str() {
            "take" => ProxyAction::Take,
            "advance" => ProxyAction::Advance,
            "withdraw" => ProxyAction::Withdraw,
            "rate" => {
                ProxyAction::Rate(stars.ok_or_else(|| AppError::invalid("stars", "required"))?)
            }
            _ => return Err(AppError::invalid("action", "invalid_value")),
        };
        if who == ProxyActor::Other {
            return Err(AppError::Forbidden);
        }
        let to = proxy_next(r.state, action, who).map_err(|k| match k {
            "forbidden_step" => AppError::Forbidden,
            k => AppError::invalid("action", k),
        })?;
        let note = note.trim();
        if note.chars().count() > 300 {
            return Err(AppError::invalid("note", "too_long"));
        }
        let step = repo::Step {
            by: c.user_id,
            role: c.role.as_str(),
            action,
            from: r.state,
            to,
            note,
        };
        if !repo::advance(&pool, id, &step, now()).await? {
            // Someone moved it first (another proxy took it, or the resident withdrew).
            return Err(AppError::invalid("action", "proxy_taken"));
        }
        let back = if who == ProxyActor::Requester {
            "/services"
        } else {
            "/services/proxy"
        };
        redirect_form_post(back);
        Ok(to.as_str().to_string())
    }
}
