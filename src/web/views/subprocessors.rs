//! The public sub-processor page of one organisation.

use std::collections::BTreeSet;

use maud::{Markup, html};
use strum::VariantArray;

use super::legend::{legend, verdict_id};
use super::table::Table;
use super::{capitalised, country_name, layout, linked_verdict_badge, mechanism_name_in};
use crate::registry::listing::{Listing, TransferRow, VendorRow};
use crate::registry::organisation::Publication;
use crate::registry::{Change, ChangeKind, DataCategory, VendorCategory};
use crate::rules::{CountryCode, RuleSet};

/// Vendors on one page of the HTML list: a 20,000-vendor list stays a page a browser shows at
/// once (the JSON and the CSV hold them all).
pub const PAGE_SIZE: usize = 100;

/// Changes shown in each part of the change log (upcoming, past); the JSON and the feed's
/// archives hold them all.
pub const CHANGES_SHOWN: usize = 50;

/// The pages of a list of `rows` vendors (one, empty, for none).
pub fn page_count(rows: usize) -> u32 {
    u32::try_from(rows.div_ceil(PAGE_SIZE).max(1)).unwrap_or(u32::MAX)
}

/// The address of a page of the list, with the filters of `query`.
fn page_href(slug: &str, query: &str, page: u32) -> String {
    match (query, page) {
        ("", 1) => format!("/{slug}/subprocessors"),
        (q, 1) => format!("/{slug}/subprocessors?{q}"),
        ("", n) => format!("/{slug}/subprocessors?page={n}"),
        (q, n) => format!("/{slug}/subprocessors?{q}&page={n}"),
    }
}

/// `query` reproduces the filters, for the links to the other formats and pages; `page` is the
/// page shown (from 1, within [`page_count`]).
/// `mail_enabled`: whether the sign-up form for notice by e-mail can be offered.
pub fn subprocessors_page(
    listing: &Listing,
    rules: &RuleSet,
    query: &str,
    mail_enabled: bool,
    page: u32,
) -> Markup {
    let org = &listing.registry.organisation;
    let slug = &org.slug;
    let as_of = listing.filters.as_of;
    let suffix = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    let pages = page_count(listing.rows.len());
    let title = format!("{}: sub-processors and partners", org.name);
    let head = html! {
        link rel="alternate" type="application/atom+xml" title={ (org.name) " sub-processor changes" }
            href={ "/" (slug) "/subprocessors.atom" };
        link rel="canonical" href=(page_href(slug, query, page));
        @if page > 1 { link rel="prev" href=(page_href(slug, query, page - 1)); }
        @if page < pages { link rel="next" href=(page_href(slug, query, page + 1)); }
    };
    let verdicts = org.publication.verdicts;
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
            (changes(listing, rules, &suffix))
            (super::subscriptions::subscribe_form(slug, mail_enabled, "", None))
            (summary(listing))
            (filter_form(listing))
            (table(listing, rules, page))
            (pager(listing, query, page))
            @if verdicts { (legend()) }
        },
    )
}

/// How many of `total` changes are shown, and where the rest are.
fn more_changes(total: usize, slug: &str, suffix: &str) -> Markup {
    html! {
        @if total > CHANGES_SHOWN {
            p.more {
                "The " (CHANGES_SHOWN) " nearest of " (total) " are shown; all of them are in the "
                a href={ "/" (slug) "/subprocessors.json" (suffix) } { "JSON" } " and the "
                a href={ "/" (slug) "/subprocessors.atom" } { "Atom feed" } " (with its archives)."
            }
        }
    }
}

fn changes(listing: &Listing, rules: &RuleSet, suffix: &str) -> Markup {
    let as_of = listing.filters.as_of;
    let slug = &listing.registry.organisation.slug;
    let verdicts = listing.registry.organisation.publication.verdicts;
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
                    // The nearest first: the ones to object to soonest.
                    @for (c, row) in nearest_upcoming(listing) {
                        li {
                            (change_line(c))
                            @if let Some(row) = row {
                                ul.to-come { @for line in row.describe(rules, verdicts) { li { (line) } } }
                            }
                        }
                    }
                }
                (more_changes(listing.upcoming.len(), slug, suffix))
            }
            @if !listing.past.is_empty() {
                details {
                    summary { "Change log (" (listing.past.len()) ")" }
                    ul { @for c in listing.past.iter().take(CHANGES_SHOWN) { (change_item(c)) } }
                    (more_changes(listing.past.len(), slug, suffix))
                }
            }
        }
    }
}

/// The upcoming changes that take effect first, at most [`CHANGES_SHOWN`], in the list's order.
fn nearest_upcoming<'l>(
    listing: &'l Listing,
) -> impl Iterator<Item = (&'l &'l Change, &'l Option<VendorRow<'l>>)> {
    let mut nearest: Vec<usize> = (0..listing.upcoming.len()).collect();
    nearest.sort_by_key(|&i| (listing.upcoming[i].effective_on, listing.upcoming[i].id));
    nearest.truncate(CHANGES_SHOWN);
    nearest.sort_unstable();
    nearest
        .into_iter()
        .map(|i| (&listing.upcoming[i], &listing.to_come[i]))
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
    let verdicts = listing.registry.organisation.publication.verdicts;
    html! {
        section aria-labelledby="summary-title" {
            h2 #summary-title.visually-hidden { "Summary" }
            dl.summary {
                div { dt { "Vendors" } dd { (s.vendors) } }
                div { dt { "Destination countries" } dd { (s.countries) } }
                div { dt { "Transfers" } dd { (s.transfers) } }
                @if verdicts {
                    div.flagged {
                        dt { "Flagged transfers" }
                        dd { (s.flagged) " (" (s.critical) " critical, " (s.warning) " warning)" }
                    }
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
            @if listing.registry.organisation.publication.verdicts {
                div.field.check {
                    input #f-flagged type="checkbox" name="flagged" value="true" checked[f.flagged == Some(true)];
                    label for="f-flagged" { "Only flagged transfers" }
                }
            }
            div.actions {
                button type="submit" { "Apply filters" }
                a href={ "/" (slug) "/subprocessors" } { "Reset" }
            }
        }
    }
}

/// The rows of page `page` (from 1) and the position of its first one (from 1).
fn page_rows<'l, 'r>(listing: &'l Listing<'r>, page: u32) -> (usize, &'l [VendorRow<'r>]) {
    let start = (page.saturating_sub(1) as usize).saturating_mul(PAGE_SIZE);
    let start = start.min(listing.rows.len());
    let end = (start + PAGE_SIZE).min(listing.rows.len());
    (start + 1, &listing.rows[start..end])
}

fn table(listing: &Listing, rules: &RuleSet, page: u32) -> Markup {
    let org = &listing.registry.organisation;
    let (first, rows) = page_rows(listing, page);
    let total = listing.rows.len();
    let last_column = if org.publication.verdicts {
        "Locations, mechanisms and verdicts"
    } else {
        "Locations and mechanisms"
    };
    Table::new(
        "vendors",
        html! {
            "Sub-processors and partners of " (org.name) " on " (listing.filters.as_of)
            " (" (total) @if total == 1 { " vendor" } @else { " vendors" }
            @if listing.filters.narrows() { ", filtered" }
            @if rows.len() < total { "; " (first) " to " (first + rows.len() - 1) " shown" }
            ")"
        },
        &[
            "Vendor",
            "Role",
            "Purpose",
            "Categories",
            "Data shared",
            last_column,
        ],
    )
    .render(html! {
        @if listing.rows.is_empty() {
            tr { td colspan="6" { "No vendor matches these filters on this date." } }
        }
        @for row in rows { (vendor_row(row, rules, org.publication)) }
    })
}

/// Links to the previous and next pages, when the list has more than one.
fn pager(listing: &Listing, query: &str, page: u32) -> Markup {
    let slug = &listing.registry.organisation.slug;
    let pages = page_count(listing.rows.len());
    html! {
        @if pages > 1 {
            nav.pages aria-label="Pages of the list" {
                p { "Page " (page) " of " (pages) " (" (PAGE_SIZE) " vendors a page)" }
                ul {
                    @if page > 1 {
                        li { a rel="first" href=(page_href(slug, query, 1)) { "First page" } }
                        li { a rel="prev" href=(page_href(slug, query, page - 1)) { "Previous page" } }
                    }
                    @if page < pages {
                        li { a rel="next" href=(page_href(slug, query, page + 1)) { "Next page" } }
                        li { a rel="last" href=(page_href(slug, query, pages)) { "Last page (" (pages) ")" } }
                    }
                }
            }
        }
    }
}

fn vendor_row(row: &VendorRow, rules: &RuleSet, publication: Publication) -> Markup {
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
                    ul.transfers { @for t in &row.transfers { (transfer_item(t, rules, publication)) } }
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

fn transfer_item(row: &TransferRow, rules: &RuleSet, publication: Publication) -> Markup {
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
            @if publication.verdicts {
                " "
                (linked_verdict_badge(a, &verdict_id(a.verdict)))
            }
            p.mechanism {
                "Mechanism claimed: "
                @if t.mechanisms.is_empty() { "none" }
                @for (i, m) in t.mechanisms.iter().enumerate() {
                    @if i > 0 { "; " }
                    (mechanism_name_in(rules, a.regime, &m.id))
                    @if let Some(d) = m.signed_on { " (signed " (d) ")" }
                }
                @if let Some(accepted) = a.mechanism.filter(|_| publication.verdicts) {
                    ". Covered by: " (mechanism_name_in(rules, a.regime, accepted))
                }
            }
            @if publication.shows_reasons() { p.reason { (a.reason()) } }
        }
    }
}
