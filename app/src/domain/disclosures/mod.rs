//! 三务公开 and notices: a village's party, village-affairs and financial disclosures for a
//! month, published by the 10th of the month after it (on time, late or missing — this counts
//! on the weekly red and black lists), and notices from a village, township or county to the
//! residents of that area. A financial disclosure carries its table of income and expenditure
//! and the totals it declares, which must equal the sum of its lines.

pub mod access;
pub mod finance;
pub mod period;

#[cfg(test)]
mod tests;

pub use access::*;
pub use finance::*;
pub use period::*;
