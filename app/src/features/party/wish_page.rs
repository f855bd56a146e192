//! `/wishes` and `/wishes/{id}`: the wall of small wishes (党群微心愿). A resident posts a wish
//! and confirms it came true; a party member of the area claims it and says what they did.
//! Every step is a plain form, so it works without WASM on a cheap phone.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::types::{WishDetail, WishRow, WishWall};
use super::wish_api::{get_wish, get_wish_wall, PostWish, WishAct};
use crate::domain::party::{MAX_DETAIL_CHARS, MAX_NOTE_CHARS};
use crate::i18n::tr;
use crate::ui::answer::{answer, ErrorText};
use crate::ui::time::when;

fn loading() -> impl IntoView {
    view! { <p class="muted">{tr("common.loading")}</p> }
}

#[component]
pub fn WishesPage() -> impl IntoView {
    let post = ServerAction::<PostWish>::new();
    let data = Resource::new(move || post.version().get(), |_| get_wish_wall());
    view! {
        <section class="party-page wish-page" data-testid="wishes-page">
            <h1>{tr("wish.title")}</h1>
            <p class="muted">{tr("wish.intro")}</p>
            <Suspense fallback=loading>
                {move || data.get().map(|r| answer(r, |w| view! { <Wall w=w post=post/> }.into_any()))}
            </Suspense>
        </section>
    }
}

#[component]
fn Wall(w: WishWall, post: ServerAction<PostWish>) -> impl IntoView {
    let form = w.can_post.then(|| {
        let full = w.active >= w.max_active;
        let result = move || match post.value().get() {
            Some(Ok(id)) => Some(
                view! {
                    <p class="ok" role="status" data-testid="wish-posted">
                        {tr("wish.posted")} " " <a href=format!("/wishes/{id}") data-testid="wish-posted-link">{tr("wish.open_it")}</a>
                    </p>
                }
                .into_any(),
            ),
            Some(Err(e)) => Some(view! { <ErrorText error=e/> }.into_any()),
            None => None,
        };
        let quota = tr("wish.quota")
            .replace("%{n}", &w.active.to_string())
            .replace("%{max}", &w.max_active.to_string());
        view! {
            <details class="box" open=!full data-testid="wish-card">
                <summary>{tr("wish.post")}</summary>
                <ActionForm action=post attr:class="stack narrow" attr:data-testid="wish-form">
                    <label>
                        {tr("fields.wish_title")}
                        <input type="text" name="title" minlength="2" maxlength="40" required
                            placeholder=tr("wish.title_hint") data-testid="wish-title"/>
                    </label>
                    <label>
                        {tr("fields.wish_detail")}
                        <textarea name="detail" rows="3" maxlength=MAX_DETAIL_CHARS data-testid="wish-detail"></textarea>
                    </label>
                    <p class="muted">{quota}</p>
                    <button type="submit" class="primary" disabled=full data-testid="wish-submit">{tr("wish.post_submit")}</button>
                    {result}
                </ActionForm>
            </details>
        }
    });
    let taken = (!w.taken.is_empty()).then(|| {
        view! {
            <h2>{tr("wish.taken")}</h2>
            <WishList rows=w.taken.clone() testid="wish-taken"/>
        }
    });
    let mine = (!w.mine.is_empty()).then(|| {
        view! {
            <h2>{tr("wish.mine")}</h2>
            <WishList rows=w.mine.clone() testid="wish-mine"/>
        }
    });
    // 党员联户: the resident can ask the member who serves their household directly.
    let ask = w.my_member.clone().map(|(name, branch)| {
        view! {
            <div class="box" data-testid="my-member">
                <p>{tr("wish.my_member")} " " <strong data-testid="my-member-name">{name}</strong> " · " {branch}</p>
                <ActionForm action=post attr:class="stack narrow" attr:data-testid="ask-form">
                    <input type="hidden" name="ask" value="1"/>
                    <label>
                        {tr("wish.ask")}
                        <input type="text" name="title" minlength="2" maxlength="40" required data-testid="ask-title"/>
                    </label>
                    <button type="submit" data-testid="ask-submit">{tr("wish.ask_submit")}</button>
                </ActionForm>
            </div>
        }
    });
    let hint = w
        .claimable
        .then(|| view! { <p class="muted">{tr("wish.member_hint")}</p> });
    view! {
        {ask}
        {form}
        {taken}
        {mine}
        <h2>{tr("wish.wall")}</h2>
        <p data-testid="wish-counts">
            <span class="light light-yellow">{tr("wish.state_open")} " " {w.open}</span> " "
            <span class="light light-green">{tr("wish.state_confirmed")} " " {w.come_true}</span>
        </p>
        {hint}
        <WishList rows=w.wall testid="wish-wall"/>
    }
}

fn state_class(state: &str) -> &'static str {
    match state {
        "open" => "light light-yellow",
        "confirmed" => "light light-green",
        "withdrawn" => "light light-grey",
        _ => "light light-blue",
    }
}

#[component]
fn WishList(rows: Vec<WishRow>, testid: &'static str) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted" data-testid=testid>{tr("wish.none")}</p> }.into_any();
    }
    let items = rows
        .into_iter()
        .map(|w| {
            let claimer = w.claimer.clone().map(|c| view! { " · " {tr("wish.by")} " " {c} });
            view! {
                <li class="wish" data-testid="wish-item" data-state=w.state.clone()>
                    <span class=state_class(&w.state)>{tr(&format!("wish.state_{}", w.state))}</span> " "
                    <a href=format!("/wishes/{}", w.id) data-testid="wish-link">{w.title.clone()}</a>
                    <br/>
                    <span class="muted">{w.village.clone()} " · " {w.poster.clone()} " · " {when(w.created_at)} {claimer}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="plain wishes" data-testid=testid>{items}</ul> }.into_any()
}

#[component]
pub fn WishPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0))
    });
    let act = ServerAction::<WishAct>::new();
    let data = Resource::new(
        move || (id.get(), act.version().get()),
        |(id, _)| get_wish(id),
    );
    view! {
        <section class="party-page wish-page" data-testid="wish-page">
            <p><a href="/wishes">{tr("wish.title")}</a></p>
            <Suspense fallback=loading>
                {move || data.get().map(|r| answer(r, |d| view! { <Detail d=d act=act/> }.into_any()))}
            </Suspense>
        </section>
    }
}

#[component]
fn Detail(d: WishDetail, act: ServerAction<WishAct>) -> impl IntoView {
    let w = d.wish.clone();
    let steps = [
        ("wish.step_posted", Some(w.created_at)),
        ("wish.step_claimed", w.claimed_at),
        ("wish.step_fulfilled", w.fulfilled_at),
        ("wish.step_confirmed", w.confirmed_at),
    ]
    .into_iter()
    .filter_map(|(k, at)| at.map(|at| view! { <li>{when(at)} " · " {tr(k)}</li> }))
    .collect_view();
    let forms = d
        .actions
        .clone()
        .into_iter()
        .map(|a| {
            let note = matches!(a.as_str(), "fulfil" | "not_yet").then(|| {
                view! {
                    <input type="text" name="note" maxlength=MAX_NOTE_CHARS required
                        placeholder=tr(&format!("wish.note_{a}")) data-testid=format!("wish-note-{a}")/>
                }
            });
            let class = if matches!(a.as_str(), "claim" | "fulfil" | "confirm") {
                "primary"
            } else {
                ""
            };
            let (form_id, button_id, label) = (
                format!("wish-form-{a}"),
                format!("wish-{a}"),
                tr(&format!("wish.do_{a}")),
            );
            view! {
                <ActionForm action=act attr:class="inline" attr:data-testid=form_id>
                    <input type="hidden" name="id" value=w.id.to_string()/>
                    <input type="hidden" name="action" value=a/>
                    {note}
                    <button type="submit" class=class data-testid=button_id>{label}</button>
                </ActionForm>
            }
        })
        .collect_view();
    let failure = move || match act.value().get() {
        Some(Err(e)) => Some(view! { <ErrorText error=e/> }.into_any()),
        _ => None,
    };
    let address = w.address.clone().map(|a| view! { " · " {a} });
    let claimer = w.claimer.clone().map(
        |c| view! { <p data-testid="wish-claimer">{tr("wish.by")} " " <strong>{c}</strong></p> },
    );
    let fulfil_note = (!w.fulfil_note.is_empty()).then(|| {
        view! { <p data-testid="wish-fulfil-note">{tr("wish.what_was_done")} ": " {w.fulfil_note.clone()}</p> }
    });
    let not_yet_note = (!w.not_yet_note.is_empty()).then(|| {
        view! { <p data-testid="wish-not-yet-note">{tr("wish.still_missing")} ": " {w.not_yet_note.clone()}</p> }
    });
    view! {
        <h1 data-testid="wish-heading">{w.title.clone()}</h1>
        <p>
            <span class=state_class(&w.state) data-testid="wish-state" data-state=w.state.clone()>
                {tr(&format!("wish.state_{}", w.state))}
            </span>
            " " {w.village.clone()} " · " {w.poster.clone()} {address}
        </p>
        <p class="minutes">{w.detail.clone()}</p>
        {claimer}
        {fulfil_note}
        {not_yet_note}
        <ul class="plain" data-testid="wish-steps">{steps}</ul>
        <div class="row wish-actions">{forms}</div>
        {failure}
    }
}
