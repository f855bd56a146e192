//! Server functions of 设岗定责: the secretary sets up posts and gives them to members (the
//! branch's `meeting_access` Manage); a member records a duty of a post they hold, which
//! becomes a pending `m_manual` award for someone else to approve.

use leptos::prelude::*;

use super::types::Posts;
use crate::error::AppError;

/// `branch_id`: one of the caller's branches; the secretary's first, or the member's own.
#[server(prefix = "/api", endpoint = "party_posts")]
pub async fn get_posts(branch_id: Option<i64>) -> Result<Posts, AppError> {
    crate::error::with_status(imp::posts(branch_id).await)
}

#[server(prefix = "/api", endpoint = "create_post")]
pub async fn create_post(branch_id: i64, name: String, duties: String) -> Result<(), AppError> {
    crate::error::with_status(imp::create(branch_id, name, duties).await)
}

#[server(prefix = "/api", endpoint = "assign_post")]
pub async fn assign_post(post_id: i64, member_id: i64) -> Result<(), AppError> {
    crate::error::with_status(imp::assign(post_id, member_id).await)
}

#[server(prefix = "/api", endpoint = "record_duty")]
pub async fn record_duty(post_id: i64, note: String) -> Result<(), AppError> {
    crate::error::with_status(imp::record(post_id, note).await)
}

#[cfg(feature = "ssr")]
mod imp {
    use super::super::types::Posts;
    use super::super::{posts_repo, repo};
    use crate::domain::party::posts::{validate_duty, validate_post, without_post};
    use crate::domain::party::MeetingAccess;
    use crate::error::AppError;
    use crate::features::scoring::repo::manual_rules;
    use crate::ssr::{caller, ctx, redirect_form_post};

    /// The rule a duty done is awarded under.
    const DUTY_RULE: &str = "m_manual";

    pub async fn posts(branch: Option<i64>) -> Result<Posts, AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let me = repo::member_of(&pool, c.resident_id).await?;
        let branches = match c.role {
            crate::domain::roles::Role::Admin | crate::domain::roles::Role::VillageCadre => {
                repo::branches_in(&pool, &c.unit_path).await?
            }
            _ => Vec::new(),
        };
        let branch = match branch
            .or(branches.first().map(|b| b.id))
            .or(me.as_ref().map(|m| m.1))
        {
            Some(b) => b,
            None => return Err(AppError::Forbidden),
        };
        let (a, _, name) = repo::branch_access(&ctx()?.pool, &c, branch).await?;
        if a == MeetingAccess::Hidden {
            return Err(AppError::NotFound);
        }
        let posts = posts_repo::posts(&pool, branch).await?;
        let members = posts_repo::members(&pool, branch).await?;
        let holders: Vec<i64> = posts
            .iter()
            .flat_map(|p| p.holders.iter().map(|h| h.id))
            .collect();
        let free = without_post(&members.iter().map(|m| m.id).collect::<Vec<_>>(), &holders);
        let mine = match &me {
            Some((id, ..)) => posts_repo::held_by(&pool, *id).await?,
            None => Vec::new(),
        };
        Ok(Posts {
            branch_id: branch,
            branch: name,
            manage: a == MeetingAccess::Manage,
            branches,
            without_post: members
                .iter()
                .filter(|m| free.contains(&m.id))
                .cloned()
                .collect(),
            members,
            posts,
            mine,
        })
    }

    pub async fn create(branch: i64, name: String, duties: String) -> Result<(), AppError> {
        let c = caller().await?;
        let path = repo::manage_branch(&ctx()?.pool, &c, branch).await?;
        validate_post(&name, &duties).map_err(|(f, r)| AppError::invalid(f, r))?;
        if posts_repo::create(
            &ctx()?.pool,
            c.user_id,
            branch,
            &path,
            name.trim(),
            duties.trim(),
        )
        .await?
        .is_none()
        {
            return Err(AppError::invalid("post_name", "post_exists"));
        }
        redirect_form_post(&format!("/party/posts?branch_id={branch}"));
        Ok(())
    }

    pub async fn assign(post: i64, member: i64) -> Result<(), AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let (branch, _) = posts_repo::post_branch(&pool, post)
            .await?
            .ok_or(AppError::NotFound)?;
        repo::manage_branch(&pool, &c, branch).await?;
        if !posts_repo::members(&pool, branch)
            .await?
            .iter()
            .any(|m| m.id == member)
        {
            return Err(AppError::invalid("member", "invalid_value"));
        }
        posts_repo::assign(&pool, c.user_id, post, member).await?;
        redirect_form_post(&format!("/party/posts?branch_id={branch}"));
        Ok(())
    }

    pub async fn record(post: i64, note: String) -> Result<(), AppError> {
        let c = caller().await?;
        let pool = ctx()?.pool;
        let Some((me, ..)) = repo::member_of(&pool, c.resident_id).await? else {
            return Err(AppError::Forbidden);
        };
        let (_, path) = posts_repo::post_branch(&pool, post)
            .await?
            .ok_or(AppError::NotFound)?;
        // Only a holder records the post's duties; to anyone else the post is not theirs.
        if !posts_repo::holds(&pool, post, me).await? {
            return Err(AppError::NotFound);
        }
        validate_duty(&note).map_err(|(f, r)| AppError::invalid(f, r))?;
        let rule = manual_rules(&pool)
            .await?
            .into_iter()
            .find(|r| r.code == DUTY_RULE)
            .ok_or_else(|| AppError::invalid("duty_note", "duty_rule_retired"))?;
        let name = posts_repo::held_by(&pool, me)
            .await?
            .into_iter()
            .find(|p| p.id == post)
            .map(|p| p.name)
            .unwrap_or_default();
        if !posts_repo::record(&pool, c.user_id, post, &name, me, &path, &rule, note.trim()).await?
        {
            return Err(AppError::invalid("duty_note", "duty_today"));
        }
        redirect_form_post("/party/posts");
        Ok(())
    }
}
