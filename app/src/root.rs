//! The HTML shell, the router and the page frame.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, Title};
use leptos_router::components::{Route, Router, Routes};
// Pages whose data must be in the first HTML (they work without JavaScript) render async.
use leptos_router::hooks::use_location;
use leptos_router::SsrMode;
use leptos_router::{path, Lazy};

use crate::features::auth::api::whoami;
use crate::features::auth::page::{LoginPage, PasswordPage, UserMenu};
use crate::features::auth::types::CurrentUser;
use crate::i18n::{detect_locale, tr, Locale};
use crate::pages::*;

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
                <HashedStylesheet options=options.clone() id="leptos"/>
                <AutoReload options=options.clone()/>
                <ReloadWatch/>
                <crate::villager::Scripts options/>
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

/// Shows the "updated, reload" notice (rendered hidden in every page by `App`). Called when
/// the WASM panics, which after a failed chunk load is how a page from an older build finds
/// that its files are gone.
#[cfg(feature = "hydrate")]
pub fn show_reload_prompt() {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("lx-reload"))
    {
        let _ = el.remove_attribute("hidden");
    }
}

/// Before any WASM runs: a page whose main module or a chunk cannot be fetched or compiled
/// (the server now runs a newer build) shows the notice instead of staying half alive.
#[component]
fn ReloadWatch() -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    let script = r#"addEventListener("unhandledrejection",function(e){var m=String(e.reason&&(e.reason.message||e.reason));if(/\/pkg\/|WebAssembly|dynamically imported|split module/.test(m)){var el=document.getElementById("lx-reload");if(el)el.hidden=false}});"#;
    view! { <script nonce=nonce>{script}</script> }
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
        <Meta name="description" content=tr("app.tagline")/>
        <Link rel="icon" href="/favicon.svg"/>
        <Title text=tr("app.name")/>
        <div id="lx-reload" class="reload-prompt" role="alert" hidden data-testid="reload-prompt">
            {tr("app.reload")} " " <a href="" rel="external">{tr("app.reload_now")}</a>
        </div>
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
                    <Route path=path!("/my") view={Lazy::<MyRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/password") view=PasswordPage/>
                    <Route path=path!("/org") view={Lazy::<OrgRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/me") view={Lazy::<MeRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/archive") view={Lazy::<ArchiveRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/archive/:id") view={Lazy::<HouseholdRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/report") view={Lazy::<ReportRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id") view={Lazy::<EventRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/console") view={Lazy::<ConsoleRoute>::new()}/>
                    <Route path=path!("/kpi") view={Lazy::<KpiRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/overdue") view={Lazy::<OverdueRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/scores") view={Lazy::<ScoresRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/scores/ledger") view={Lazy::<LedgerRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/map") view={Lazy::<MapRoute>::new()}/>
                    <Route path=path!("/screen") view={Lazy::<ScreenRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/summary") view={Lazy::<SummaryRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/party") view={Lazy::<PartyRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/party/meetings/:id") view={Lazy::<MeetingRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/party/compliance") view={Lazy::<ComplianceRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/party/development") view={Lazy::<DevelopmentRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/party/development/:id") view={Lazy::<ApplicantRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/party/links") view={Lazy::<LinksRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/party/rectify") view={Lazy::<RectifyRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/party/posts") view={Lazy::<PostsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/party/affairs") view={Lazy::<AffairsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/wishes") view={Lazy::<WishesRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/wishes/:id") view={Lazy::<WishRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/services") view={Lazy::<ServicesRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/services/desk") view={Lazy::<DeskRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/services/proxy") view={Lazy::<ProxyRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/volunteer") view={Lazy::<VolunteerRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/volunteer/desk") view={Lazy::<VolunteerDeskRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/open") view={Lazy::<OpenRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/open/desk") view={Lazy::<OpenDeskRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/open/:id") view={Lazy::<DisclosureRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/jobs") view={Lazy::<JobsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/jobs/desk") view={Lazy::<JobsDeskRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/jobs/:id") view={Lazy::<JobRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/catalog") view={Lazy::<CategoriesRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/calendar") view={Lazy::<CalendarRoute>::new()} ssr=SsrMode::Async/>
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
