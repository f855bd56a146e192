//! 务工信息: jobs posted by the human resources bureau, a township or an employer through them,
//! residents' views and registered interest, and the demand picture the bureau reads — views and
//! interest per day, by age band, sex, township and trade, with no names. Every view or interest
//! is counted into its cell (day × township × trade × band × sex) when it happens, so a year's
//! picture is a sum of cells, never a scan of people.

pub mod picture;
pub mod posting;

#[cfg(test)]
mod tests;

pub use picture::*;
pub use posting::*;
