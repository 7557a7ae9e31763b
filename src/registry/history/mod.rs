//! Records that keep their history. Every public fact of a vendor (its listing, each transfer,
//! each certification) is a series of versions, appended and never changed. A version holds its
//! fact from `effective_from` until the fact's next version; of two versions from the same day,
//! the one recorded later wins. So:
//!
//! - the list **as published on D** reads the versions recorded by the end of D, in effect on D;
//! - the list **as known at K** reads the versions recorded by K: a correction, recorded later
//!   with a date in the past, shows there and not in what was published before it.
//!
//! The vendor tables hold the record as last edited (with what is never public: notes, DPA
//! links, evidence); this module keeps what was published, and when. Writes append versions
//! through [`publish`]; [`backfill`] gives databases from before the history their first ones.

mod backfill;
pub mod body;
pub mod chain;
pub mod notice;
mod publish;

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::rows::VersionRow;
use crate::db::schema::versions;
use crate::db::{DbConnection, DbError};
use crate::registry::vendor::{Vendor, VendorStatus};
pub use backfill::{backfill, import};
pub use body::{CertificationBody, Fact, Listed, ListingBody, TransferBody};
pub use publish::{Entry, Publication, announce, publish, reschedule};

/// One version of one fact, its body parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    pub id: i32,
    pub vendor_id: i32,
    pub fact: Fact,
    pub fact_id: i32,
    pub effective_from: NaiveDate,
    pub recorded_at: NaiveDateTime,
    pub change_id: Option<i32>,
    pub body: Body,
    /// The body as stored (canonical JSON), to compare with a new one: kept only by
    /// [`load_vendor`], which every write reads; the organisation's whole history, read for the
    /// published lists, does not keep it (a third of its memory).
    pub text: Option<String>,
}

/// What a version says of its fact.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Listing(ListingBody),
    Transfer(TransferBody),
    Certification(CertificationBody),
    /// The fact ends (a transfer stopped, a certification withdrawn).
    Ended,
}

impl Version {
    fn parse(row: VersionRow, text: Text) -> Result<Self, DbError> {
        let corrupt =
            |what: String| DbError::Corrupt(format!("versions row id {}: {what}", row.id));
        let fact: Fact = row
            .fact
            .parse()
            .map_err(|_| corrupt(format!("unknown fact '{}'", row.fact)))?;
        let body = match (&row.body, fact) {
            (None, _) => Body::Ended,
            (Some(text), Fact::Vendor) => Body::Listing(from_json(text).map_err(corrupt)?),
            (Some(text), Fact::Transfer) => Body::Transfer(from_json(text).map_err(corrupt)?),
            (Some(text), Fact::Certification) => {
                Body::Certification(from_json(text).map_err(corrupt)?)
            }
        };
        Ok(Version {
            id: row.id,
            vendor_id: row.vendor_id,
            fact,
            fact_id: row.fact_id,
            effective_from: row.effective_from,
            recorded_at: row.recorded_at,
            change_id: row.change_id,
            body,
            text: match text {
                Text::Keep => row.body,
                Text::Drop => None,
            },
        })
    }
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| format!("body: {e}"))
}

/// The first moment after the day `date`: what was recorded before it was known on that day.
pub fn end_of(date: NaiveDate) -> NaiveDateTime {
    date.succ_opt()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(everything(), |end| end.min(everything()))
}

/// A moment after every recording: the last second of the year 9999 (the last that both
/// backends store and compare as they should; SQLite compares timestamps as text).
pub fn everything() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(9999, 12, 31)
        .and_then(|d| d.and_hms_opt(23, 59, 59))
        .unwrap_or_default()
}

/// One version of a fact and how long it holds, as known now.
#[derive(Debug, Clone, PartialEq)]
pub struct Period<'h> {
    pub version: &'h Version,
    /// The day the fact's next version takes effect (`None`: it still holds).
    pub until: Option<NaiveDate>,
    /// A version recorded later for the same day took its place: it never held as known now.
    pub replaced: bool,
}

/// The versions of an organisation's facts known at some moment, by fact, oldest first.
#[derive(Debug, Clone, Default)]
pub struct History {
    facts: HashMap<(Fact, i32), Vec<Version>>,
    /// Per vendor, its transfers' and certifications' ids.
    children: HashMap<i32, BTreeMap<(Fact, i32), ()>>,
}

/// Whether versions keep their body's text (see [`Version::text`]).
#[derive(Clone, Copy)]
enum Text {
    Keep,
    Drop,
}

/// The versions of an organisation's facts recorded before `known_before`, without their text
/// (not for writes). One query.
pub fn load(
    conn: &mut DbConnection,
    org_id: i32,
    known_before: NaiveDateTime,
) -> Result<History, DbError> {
    let rows: Vec<VersionRow> = versions::table
        .filter(versions::organisation_id.eq(org_id))
        .filter(versions::recorded_at.lt(known_before))
        .load(conn)?;
    History::of(rows, Text::Drop)
}

/// Every version of one vendor's facts, whenever recorded. One query.
pub fn load_vendor(conn: &mut DbConnection, vendor_id: i32) -> Result<History, DbError> {
    let rows: Vec<VersionRow> = versions::table
        .filter(versions::vendor_id.eq(vendor_id))
        .load(conn)?;
    History::of(rows, Text::Keep)
}

impl History {
    fn of(rows: Vec<VersionRow>, text: Text) -> Result<Self, DbError> {
        let mut history = History::default();
        for row in rows {
            history.add(Version::parse(row, text)?);
        }
        history.sort();
        Ok(history)
    }

    /// The versions recorded before `known_before`: what [`load`] with that moment reads, taken
    /// from a history loaded with more (borrowed as it is when nothing was recorded later).
    pub fn recorded_before(&self, known_before: NaiveDateTime) -> std::borrow::Cow<'_, History> {
        let all = || self.facts.values().flatten();
        if all().all(|v| v.recorded_at < known_before) {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut history = History::default();
        for v in all().filter(|v| v.recorded_at < known_before) {
            history.add(v.clone());
        }
        history.sort();
        std::borrow::Cow::Owned(history)
    }

    /// The newest recording it holds, if any.
    pub fn last_recorded(&self) -> Option<NaiveDateTime> {
        self.facts.values().flatten().map(|v| v.recorded_at).max()
    }

    /// How many versions it holds (to weigh it in memory).
    pub fn len(&self) -> usize {
        self.facts.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }

    fn add(&mut self, v: Version) {
        self.children
            .entry(v.vendor_id)
            .or_default()
            .insert((v.fact, v.fact_id), ());
        self.facts.entry((v.fact, v.fact_id)).or_default().push(v);
    }

    fn sort(&mut self) {
        for versions in self.facts.values_mut() {
            versions.sort_by_key(|v| (v.effective_from, v.recorded_at, v.id));
            // Most facts have one version, and a Vec grown by pushing holds room for four.
            versions.shrink_to_fit();
        }
        self.facts.shrink_to_fit();
        self.children.shrink_to_fit();
    }

    /// Whether any version of the vendor's facts is known.
    pub fn has(&self, vendor_id: i32) -> bool {
        self.children.contains_key(&vendor_id)
    }

    /// A fact's versions, in the order they take effect.
    pub fn versions(&self, fact: Fact, id: i32) -> &[Version] {
        self.facts.get(&(fact, id)).map_or(&[], Vec::as_slice)
    }

    /// A vendor's facts, each with its versions in the order they take effect (the workspace's
    /// history): the listing first, then transfers and certifications by id.
    pub fn of_vendor(&self, vendor_id: i32) -> Vec<((Fact, i32), Vec<Period<'_>>)> {
        self.children
            .get(&vendor_id)
            .into_iter()
            .flat_map(|facts| facts.keys())
            .map(|&(fact, id)| ((fact, id), self.periods(fact, id)))
            .collect()
    }

    /// A fact's versions, each with the day the next one takes over.
    fn periods(&self, fact: Fact, id: i32) -> Vec<Period<'_>> {
        let versions = self.versions(fact, id);
        versions
            .iter()
            .enumerate()
            .map(|(i, version)| {
                let later = &versions[i + 1..];
                Period {
                    version,
                    replaced: later
                        .first()
                        .is_some_and(|n| n.effective_from == version.effective_from),
                    until: later
                        .iter()
                        .map(|n| n.effective_from)
                        .find(|d| *d > version.effective_from),
                }
            })
            .collect()
    }

    /// The version of a fact in effect on `date`: the latest to take effect by then, the latest
    /// recorded among those of the same day.
    pub fn on(&self, fact: Fact, id: i32, date: NaiveDate) -> Option<&Version> {
        self.versions(fact, id)
            .iter()
            .rev()
            .find(|v| v.effective_from <= date)
    }

    /// The newest version of a fact to take effect (it may still be upcoming).
    pub fn latest(&self, fact: Fact, id: i32) -> Option<&Version> {
        self.versions(fact, id).last()
    }

    /// A fact's versions as they take effect: for each day, the one recorded last.
    fn timeline(&self, fact: Fact, id: i32) -> Vec<&Version> {
        let mut out: Vec<&Version> = Vec::new();
        for v in self.versions(fact, id) {
            match out.last_mut() {
                Some(last) if last.effective_from == v.effective_from => *last = v,
                _ => out.push(v),
            }
        }
        out
    }

    /// When the vendor's listing in effect on `day` started, and when it is retired (if that
    /// is known): a start moved later, or a listing ended, starts a new period.
    fn listing_period(
        &self,
        vendor_id: i32,
        day: NaiveDate,
    ) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let timeline = self.timeline(Fact::Vendor, vendor_id);
        let (mut start, mut listed) = (None, false);
        for v in timeline.iter().filter(|v| v.effective_from <= day) {
            match &v.body {
                Body::Listing(l) if l.status == Listed::Active => {
                    if !listed {
                        start = Some(v.effective_from);
                        listed = true;
                    }
                }
                Body::Listing(_) => listed = false,
                _ => (start, listed) = (None, false),
            }
        }
        let retired = timeline
            .iter()
            .filter(|v| start.is_some_and(|s| v.effective_from >= s))
            .find(|v| matches!(&v.body, Body::Listing(l) if l.status == Listed::Retired))
            .map(|v| v.effective_from);
        (start, retired)
    }

    /// The vendor as the versions show it on `date`, its private fields (notes, DPA, evidence)
    /// from `current`. A vendor not yet in effect shows as it will first be; `None` for one with
    /// no version (a proposal, which is not public).
    pub fn vendor_on(&self, current: &Vendor, date: NaiveDate) -> Option<Vendor> {
        let listings = self.versions(Fact::Vendor, current.id);
        let listed = |v: &&Version| matches!(&v.body, Body::Listing(_));
        let version = self
            .on(Fact::Vendor, current.id, date)
            .filter(listed)
            .or_else(|| listings.iter().find(|v| v.effective_from > date))?;
        let Body::Listing(listing) = &version.body else {
            return None;
        };
        // The date the facts are read on: `date`, or the first day of a vendor still to come.
        let day = date.max(version.effective_from);
        let (active_from, retired_from) = self.listing_period(current.id, day);
        let children = self.children.get(&current.id);
        let mut transfers: Vec<(i32, crate::registry::Transfer)> = Vec::new();
        let mut certifications = Vec::new();
        for (fact, id) in children.into_iter().flat_map(|c| c.keys()) {
            let Some(version) = self.on(*fact, *id, day) else {
                continue;
            };
            match &version.body {
                Body::Transfer(t) => {
                    let head = (current.transfers.iter())
                        .chain(&current.ended_transfers)
                        .find(|h| h.id == *id);
                    transfers.push((t.position, t.transfer(head, *id)));
                }
                Body::Certification(c) => {
                    let head = current.certifications.iter().find(|h| h.id == *id);
                    certifications.push(c.certification(head, *id));
                }
                Body::Listing(_) | Body::Ended => {}
            }
        }
        transfers.sort_by_key(|(position, t)| (*position, t.id));
        certifications.sort_by_key(|c| (c.from, c.id));
        Some(
            Vendor {
                id: current.id,
                key: current.key.clone(),
                name: listing.name.clone(),
                legal_entity: listing.legal_entity.clone(),
                website: listing.website.clone(),
                headquarters: listing.headquarters,
                role: listing.role,
                categories: listing.categories.clone(),
                purpose: listing.purpose.clone(),
                status: match listing.status {
                    Listed::Active => VendorStatus::Active,
                    Listed::Retired => VendorStatus::Retired,
                },
                proposed_on: current.proposed_on,
                active_from: active_from.filter(|d| *d > backfill::first_day()),
                retired_from,
                // Not versioned: a DPA signed after the day was not signed yet on it.
                dpa_signed_on: current.dpa_signed_on.filter(|d| *d <= day),
                dpa_url: current.dpa_url.clone(),
                notes: current.notes.clone(),
                evidence: current.evidence.clone(),
                certifications,
                transfers: transfers.into_iter().map(|(_, t)| t).collect(),
                ended_transfers: current.ended_transfers.clone(),
                version: current.version,
            }
            .compact(),
        )
    }
}
