//! Volunteer service (志愿服务): a team's activities with a sign-up limit, check-in with the
//! code shown on the spot, and service hours credited to each volunteer who checked in when the
//! organiser closes the activity — a ledger, like points. Pure rules; the store decides a place
//! with one conditional statement and these rules say why a refused one was refused.

pub mod activity;
pub mod hours;

#[cfg(test)]
mod tests;

pub use activity::*;
pub use hours::*;
