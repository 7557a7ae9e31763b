//! The admins' page of notice: the webhooks (register one, its secret shown once; remove one),
//! the subscribers (addresses never public), and the deliveries with their attempts and a replay
//! button; each list by pages.

use std::collections::HashMap;

use maud::{Markup, html};
use strum::VariantArray;

use super::{Notice, breadcrumb, notice, when};
use crate::auth::sessions::Session;
use crate::db::rows::{DeliveryAttemptRow, DeliveryRow};
use crate::registry::outbox::EventKind;
use crate::registry::subscriber::Subscriber;
use crate::registry::webhook::Webhook;
use crate::web::error::FieldError;
use crate::web::views::table::Table;
use crate::web::views::workspace::form::{error_summary, field_error, input};
use crate::web::views::workspace::pager::{Pager, others, page_link_as, pager_nav};
use crate::web::workspace::forms::Form;

pub const NOTICES: &str = "/workspace/admin/notices";

/// The query parameters of the pages of the webhooks, the subscribers and the deliveries.
pub const PAGE_PARAMS: [&str; 3] = ["webhooks_page", "subscribers_page", "deliveries_page"];

/// Where each of the page's three lists is.
pub struct Pages {
    pub webhooks: Pager,
    pub subscribers: Pager,
    pub deliveries: Pager,
}

impl Pages {
    /// Page `n` of the list whose page is in `name`, the other two lists kept where they are.
    fn link(&self, name: &str, n: usize) -> String {
        let all = [
            (PAGE_PARAMS[0], &self.webhooks),
            (PAGE_PARAMS[1], &self.subscribers),
            (PAGE_PARAMS[2], &self.deliveries),
        ];
        let rest: Vec<_> = all.into_iter().filter(|(p, _)| *p != name).collect();
        page_link_as(NOTICES, &others(&rest), name, n)
    }
}

/// What the page shows.
pub struct NoticesPage<'a> {
    /// The webhooks on their page.
    pub webhooks: &'a [Webhook],
    /// (slug, name) of every organisation, for the form.
    pub organisations: &'a [(String, String)],
    /// The subscribers on their page, each with its organisation's slug.
    pub subscribers: &'a [(String, Subscriber)],
    /// How many subscribers are confirmed, by organisation (slug); none when absent.
    pub confirmed: &'a HashMap<String, i64>,
    /// The deliveries on their page, newest first.
    pub deliveries: &'a [(DeliveryRow, Vec<DeliveryAttemptRow>)],
    pub pages: &'a Pages,
    /// A webhook just registered, and its secret (shown this once).
    pub created: Option<(&'a Webhook, &'a str)>,
}

pub fn notices_page(
    session: &Session,
    p: &NoticesPage,
    done: Option<&Notice>,
    (form, errors): (&Form, &[FieldError]),
) -> Markup {
    let csrf = &session.csrf_token;
    html! {
        (super::super::bar(session, super::HOME))
        (breadcrumb("Notice"))
        h1 { "Notice: webhooks, subscribers, deliveries" }
        (notice(done))
        @if let Some((hook, secret)) = p.created {
            div.note role="status" {
                p { "Webhook " (hook.id) " registered for " (hook.organisation) ". Its signing secret, shown this once:" }
                p { code #webhook-secret { (secret) } }
                p { "Verify each delivery's webhook-signature with it (Standard Webhooks)." }
            }
        }
        h2 #webhooks-title { "Webhooks" }
        @if p.webhooks.is_empty() { p { "None registered." } }
        @else {
            (Table::labelled("vendors", "webhooks-title", &["Endpoint", "Organisation", "Events", "Status"]).render(html! {
                @for h in p.webhooks {
                    tr {
                        th scope="row" data-label="Endpoint" { (h.id) ": " (h.url) }
                        td data-label="Organisation" { (h.organisation) }
                        td data-label="Events" { (h.events.join(", ")) }
                        td data-label="Status" {
                            @match h.removed_at {
                                Some(at) => { "removed " (when(at)) }
                                None => {
                                    form method="post" action={ "/workspace/admin/webhooks/" (h.id) "/remove" } {
                                        input type="hidden" name="csrf" value=(csrf);
                                        button type="submit" { "Remove webhook " (h.id) }
                                    }
                                }
                            }
                        }
                    }
                }
            }))
        }
        (pager_nav(&p.pages.webhooks, "webhooks", |n| p.pages.link(PAGE_PARAMS[0], n)))
        h3 { "Register a webhook" }
        @let form_markup = html! {
            form.stacked method="post" action="/workspace/admin/webhooks" novalidate {
                input type="hidden" name="csrf" value=(csrf);
                div.field {
                    label for="organisation" { "Organisation" }
                    select #organisation name="organisation" {
                        @for (slug, name) in p.organisations {
                            option value=(slug) selected[form.get("organisation") == *slug] { (name) }
                        }
                    }
                    (field_error(errors, "organisation"))
                }
                (input(form, errors, ("url", "Endpoint (https://...)"), "url", true))
                fieldset #events {
                    legend { "Events (at least one)" }
                    @for e in EventKind::VARIANTS {
                        div.check {
                            input type="checkbox" id={ "event-" (e) } name="events" value=(e) checked[form.has("events", &e.to_string())];
                            label for={ "event-" (e) } { (e) }
                        }
                    }
                    (field_error(errors, "events"))
                }
                button type="submit" { "Register the webhook" }
            }
        };
        (error_summary("The webhook", errors, &form_markup))
        (form_markup)
        h2 #subscribers-title { "Subscribers" }
        p { "Addresses that asked for notice of an organisation's changes by e-mail. They are never published." }
        ul {
            @for (slug, name) in p.organisations {
                li { (name) " (" (slug) "): " (p.confirmed.get(slug).copied().unwrap_or(0)) " confirmed" }
            }
        }
        @if p.subscribers.is_empty() { p { "None." } }
        @else {
            (Table::labelled("vendors", "subscribers-title", &["Address", "Organisation", "Asked", "State"]).render(html! {
                @for (slug, s) in p.subscribers {
                    tr {
                        th scope="row" data-label="Address" { (s.email) }
                        td data-label="Organisation" { (slug) }
                        td data-label="Asked" { (when(s.created_at)) }
                        td data-label="State" {
                            @match (s.confirmed_at, s.unsubscribed_at) {
                                (_, Some(at)) => { "unsubscribed " (when(at)) }
                                (Some(at), None) => { "consent given " (when(at)) }
                                (None, None) => { "not confirmed" }
                            }
                        }
                    }
                }
            }))
        }
        (pager_nav(&p.pages.subscribers, "subscribers", |n| p.pages.link(PAGE_PARAMS[1], n)))
        h2 #deliveries-title { "Deliveries, newest first" }
        @if p.deliveries.is_empty() { p { "Nothing sent yet." } }
        @else {
            (Table::labelled("vendors", "deliveries-title", &["Delivery", "To", "Message", "Status", "Attempts"]).render(html! {
                @for (d, attempts) in p.deliveries {
                    tr {
                        th scope="row" data-label="Delivery" { (d.id) }
                        td data-label="To" { (d.channel) ": " (d.recipient) }
                        td data-label="Message" { (d.kind) ", queued " (when(d.created_at)) }
                        td data-label="Status" {
                            @match (d.delivered_at, d.failed_at) {
                                (Some(at), _) => { "delivered " (when(at)) }
                                (None, Some(at)) => { "given up " (when(at)) }
                                (None, None) => { "next attempt " (when(d.next_attempt_at)) }
                            }
                            form method="post" action={ "/workspace/admin/deliveries/" (d.id) "/replay" } {
                                input type="hidden" name="csrf" value=(csrf);
                                button type="submit" { "Send delivery " (d.id) " again" }
                            }
                        }
                        td data-label="Attempts" {
                            @if attempts.is_empty() { "none yet" }
                            ol { @for a in attempts { li { (when(a.attempted_at)) ": " @if a.succeeded == 1 { "sent, " } @else { "failed, " } (a.detail) } } }
                        }
                    }
                }
            }))
        }
        (pager_nav(&p.pages.deliveries, "deliveries", |n| p.pages.link(PAGE_PARAMS[2], n)))
    }
}
