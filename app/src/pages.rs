//! Pages load on demand, in seven WASM chunks (`cargo leptos --split`), each holding the pages
//! one kind of user moves between: a villager's `/report` downloads the shell and the report
//! pages, not the command room, the map or the large screen. Few chunks rather than one per
//! page: on a phone every extra file is another round trip, and pages of one group share most
//! of their code. Sign-in and the home page are in the shell itself.
//!
//! On the server a lazy page renders as any other and names its chunk in the page's `<head>`,
//! so the browser fetches it beside the main module.
//!
//! The villagers' build (`app::villager`) never hydrates `App`, so none of this is in it.

use leptos::prelude::*;
use leptos_router::LazyRoute;

use crate::features::archive::page::{ArchivePage, HouseholdPage};
use crate::features::catalog::calendar_page::CalendarPage;
use crate::features::catalog::categories_page::CategoriesPage;
use crate::features::disclosures::desk_page::OpenDeskPage;
use crate::features::disclosures::page::{DisclosurePage, OpenPage};
use crate::features::events::console_page::ConsolePage;
use crate::features::events::event_page::EventPage;
use crate::features::events::my_page::MyPage;
use crate::features::events::overdue_page::OverduePage;
use crate::features::events::report_page::ReportPage;
use crate::features::jobs::desk_page::JobsDeskPage;
use crate::features::jobs::page::{JobPage, JobsPage};
use crate::features::kpi::page::KpiPage;
use crate::features::map::page::MapPage;
use crate::features::me::page::MePage;
use crate::features::org::page::OrgPage;
use crate::features::party::affairs_page::AffairsPage;
use crate::features::party::compliance_page::CompliancePage;
use crate::features::party::dev_page::{ApplicantPage, DevelopmentPage};
use crate::features::party::links_page::LinksPage;
use crate::features::party::meeting_page::MeetingPage;
use crate::features::party::page::PartyPage;
use crate::features::party::posts_page::PostsPage;
use crate::features::party::rectify_page::RectifyPage;
use crate::features::party::wish_page::{WishPage, WishesPage};
use crate::features::scoring::page::{LedgerPage, ScoresPage};
use crate::features::screen::page::{ScreenPage, SummaryPage};
use crate::features::services::desk_page::DeskPage;
use crate::features::services::page::ServicesPage;
use crate::features::services::proxy_page::ProxyPage;
use crate::features::volunteers::desk_page::VolunteerDeskPage;
use crate::features::volunteers::page::VolunteerPage;

/// The pages of the chunks, by name.
#[derive(Debug, Clone, Copy)]
pub enum Page {
    Report,
    My,
    Me,
    Event,
    Console,
    Overdue,
    Kpi,
    Scores,
    Ledger,
    Org,
    Categories,
    Calendar,
    Map,
    Screen,
    Summary,
    Party,
    Meeting,
    Compliance,
    Wishes,
    Wish,
    Development,
    Applicant,
    Links,
    Rectify,
    Posts,
    Affairs,
    Services,
    Desk,
    Volunteer,
    VolunteerDesk,
    Proxy,
    Open,
    Disclosure,
    OpenDesk,
    Jobs,
    Job,
    JobsDesk,
    Archive,
    Household,
}

/// A page group: a lazily loaded chunk of the split build. The villagers' build hydrates only
/// islands, never `App`, and has no splitter: there the groups are plain async functions that
/// nothing calls (a `#[lazy]` body is an exported symbol the linker would keep, and with it
/// every page).
macro_rules! group {
    ($(#[$m:meta])* fn $name:ident($p:ident: Page) -> AnyView $body:block) => {
        $(#[$m])*
        #[cfg(not(feature = "villager"))]
        #[leptos::lazy]
        fn $name($p: Page) -> AnyView $body

        $(#[$m])*
        #[cfg(feature = "villager")]
        async fn $name($p: Page) -> AnyView $body
    };
}

group! {
    /// Residents and party members: reporting and their own reports.
    fn resident_pages(p: Page) -> AnyView {
        match p {
            Page::My => view! { <MyPage/> }.into_any(),
            Page::Me => view! { <MePage/> }.into_any(),
            _ => view! { <ReportPage/> }.into_any(),
        }
    }
}

group! {
    /// An event's page, for its reporter and for those handling it.
    fn event_pages(_p: Page) -> AnyView {
        view! { <EventPage/> }.into_any()
    }
}

group! {
    /// The command room, the administration and the residents' archive.
    fn room_pages(p: Page) -> AnyView {
        match p {
            Page::Overdue => view! { <OverduePage/> }.into_any(),
            Page::Kpi => view! { <KpiPage/> }.into_any(),
            Page::Scores => view! { <ScoresPage/> }.into_any(),
            Page::Ledger => view! { <LedgerPage/> }.into_any(),
            Page::Org => view! { <OrgPage/> }.into_any(),
            Page::Categories => view! { <CategoriesPage/> }.into_any(),
            Page::Calendar => view! { <CalendarPage/> }.into_any(),
            Page::Archive => view! { <ArchivePage/> }.into_any(),
            Page::Household => view! { <HouseholdPage/> }.into_any(),
            _ => view! { <ConsolePage/> }.into_any(),
        }
    }
}

group! {
    /// The command map (Leaflet with clustering, the live feed).
    fn map_pages(_p: Page) -> AnyView {
        view! { <MapPage/> }.into_any()
    }
}

group! {
    /// The leaders' large screen and the monthly summary.
    fn screen_pages(p: Page) -> AnyView {
        match p {
            Page::Summary => view! { <SummaryPage/> }.into_any(),
            _ => view! { <ScreenPage/> }.into_any(),
        }
    }
}

group! {
    /// Branch life: members' check-in, the secretary's meetings, the compliance matrix, member
    /// development.
    fn party_pages(p: Page) -> AnyView {
        match p {
            Page::Meeting => view! { <MeetingPage/> }.into_any(),
            Page::Compliance => view! { <CompliancePage/> }.into_any(),
            Page::Development => view! { <DevelopmentPage/> }.into_any(),
            Page::Applicant => view! { <ApplicantPage/> }.into_any(),
            Page::Links => view! { <LinksPage/> }.into_any(),
            Page::Rectify => view! { <RectifyPage/> }.into_any(),
            Page::Posts => view! { <PostsPage/> }.into_any(),
            Page::Affairs => view! { <AffairsPage/> }.into_any(),
            _ => view! { <PartyPage/> }.into_any(),
        }
    }
}

group! {
    /// Small wishes: the village wall, a wish and its steps. Its own chunk, so a villager's
    /// `/report` does not carry it and the wall does not carry branch life.
    fn wish_pages(p: Page) -> AnyView {
        match p {
            Page::Wish => view! { <WishPage/> }.into_any(),
            _ => view! { <WishesPage/> }.into_any(),
        }
    }
}

group! {
    /// Resident services: the catalogue and bookings, volunteers, 三务公开, jobs, and their desks.
    fn service_pages(p: Page) -> AnyView {
        match p {
            Page::Desk => view! { <DeskPage/> }.into_any(),
            Page::Volunteer => view! { <VolunteerPage/> }.into_any(),
            Page::VolunteerDesk => view! { <VolunteerDeskPage/> }.into_any(),
            Page::Proxy => view! { <ProxyPage/> }.into_any(),
            Page::Open => view! { <OpenPage/> }.into_any(),
            Page::Disclosure => view! { <DisclosurePage/> }.into_any(),
            Page::OpenDesk => view! { <OpenDeskPage/> }.into_any(),
            Page::Jobs => view! { <JobsPage/> }.into_any(),
            Page::Job => view! { <JobPage/> }.into_any(),
            Page::JobsDesk => view! { <JobsDeskPage/> }.into_any(),
            _ => view! { <ServicesPage/> }.into_any(),
        }
    }
}

// `preload` fetches the group's chunk (the `__preload_*` function `#[lazy]` makes in the WASM
// build): the router awaits it before hydrating, so the page hydrates against its own HTML
// rather than against a pending placeholder.
macro_rules! lazy_pages {
    ($($route:ident => $chunk:ident / $preload:ident ($page:ident)),* $(,)?) => { $(
        #[derive(Debug)]
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                $chunk(Page::$page).await
            }

            async fn preload() {
                #[cfg(all(target_arch = "wasm32", not(feature = "villager")))]
                $preload().await;
            }
        }
    )* };
}

lazy_pages! {
    ReportRoute => resident_pages / __preload_resident_pages (Report),
    MyRoute => resident_pages / __preload_resident_pages (My),
    MeRoute => resident_pages / __preload_resident_pages (Me),
    EventRoute => event_pages / __preload_event_pages (Event),
    ConsoleRoute => room_pages / __preload_room_pages (Console),
    OverdueRoute => room_pages / __preload_room_pages (Overdue),
    KpiRoute => room_pages / __preload_room_pages (Kpi),
    ScoresRoute => room_pages / __preload_room_pages (Scores),
    LedgerRoute => room_pages / __preload_room_pages (Ledger),
    OrgRoute => room_pages / __preload_room_pages (Org),
    CategoriesRoute => room_pages / __preload_room_pages (Categories),
    CalendarRoute => room_pages / __preload_room_pages (Calendar),
    ArchiveRoute => room_pages / __preload_room_pages (Archive),
    HouseholdRoute => room_pages / __preload_room_pages (Household),
    MapRoute => map_pages / __preload_map_pages (Map),
    ScreenRoute => screen_pages / __preload_screen_pages (Screen),
    SummaryRoute => screen_pages / __preload_screen_pages (Summary),
    PartyRoute => party_pages / __preload_party_pages (Party),
    MeetingRoute => party_pages / __preload_party_pages (Meeting),
    ComplianceRoute => party_pages / __preload_party_pages (Compliance),
    DevelopmentRoute => party_pages / __preload_party_pages (Development),
    ApplicantRoute => party_pages / __preload_party_pages (Applicant),
    LinksRoute => party_pages / __preload_party_pages (Links),
    RectifyRoute => party_pages / __preload_party_pages (Rectify),
    PostsRoute => party_pages / __preload_party_pages (Posts),
    AffairsRoute => party_pages / __preload_party_pages (Affairs),
    WishesRoute => wish_pages / __preload_wish_pages (Wishes),
    WishRoute => wish_pages / __preload_wish_pages (Wish),
    ServicesRoute => service_pages / __preload_service_pages (Services),
    DeskRoute => service_pages / __preload_service_pages (Desk),
    VolunteerRoute => service_pages / __preload_service_pages (Volunteer),
    VolunteerDeskRoute => service_pages / __preload_service_pages (VolunteerDesk),
    ProxyRoute => service_pages / __preload_service_pages (Proxy),
    OpenRoute => service_pages / __preload_service_pages (Open),
    DisclosureRoute => service_pages / __preload_service_pages (Disclosure),
    OpenDeskRoute => service_pages / __preload_service_pages (OpenDesk),
    JobsRoute => service_pages / __preload_service_pages (Jobs),
    JobRoute => service_pages / __preload_service_pages (Job),
    JobsDeskRoute => service_pages / __preload_service_pages (JobsDesk),
}
