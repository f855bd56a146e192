//! View pieces shared by several features (no feature imports another feature's pages).

pub mod live;
