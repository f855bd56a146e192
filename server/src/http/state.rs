//! What every handler shares (`AppState`) and what the router is built from (`WebConfig`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use app::ssr::{AppCtx, SmsSender};
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use super::limits::Limits;
use super::sessions::SessionEnds;
use super::wechat::WechatConfig;
use crate::geo::locate::Locator;
use crate::realtime::live::Live;
use crate::realtime::screens::ScreenHub;

#[derive(Clone)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub ctx: AppCtx,
    pub data_dir: PathBuf,
    pub live: Live,
    pub screens: ScreenHub,
    pub locator: Locator,
    pub limits: Limits,
    pub wechat: Option<WechatConfig>,
    pub http: reqwest::Client,
    pub session_ends: SessionEnds,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos.clone()
    }
}

pub struct WebConfig {
    pub site_root: PathBuf,
    pub addr: SocketAddr,
    pub tile_url: Option<String>,
    pub secure_cookies: bool,
    /// Uploads go under `data_dir/photos`.
    pub data_dir: PathBuf,
    pub wechat: Option<WechatConfig>,
    /// None: the demo sender, which writes codes to the log.
    pub sms: Option<Arc<dyn SmsSender>>,
    /// None: the production quotas (`Limits::default`).
    pub limits: Option<Limits>,
    /// This site as users reach it, for links opened from elsewhere (the check-in QR code).
    pub public_url: Option<String>,
}
