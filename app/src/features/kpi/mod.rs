//! KPIs per org unit and period (接收率, 办结率, 按期办结率, 反馈率, 满意率, 村内解决率), with the
//! units one level down side by side.

pub mod api;
pub mod page;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
