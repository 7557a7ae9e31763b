//! The machine-readable copies of the public list: JSON (DESIGN.md §5), CSV (RFC 4180, one row per
//! transfer) and the Atom feed of changes. Only what a published list shows: no internal notes.

use std::collections::HashSet;

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::Serialize;

mod csv;

pub use csv::csv;

use super::views::mechanism_name_in;
use crate::registry::listing::{Filters, Listing, Summary, VendorRow};
use crate::registry::{
    Certification, Change, ChangeKind, DataCategory, Evidence, Organisation, Role, VendorCategory,
    VendorStatus,
};
use crate::rules::{Assessment, CountryCode, RuleSet, ScopeExclusion};

#[derive(Serialize)]
struct PublicList<'a> {
    organisation: OrganisationJson<'a>,
    as_of: NaiveDate,
    filters: FiltersJson,
    summary: &'a Summary,
    vendors: Vec<VendorJson<'a>>,
    upcoming_changes: Vec<UpcomingJson<'a>>,
    changes: &'a [&'a Change],
    /// Corrections made after the day read to what was published for it.
    corrected_later: &'a [Change],
    history: HistoryJson<'a>,
}

/// A change still to come, with its vendor as it will be on the day it takes effect.
#[derive(Serialize)]
struct UpcomingJson<'a> {
    #[serde(flatten)]
    change: &'a Change,
    vendor_as_it_will_be: Option<VendorJson<'a>>,
}

/// The change log's hash chain: its newest entry's hash on the date read, and where the whole
/// chain is (for `crossborder verify`).
#[derive(Serialize)]
struct HistoryJson<'a> {
    head: Option<&'a str>,
    url: String,
}

#[derive(Serialize)]
struct FiltersJson {
    category: Option<VendorCategory>,
    country: Option<CountryCode>,
    flagged: Option<bool>,
}

#[derive(Serialize)]
struct OrganisationJson<'a> {
    slug: &'a str,
    name: &'a str,
    legal_name: &'a str,
    country: CountryCode,
    privacy_contact: Option<&'a str>,
    website: Option<&'a str>,
    policy: PolicyJson<'a>,
    last_change: Option<NaiveDate>,
}

#[derive(Serialize)]
struct PolicyJson<'a> {
    title: Option<&'a str>,
    date: Option<NaiveDate>,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct VendorJson<'a> {
    key: &'a str,
    name: &'a str,
    legal_entity: Option<&'a str>,
    website: Option<&'a str>,
    headquarters: Option<CountryCode>,
    role: Role,
    categories: &'a [VendorCategory],
    purpose: &'a str,
    status: VendorStatus,
    active_from: Option<NaiveDate>,
    retired_from: Option<NaiveDate>,
    dpa_signed_on: Option<NaiveDate>,
    certifications: &'a [Certification],
    evidence: &'a [Evidence],
    transfers: Vec<TransferJson<'a>>,
}

#[derive(Serialize)]
struct MechanismJson<'a> {
    id: &'a str,
    name: String,
    signed_on: Option<NaiveDate>,
}

#[derive(Serialize)]
struct TransferJson<'a> {
    country: Option<CountryCode>,
    country_name: Option<&'static str>,
    location: Option<&'a str>,
    data_categories: &'a [DataCategory],
    mechanisms: Vec<MechanismJson<'a>>,
    tia_on: Option<NaiveDate>,
    supplementary_measures: Option<&'a str>,
    /// Why the importer is outside an adequacy decision's scope, when the record says so.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    outside_scope: &'a [ScopeExclusion],
    evidence: &'a [Evidence],
    assessment: &'a Assessment<'static>,
}

/// One vendor of the list with its transfers and their assessments.
fn vendor_json<'a>(row: &'a VendorRow<'a>, rules: &RuleSet) -> VendorJson<'a> {
    let v = row.vendor;
    VendorJson {
        key: &v.key,
        name: &v.name,
        legal_entity: v.legal_entity.as_deref(),
        website: v.website.as_deref(),
        headquarters: v.headquarters,
        role: v.role,
        categories: &v.categories,
        purpose: &v.purpose,
        status: v.status,
        active_from: v.active_from,
        retired_from: v.retired_from,
        dpa_signed_on: v.dpa_signed_on,
        certifications: &v.certifications,
        evidence: &v.evidence,
        transfers: row
            .transfers
            .iter()
            .map(|t| TransferJson {
                country: t.transfer.country,
                country_name: t.transfer.country.map(|c| c.name()),
                location: t.transfer.location.as_deref(),
                data_categories: &t.transfer.data_categories,
                mechanisms: t
                    .transfer
                    .mechanisms
                    .iter()
                    .map(|m| MechanismJson {
                        id: &m.id,
                        name: mechanism_name_in(rules, t.assessment.regime, &m.id),
                        signed_on: m.signed_on,
                    })
                    .collect(),
                tia_on: t.transfer.tia_on,
                supplementary_measures: t.transfer.supplementary_measures.as_deref(),
                outside_scope: &t.transfer.outside_scope,
                evidence: &t.transfer.evidence,
                assessment: &t.assessment,
            })
            .collect(),
    }
}

pub fn json(listing: &Listing, rules: &RuleSet) -> String {
    let org = &listing.registry.organisation;
    let as_of = listing.filters.as_of;
    let vendors = listing
        .rows
        .iter()
        .map(|row| vendor_json(row, rules))
        .collect();
    let upcoming = listing
        .upcoming
        .iter()
        .zip(&listing.to_come)
        .map(|(change, row)| UpcomingJson {
            change,
            vendor_as_it_will_be: row.as_ref().map(|row| vendor_json(row, rules)),
        })
        .collect();
    let list = PublicList {
        organisation: OrganisationJson {
            slug: &org.slug,
            name: &org.name,
            legal_name: &org.legal_name,
            country: org.country,
            privacy_contact: org.privacy_contact.as_deref(),
            website: org.website.as_deref(),
            policy: PolicyJson {
                title: org.policy_title.as_deref(),
                date: org.policy_date,
                url: org.policy_url.as_deref(),
            },
            last_change: listing.registry.last_change_on(as_of),
        },
        as_of,
        filters: FiltersJson {
            category: listing.filters.category,
            country: listing.filters.country,
            flagged: listing.filters.flagged,
        },
        summary: &listing.summary,
        vendors,
        upcoming_changes: upcoming,
        changes: &listing.past,
        corrected_later: &listing.registry.corrected_later,
        history: HistoryJson {
            head: listing.registry.chain_head(),
            url: format!("/{}/history.json", org.slug),
        },
    };
    // Plain structs of strings, numbers and dates: serialising cannot fail.
    serde_json::to_string_pretty(&list).expect("the public list serialises")
}

fn datetime(at: NaiveDateTime) -> FixedDateTime {
    Utc.from_utc_datetime(&at).fixed_offset()
}

fn day(date: NaiveDate) -> FixedDateTime {
    datetime(date.and_hms_opt(0, 0, 0).unwrap_or_default())
}

/// The tagging authority of an organisation's `tag:` URIs when it has no website: a name under
/// `.invalid` (RFC 2606), which no one can own, so these ids never collide with a real authority's.
pub const FALLBACK_TAG_AUTHORITY: &str = "crossborder.invalid";

/// The date of the feed's own `tag:` URI. It must never change, and nothing in an organisation's
/// record is both dated and fixed, so it is the year these ids were first minted.
const FEED_TAG_DATE: &str = "2026";

/// The authority of an organisation's `tag:` URIs (RFC 4151): its website's host name, in
/// lowercase, or [`FALLBACK_TAG_AUTHORITY`].
fn tag_authority(org: &Organisation) -> String {
    org.website
        .as_deref()
        .and_then(|w| url::Url::parse(w.trim()).ok())
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| FALLBACK_TAG_AUTHORITY.to_string())
}

/// The permanent id of the organisation's feed: `tag:{authority},2026:{slug}/subprocessors`,
/// with `?category=...&country=...` for a feed narrowed to them (another feed). The date it is
/// read as of does not make another feed: it is the same one, as it stood then.
fn feed_id(org: &Organisation, filters: &Filters) -> String {
    let mut narrowed: Vec<(&str, String)> = Vec::new();
    if let Some(c) = filters.category {
        narrowed.push(("category", c.to_string()));
    }
    if let Some(c) = filters.country {
        narrowed.push(("country", c.to_string()));
    }
    let query = match serde_urlencoded::to_string(&narrowed).unwrap_or_default() {
        q if q.is_empty() => q,
        q => format!("?{q}"),
    };
    format!(
        "tag:{},{FEED_TAG_DATE}:{}/subprocessors{query}",
        tag_authority(org),
        org.slug
    )
}

/// The permanent id of a change's entry: `tag:{authority},{announced on}:{slug}/changes/{id}`.
fn entry_id(org: &Organisation, change: &Change) -> String {
    format!(
        "tag:{},{}:{}/changes/{}",
        tag_authority(org),
        change.announced_on,
        org.slug,
        change.id
    )
}

/// Whether a change belongs in the feed narrowed by the list's filters. A change about a vendor
/// on the list that day counts when the filtered list shows the vendor; one about a vendor not
/// listed that day (upcoming, retired) when the vendor's record matches the category and has a
/// transfer to the country. A change about no vendor is kept. (`flagged` is refused for the
/// feed before it is rendered: a vendor not listed on the date has no verdict that day.)
fn in_feed(listing: &Listing, shown: &HashSet<i32>, change: &Change) -> bool {
    let filters = &listing.filters;
    let Some(vendor_id) = change.vendor_id else {
        return true;
    };
    if !filters.narrows() || shown.contains(&vendor_id) {
        return true;
    }
    let Some(vendor) = listing.registry.vendors.iter().find(|v| v.id == vendor_id) else {
        return false;
    };
    !vendor.listed_on(filters.as_of)
        && filters
            .category
            .is_none_or(|c| vendor.categories.contains(&c))
        && filters
            .country
            .is_none_or(|c| vendor.transfers.iter().any(|t| t.country == Some(c)))
}

/// One entry per change announced by the list's date, newest first, narrowed by its filters.
/// Ids are `tag:` URIs that depend only on the organisation and the change; links start with
/// `base`, the site's address (`https://host`, no trailing slash); `query` is the query string
/// that reproduces the filters (empty for none), which the feed's own links carry.
pub fn atom(listing: &Listing, base: &str, query: &str) -> String {
    let registry = listing.registry;
    let org = &registry.organisation;
    let page = format!("{base}/{}/subprocessors", org.slug);
    let query = match query {
        "" => String::new(),
        q => format!("?{q}"),
    };
    let link = |href: String, rel: &str, mime: Option<&str>| {
        let mut l = Link::default();
        l.set_href(href);
        l.set_rel(rel);
        l.set_mime_type(mime.map(str::to_string));
        l
    };
    let shown: HashSet<i32> = listing.rows.iter().map(|r| r.vendor.id).collect();
    let entries: Vec<Entry> = registry
        .changes
        .iter()
        .filter(|c| c.kind.is_public() && c.announced_on <= listing.filters.as_of)
        .filter(|c| in_feed(listing, &shown, c))
        .map(|c| {
            let mut e = Entry::default();
            let kind: &str = c.kind.into();
            e.set_id(entry_id(org, c));
            e.set_title(Text::plain(format!(
                "{} (effective {})",
                c.summary, c.effective_on
            )));
            e.set_published(Some(day(c.announced_on)));
            // Any change of what the entry says (a new date) makes it new to readers again.
            e.set_updated(datetime(c.updated_at).max(day(c.announced_on)));
            e.set_links(vec![link(
                format!("{page}?as_of={}", c.effective_on),
                "alternate",
                Some("text/html"),
            )]);
            let mut content = Content::default();
            content.set_content_type(Some("text".to_string()));
            let why = match (c.kind, &c.reason) {
                (ChangeKind::Corrected, Some(r)) => format!(" Correction: {r}."),
                (_, Some(r)) => format!(" Before the end of the notice period, because: {r}."),
                _ => String::new(),
            };
            // A change still to come says what it will be, to object to before it takes effect.
            let to_come = listing
                .upcoming
                .iter()
                .position(|u| u.id == c.id)
                .and_then(|i| listing.to_come[i].as_ref())
                .map(|row| format!("\n{}.", row.describe(RuleSet::embedded()).join(".\n")))
                .unwrap_or_default();
            content.set_value(Some(format!(
                "{}. Kind: {kind}. Announced on {}; takes effect on {}.{why}{to_come}",
                c.summary, c.announced_on, c.effective_on
            )));
            e.set_content(Some(content));
            e
        })
        .collect();
    let mut feed = Feed::default();
    feed.set_title(Text::plain(format!(
        "{}: changes to its sub-processors",
        org.name
    )));
    feed.set_id(feed_id(org, &listing.filters));
    feed.set_updated(datetime(registry.last_modified()));
    let mut author = Person::default();
    author.set_name(org.legal_name.clone());
    author.set_email(
        org.privacy_contact
            .clone()
            .filter(|c| c.contains('@') && !c.contains(' ')),
    );
    feed.set_authors(vec![author]);
    feed.set_links(vec![
        link(
            format!("{page}.atom{query}"),
            "self",
            Some("application/atom+xml"),
        ),
        link(format!("{page}{query}"), "alternate", Some("text/html")),
        // The change log's hash chain, and its head on this date, for `crossborder verify`.
        {
            let mut l = link(
                format!("{base}/{}/history.json", org.slug),
                "related",
                Some("application/json"),
            );
            l.set_title(
                registry
                    .chain_head()
                    .map(|h| format!("chain head sha256:{h}")),
            );
            l
        },
    ]);
    feed.set_entries(entries);
    feed.set_lang(Some("en".to_string()));
    feed.to_string()
}
