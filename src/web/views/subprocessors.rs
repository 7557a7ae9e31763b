//! The public sub-processor page of one organisation.

use std::collections::BTreeSet;

use maud::{Markup, html};
use strum::VariantArray;

use super::legend::{legend, verdict_id};
use super::table::Table;
use super::{capitalised, country_name, layout, linked_verdict_badge, mechanism_name_in};
use crate::registry::listing::{Listing, TransferRow, VendorRow};
use crate::registry::{Change, ChangeKind, DataCategory, VendorCategory};
use crate::rules::{CountryCode, RuleSet};

/// `query` reproduces the filters, for the links to the other formats.
/// `mail_enabled`: whether the sign-up form for notice by e-mail can be offered.
pub fn subprocessors_page(
    listing: &Listing,
    rules: &RuleSet,
    query: &str,
    mail_enabled: bool,
) -> Markup {
    let org = &listing.registry.organisation;
    let slug = &org.slug;
    let as_of = listing.filters.as_of;
    let suffix = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    let title = format!("{}: sub-processors and partners", org.name);
    let head = html! {
        link rel="alternate" type="application/atom+xml" title={ (org.name) " sub-processor changes" }
            href={ "/" (slug) "/subprocessors.atom" };
    };
    layout(
        &title,
        head,
        html! {
            h1 { (title) }
            dl.organisation {
                div { dt { "Legal name" } dd { (org.legal_name) " (" (org.country.name()) ")" } }
                div {
                    dt { "Privacy contact" }
                    dd {
                        @match org.privacy_contact.as_deref() {
                            Some(c) if c.contains('@') && !c.contains(' ') && web_link(c).is_none() => a href={ "mailto:" (c) } { (c) },
                            Some(c) if let Some(url) = web_link(c).filter(|u| !u.contains(char::is_whitespace)) => {
                                a.bare href=(url) rel="noopener" { (url) }
                            },
                            Some(c) => (c),
                            None => "Not stated in the policy",
                        }
                    }
                }
                div {
                    dt { "Privacy policy" }
                    dd {
                        @let name = org.policy_title.as_deref().unwrap_or("Privacy policy");
                        @match org.policy_url.as_deref().and_then(web_link) {
                            Some(url) => a href=(url) { (name) },
                            None => (name),
                        }
                        ", "
                        @match org.policy_date {
                            Some(d) => { "dated " time datetime=(d) { (d) } }
                            None => "undated",
                        }
                    }
                }
                div {
                    dt { "Last change" }
                    dd {
                        @match listing.registry.last_change_on(as_of) {
                            Some(d) => time datetime=(d) { (d) },
                            None => "None recorded",
                        }
                    }
                }
            }
            nav.formats aria-label="This list in other formats" {
                "Download: "
                a href={ "/" (slug) "/subprocessors.json" (suffix) } { "JSON" } " · "
                a href={ "/" (slug) "/subprocessors.csv" (suffix) } { "CSV" } " · "
                a href={ "/" (slug) "/subprocessors.atom" } { "Atom feed of changes" }
            }
            (changes(listing, rules))
            (super::subscriptions::subscribe_form(slug, mail_enabled, "", None))
            (summary(listing))
            (filter_form(listing))
            (table(listing, rules))
            (legend())
        },
    )
}

fn changes(listing: &Listing, rules: &RuleSet) -> Markup {
    let as_of = listing.filters.as_of;
    let slug = &listing.registry.organisation.slug;
    html! {
        @if !listing.registry.corrected_later.is_empty() {
            section.corrections aria-labelledby="corrections-title" {
                h2 #corrections-title { "Corrected later" }
                p { "This is the list as published on " (as_of) ". It was corrected since:" }
                ul {
                    @for c in &listing.registry.corrected_later {
                        li {
                            "Corrected on " time datetime=(c.announced_on) { (c.announced_on) }
                            ": " (c.summary)
                            @if let Some(reason) = &c.reason { " — " (reason) }
                            ". "
                            a href={ "/" (slug) "/subprocessors?as_of=" (as_of) "&known_at=" (c.announced_on) } {
                                "See the list for " (as_of) " as corrected"
                            }
                        }
                    }
                }
            }
        }
        section.changes aria-labelledby="changes-title" {
            h2 #changes-title { "Changes" }
            @if listing.upcoming.is_empty() {
                p { "No upcoming change announced as of " (listing.filters.as_of) "." }
            } @else {
                h3 { "Upcoming" }
                ul {
                    @for (c, row) in listing.upcoming.iter().zip(&listing.to_come) {
                        li {
                            (change_line(c))
                            @if let Some(row) = row {
                                ul.to-come { @for line in row.describe(rules) { li { (line) } } }
                            }
                        }
                    }
                }
            }
            @if !listing.past.is_empty() {
                details {
                    summary { "Change log (" (listing.past.len()) ")" }
                    ul { @for c in &listing.past { (change_item(c)) } }
                }
            }
        }
    }
}

fn change_item(c: &Change) -> Markup {
    html! { li { (change_line(c)) } }
}

/// A change's dates and summary, with why it came early or late when it did.
fn change_line(c: &Change) -> Markup {
    html! {
        "Effective " time datetime=(c.effective_on) { (c.effective_on) }
        " (announced " time datetime=(c.announced_on) { (c.announced_on) } "): "
        (c.summary)
        @if let Some(from) = c.moved_from {
            " (moved from " time datetime=(from) { (from) } ")"
        }
        @match (c.kind, &c.reason) {
            (ChangeKind::Corrected, Some(reason)) => { ". Correction: " (reason) }
            (_, Some(reason)) => { ". Before the end of the notice period, because: " (reason) }
            _ => {}
        }
    }
}

fn summary(listing: &Listing) -> Markup {
    let s = &listing.summary;
    html! {
        section aria-labelledby="summary-title" {
            h2 #summary-title.visually-hidden { "Summary" }
            dl.summary {
                div { dt { "Vendors" } dd { (s.vendors) } }
                div { dt { "Destination countries" } dd { (s.countries) } }
                div { dt { "Transfers" } dd { (s.transfers) } }
                div.flagged {
                    dt { "Flagged transfers" }
                    dd { (s.flagged) " (" (s.critical) " critical, " (s.warning) " warning)" }
                }
            }
        }
    }
}

fn filter_form(listing: &Listing) -> Markup {
    let f = &listing.filters;
    let slug = &listing.registry.organisation.slug;
    // By name as people read them: Åland under A.
    let mut countries: BTreeSet<(String, &str, CountryCode)> = listing
        .registry
        .vendors
        .iter()
        .flat_map(|v| &v.transfers)
        .filter_map(|t| t.country)
        .map(|c| (c.reading_key(), c.name(), c))
        .collect();
    if let Some(c) = f.country {
        countries.insert((c.reading_key(), c.name(), c));
    }
    html! {
        form.filters method="get" action={ "/" (slug) "/subprocessors" } aria-label="Filter the list" {
            div.field {
                label for="f-category" { "Category" }
                select #f-category name="category" {
                    option value="" { "All categories" }
                    @for c in VendorCategory::VARIANTS {
                        option value=(c) selected[f.category == Some(*c)] { (c.label()) }
                    }
                }
            }
            div.field {
                label for="f-country" { "Country" }
                select #f-country name="country" {
                    option value="" { "All countries" }
                    @for (_, name, c) in &countries {
                        option value=(c) selected[f.country == Some(*c)] { (name) }
                    }
                }
            }
            div.field {
                label for="f-as-of" { "As of" }
                input #f-as-of type="date" name="as_of" value=(f.as_of) min="1995-01-01";
            }
            div.field.check {
                input #f-flagged type="checkbox" name="flagged" value="true" checked[f.flagged == Some(true)];
                label for="f-flagged" { "Only flagged transfers" }
            }
            div.actions {
                button type="submit" { "Apply filters" }
                a href={ "/" (slug) "/subprocessors" } { "Reset" }
            }
        }
    }
}

fn table(listing: &Listing, rules: &RuleSet) -> Markup {
    let org = &listing.registry.organisation;
    Table::new(
        "vendors",
        html! {
            "Sub-processors and partners of " (org.name) " on " (listing.filters.as_of)
            " (" (listing.rows.len()) @if listing.rows.len() == 1 { " vendor" } @else { " vendors" }
            @if listing.filters.narrows() { ", filtered" } ")"
        },
        &[
            "Vendor",
            "Role",
            "Purpose",
            "Categories",
            "Data shared",
            "Locations, mechanisms and verdicts",
        ],
    )
    .render(html! {
        @if listing.rows.is_empty() {
            tr { td colspan="6" { "No vendor matches these filters on this date." } }
        }
        @for row in &listing.rows { (vendor_row(row, rules)) }
    })
}

fn vendor_row(row: &VendorRow, rules: &RuleSet) -> Markup {
    let v = row.vendor;
    let data: BTreeSet<DataCategory> = row
        .transfers
        .iter()
        .flat_map(|t| t.transfer.data_categories.iter().copied())
        .collect();
    html! {
        tr {
            th scope="row" data-label="Vendor" {
                span.vendor-name { (v.name) }
                @if let Some(entity) = &v.legal_entity { br; span.entity { (entity) } }
                @if let Some(hq) = v.headquarters {
                    br; span.headquarters { "Headquarters: " (country_name(hq)) }
                }
                @if let Some(site) = &v.website {
                    br;
                    @match web_link(site) {
                        Some(href) => a.bare href=(href) rel="nofollow noopener" { (href.trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/')) },
                        None => (site),
                    }
                }
            }
            td data-label="Role" { (v.role.label()) }
            td data-label="Purpose" { (v.purpose) }
            td data-label="Categories" {
                (v.categories.iter().map(|c| c.label()).collect::<Vec<_>>().join(", "))
            }
            td data-label="Data shared" {
                @if data.is_empty() { "Not stated" }
                @else { (capitalised(&data.iter().map(|d| d.label()).collect::<Vec<_>>().join(", "))) }
            }
            td data-label="Locations" {
                @if row.transfers.is_empty() { "No location recorded" }
                @else {
                    ul.transfers { @for t in &row.transfers { (transfer_item(t, rules)) } }
                }
            }
        }
    }
}

/// An address safe to link: http(s) only, never `javascript:` or `data:`.
pub fn web_link(url: &str) -> Option<&str> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(url.trim())
}

fn transfer_item(row: &TransferRow, rules: &RuleSet) -> Markup {
    let t = row.transfer;
    let a = &row.assessment;
    html! {
        li {
            span.place {
                @match t.country {
                    Some(c) => (country_name(c)),
                    None => (t.location.as_deref().unwrap_or("Location not named")),
                }
            }
            " "
            (linked_verdict_badge(a, &verdict_id(a.verdict)))
            p.mechanism {
                "Mechanism claimed: "
                @if t.mechanisms.is_empty() { "none" }
                @for (i, m) in t.mechanisms.iter().enumerate() {
                    @if i > 0 { "; " }
                    (mechanism_name_in(rules, a.regime, &m.id))
                    @if let Some(d) = m.signed_on { " (signed " (d) ")" }
                }
                @if let Some(accepted) = a.mechanism {
                    ". Covered by: " (mechanism_name_in(rules, a.regime, accepted))
                }
            }
            p.reason { (a.reason) }
        }
    }
}
