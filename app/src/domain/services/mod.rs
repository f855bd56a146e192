//! Resident services (便民服务): the catalogue's labels and online booking (网上约办) at a
//! service point. Pure rules; the store decides a booking with one conditional statement and
//! these rules say why a refused one was refused.

pub mod access;
pub mod booking;

#[cfg(test)]
mod tests;

pub use access::*;
pub use booking::*;
