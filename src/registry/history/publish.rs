//! Publishing: a change-log entry and the versions it brings, appended together and chained.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::body::{Fact, facts};
use super::chain::{self, Link, VersionLink};
use super::{Body, History};
use crate::date::now;
use crate::db::schema::versions;
use crate::db::{DbConnection, DbError};
use crate::registry::change::{self, ChangeKind, NewChange};
use crate::registry::outbox::{self, EventKind};
use crate::registry::vendor::Vendor;

/// A change-log entry about to be written.
#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: ChangeKind,
    pub summary: String,
    pub announced_on: NaiveDate,
    pub effective_on: NaiveDate,
    pub reason: Option<String>,
    pub amends: Option<i32>,
}

/// One version to append: a fact's new body (`None`: it ends) from a day.
#[derive(Debug, Clone, PartialEq)]
pub struct Publication {
    pub vendor_id: i32,
    pub fact: Fact,
    pub fact_id: i32,
    pub effective_from: NaiveDate,
    /// When it is recorded: now, except for history imported from a seed.
    pub recorded_at: NaiveDateTime,
    pub body: Option<String>,
}

impl Publication {
    /// The facts of `new` whose body differs from their newest version in `history`, and those
    /// its record no longer holds (an ended transfer), each as a version from `effective_from`.
    pub fn changed(history: &History, new: &Vendor, effective_from: NaiveDate) -> Vec<Self> {
        Self::against(
            new,
            effective_from,
            |fact, id| history.latest(fact, id),
            history,
        )
    }

    /// What a correction from `date` sets right: the facts of `new` that differ from the
    /// versions in effect on that day, and those it no longer holds.
    pub fn corrected(history: &History, new: &Vendor, date: NaiveDate) -> Vec<Self> {
        Self::against(new, date, |fact, id| history.on(fact, id, date), history)
    }

    fn against<'h>(
        new: &Vendor,
        effective_from: NaiveDate,
        published: impl Fn(Fact, i32) -> Option<&'h super::Version>,
        history: &'h History,
    ) -> Vec<Self> {
        let recorded_at = now();
        let facts = facts(new);
        let publication = |fact, fact_id, body| Publication {
            vendor_id: new.id,
            fact,
            fact_id,
            effective_from,
            recorded_at,
            body,
        };
        let held = |fact: Fact, id: i32| facts.iter().any(|(f, i, _)| (*f, *i) == (fact, id));
        let ended = history
            .children
            .get(&new.id)
            .into_iter()
            .flat_map(|c| c.keys())
            .filter(|(fact, id)| *fact != Fact::Vendor && !held(*fact, *id))
            .filter(|(fact, id)| published(*fact, *id).is_some_and(|v| v.body != Body::Ended))
            .map(|(fact, id)| publication(*fact, *id, None))
            .collect::<Vec<_>>();
        facts
            .iter()
            .filter(|(fact, id, body)| {
                published(*fact, *id).and_then(|v| v.text.as_deref()) != Some(body.as_str())
            })
            .map(|(fact, id, body)| publication(*fact, *id, Some(body.clone())))
            .chain(ended)
            .collect()
    }
}

/// Appends `entry` to the organisation's change log with its versions; the entry's hash covers
/// them and the previous entry's hash. Returns the entry's id.
pub fn publish(
    conn: &mut DbConnection,
    (org_id, slug): (i32, &str),
    vendor: Option<(i32, &str)>,
    entry: Entry,
    publications: &[Publication],
) -> Result<i32, DbError> {
    let created_at = now();
    let mut link = Link {
        id: None,
        organisation: slug.to_string(),
        kind: <&str>::from(entry.kind).to_string(),
        vendor: vendor.map(|(_, key)| key.to_string()),
        summary: entry.summary,
        announced_on: entry.announced_on,
        effective_on: entry.effective_on,
        reason: entry.reason,
        amends: entry.amends,
        recorded_at: created_at,
        versions: publications
            .iter()
            .map(|p| VersionLink {
                vendor_id: p.vendor_id,
                fact: <&str>::from(p.fact).to_string(),
                fact_id: p.fact_id,
                effective_from: p.effective_from,
                recorded_at: p.recorded_at,
                body: p.body.as_deref().and_then(|b| serde_json::from_str(b).ok()),
            })
            .collect(),
        previous: chain::head(conn, org_id)?,
        hash: String::new(),
    };
    link.hash = link.digest();
    let id = change::insert(
        conn,
        NewChange {
            org_id,
            vendor_id: vendor.map(|(id, _)| id),
            kind: entry.kind,
            summary: &link.summary,
            announced_on: link.announced_on,
            effective_on: link.effective_on,
            reason: link.reason.as_deref(),
            amends: link.amends,
            created_at,
            hash: &link.hash,
        },
    )?;
    // A change announced now is told to subscribers and webhooks (the worker fans it out); the
    // history a seed imports was announced long ago, and is not.
    if entry.announced_on == crate::date::today() {
        let event = match entry.kind {
            ChangeKind::Corrected => Some(EventKind::ChangeCorrected),
            ChangeKind::Added
            | ChangeKind::Changed
            | ChangeKind::Retired
            | ChangeKind::Rescheduled => Some(EventKind::ChangeAnnounced),
            ChangeKind::Imported => None,
        };
        if let Some(event) = event {
            outbox::queue_event(conn, org_id, event, id, created_at)?;
        }
    }
    for p in publications {
        let fact: &str = p.fact.into();
        diesel::insert_into(versions::table)
            .values((
                versions::organisation_id.eq(org_id),
                versions::vendor_id.eq(p.vendor_id),
                versions::fact.eq(fact),
                versions::fact_id.eq(p.fact_id),
                versions::effective_from.eq(p.effective_from),
                versions::recorded_at.eq(p.recorded_at),
                versions::change_id.eq(Some(id)),
                versions::body.eq(p.body.as_deref()),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

/// Moves what the change `pending` published (still to come) to `new_date`: each of its
/// versions is published again from `new_date`, and, when that is later, what was in effect
/// before it is restored from its old day — a past entry is never edited.
pub fn reschedule(history: &History, pending: i32, new_date: NaiveDate) -> Vec<Publication> {
    let recorded_at = now();
    let mut out = Vec::new();
    let moved: Vec<_> = history
        .facts
        .values()
        .flatten()
        .filter(|v| v.change_id == Some(pending))
        .collect();
    for v in moved {
        if new_date > v.effective_from {
            let before = v
                .effective_from
                .pred_opt()
                .and_then(|d| history.on(v.fact, v.fact_id, d));
            out.push(Publication {
                vendor_id: v.vendor_id,
                fact: v.fact,
                fact_id: v.fact_id,
                effective_from: v.effective_from,
                recorded_at,
                body: before.and_then(|b| match b.body {
                    Body::Ended => None,
                    _ => b.text.clone(),
                }),
            });
        }
        out.push(Publication {
            vendor_id: v.vendor_id,
            fact: v.fact,
            fact_id: v.fact_id,
            effective_from: new_date,
            recorded_at,
            body: v.text.clone(),
        });
    }
    out.sort_by_key(|p| (p.fact, p.fact_id, p.effective_from));
    out
}

/// Publishes what an edit changed of a vendor's public facts, on the day the notice rules give
/// ([`super::notice`]): `before` is the vendor as last published (`None`: never), `after` its
/// record as now stored. Nothing is published for a proposal, or when no public fact changed.
/// Returns the day the change takes effect, if there was one.
pub fn announce(
    conn: &mut DbConnection,
    org: &crate::registry::organisation::Locked,
    history: &History,
    (before, after): (Option<&Vendor>, &Vendor),
    (timing, field): (&super::notice::Timing, &'static str),
) -> Result<Option<NaiveDate>, crate::registry::EditError> {
    use super::notice::{self, Timed};
    use crate::registry::vendor::VendorStatus;
    // A proposal, or one withdrawn, was never public: nothing about it is published.
    if matches!(
        after.status,
        VendorStatus::Proposed | VendorStatus::Withdrawn
    ) {
        return Ok(None);
    }
    let today = crate::date::today();
    let reach = notice::reach(before, after);
    // A change of this vendor still to come: later ones wait for it.
    let floor = history
        .children
        .get(&after.id)
        .into_iter()
        .flat_map(|facts| facts.keys())
        .filter_map(|(fact, id)| history.latest(*fact, *id))
        .map(|v| v.effective_from)
        .max();
    let (date, timed) =
        notice::effective(timing, field, &reach, (today, org.notice_end(today)), floor)?;
    let publications = match timed {
        // A correction sets right what was in effect on its day.
        Timed::Correction(_) => Publication::corrected(history, after, date),
        _ => Publication::changed(history, after, date),
    };
    if publications.is_empty() {
        return Ok(None);
    }
    let kind = match (&timed, before) {
        (Timed::Correction(_), _) => ChangeKind::Corrected,
        (_, None) => ChangeKind::Added,
        (_, Some(b))
            if b.status != VendorStatus::Retired && after.status == VendorStatus::Retired =>
        {
            ChangeKind::Retired
        }
        _ => ChangeKind::Changed,
    };
    let details = match (kind, before) {
        (ChangeKind::Changed | ChangeKind::Corrected, Some(b)) => {
            let mut d = reach.widens.clone();
            d.extend(change::differences(b, after));
            d
        }
        _ => Vec::new(),
    };
    publish(
        conn,
        (org.id, &org.slug),
        Some((after.id, &after.key)),
        Entry {
            kind,
            summary: change::summary(kind, after, &details),
            announced_on: today,
            effective_on: date,
            reason: timed.reason().map(str::to_string),
            amends: None,
        },
        &publications,
    )?;
    Ok(Some(date))
}
