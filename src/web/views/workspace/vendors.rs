//! Vendors in the workspace: the list with its search, and a vendor's page with its record,
//! certifications, evidence, transfers with their assessments, and history. The handlers are in
//! `web::workspace::vendors`.

use chrono::NaiveDate;
use maud::{Markup, html};
use strum::VariantArray;

use super::pager::{Pager, page_link, pager_nav, pager_nav_below};
use crate::audit::Summary;
use crate::auth::sessions::Session;
use crate::auth::users::Role;
use crate::registry::history::{Body, Fact, Listed, Period};
use crate::registry::vendor::search;
use crate::registry::{Registry, Vendor, VendorCategory, VendorStatus};
use crate::rules::RuleSet;
use crate::web::views::table::Table;
use crate::web::views::{
    capitalised, country_name, layout, mechanism_name, verdict_badge, web_link,
};

/// The vendor list's filters, as typed. Unknown values match nothing rather than everything, and
/// say so.
#[derive(Default)]
pub struct ListFilters {
    pub q: String,
    pub organisation: String,
    pub status: String,
    pub category: String,
    pub flagged: bool,
    /// The page asked for, as typed.
    pub page: String,
}

impl ListFilters {
    pub fn from_query(query: &str) -> Self {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        let mut f = ListFilters::default();
        for (k, v) in pairs {
            let v = v.trim().to_string();
            match k.as_str() {
                "q" => f.q = v,
                "organisation" => f.organisation = v,
                "status" => f.status = v,
                "category" => f.category = v,
                "flagged" => f.flagged = v == "true",
                "page" => f.page = v,
                _ => {}
            }
        }
        f
    }

    /// The query string of these filters (without the page), for the pages' links.
    pub fn query(&self) -> String {
        let flagged = if self.flagged { "true" } else { "" };
        let pairs: Vec<(&str, &str)> = [
            ("q", self.q.as_str()),
            ("organisation", &self.organisation),
            ("status", &self.status),
            ("category", &self.category),
            ("flagged", flagged),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    /// Whether `v` (`flagged` when one of its transfers is) passes the filters.
    pub fn keeps(&self, v: &Vendor, flagged: bool) -> bool {
        search::matches(v, &self.q)
            && (self.status.is_empty() || v.status.to_string() == self.status)
            && (self.category.is_empty()
                || v.categories.iter().any(|c| c.to_string() == self.category))
            && (!self.flagged || flagged)
    }
}

/// An organisation's vendors on a page of the list, each with whether one of its transfers is
/// flagged.
pub type OrganisationRows<'a> = (&'a Registry, Vec<(&'a Vendor, bool)>);

/// The list: the search form, then each organisation's vendors that pass it and are on the
/// page (`shown`, each with whether one of its transfers is flagged), assessed on `today`.
pub fn vendor_list(
    session: &Session,
    f: &ListFilters,
    registries: &[Registry],
    (shown, pager): (&[OrganisationRows], &Pager),
    today: NaiveDate,
) -> Markup {
    let editor = session.user.role >= Role::Editor;
    let count = pager.total;
    let query = f.query();
    layout(
        "Vendors",
        html! {},
        html! {
            (super::bar(session, "/workspace/vendors"))
            h1 { "Vendors" }
            form.filters method="get" action="/workspace/vendors" role="search" aria-label="Find vendors" {
                div.field {
                    label for="q" { "Name, legal entity, website or domain" }
                    input #q type="search" name="q" value=(f.q);
                }
                div.field {
                    label for="f-organisation" { "Organisation" }
                    select #f-organisation name="organisation" {
                        option value="" { "All organisations" }
                        @for r in registries { option value=(r.organisation.slug) selected[f.organisation == r.organisation.slug] { (r.organisation.name) } }
                    }
                }
                div.field {
                    label for="f-status" { "Status" }
                    select #f-status name="status" {
                        option value="" { "Any status" }
                        @for st in VendorStatus::VARIANTS { option value=(st) selected[f.status == st.to_string()] { (capitalised(&st.to_string())) } }
                    }
                }
                div.field {
                    label for="f-category" { "Category" }
                    select #f-category name="category" {
                        option value="" { "All categories" }
                        @for c in VendorCategory::VARIANTS { option value=(c) selected[f.category == c.to_string()] { (c.label()) } }
                    }
                }
                div.field.check {
                    input #f-flagged type="checkbox" name="flagged" value="true" checked[f.flagged];
                    label for="f-flagged" { "Only vendors with a flagged transfer" }
                }
                div.actions { button type="submit" { "Search" } a href="/workspace/vendors" { "Reset" } }
            }
            p role="status" { (count) " vendor(s) found, assessed on " (today) "." }
            (pager_nav(pager, "vendors", |n| page_link("/workspace/vendors", &query, n)))
            @for (r, vendors) in shown {
                section aria-labelledby={ "org-" (r.organisation.slug) } {
                    h2 id={ "org-" (r.organisation.slug) } { (r.organisation.name) }
                    p.actions {
                        @if editor {
                            a href={ "/workspace/" (r.organisation.slug) "/vendors/new" } { "Add a vendor to " (r.organisation.name) }
                            " · "
                            a href={ "/workspace/" (r.organisation.slug) "/import" } { "Import vendors from a spreadsheet" }
                            " · "
                        }
                        a href={ "/workspace/" (r.organisation.slug) "/exports" } { "Art. 30 record and vendor register (CSV, XLSX)" }
                    }
                    @if vendors.is_empty() { p { "No vendor matches." } }
                    @else {
                        (Table::new("vendors", html! { "Vendors of " (r.organisation.name) }, &["Vendor", "Categories", "Status", "Transfers"]).render(html! {
                            @for (v, flagged) in vendors {
                                tr {
                                    th scope="row" data-label="Vendor" { a href={ "/workspace/" (r.organisation.slug) "/vendors/" (v.key) } { (v.name) } }
                                    td data-label="Categories" { (v.categories.iter().map(|c| c.label()).collect::<Vec<_>>().join(", ")) }
                                    td data-label="Status" { (status_text(v, Some(today))) }
                                    td data-label="Transfers" {
                                        (v.transfers.len())
                                        @if *flagged { " — " strong { "flagged" } }
                                    }
                                }
                            }
                        }))
                    }
                }
            }
            (pager_nav_below(pager, "vendors", |n| page_link("/workspace/vendors", &query, n)))
        },
    )
}

/// A vendor's page: its record, transfers assessed on `today`, certifications, evidence,
/// announcements, the published `versions` of each fact and the audit `trail`.
pub fn vendor_page(
    session: &Session,
    registry: &Registry,
    vendor: &Vendor,
    (versions, trail): (&[FactPeriods], &[Summary]),
    rules: &RuleSet,
    today: NaiveDate,
) -> Markup {
    let exporter = registry.organisation.country;
    let editor = session.user.role >= Role::Editor;
    let base = format!(
        "/workspace/{}/vendors/{}",
        registry.organisation.slug, vendor.key
    );
    let changes: Vec<_> = registry
        .changes
        .iter()
        .filter(|c| c.vendor_id == Some(vendor.id) && c.kind.is_public())
        .collect();
    // Editors get a last column with the link to each row's form.
    let mut transfer_columns = vec!["Destination", "Data shared", "Mechanisms", "TIA", "Verdict"];
    let mut certification_columns = vec!["Framework", "From", "Until", "Last verified"];
    if editor {
        transfer_columns.push("Edit");
        certification_columns.push("Update");
    }
    layout(
        &vendor.name,
        html! {},
        html! {
            (super::bar(session, "/workspace/vendors"))
            h1 { (vendor.name) }
            @if editor {
                ul.actions {
                    li { a href={ (base) "/edit" } { "Edit the vendor" } }
                    li { a href={ (base) "/transfers/new" } { "Add a transfer" } }
                    li { a href={ (base) "/certifications/new" } { "Add a certification" } }
                    li { a href={ (base) "/evidence/new" } { "Add evidence" } }
                    @if vendor.status == VendorStatus::Active && vendor.retired_from.is_none() {
                        li { a href={ (base) "/retire" } { "Retire the vendor" } }
                    }
                    @if vendor.status == VendorStatus::Proposed {
                        li { a href={ (base) "/withdraw" } { "Withdraw the proposal" } }
                    }
                }
            }
            dl.organisation {
                div { dt { "Organisation" } dd { (registry.organisation.name) } }
                div { dt { "Key" } dd { code { (vendor.key) } } }
                @if let Some(legal) = &vendor.legal_entity { div { dt { "Legal entity" } dd { (legal) } } }
                @if let Some(site) = vendor.website.as_deref() {
                    div { dt { "Website" } dd { @match web_link(site) { Some(url) => a href=(url) { (url) }, None => (site) } } }
                }
                div { dt { "Headquarters" } dd { @match vendor.headquarters { Some(c) => (country_name(c)), None => "not known" } } }
                div { dt { "Role" } dd { (vendor.role.label()) } }
                div { dt { "Categories" } dd { (vendor.categories.iter().map(|c| c.label()).collect::<Vec<_>>().join(", ")) } }
                div { dt { "Status" } dd {
                    (status_text(vendor, None))
                } }
                div { dt { "DPA" } dd {
                    @match vendor.dpa_signed_on { Some(d) => { "signed " (d) }, None => "none on record" }
                    @if let Some(url) = vendor.dpa_url.as_deref().and_then(web_link) { " (" a href=(url) { "the agreement" } ")" }
                } }
                div { dt { "Version" } dd { (vendor.version) } }
            }
            p { (vendor.purpose) }
            @if let Some(notes) = &vendor.notes { p.notes { strong { "Notes: " } (notes) } }
            h2 { "Transfers" }
            @if vendor.transfers.is_empty() { p { "No transfer recorded." } }
            @else {
                (Table::new("vendors", html! { "Transfers of " (vendor.name) ", assessed on " (today) }, &transfer_columns).render(html! {
                    @for t in &vendor.transfers {
                        @let a = vendor.assess(t, exporter, rules, today);
                        @let place = t.place();
                        tr {
                            th scope="row" data-label="Destination" {
                                @match t.country { Some(c) => (country_name(c)), None => (place) }
                            }
                            td data-label="Data shared" { (t.data_categories.iter().map(|d| d.label()).collect::<Vec<_>>().join(", ")) }
                            td data-label="Mechanisms" {
                                @if t.mechanisms.is_empty() { "none" }
                                @for m in &t.mechanisms { (mechanism_name(rules, &m.id)) @if let Some(d) = m.signed_on { " (signed " (d) ")" } br; }
                            }
                            td data-label="TIA" { @match t.tia_on { Some(d) => (d), None => "none" } }
                            td data-label="Verdict" {
                                (verdict_badge(&a)) p.reason { (a.reason()) }
                                @for hint in a.hints() { p.hint { (hint) } }
                            }
                            @if editor {
                                td data-label="Edit" {
                                    a href={ (base) "/transfers/" (t.id) } { "Edit transfer to " (place) } br;
                                    a href={ (base) "/transfers/" (t.id) "/end" } { "End transfer to " (place) }
                                }
                            }
                        }
                    }
                }))
            }
            h2 { "Certifications" }
            @if vendor.certifications.is_empty() { p { "No certification recorded." } }
            @else {
                (Table::new("vendors", html! { "Framework lists " (vendor.name) " is on" }, &certification_columns).render(html! {
                    @for c in &vendor.certifications {
                        tr {
                            th scope="row" data-label="Framework" { (mechanism_name(rules, &c.framework)) }
                            td data-label="From" { (c.from) }
                            td data-label="Until" { @match c.until { Some(d) => (d), None => "still on the list" } }
                            td data-label="Last verified" { (c.verified_on) }
                            @if editor { td data-label="Update" { a href={ (base) "/certifications/" (c.id) } { "Verify or end " (mechanism_name(rules, &c.framework)) } } }
                        }
                    }
                }))
            }
            h2 { "Evidence" }
            @let evidence = vendor.evidence.iter().map(|e| ("the vendor".to_string(), e))
                .chain(vendor.transfers.iter().flat_map(|t| t.evidence.iter().map(move |e| (format!("the transfer to {}", t.country.map(|c| c.name().to_string()).or_else(|| t.location.clone()).unwrap_or_default()), e))))
                .chain(vendor.certifications.iter().flat_map(|c| c.evidence.iter().map(move |e| (format!("the {} certification", c.framework), e))))
                .collect::<Vec<_>>();
            @if evidence.is_empty() { p { "No evidence recorded." } }
            ul.evidence {
                @for (about, e) in &evidence {
                    li {
                        "About " (about) ": " cite { @match e.url.as_deref().and_then(web_link) { Some(url) => a href=(url) { (e.document) }, None => (e.document) } }
                        blockquote { (e.quote) }
                    }
                }
            }
            h2 { "Announcements" }
            @if changes.is_empty() { p { "Nothing announced." } }
            ul {
                @for c in &changes {
                    li {
                        (c.summary) ": announced " (c.announced_on) ", takes effect " (c.effective_on)
                        @if c.effective_on > today { " (upcoming)" }
                        " — " a href={ "/workspace/" (registry.organisation.slug) "/changes/" (c.id) "/notice.csv" } { "who was told of change " (c.id) " (CSV)" }
                    }
                }
            }
            (published_versions(registry, versions, rules))
            h2 { "Audit trail" }
            @if trail.is_empty() { p { "No recorded change." } }
            ul { @for e in trail { li { (e.occurred_at.format("%Y-%m-%d %H:%M")) " — " (e.actor) " " (e.action) " " (e.entity) } } }
        },
    )
}

/// One fact of a vendor with its versions, as [`History::of_vendor`] gives them.
pub type FactPeriods<'h> = ((Fact, i32), Vec<Period<'h>>);

/// What the public list said of each fact of the vendor, and from when to when, as known now
/// (corrections included): the answer to "what did we publish, and when did we record it".
fn published_versions(registry: &Registry, facts: &[FactPeriods], rules: &RuleSet) -> Markup {
    let change = |id: Option<i32>| id.and_then(|id| registry.changes.iter().find(|c| c.id == id));
    html! {
        h2 { "Published versions" }
        p.hint {
            "Each public fact of the vendor as the list showed it, from the day each version took effect, "
            "with the time it was recorded. A version recorded after its day is a correction; one replaced "
            "on the same day never held."
        }
        @if facts.is_empty() { p { "Nothing published: a proposal is not public." } }
        @for ((fact, _), periods) in facts {
            @let caption = fact_caption(*fact, periods, rules);
            (Table::new("vendors", html! { (caption) }, &["From", "Until", "Recorded", "What it said", "Change"]).render(html! {
                @for p in periods {
                    @let v = p.version;
                    tr id={ "version-" (v.id) } {
                        th scope="row" data-label="From" { (v.effective_from) }
                        td data-label="Until" {
                            @if p.replaced { "replaced the same day" }
                            @else if v.body == Body::Ended { "" }
                            @else { @match p.until { Some(d) => (d), None => "still holds" } }
                        }
                        td data-label="Recorded" { (v.recorded_at.format("%Y-%m-%d %H:%M")) }
                        td data-label="What it said" { (body_text(&v.body, rules)) }
                        td data-label="Change" {
                            @match change(v.change_id) {
                                Some(c) => { (capitalised(&c.kind.to_string())) @if let Some(r) = &c.reason { ": " (r) } }
                                None => "",
                            }
                        }
                    }
                }
            }))
        }
    }
}

fn fact_caption(fact: Fact, periods: &[Period], rules: &RuleSet) -> String {
    let described = periods.iter().rev().find_map(|p| match &p.version.body {
        Body::Transfer(t) => Some(
            t.country
                .map(|c| c.name().to_string())
                .or_else(|| t.location.clone())
                .unwrap_or_else(|| "an unnamed place".into()),
        ),
        Body::Certification(c) => Some(mechanism_name(rules, &c.framework)),
        _ => None,
    });
    match (fact, described) {
        (Fact::Transfer, Some(place)) => format!("The transfer to {place}"),
        (Fact::Certification, Some(framework)) => format!("The certification: {framework}"),
        _ => "The listing".into(),
    }
}

/// A version's body in a line.
fn body_text(body: &Body, rules: &RuleSet) -> String {
    match body {
        Body::Listing(l) => format!(
            "{}, {}, {}{}. {}",
            l.name,
            l.role.label().to_lowercase(),
            match l.status {
                Listed::Active => "listed",
                Listed::Retired => "retired",
            },
            l.headquarters
                .map(|c| format!("; headquarters {}", c.name()))
                .unwrap_or_default(),
            l.purpose,
        ),
        Body::Transfer(t) => {
            let mechanisms: Vec<String> = t
                .mechanisms
                .iter()
                .map(|m| match m.signed_on {
                    Some(d) => format!("{} (signed {d})", mechanism_name(rules, &m.id)),
                    None => mechanism_name(rules, &m.id),
                })
                .collect();
            format!(
                "{}; data: {}; safeguards: {}{}",
                t.country
                    .map(|c| c.name().to_string())
                    .or_else(|| t.location.clone())
                    .unwrap_or_default(),
                t.data_categories
                    .iter()
                    .map(|d| d.label())
                    .collect::<Vec<_>>()
                    .join(", "),
                if mechanisms.is_empty() {
                    "none".into()
                } else {
                    mechanisms.join(", ")
                },
                t.tia_on.map(|d| format!("; TIA {d}")).unwrap_or_default()
            )
        }
        Body::Certification(c) => format!(
            "{} from {}{}, verified {}",
            mechanism_name(rules, &c.framework),
            c.from,
            c.until.map(|d| format!(" until {d}")).unwrap_or_default(),
            c.verified_on
        ),
        Body::Ended => "ended".into(),
    }
}

/// A vendor's status in words with its dates; given `upcoming_after`, only a start after that day.
fn status_text(v: &Vendor, upcoming_after: Option<NaiveDate>) -> Markup {
    html! {
        (capitalised(&v.status.to_string()))
        @if v.status == VendorStatus::Withdrawn {
            @if let Some(d) = v.retired_from { " on " (d) " (never listed)" }
        } @else {
            @if let Some(d) = v.active_from.filter(|d| upcoming_after.is_none_or(|after| *d > after)) { ", from " (d) }
            @if let Some(d) = v.retired_from { ", retired from " (d) }
        }
    }
}
