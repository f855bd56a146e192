//! The server's integration tests, one binary (each module a former file): real SQLite files and
//! a real PostgreSQL server, the real router with real sessions.

mod common;

mod affairs;
mod archive;
mod assets;
mod audit;
mod auth;
mod authz;
mod catalog;
mod deadlines;
mod development;
mod disclosures;
mod events;
mod history;
mod import;
mod intake;
mod jobs;
mod kpi;
mod links;
mod live;
mod map;
mod party;
mod posts;
mod proxy;
mod rectify;
mod schema;
mod scoring;
mod screen;
mod sealed;
mod security;
mod services;
mod signin;
mod store;
mod visibility;
mod volunteers;
mod wishes;
