//! View pieces shared by several features, so no feature imports another feature's pages: a
//! server function's answer, times, the live feed, one event's view and actions, a grid's
//! ledger card, scoreboard helpers, plain SVG charts.

pub mod action_panel;
pub mod answer;
pub mod charts;
pub mod event_view;
pub mod ledger_card;
pub mod live;
pub mod scores;
pub mod time;
