//! Pure rules shared by the WASM client and the server: no leptos, no sqlx, no I/O.

pub mod codes;
pub mod identity;
pub mod lockout;
pub mod org;
pub mod roles;
pub mod scope;
