//! 志愿服务: volunteer teams and their activities — sign up within the limit, check in with the
//! code shown on the spot, hours credited at closing, rankings of teams and volunteers.

pub mod api;
pub mod desk_page;
pub mod page;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
