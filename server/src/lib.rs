//! Lianxin's server: configuration, start-up, migrations, routes that are not server functions,
//! the county importer, the demo seeder, and the CLI.

pub mod alloc;
pub mod bench;
pub mod bench_screen;
pub mod bench_security;
pub mod catalog;
pub mod cli;
pub mod csrf;
pub mod db;
pub mod demo;
pub mod headers;
pub mod history;
pub mod import;
pub mod intake;
pub mod jobs;
pub mod limits;
pub mod live;
pub mod locate;
pub mod photos;
pub mod points;
pub mod reply;
pub mod screen;
pub mod sessions;
pub mod web;
pub mod wechat;
