//! The HTML shell, the router and the page frame.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
// Pages whose data must be in the first HTML (they work without JavaScript) render async.
use leptos_router::hooks::use_location;
use leptos_router::path;
use leptos_router::SsrMode;

use crate::features::auth::api::whoami;
use crate::features::auth::page::{LoginPage, PasswordPage, UserMenu};
use crate::features::auth::types::CurrentUser;
use crate::features::catalog::calendar_page::CalendarPage;
use crate::features::catalog::categories_page::CategoriesPage;
use crate::features::events::console_page::ConsolePage;
use crate::features::events::event_page::EventPage;
use crate::features::events::my_page::MyPage;
use crate::features::events::overdue_page::OverduePage;
use crate::features::events::report_page::ReportPage;
use crate::features::kpi::page::KpiPage;
use crate::features::map::page::MapPage;
use crate::features::me::page::MePage;
use crate::features::org::page::OrgPage;
use crate::features::scoring::page::{LedgerPage, ScoresPage};
use crate::features::screen::page::{ScreenPage, SummaryPage};
use crate::i18n::{detect_locale, tr, Locale};

/// Rendered on the server only; the browser hydrates the `<body>`.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = detect_locale();
    // A header, not markup: the server and the browser still render the same view.
    #[cfg(feature = "ssr")]
    crate::security::set_page_policy();
    view! {
        <!DOCTYPE html>
        <html lang=locale.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="stylesheet" href="/leaflet/leaflet.css"/>
                <link rel="stylesheet" href="/leaflet/markercluster/MarkerCluster.css"/>
                <script src="/leaflet/leaflet.js"></script>
                <script src="/leaflet/markercluster/leaflet.markercluster.js"></script>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <leptos_meta::MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[derive(Clone, Copy)]
struct UserCtx(Resource<Result<Option<CurrentUser>, crate::error::AppError>>);

/// Marks `<html data-hydrated>` once the page is hydrated: tests and scripts wait for it rather
/// than clicking buttons that have no handlers yet. Called by the WASM entry point after
/// hydration returns.
#[cfg(feature = "hydrate")]
pub fn mark_hydrated() {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}

/// The signed-in user once loaded (None for visitors and while loading).
pub fn use_current_user() -> Option<CurrentUser> {
    use_context::<UserCtx>().and_then(|c| c.0.get().and_then(|r| r.ok()).flatten())
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = detect_locale();
    provide_context(locale);
    let user = Resource::new(|| (), |_| whoami());
    provide_context(UserCtx(user));
    view! {
        <Stylesheet id="leptos" href="/pkg/lianxin.css"/>
        <Meta name="description" content=tr("app.tagline")/>
        <Link rel="icon" href="/favicon.svg"/>
        <Title text=tr("app.name")/>
        <Router>
            <header class="topbar">
                <a href="/" class="brand">
                    {tr("app.name")}
                </a>
                <Suspense fallback=|| view! { <nav></nav> }>
                    {move || user.get().map(|u| view! { <Menu user=u.ok().flatten()/> })}
                </Suspense>
                <span class="spacer"></span>
                <LangSwitch/>
                <Suspense>{move || user.get().map(|u| view! { <UserMenu user=u.ok().flatten()/> })}</Suspense>
            </header>
            <main>
                <Routes fallback=|| view! { <p class="error">{tr("errors.page_not_found")}</p> }>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/my") view=MyPage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/password") view=PasswordPage/>
                    <Route path=path!("/org") view=OrgPage ssr=SsrMode::Async/>
                    <Route path=path!("/me") view=MePage ssr=SsrMode::Async/>
                    <Route path=path!("/report") view=ReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id") view=EventPage ssr=SsrMode::Async/>
                    <Route path=path!("/console") view=ConsolePage/>
                    <Route path=path!("/kpi") view=KpiPage ssr=SsrMode::Async/>
                    <Route path=path!("/overdue") view=OverduePage ssr=SsrMode::Async/>
                    <Route path=path!("/scores") view=ScoresPage ssr=SsrMode::Async/>
                    <Route path=path!("/scores/ledger") view=LedgerPage ssr=SsrMode::Async/>
                    <Route path=path!("/map") view=MapPage/>
                    <Route path=path!("/screen") view=ScreenPage ssr=SsrMode::Async/>
                    <Route path=path!("/summary") view=SummaryPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/catalog") view=CategoriesPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/calendar") view=CalendarPage ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}

/// Plain links through `/lang/{code}`, which sets the cookie and comes back: works without WASM.
#[component]
fn LangSwitch() -> impl IntoView {
    let location = use_location();
    let here = move || {
        let q = location.search.get();
        if q.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{}", location.pathname.get(), q)
        }
    };
    let current = crate::i18n::use_locale();
    Locale::ALL
        .into_iter()
        .filter(move |l| *l != current)
        .map(|l| {
            let label = rust_i18n::t!("lang.self", locale = l.code()).into_owned();
            let href = move || format!("/lang/{}?back={}", l.code(), urlencode(&here()));
            view! {
                <a class="lang" href=href rel="external" data-testid="lang-switch">
                    {label}
                </a>
            }
        })
        .collect_view()
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The pages this user can use, their own work first (`Role::menu`); a visitor's is the
/// report page.
#[component]
fn Menu(user: Option<CurrentUser>) -> impl IntoView {
    let location = use_location();
    let items = user
        .as_ref()
        .map(|u| u.role.menu())
        .unwrap_or(crate::domain::roles::VISITOR_MENU);
    let links = items
        .iter()
        .map(|i| {
            let path = i.path;
            let current = move || location.pathname.get() == path;
            view! {
                <a href=path aria-current=move || current().then_some("page")>
                    {tr(&format!("nav.{}", i.key))}
                </a>
            }
        })
        .collect_view();
    view! { <nav data-testid="menu">{links}</nav> }
}

/// `/`: for a visitor, what Lianxin is and how to start; for a signed-in user, their work.
#[component]
fn HomePage() -> impl IntoView {
    let user = use_context::<UserCtx>().map(|c| c.0);
    let body = move || {
        let u = user.and_then(|r| r.get()).and_then(|r| r.ok()).flatten();
        match u {
            Some(u) => {
                let home = u.role.home();
                let key = format!("home.start_{}", u.role.as_str());
                view! {
                    <p data-testid="home-user">{tr("home.hello")} " " {u.display_name.clone()}</p>
                    <p><a class="button primary" href=home data-testid="home-start">{tr(&key)}</a></p>
                }
                .into_any()
            }
            None => view! {
                <ul class="links">
                    <li><a class="button primary" href="/report" data-testid="home-report">{tr("home.report")}</a></li>
                    <li><a href="/login" data-testid="home-login">{tr("home.staff")}</a></li>
                </ul>
            }
            .into_any(),
        }
    };
    view! {
        <section class="home">
            <h1>{tr("app.name")}</h1>
            <p>{tr("app.tagline")}</p>
            <Suspense fallback=|| ()>{body}</Suspense>
        </section>
    }
}
