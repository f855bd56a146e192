//! What is pushed as it happens: the live feed of event changes (`/live`) and the screens'
//! versioned patches (`/screen/live`).

pub mod live;
pub mod screens;
