//! Mail, through an SMTP server (lettre): `--smtp-url` / `SMTP_URL` (`smtp://host:port`,
//! `smtps://user:pass@host:465`, `smtp://host:587?tls=required` for STARTTLS) and `--mail-from` /
//! `MAIL_FROM`. Every message is plain text plus HTML, with a stable `Message-ID`.

use std::time::Duration;

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{Message, SmtpTransport, Transport};

use crate::auth::Secret;

/// Where and as whom mail is sent. The URL may hold a password: it is kept as a secret.
#[derive(Debug, Clone)]
pub struct MailConfig {
    smtp_url: Secret,
    pub from: Mailbox,
}

#[derive(Debug, thiserror::Error)]
pub enum MailConfigError {
    #[error(
        "--smtp-url / SMTP_URL: not an SMTP address ({0}); give one such as smtp://127.0.0.1:25, smtps://user:password@smtp.example.com:465 or smtp://smtp.example.com:587?tls=required"
    )]
    Url(String),
    #[error(
        "--mail-from / MAIL_FROM: '{0}' is not an address such as \"Privacy <privacy@example.com>\" ({1})"
    )]
    From(String, String),
    #[error(
        "--mail-from / MAIL_FROM is needed with --smtp-url / SMTP_URL: the address mail is sent from"
    )]
    NoFrom,
}

impl MailConfig {
    /// Checks both settings at start, so that a typo is an error then, not a failure per message.
    pub fn parse(smtp_url: &str, from: Option<&str>) -> Result<Self, MailConfigError> {
        SmtpTransport::from_url(smtp_url.trim())
            .map_err(|e| MailConfigError::Url(e.to_string()))?;
        let from = from
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .ok_or(MailConfigError::NoFrom)?;
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| MailConfigError::From(from.to_string(), e.to_string()))?;
        Ok(MailConfig {
            smtp_url: Secret::from(smtp_url.trim().as_bytes().to_vec()),
            from,
        })
    }
}

/// A message ready to send.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// `<...@host>`, the same for every attempt at the same delivery.
    pub message_id: String,
    /// The one-click unsubscribe address (RFC 8058), when the message goes to a subscriber.
    pub unsubscribe: Option<String>,
}

/// Sends mail through the configured server.
#[derive(Clone)]
pub struct Mailer {
    transport: SmtpTransport,
    from: Mailbox,
}

impl Mailer {
    pub fn new(config: &MailConfig) -> Result<Self, MailConfigError> {
        let url = String::from_utf8_lossy(config.smtp_url.expose()).into_owned();
        let transport = SmtpTransport::from_url(&url)
            .map_err(|e| MailConfigError::Url(e.to_string()))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        Ok(Mailer {
            transport,
            from: config.from.clone(),
        })
    }

    /// Sends one message; `Ok` with the server's answer once it accepted it.
    pub fn send(&self, m: &Outgoing) -> Result<String, String> {
        let to: Mailbox =
            m.to.parse()
                .map_err(|e| format!("recipient {}: {e}", m.to))?;
        let mut message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&m.subject)
            .message_id(Some(m.message_id.clone()))
            .multipart(MultiPart::alternative_plain_html(
                m.text.clone(),
                m.html.clone(),
            ))
            .map_err(|e| format!("message: {e}"))?;
        if let Some(url) = &m.unsubscribe {
            let headers = message.headers_mut();
            headers.insert_raw(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ));
            headers.insert_raw(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".into(),
            ));
        }
        self.transport
            .send(&message)
            .map(|r| {
                format!(
                    "accepted: {} {}",
                    r.code(),
                    r.message().collect::<Vec<_>>().join(" ")
                )
            })
            .map_err(|e| format!("SMTP: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_are_checked_at_start() {
        assert!(
            MailConfig::parse("smtp://127.0.0.1:2525", Some("Privacy <p@example.com>")).is_ok()
        );
        assert!(
            MailConfig::parse("smtps://u:p@smtp.example.com:465", Some("p@example.com")).is_ok()
        );
        assert!(matches!(
            MailConfig::parse("http://example.com", Some("p@example.com")),
            Err(MailConfigError::Url(_))
        ));
        assert!(matches!(
            MailConfig::parse("smtp://127.0.0.1:25", None),
            Err(MailConfigError::NoFrom)
        ));
        assert!(matches!(
            MailConfig::parse("smtp://127.0.0.1:25", Some("not an address")),
            Err(MailConfigError::From(..))
        ));
        let config = MailConfig::parse("smtps://u:hunter2@smtp.example.com", Some("p@example.com"));
        assert!(!format!("{config:?}").contains("hunter2"));
    }
}
