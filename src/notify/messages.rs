//! What each message says, as plain text and HTML (maud), from a delivery's payload: the
//! payload is fixed when the delivery is queued, so every attempt sends the same words.

use maud::{DOCTYPE, Markup, html};
use serde::{Deserialize, Serialize};

/// An organisation as messages name it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrganisationPart {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub privacy_contact: Option<String>,
}

/// A change as messages tell it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChangePart {
    pub id: i32,
    pub kind: String,
    pub summary: String,
    pub announced_on: String,
    pub effective_on: String,
    #[serde(default)]
    pub reason: Option<String>,
}

/// One transfer of the vendor as it will be, with its verdict on the day it takes effect.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TransferPart {
    pub place: String,
    pub data: String,
    pub mechanisms: String,
    pub verdict: String,
    pub reason: String,
}

/// The vendor a change is about, as it will be.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VendorPart {
    pub name: String,
    #[serde(default)]
    pub legal_entity: Option<String>,
    pub role: String,
    pub purpose: String,
    pub transfers: Vec<TransferPart>,
}

/// The payload of a message about a change, for one subscriber.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChangeMessage {
    pub organisation: OrganisationPart,
    pub change: ChangePart,
    #[serde(default)]
    pub vendor: Option<VendorPart>,
    /// The subscriber's unsubscribe token.
    pub unsubscribe: String,
}

/// The payload of a subscription's confirmation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConfirmMessage {
    pub organisation: OrganisationPart,
    pub confirm: String,
    pub unsubscribe: String,
    pub expires: String,
}

/// A rendered message: subject, text, HTML and the unsubscribe address.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub unsubscribe: Option<String>,
}

/// Renders the delivery `kind` from its `payload`; links start with `base` (the site's address).
pub fn render(kind: &str, payload: &str, base: &str) -> Result<Rendered, String> {
    let bad = |e: serde_json::Error| format!("payload of a {kind} message: {e}");
    match kind {
        "subscription.confirm" => Ok(confirm(&serde_json::from_str(payload).map_err(bad)?, base)),
        "change.announced" | "change.effective" | "change.corrected" => Ok(change(
            kind,
            &serde_json::from_str(payload).map_err(bad)?,
            base,
        )),
        "objection.confirm" => Ok(objection_confirm(
            &serde_json::from_str(payload).map_err(bad)?,
            base,
        )),
        "objection.outcome" => Ok(objection_outcome(
            &serde_json::from_str(payload).map_err(bad)?,
            base,
        )),
        "reminders.weekly" => Ok(weekly(&serde_json::from_str(payload).map_err(bad)?, base)),
        other => Err(format!("no message is known for '{other}'")),
    }
}

fn unsubscribe_url(base: &str, slug: &str, token: &str) -> String {
    format!("{base}/{slug}/unsubscribe?token={token}")
}

fn page(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head { meta charset="utf-8"; title { (title) } }
            body style="font-family: sans-serif; max-width: 40rem; line-height: 1.5" { (body) }
        }
    }
    .into_string()
}

fn confirm(m: &ConfirmMessage, base: &str) -> Rendered {
    let org = &m.organisation;
    let link = format!(
        "{base}/{}/subscriptions/confirm?token={}",
        org.slug, m.confirm
    );
    let list = format!("{base}/{}/subprocessors", org.slug);
    let subject = format!("Confirm: notice of {}'s sub-processor changes", org.name);
    let text = format!(
        "Someone, probably you, asked to be told by e-mail of changes to {name}'s list of \
         sub-processors ({list}).\n\nTo confirm, open this link (it holds until {expires}):\n{link}\n\n\
         If you did not ask, ignore this message: nothing more will be sent to you.\n",
        name = org.name,
        expires = m.expires,
    );
    let html = page(
        &subject,
        html! {
            p { "Someone, probably you, asked to be told by e-mail of changes to "
                a href=(list) { (org.name) "'s list of sub-processors" } "." }
            p { a href=(link) { "Confirm the subscription" } " (the link holds until " (m.expires) ")." }
            p { "If you did not ask, ignore this message: nothing more will be sent to you." }
        },
    );
    Rendered {
        subject,
        text,
        html,
        unsubscribe: Some(unsubscribe_url(base, &org.slug, &m.unsubscribe)),
    }
}

fn change(kind: &str, m: &ChangeMessage, base: &str) -> Rendered {
    let (org, c) = (&m.organisation, &m.change);
    let list = format!("{base}/{}/subprocessors", org.slug);
    let unsubscribe = unsubscribe_url(base, &org.slug, &m.unsubscribe);
    let subject = match kind {
        "change.effective" => format!("In effect today: {}", c.summary),
        "change.corrected" => format!("Correction: {}", c.summary),
        _ => format!(
            "{} announces: {} (from {})",
            org.name, c.summary, c.effective_on
        ),
    };
    let heading = match kind {
        "change.effective" => format!(
            "{} changed its sub-processors on {}",
            org.name, c.effective_on
        ),
        "change.corrected" => format!("{} corrected its list of sub-processors", org.name),
        _ => format!(
            "{} will change its sub-processors on {}",
            org.name, c.effective_on
        ),
    };
    let upcoming = kind == "change.announced";
    let object_url = format!("{base}/{}/changes/{}/object", org.slug, c.id);
    let object = match &org.privacy_contact {
        Some(contact) => format!(
            "To object, before {}, the day it takes effect: {object_url} (or write to {contact}).",
            c.effective_on
        ),
        None => format!("To object, before {}: {object_url}", c.effective_on),
    };
    let mut text = format!("{heading}.\n\n{}\n", c.summary);
    if let Some(reason) = &c.reason {
        text.push_str(&format!("Reason given: {reason}\n"));
    }
    text.push_str(&format!(
        "Announced on {}; takes effect on {}.\n",
        c.announced_on, c.effective_on
    ));
    if let Some(v) = &m.vendor {
        text.push_str(&format!("\n{}", v.name));
        if let Some(entity) = &v.legal_entity {
            text.push_str(&format!(" ({entity})"));
        }
        text.push_str(&format!(", {}\nPurpose: {}\n", v.role, v.purpose));
        for t in &v.transfers {
            text.push_str(&format!(
                "- {}: {}; safeguard: {}; verdict: {} ({})\n",
                t.place, t.data, t.mechanisms, t.verdict, t.reason
            ));
        }
    }
    if upcoming {
        text.push_str(&format!("\n{object}\n"));
    }
    text.push_str(&format!("\nThe list: {list}\nUnsubscribe: {unsubscribe}\n"));
    let html = page(
        &subject,
        html! {
            h1 style="font-size: 1.3rem" { (heading) }
            p { (c.summary) }
            @if let Some(reason) = &c.reason { p { "Reason given: " (reason) } }
            p { "Announced on " (c.announced_on) "; takes effect on " strong { (c.effective_on) } "." }
            @if let Some(v) = &m.vendor {
                h2 style="font-size: 1.1rem" { (v.name) @if let Some(e) = &v.legal_entity { " (" (e) ")" } }
                p { (v.role) ". Purpose: " (v.purpose) }
                @if !v.transfers.is_empty() {
                    ul { @for t in &v.transfers {
                        li { strong { (t.place) } ": " (t.data) "; safeguard: " (t.mechanisms) "; verdict: " (t.verdict) " (" (t.reason) ")" }
                    } }
                }
            }
            @if upcoming { p { (object) } }
            p { a href=(list) { "The list of sub-processors" } }
            p style="font-size: .9rem" { a href=(unsubscribe) { "Unsubscribe" } }
        },
    );
    Rendered {
        subject,
        text,
        html,
        unsubscribe: Some(unsubscribe),
    }
}

/// A change as an objection's messages name it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ObjectedChange {
    pub summary: String,
    pub effective_on: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ObjectionConfirmMessage {
    pub organisation: OrganisationPart,
    pub change: ObjectedChange,
    pub confirm: String,
    pub expires: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ObjectionPart {
    pub name: String,
    pub reason: String,
    pub received: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ObjectionOutcomeMessage {
    pub organisation: OrganisationPart,
    pub change: ObjectedChange,
    pub objection: ObjectionPart,
    pub outcome: String,
    pub note: String,
}

fn objection_confirm(m: &ObjectionConfirmMessage, base: &str) -> Rendered {
    let (org, c) = (&m.organisation, &m.change);
    let link = format!("{base}/{}/objections/confirm?token={}", org.slug, m.confirm);
    let subject = format!("Confirm your objection to {}'s change", org.name);
    let text = format!(
        "You objected to this change of {name}'s sub-processors, which takes effect on {on}:\n\
         {summary}\n\nTo confirm the objection, open this link (it holds until {expires}):\n{link}\n\n\
         If you did not object, ignore this message: nothing is recorded without the confirmation.\n",
        name = org.name,
        on = c.effective_on,
        summary = c.summary,
        expires = m.expires,
    );
    let html = page(
        &subject,
        html! {
            p { "You objected to this change of " (org.name) "'s sub-processors, which takes effect on " (c.effective_on) ":" }
            blockquote { (c.summary) }
            p { a href=(link) { "Confirm the objection" } " (the link holds until " (m.expires) ")." }
            p { "If you did not object, ignore this message: nothing is recorded without the confirmation." }
        },
    );
    Rendered {
        subject,
        text,
        html,
        unsubscribe: None,
    }
}

fn objection_outcome(m: &ObjectionOutcomeMessage, base: &str) -> Rendered {
    let (org, c) = (&m.organisation, &m.change);
    let list = format!("{base}/{}/subprocessors", org.slug);
    let said = match m.outcome.as_str() {
        "upheld" => "upheld",
        "resolved" => "resolved",
        "withdrawn" => "recorded as withdrawn",
        other => other,
    };
    let subject = format!("Your objection to {}'s change: {}", org.name, m.outcome);
    let text = format!(
        "Your objection of {received} to this change of {name}'s sub-processors (taking effect on {on}) \
         was {said}.\n\n{summary}\n\nNote from {name}: {note}\n\nThe list: {list}\n",
        received = m.objection.received,
        name = org.name,
        on = c.effective_on,
        summary = c.summary,
        note = m.note,
    );
    let html = page(
        &subject,
        html! {
            p { "Your objection of " (m.objection.received) " to this change of " (org.name)
                "'s sub-processors (taking effect on " (c.effective_on) ") was " strong { (said) } "." }
            blockquote { (c.summary) }
            p { "Note from " (org.name) ": " (m.note) }
            p { a href=(list) { "The list of sub-processors" } }
        },
    );
    Rendered {
        subject,
        text,
        html,
        unsubscribe: None,
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WeeklyMessage {
    pub today: String,
    pub items: Vec<crate::registry::due::Due>,
}

fn weekly(m: &WeeklyMessage, base: &str) -> Rendered {
    let overdue = m.items.iter().filter(|d| d.overdue).count();
    let subject = format!(
        "What falls due: {} item(s), {overdue} overdue (week of {})",
        m.items.len(),
        m.today
    );
    let settings = format!("{base}/workspace/reminders");
    let line = |d: &crate::registry::due::Due| {
        format!(
            "{}{}: {} ({})",
            if d.overdue { "OVERDUE " } else { "" },
            d.on,
            d.what,
            d.organisation
        )
    };
    let mut text = format!("What falls due by two weeks from {}:\n\n", m.today);
    if m.items.is_empty() {
        text.push_str("Nothing.\n");
    }
    for d in &m.items {
        text.push_str(&format!("- {}\n", line(d)));
    }
    text.push_str(&format!(
        "\nStop these e-mails or get a calendar feed: {settings}\n"
    ));
    let html = page(
        &subject,
        html! {
            h1 style="font-size: 1.3rem" { "What falls due by two weeks from " (m.today) }
            @if m.items.is_empty() { p { "Nothing." } }
            ul { @for d in &m.items { li { @if d.overdue { strong { "Overdue " } } (d.on) ": " (d.what) " (" (d.organisation) ")" } } }
            p style="font-size: .9rem" { a href=(settings) { "Stop these e-mails or get a calendar feed" } }
        },
    );
    Rendered {
        subject,
        text,
        html,
        unsubscribe: None,
    }
}
