//! Notice that reaches people: the messages, the mail server and the worker that sends what the
//! outbox holds (`registry::outbox`).

pub mod fanout;
pub mod mail;
pub mod messages;
pub mod reminders;
pub mod webhooks;
pub mod worker;

pub use mail::{MailConfig, MailConfigError, Mailer};
pub use worker::Worker;
