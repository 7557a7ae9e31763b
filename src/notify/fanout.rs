//! Turns an event into one delivery per recipient, in the worker's transaction: the message's
//! words are fixed here (the vendor as it will be, each transfer's verdict on the day the change
//! takes effect), so every attempt sends the same message.

use crate::date::now;
use crate::db::{DbConnection, DbError};
use crate::registry::link::{LinkKey, Purpose};
use crate::registry::notice::{self, Notice};
use crate::registry::outbox::{self, Channel, Event, NewDelivery};
use crate::registry::{objection, subscriber, webhook};
use crate::rules::RuleSet;
use serde_json::json;

use super::messages::{ChangeMessage, ChangePart, OrganisationPart, TransferPart, VendorPart};

/// Queues the deliveries of `event`: one per webhook that asked for it and, for a change, one
/// e-mail per confirmed subscriber.
pub fn deliveries(
    conn: &mut DbConnection,
    rules: &RuleSet,
    key: &LinkKey,
    event: &Event,
) -> Result<(), DbError> {
    let Some(notice) = event
        .change_id
        .map(|id| notice::of_change(conn, id))
        .transpose()?
        .flatten()
    else {
        return Ok(());
    };
    let message = message(&notice, rules);
    let at = now();
    let objection = event
        .objection_id
        .map(|id| objection::find(conn, id))
        .transpose()?
        .flatten();
    // Standard Webhooks' payload: type, timestamp, data.
    let body = json!({
        "type": event.kind,
        "timestamp": at.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "data": {
            "organisation": message.organisation,
            "change": message.change,
            "vendor": message.vendor,
            "objection": objection,
        },
    });
    for (id, _) in webhook::wanting(conn, event.organisation_id, &event.kind)? {
        outbox::queue(
            conn,
            NewDelivery {
                org_id: event.organisation_id,
                event_id: Some(event.id),
                channel: Channel::Webhook,
                recipient: &id.to_string(),
                kind: &event.kind,
                payload: &body,
            },
            at,
        )?;
    }
    if event.objection_id.is_some() {
        return Ok(());
    }
    for s in subscriber::active(conn, event.organisation_id)? {
        let payload = serde_json::to_value(ChangeMessage {
            unsubscribe: key.sign(Purpose::Unsubscribe, s.id, None),
            ..message.clone()
        })
        .map_err(|e| DbError::Corrupt(format!("message of event {}: {e}", event.id)))?;
        outbox::queue(
            conn,
            NewDelivery {
                org_id: event.organisation_id,
                event_id: Some(event.id),
                channel: Channel::Email,
                recipient: &s.email,
                kind: &event.kind,
                payload: &payload,
            },
            at,
        )?;
    }
    Ok(())
}

/// What a notice says, for every recipient alike (the unsubscribe token is each one's).
pub fn message(n: &Notice, rules: &RuleSet) -> ChangeMessage {
    let (org, c) = (&n.organisation, &n.change);
    ChangeMessage {
        organisation: OrganisationPart {
            slug: org.slug.clone(),
            name: org.name.clone(),
            privacy_contact: org.privacy_contact.clone(),
        },
        change: ChangePart {
            id: c.id,
            kind: c.kind.to_string(),
            summary: c.summary.clone(),
            announced_on: c.announced_on.to_string(),
            effective_on: c.effective_on.to_string(),
            reason: c.reason.clone(),
        },
        vendor: n.vendor.as_ref().map(|v| VendorPart {
            name: v.name.clone(),
            legal_entity: v.legal_entity.clone(),
            role: v.role.label().to_string(),
            purpose: v.purpose.clone(),
            transfers: v
                .transfers
                .iter()
                .map(|t| {
                    let a = v.assess(t, org.country, rules, c.effective_on);
                    TransferPart {
                        place: t.place(),
                        data: t
                            .data_categories
                            .iter()
                            .map(|d| d.label())
                            .collect::<Vec<_>>()
                            .join(", "),
                        mechanisms: match t.mechanisms.is_empty() {
                            true => "none claimed".into(),
                            false => t
                                .mechanisms
                                .iter()
                                .map(|m| rules.name_of(&m.id))
                                .collect::<Vec<_>>()
                                .join(", "),
                        },
                        verdict: match a.flagged {
                            true => {
                                format!("{}, flagged ({})", a.verdict.label(), a.severity.as_str())
                            }
                            false => a.verdict.label().to_string(),
                        },
                        reason: a.reason(),
                    }
                })
                .collect(),
        }),
        unsubscribe: String::new(),
    }
}
