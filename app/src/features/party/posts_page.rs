//! `/party/posts`: 设岗定责 — the branch's posts with their duties and holders, the members
//! without a post first in line for one; the secretary sets up and gives posts, a member
//! records a duty done (approved into points by the branch). Plain forms throughout.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::posts_api::{get_posts, AssignPost, CreatePost, RecordDuty};
use super::types::Posts;
use crate::domain::party::posts::{MAX_DUTIES, MAX_DUTY_NOTE, MAX_POST_NAME, PRESET_POSTS};
use crate::i18n::tr;
use crate::ui::answer::{answer, ErrorText};

#[component]
pub fn PostsPage() -> impl IntoView {
    let query = use_query_map();
    let branch =
        Memo::new(move |_| query.with(|q| q.get("branch_id").and_then(|b| b.parse::<i64>().ok())));
    let create = ServerAction::<CreatePost>::new();
    let assign = ServerAction::<AssignPost>::new();
    let record = ServerAction::<RecordDuty>::new();
    let data = Resource::new(
        move || {
            (
                branch.get(),
                create.version().get(),
                assign.version().get(),
                record.version().get(),
            )
        },
        |(b, ..)| get_posts(b),
    );
    let failure = move || {
        [
            create.value().get().and_then(|r| r.err()),
            assign.value().get().and_then(|r| r.err()),
            record.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|e| view! { <ErrorText error=e/> })
    };
    let recorded = move || {
        matches!(record.value().get(), Some(Ok(()))).then(|| {
            view! { <p class="ok" role="status" data-testid="duty-recorded">{tr("posts.recorded")}</p> }
        })
    };
    view! {
        <section class="party-page" data-testid="posts-page">
            <p><a href="/party">{tr("party.title")}</a></p>
            <h1>{tr("posts.title")}</h1>
            <p class="muted">{tr("posts.intro")}</p>
            {failure}
            {recorded}
            <Suspense fallback=|| view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || data.get().map(|r| answer(r, |p| view! { <View p=p create=create assign=assign record=record/> }.into_any()))}
            </Suspense>
        </section>
    }
}

#[component]
fn View(
    p: Posts,
    create: ServerAction<CreatePost>,
    assign: ServerAction<AssignPost>,
    record: ServerAction<RecordDuty>,
) -> impl IntoView {
    let mine = (!p.mine.is_empty()).then(|| {
        let items = p
            .mine
            .clone()
            .into_iter()
            .map(|x| {
                view! {
                    <li data-testid="my-post">
                        <strong>{x.name.clone()}</strong> " · " <span class="muted">{x.duties.clone()}</span>
                        <ActionForm action=record attr:class="inline" attr:data-testid="duty-form">
                            <input type="hidden" name="post_id" value=x.id.to_string()/>
                            <input type="text" name="note" maxlength=MAX_DUTY_NOTE required placeholder=tr("posts.duty_hint") data-testid="duty-note"/>
                            <button type="submit" class="primary" data-testid="duty-submit">{tr("posts.record")}</button>
                        </ActionForm>
                    </li>
                }
            })
            .collect_view();
        view! {
            <h2>{tr("posts.mine")}</h2>
            <ul class="plain">{items}</ul>
        }
    });
    let switch = (p.branches.len() > 1).then(|| {
        let links = p
            .branches
            .iter()
            .map(|b| view! { <a href=format!("/party/posts?branch_id={}", b.id)>{b.name.clone()}</a> " " })
            .collect_view();
        view! { <p class="links">{links}</p> }
    });
    let free = (!p.without_post.is_empty()).then(|| {
        let names = p.without_post.iter().map(|m| m.name.clone()).collect::<Vec<_>>().join("、");
        view! {
            <p data-testid="without-post">
                <span class="light light-yellow">{tr("posts.without_post")} " " {p.without_post.len()}</span> " " {names}
            </p>
        }
    });
    let manage = p.manage;
    let members = p.members.clone();
    let posts = p
        .posts
        .clone()
        .into_iter()
        .map(|x| {
            let holders = x.holders.iter().map(|h| h.name.clone()).collect::<Vec<_>>().join("、");
            let give = manage.then(|| {
                let options = members
                    .iter()
                    .map(|m| view! { <option value=m.id.to_string()>{m.name.clone()}</option> })
                    .collect_view();
                view! {
                    <ActionForm action=assign attr:class="inline" attr:data-testid="assign-form">
                        <input type="hidden" name="post_id" value=x.id.to_string()/>
                        <select name="member_id" data-testid="assign-member">{options}</select>
                        <button type="submit" data-testid="assign-submit">{tr("posts.assign")}</button>
                    </ActionForm>
                }
            });
            view! {
                <li data-testid="post" data-post=x.id>
                    <strong>{x.name.clone()}</strong> " · " {x.duties.clone()}
                    <br/>
                    <span class="muted">{tr("posts.holders")} " " {holders} " · " {tr("posts.recent")} " " {x.recent}</span>
                    {give}
                </li>
            }
        })
        .collect_view();
    let presets = PRESET_POSTS
        .iter()
        .map(|n| view! { <option value=*n></option> })
        .collect_view();
    let form = manage.then(|| {
        view! {
            <details class="box" data-testid="post-card">
                <summary>{tr("posts.create")}</summary>
                <ActionForm action=create attr:class="stack narrow" attr:data-testid="post-form">
                    <input type="hidden" name="branch_id" value=p.branch_id.to_string()/>
                    <label>
                        {tr("fields.post_name")}
                        <input type="text" name="name" list="post-presets" maxlength=MAX_POST_NAME required data-testid="post-name"/>
                        <datalist id="post-presets">{presets}</datalist>
                    </label>
                    <label>
                        {tr("fields.duties")}
                        <textarea name="duties" rows="2" maxlength=MAX_DUTIES required data-testid="post-duties"></textarea>
                    </label>
                    <button type="submit" class="primary" data-testid="post-submit">{tr("posts.create_submit")}</button>
                </ActionForm>
            </details>
        }
    });
    view! {
        {mine}
        {switch}
        <h2>{p.branch.clone()}</h2>
        {free}
        {form}
        <ul class="plain" data-testid="posts">{posts}</ul>
    }
}
