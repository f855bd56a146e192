//! Resident services (便民服务): the catalogue's labels, online booking (网上约办) at a
//! service point, and proxy service (代办). Pure rules; the store decides a booking with one conditional statement and
//! these rules say why a refused one was refused.

pub mod access;
pub mod booking;
pub mod proxy;

#[cfg(test)]
mod tests;

pub use access::*;
pub use booking::*;
pub use proxy::*;
