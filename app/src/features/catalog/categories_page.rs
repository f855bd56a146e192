//! /admin/catalog: every category by board, each row its own form (time limit, default level,
//! owning departments at township and county, retired or not), and a form to add one. Works as
//! plain form posts without WASM.

use leptos::prelude::*;

use super::api::{get_catalog, AddCategory, SaveCategory};
use super::types::{Catalog, CatalogEntry};
use crate::domain::catalog::BOARDS;
use crate::i18n::{tr, use_locale};
use crate::ui::answer::{answer, ErrorText};

const LEVELS: [&str; 4] = ["grid", "village", "township", "county"];

/// The two admin pages' shared header links.
#[component]
pub fn AdminTabs(here: &'static str) -> impl IntoView {
    let tab = move |key: &'static str, href: &'static str| {
        let class = if key == here { "period on" } else { "period" };
        view! { <a href=href class=class>{tr(&format!("admin.tab_{key}"))}</a> }
    };
    view! {
        <nav class="periods">
            {tab("catalog", "/admin/catalog")}
            {tab("calendar", "/admin/calendar")}
        </nav>
    }
}

#[component]
pub fn CategoriesPage() -> impl IntoView {
    let add = ServerAction::<AddCategory>::new();
    let catalog = Resource::new(move || add.version().get(), |_| get_catalog());
    view! {
        <section class="admin" data-testid="catalog-page">
            <h1>{tr("admin.catalog_title")}</h1>
            <AdminTabs here="catalog"/>
            <p class="muted">{tr("admin.applies_to_new")}</p>
            <Suspense fallback=move || view! { <p class="muted">{tr("common.loading")}</p> }>
                {move || {
                    catalog
                        .get()
                        .map(|r| answer(r, |c| view! { <CatalogView c=c add=add/> }.into_any()))
                }}
            </Suspense>
        </section>
    }
}

fn options(values: &[String]) -> impl IntoView {
    values
        .iter()
        .map(|v| view! { <option value=v.clone()></option> })
        .collect_view()
}

fn level_options(selected: &str) -> impl IntoView {
    LEVELS
        .iter()
        .map(|l| {
            view! { <option value=*l selected=*l == selected>{tr(&format!("levels.{l}"))}</option> }
        })
        .collect_view()
}

fn limit_kind_options(selected: &str) -> impl IntoView {
    ["hours", "days"]
        .iter()
        .map(|k| {
            view! { <option value=*k selected=*k == selected>{tr(&format!("admin.limit_{k}"))}</option> }
        })
        .collect_view()
}

#[component]
fn CatalogView(c: Catalog, add: ServerAction<AddCategory>) -> impl IntoView {
    let boards = BOARDS
        .iter()
        .map(|(board, _)| {
            let rows = c
                .entries
                .iter()
                .filter(|e| e.category.board == *board)
                .cloned()
                .map(|e| view! { <CategoryRow e=e/> })
                .collect_view();
            view! {
                <h2>{tr(&format!("boards.{board}"))}</h2>
                <div class="cat-head" aria-hidden="true">
                    <span>{tr("fields.category")}</span>
                    <span>{tr("admin.limit")}</span>
                    <span>{tr("admin.default_level")}</span>
                    <span>{tr("admin.township_department")}</span>
                    <span>{tr("admin.county_department")}</span>
                    <span>{tr("admin.active")}</span>
                    <span></span>
                </div>
                <div class="cat-rows">{rows}</div>
            }
        })
        .collect_view();
    let add_result = move || match add.value().get() {
        Some(Ok(code)) => Some(
            view! { <p class="ok" role="status">{tr("admin.added")} " " {code}</p> }.into_any(),
        ),
        Some(Err(e)) => Some(view! { <ErrorText error=e/> }.into_any()),
        None => None,
    };
    let board_options = BOARDS
        .iter()
        .map(|(b, _)| view! { <option value=*b>{tr(&format!("boards.{b}"))}</option> })
        .collect_view();
    view! {
        <datalist id="town-depts">{options(&c.township_departments)}</datalist>
        <datalist id="county-depts">{options(&c.county_departments)}</datalist>
        {boards}
        <h2>{tr("admin.add_category")}</h2>
        <ActionForm action=add attr:class="add-category" attr:data-testid="add-category">
            <label>{tr("admin.board")} <select name="board">{board_options}</select></label>
            <label>{tr("admin.name_zh")} <input type="text" name="name_zh" required maxlength="30"/></label>
            <label>{tr("admin.name_en")} <input type="text" name="name_en" maxlength="60"/></label>
            <label>
                {tr("admin.limit")}
                <input type="number" name="limit_value" min="1" max="720" value="5" required/>
                <select name="limit_kind">{limit_kind_options("days")}</select>
            </label>
            <label>{tr("admin.default_level")} <select name="default_level">{level_options("township")}</select></label>
            <label>
                {tr("admin.township_department")}
                <input type="text" name="township_department" list="town-depts" required/>
            </label>
            <label>
                {tr("admin.county_department")}
                <input type="text" name="county_department" list="county-depts" required/>
            </label>
            <button type="submit">{tr("admin.add")}</button>
        </ActionForm>
        {add_result}
    }
}

#[component]
fn CategoryRow(e: CatalogEntry) -> impl IntoView {
    let save = ServerAction::<SaveCategory>::new();
    let locale = use_locale();
    let c = e.category;
    let name = c.name(locale.code()).to_string();
    let status = move || {
        if save.pending().get() {
            return Some(view! { <span class="muted">"…"</span> }.into_any());
        }
        match save.value().get() {
            Some(Ok(())) => {
                Some(view! { <span class="ok" role="status">{tr("admin.saved")}</span> }.into_any())
            }
            Some(Err(err)) => Some(view! { <ErrorText error=err/> }.into_any()),
            None => None,
        }
    };
    let open = (e.open_events > 0).then(|| {
        view! { <span class="muted">" · " {tr("admin.open_events")} " " {e.open_events}</span> }
    });
    let testid = format!("cat-{}", c.code);
    view! {
        <ActionForm action=save attr:class="cat-row" attr:data-testid=testid>
            <input type="hidden" name="id" value=c.id/>
            <span class="cat-name">
                <span class="muted code">{c.code.clone()}</span>
                " "
                {name.clone()}
                {open}
            </span>
            <span class="cat-limit">
                <input
                    type="number"
                    name="limit_value"
                    min="1"
                    max="720"
                    value=c.limit_value
                    aria-label=format!("{name} {}", tr("admin.limit"))
                    required
                />
                <select name="limit_kind" aria-label=tr("admin.limit_unit")>
                    {limit_kind_options(&c.limit_kind)}
                </select>
            </span>
            <select name="default_level" aria-label=tr("admin.default_level")>
                {level_options(&c.default_level)}
            </select>
            <input
                type="text"
                name="township_department"
                list="town-depts"
                value=e.township_department
                aria-label=tr("admin.township_department")
                required
            />
            <input
                type="text"
                name="county_department"
                list="county-depts"
                value=e.county_department
                aria-label=tr("admin.county_department")
                required
            />
            <input type="checkbox" name="active" checked=e.active aria-label=tr("admin.active")/>
            <span>
                <button type="submit">{tr("admin.save")}</button>
                {status}
            </span>
        </ActionForm>
    }
}
