//! Lianxin: the Leptos application shared by the server (ssr) and the browser (hydrate).

#![recursion_limit = "256"]

rust_i18n::i18n!("locales", fallback = "zh-CN");

pub mod clock;
#[cfg(feature = "ssr")]
pub mod crypto;
pub mod domain;
pub mod error;
pub mod features;
pub mod i18n;
#[cfg(feature = "hydrate")]
pub mod js;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod ui;

mod pages;
mod root;
pub mod villager;

#[cfg(feature = "hydrate")]
pub use root::{mark_hydrated, show_reload_prompt};
pub use root::{shell, App};
