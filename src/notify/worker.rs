//! The worker: every few seconds it queues the notes of changes that took effect, fans new events
//! out to their recipients, then claims the deliveries that are due, sends them and records each
//! attempt. Sending happens after the claim is committed: a crash in between leaves the delivery
//! claimed for a while, then due again, and it is sent with the same id.

use std::time::Duration;

use crate::date::{now, today};
use crate::db::{Database, DbError};
use crate::registry::outbox::{self, Channel, Due};
use crate::registry::{link, webhook};
use crate::rules::RuleSet;

use super::mail::{Mailer, Outgoing};
use super::{fanout, messages, webhooks};

/// Deliveries claimed per round: with each send given at most 20 s (SMTP; webhooks 15 s), a
/// round ends well within the claim's hold (`outbox::HOLD`).
const BATCH: i64 = 10;

#[derive(Clone)]
pub struct Worker {
    pub db: Database,
    pub rules: &'static RuleSet,
    /// `None`: no mail server configured; e-mails wait in the outbox.
    pub mailer: Option<Mailer>,
    /// The site's address, for the links in messages.
    pub base_url: String,
    /// The time between rounds.
    pub interval: Duration,
    /// Posts webhook deliveries.
    pub http: reqwest::Client,
}

impl Worker {
    /// Runs rounds on the current actix system until it stops.
    pub fn spawn(self) {
        actix_web::rt::spawn(async move {
            loop {
                actix_web::rt::time::sleep(self.interval).await;
                if let Err(e) = self.round().await {
                    tracing::warn!("outbox: {e}");
                }
            }
        });
    }

    /// One round; returns how many deliveries it attempted.
    pub async fn round(&self) -> Result<usize, DbError> {
        let (db, rules) = (self.db.clone(), self.rules);
        let mut channels = vec![Channel::Webhook];
        channels.extend(self.mailer.iter().map(|_| Channel::Email));
        let due = blocking(move || {
            let mut conn = db.get()?;
            let key = link::key(&mut conn)?;
            outbox::effective_events(&mut conn, today(), now())?;
            super::reminders::queue_weekly(&mut conn, today())?;
            outbox::fan_out(&mut conn, BATCH, now(), |conn, event| {
                fanout::deliveries(conn, rules, &key, event)
            })?;
            outbox::claim(&mut conn, &channels, BATCH, now())
        })
        .await?;
        let attempted = due.len();
        for delivery in due {
            let outcome = self.send(&delivery).await;
            if let Err(e) = &outcome {
                tracing::warn!("delivery {} to {}: {e}", delivery.id, delivery.recipient);
            }
            let db = self.db.clone();
            blocking(move || outbox::record(&mut *db.get()?, &delivery, outcome, now())).await?;
        }
        Ok(attempted)
    }

    async fn send(&self, d: &Due) -> Result<String, String> {
        match d.channel.as_str() {
            "email" => {
                let Some(mailer) = self.mailer.clone() else {
                    return Err("no mail server is configured".into());
                };
                let message = self.email(d)?;
                actix_web::rt::task::spawn_blocking(move || mailer.send(&message))
                    .await
                    .map_err(|e| format!("sending was interrupted: {e}"))?
            }
            "webhook" => {
                let hook: i32 = d
                    .recipient
                    .parse()
                    .map_err(|_| format!("'{}' names no webhook", d.recipient))?;
                let db = self.db.clone();
                let target = blocking(move || webhook::target(&mut *db.get()?, hook))
                    .await
                    .map_err(|e| e.to_string())?
                    .ok_or("the webhook was removed")?;
                let id = format!("msg_{}", d.id);
                webhooks::post(&self.http, (&target.0, &target.1), &id, &d.payload).await
            }
            other => Err(format!("no sender for channel '{other}'")),
        }
    }

    fn email(&self, d: &Due) -> Result<Outgoing, String> {
        let r = messages::render(&d.kind, &d.payload, &self.base_url)?;
        let host = url::Url::parse(&self.base_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_else(|| "crossborder.invalid".into());
        Ok(Outgoing {
            to: d.recipient.clone(),
            subject: r.subject,
            text: r.text,
            html: r.html,
            message_id: format!("<delivery-{}@{host}>", d.id),
            unsubscribe: r.unsubscribe,
        })
    }
}

/// Database work off the async executor.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, DbError> + Send + 'static,
) -> Result<T, DbError> {
    actix_web::rt::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| Err(DbError::Interrupted(e.to_string())))
}
