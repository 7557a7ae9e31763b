//! What the server's tests share: the real server on a random port, with a database of its own,
//! and the verbs the tests speak to it with (sign in, post a form, call the API, read the audit
//! log). Both the `app` and the `browser` test binaries include it (`#[path]`).
// The browser binary uses few of these verbs, and no binary uses every one.
#![allow(dead_code, unused_imports)]

mod api;
mod audit;
mod database;
mod page;
mod receiver;
mod server;
mod session;
mod smtp;

pub use api::*;
pub use audit::*;
pub use database::*;
pub use page::*;
pub use receiver::*;
pub use server::*;
pub use session::*;
pub use smtp::*;
