//! The Atom feed of an organisation's changes (RFC 4287), bounded: the subscription document
//! holds the newest [`PER_DOCUMENT`] entries and links to archive documents of older ones (RFC
//! 5005 §4, "archived feeds"). Archive `n` holds the `n`th run of [`PER_DOCUMENT`] entries in the
//! order the change log recorded them, so it never changes once full; only full archives exist.

use std::collections::{BTreeMap, HashSet};

use atom_syndication::extension::Extension;
use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};

use crate::registry::listing::{Filters, Listing};
use crate::registry::{Change, ChangeKind, Organisation};
use crate::rules::RuleSet;

/// Entries in the subscription document and in each archive.
pub const PER_DOCUMENT: usize = 50;

/// The feed history namespace of RFC 5005.
const FH: &str = "http://purl.org/syndication/history/1.0";

/// Which document of the feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedPart {
    /// The subscription document: the newest entries.
    Current,
    /// Archive `n` (from 1, the oldest).
    Archive(u32),
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

/// The feed document `part` of the list, or `None` for an archive that does not exist (yet).
/// Entries are the changes announced by the list's date, narrowed by its filters, newest first
/// in each document. Ids are `tag:` URIs that depend only on the organisation and the change;
/// links start with `base`, the site's address (`https://host`, no trailing slash); `query` is
/// the query string that reproduces the filters (empty for none), which the feed's links carry.
pub fn atom(listing: &Listing, base: &str, query: &str, part: FeedPart) -> Option<String> {
    let registry = listing.registry;
    let org = &registry.organisation;
    let page = format!("{base}/{}/subprocessors", org.slug);
    let feed_url = |archive: Option<usize>| {
        let mut pairs: Vec<String> = Vec::new();
        if !query.is_empty() {
            pairs.push(query.to_string());
        }
        if let Some(n) = archive {
            pairs.push(format!("archive={n}"));
        }
        match pairs.join("&") {
            q if q.is_empty() => format!("{page}.atom"),
            q => format!("{page}.atom?{q}"),
        }
    };
    let link = |href: String, rel: &str, mime: Option<&str>| {
        let mut l = Link::default();
        l.set_href(href);
        l.set_rel(rel);
        l.set_mime_type(mime.map(str::to_string));
        l
    };
    let shown: HashSet<i32> = listing.rows.iter().map(|r| r.vendor.id).collect();
    let mut changes: Vec<&Change> = registry
        .changes
        .iter()
        .filter(|c| c.kind.is_public() && c.announced_on <= listing.filters.as_of)
        .filter(|c| in_feed(listing, &shown, c))
        .collect();
    // The change log's order (its ids only grow): what fixes each archive's entries.
    changes.sort_by_key(|c| c.id);
    let total = changes.len();
    let full_archives = total / PER_DOCUMENT;
    let atom_type = Some("application/atom+xml");
    let (in_document, mut links) = match part {
        FeedPart::Current => {
            let mut links = vec![
                link(feed_url(None), "self", atom_type),
                link(
                    match query {
                        "" => page.clone(),
                        q => format!("{page}?{q}"),
                    },
                    "alternate",
                    Some("text/html"),
                ),
            ];
            // Older entries than these are in the archives; the newest full one may repeat some.
            if total > PER_DOCUMENT {
                links.push(link(
                    feed_url(Some(full_archives)),
                    "prev-archive",
                    atom_type,
                ));
            }
            (&changes[total.saturating_sub(PER_DOCUMENT)..], links)
        }
        FeedPart::Archive(n) => {
            let n = n as usize;
            if n == 0 || n > full_archives {
                return None;
            }
            let mut links = vec![
                link(feed_url(Some(n)), "self", atom_type),
                link(feed_url(None), "current", atom_type),
            ];
            if n > 1 {
                links.push(link(feed_url(Some(n - 1)), "prev-archive", atom_type));
            }
            if n < full_archives {
                links.push(link(feed_url(Some(n + 1)), "next-archive", atom_type));
            }
            (&changes[(n - 1) * PER_DOCUMENT..n * PER_DOCUMENT], links)
        }
    };
    // Shown as the change log reads: by the date each takes effect, newest first.
    let mut in_document = in_document.to_vec();
    in_document.sort_by_key(|c| std::cmp::Reverse((c.effective_on, c.id)));
    let entries: Vec<Entry> = in_document
        .iter()
        .map(|c| entry(listing, &page, c))
        .collect();
    let mut feed = Feed::default();
    feed.set_title(Text::plain(format!(
        "{}: changes to its sub-processors",
        org.name
    )));
    feed.set_id(feed_id(org, &listing.filters));
    let mut author = Person::default();
    author.set_name(org.legal_name.clone());
    author.set_email(
        org.privacy_contact
            .clone()
            .filter(|c| c.contains('@') && !c.contains(' ')),
    );
    feed.set_authors(vec![author]);
    match part {
        FeedPart::Current => {
            feed.set_updated(datetime(registry.last_modified()));
            // The change log's hash chain, and its head on this date, for `crossborder verify`.
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
            links.push(l);
        }
        FeedPart::Archive(_) => {
            // Nothing that moves with later writes: an archive is the same document until one
            // of its own entries is corrected.
            let newest = entries.iter().map(|e| *e.updated()).max();
            feed.set_updated(newest.unwrap_or_else(|| datetime(registry.last_modified())));
            feed.set_namespaces(BTreeMap::from([("fh".to_string(), FH.to_string())]));
            let archive = Extension {
                name: "fh:archive".to_string(),
                ..Extension::default()
            };
            feed.set_extensions(BTreeMap::from([(
                "fh".to_string(),
                BTreeMap::from([("archive".to_string(), vec![archive])]),
            )]));
        }
    }
    feed.set_links(links);
    feed.set_entries(entries);
    feed.set_lang(Some("en".to_string()));
    Some(feed.to_string())
}

/// A change's entry.
fn entry(listing: &Listing, page: &str, c: &Change) -> Entry {
    let org = &listing.registry.organisation;
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
    let mut l = Link::default();
    l.set_href(format!("{page}?as_of={}", c.effective_on));
    l.set_rel("alternate");
    l.set_mime_type(Some("text/html".to_string()));
    e.set_links(vec![l]);
    let mut content = Content::default();
    content.set_content_type(Some("text".to_string()));
    let why = match (c.kind, &c.reason) {
        (ChangeKind::Corrected, Some(r)) => format!(" Correction: {r}."),
        (_, Some(r)) => format!(" Before the end of the notice period, because: {r}."),
        _ => String::new(),
    };
    // A change still to come says what it will be, to object to before it takes effect.
    let verdicts = org.publication.verdicts;
    let to_come = listing
        .upcoming
        .iter()
        .position(|u| u.id == c.id)
        .and_then(|i| listing.to_come[i].as_ref())
        .map(|row| {
            format!(
                "\n{}.",
                row.describe(RuleSet::embedded(), verdicts).join(".\n")
            )
        })
        .unwrap_or_default();
    content.set_value(Some(format!(
        "{}. Kind: {kind}. Announced on {}; takes effect on {}.{why}{to_come}",
        c.summary, c.announced_on, c.effective_on
    )));
    e.set_content(Some(content));
    e
}
