//! The server's integration tests, one binary: the real app on a random port with a database of
//! each test's own (SQLite, or PostgreSQL when CROSSBORDER_TEST_POSTGRES_URL is set), driven over
//! HTTP as clients and browsers drive it, plus the commands that work on its database. One module
//! per feature; the verbs they share (spawning the app, signing in, the API, the audit log) live
//! in `support`, which the browser tests use too. One binary links the crate once, not once a
//! file.

#[path = "../support/mod.rs"]
mod support;

mod api;
mod api_auth;
mod busy;
mod cache;
mod corrupt;
mod export;
mod feeds;
mod hardening;
mod history;
mod instances;
mod notices;
mod organisations;
mod public;
mod schema;
mod seeding;
mod snapshots;
mod workspace;
mod write_costs;
