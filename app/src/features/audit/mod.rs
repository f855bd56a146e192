//! The audit trail (操作日志): every write that matters appends a row in its own transaction;
//! the rows form a hash chain (`domain::audit`) that `server audit verify` walks.

#[cfg(feature = "ssr")]
pub mod repo;
