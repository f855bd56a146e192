//! The residents' archive (民情档案): who may open a household, who may see an identifier in
//! full (with a reason, a few times an hour, every time logged and shown to the resident).

pub mod access;

#[cfg(test)]
mod tests;

pub use access::*;
