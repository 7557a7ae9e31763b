//! Issue 15: the attacks that did not hold, each replayed (on SQLite, and on PostgreSQL when
//! CROSSBORDER_TEST_POSTGRES_URL is set): control characters, CSV injection, lockout abuse,
//! organisations as tenants, revoked and long-lived tokens, HTTP methods, bodies, import values.

mod accounts_api;
mod cli_text;
mod csv;
mod http;
mod import;
mod memberships;
mod sign_in;
mod tenancy;
mod text;
mod tokens;
