//! Resident services (便民服务): the service catalogue with its four labels and online booking
//! (网上约办) at service points — a resident's `/services`, a desk's `/services/desk`.

pub mod api;
pub mod desk_page;
pub mod page;
pub mod proxy_api;
pub mod proxy_page;
#[cfg(feature = "ssr")]
pub mod proxy_repo;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
