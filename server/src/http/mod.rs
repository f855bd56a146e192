//! The HTTP side: the router, the layers a request passes (headers, sessions, the cross-site
//! guard, error statuses, quotas), the caller, and the routes that are not server functions
//! (reports, event and meeting photos, WeChat sign-in, language switch, health).

pub mod assets;
pub mod caller;
pub mod csrf;
pub mod declarations;
pub mod disclosures;
pub mod headers;
pub mod jobs_export;
pub mod limits;
pub mod meeting_photos;
pub mod photos;
pub mod reply;
pub mod report;
pub mod router;
pub mod sessions;
pub mod state;
pub mod wechat;

pub use router::{leptos_options, router, router_with_live};
pub use state::{AppState, WebConfig};
