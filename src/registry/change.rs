//! The public change log: a vendor added, changed or retired, with the day it was announced and
//! the day it takes effect (GDPR Art. 28(2): notice before a new sub-processor is used).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

use super::stored;
use super::vendor::Vendor;
use crate::db::rows::ChangeRow;
use crate::db::schema::changes;
use crate::db::{DbConnection, DbError};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Changed,
    Retired,
    /// A past period set right, with its reason.
    Corrected,
    /// An announced change moved to another day.
    Rescheduled,
    /// History brought in from a seed or an older database: in the hash chain, not a change.
    Imported,
}

impl ChangeKind {
    /// Whether the public change log shows entries of this kind: a rescheduling shows as the
    /// entry it moved ([`fold_reschedulings`]); an import is no change.
    pub fn is_public(self) -> bool {
        !matches!(self, ChangeKind::Imported | ChangeKind::Rescheduled)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    #[serde(skip)]
    pub id: i32,
    pub kind: ChangeKind,
    /// The vendor's name (and its id, which the public copy leaves out).
    pub vendor: Option<String>,
    #[serde(skip)]
    pub vendor_id: Option<i32>,
    pub summary: String,
    pub announced_on: NaiveDate,
    pub effective_on: NaiveDate,
    /// A correction's or an urgent change's reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The entry whose date this one moved.
    #[serde(skip)]
    pub amends: Option<i32>,
    #[serde(skip)]
    pub created_at: NaiveDateTime,
    /// When what the entry says last changed: its recording, or a later rescheduling.
    #[serde(skip)]
    pub updated_at: NaiveDateTime,
    /// The day it was first announced to take effect, when a rescheduling moved it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_from: Option<NaiveDate>,
    /// Its link in the hash chain.
    #[serde(skip)]
    pub hash: String,
}

/// An organisation's changes, newest effective date first; `names` gives each vendor's name.
pub(super) fn list(
    conn: &mut DbConnection,
    org_id: i32,
    names: &HashMap<i32, String>,
) -> Result<Vec<Change>, DbError> {
    named(rows(conn, org_id)?, names)
}

/// An organisation's change log as stored, newest effective date first.
pub(super) fn rows(conn: &mut DbConnection, org_id: i32) -> QueryResult<Vec<ChangeRow>> {
    changes::table
        .filter(changes::organisation_id.eq(org_id))
        .order((changes::effective_on.desc(), changes::id.desc()))
        .load(conn)
}

/// The changes of `rows`, each with its vendor's name from `names`.
pub(super) fn named(
    rows: Vec<ChangeRow>,
    names: &HashMap<i32, String>,
) -> Result<Vec<Change>, DbError> {
    rows.into_iter()
        .map(|c| {
            let name = c.vendor_id.and_then(|id| names.get(&id).cloned());
            Change::from_row(c, name)
        })
        .collect()
}

/// One change by id, with its vendor's name.
pub fn find(conn: &mut DbConnection, id: i32) -> Result<Option<Change>, DbError> {
    let Some(row) = changes::table
        .find(id)
        .first::<ChangeRow>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let name: Option<String> = match row.vendor_id {
        Some(v) => Some(
            crate::db::schema::vendors::table
                .find(v)
                .select(crate::db::schema::vendors::name)
                .first(conn)?,
        ),
        None => None,
    };
    Change::from_row(row, name).map(Some)
}

impl Change {
    fn from_row(c: ChangeRow, vendor: Option<String>) -> Result<Self, DbError> {
        Ok(Change {
            id: c.id,
            kind: stored(&c.kind, "changes.kind")?,
            vendor,
            vendor_id: c.vendor_id,
            summary: c.summary,
            announced_on: c.announced_on,
            effective_on: c.effective_on,
            reason: c.reason,
            amends: c.amends,
            created_at: c.created_at,
            updated_at: c.created_at,
            moved_from: None,
            hash: c.hash,
        })
    }
}

/// Applies each rescheduling to the entry it moved (following reschedulings of reschedulings):
/// the entry shows its new date, the first one, and when it was moved.
pub fn fold_reschedulings(changes: &mut [Change]) {
    let mut moves: Vec<(i32, i32, NaiveDate, NaiveDateTime)> = changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Rescheduled)
        .filter_map(|c| c.amends.map(|a| (c.id, a, c.effective_on, c.created_at)))
        .collect();
    moves.sort();
    for (_, amends, effective_on, at) in moves {
        let mut target = amends;
        while let Some(next) = changes
            .iter()
            .find(|c| c.id == target && c.kind == ChangeKind::Rescheduled)
            .and_then(|c| c.amends)
        {
            target = next;
        }
        if let Some(c) = changes.iter_mut().find(|c| c.id == target) {
            c.moved_from.get_or_insert(c.effective_on);
            c.effective_on = effective_on;
            c.updated_at = c.updated_at.max(at);
        }
    }
}

/// A new entry of the change log, chained by [`crate::registry::history::publish`].
pub(super) struct NewChange<'a> {
    pub org_id: i32,
    pub vendor_id: Option<i32>,
    pub kind: ChangeKind,
    pub summary: &'a str,
    pub announced_on: NaiveDate,
    pub effective_on: NaiveDate,
    pub reason: Option<&'a str>,
    pub amends: Option<i32>,
    pub created_at: NaiveDateTime,
    pub hash: &'a str,
}

/// Appends an entry to the change log; returns its id.
pub(super) fn insert(conn: &mut DbConnection, c: NewChange) -> QueryResult<i32> {
    let kind: &str = c.kind.into();
    diesel::insert_into(changes::table)
        .values((
            changes::organisation_id.eq(c.org_id),
            changes::vendor_id.eq(c.vendor_id),
            changes::kind.eq(kind),
            changes::summary.eq(c.summary),
            changes::announced_on.eq(c.announced_on),
            changes::effective_on.eq(c.effective_on),
            changes::created_at.eq(c.created_at),
            changes::reason.eq(c.reason),
            changes::amends.eq(c.amends),
            changes::hash.eq(c.hash),
        ))
        .returning(changes::id)
        .get_result(conn)
}

/// The entry's one line: "Stripe (payments) added", "Stripe (payments) changed: a new
/// destination: China (CN)".
pub fn summary(kind: ChangeKind, vendor: &Vendor, details: &[String]) -> String {
    let categories: Vec<String> = vendor
        .categories
        .iter()
        .map(|c| c.label().to_lowercase())
        .collect();
    let verb: &str = kind.into();
    let line = format!("{} ({}) {verb}", vendor.name, categories.join(", "));
    if details.is_empty() {
        line
    } else {
        format!("{line}: {}", details.join("; "))
    }
}

/// What changed between two published states of a vendor, in a few words each.
pub fn differences(old: &Vendor, new: &Vendor) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = |changed: bool, what: &str| {
        if changed {
            out.push(format!("{what} updated"));
        }
    };
    field(old.name != new.name, "name");
    field(old.legal_entity != new.legal_entity, "legal entity");
    field(old.website != new.website, "website");
    field(old.headquarters != new.headquarters, "headquarters");
    field(old.categories != new.categories, "categories");
    field(old.purpose != new.purpose, "purpose");
    for t in &new.transfers {
        let place = t.place();
        match old.transfers.iter().find(|o| o.id == t.id) {
            None => {}
            Some(o) if o.country != t.country || o.location != t.location => {
                out.push(format!("a transfer now goes to {place}"))
            }
            Some(o) => {
                if o.mechanisms != t.mechanisms {
                    let ids: Vec<&str> = t.mechanisms.iter().map(|m| m.id.as_str()).collect();
                    out.push(format!("safeguard for {place}: {}", ids.join(", ")));
                }
                if o.data_categories != t.data_categories {
                    out.push(format!("data shared with {place} updated"));
                }
                if o.tia_on != t.tia_on || o.supplementary_measures != t.supplementary_measures {
                    out.push(format!("assessment and measures for {place} updated"));
                }
            }
        }
    }
    for t in old
        .transfers
        .iter()
        .filter(|o| new.transfers.iter().all(|t| t.id != o.id))
    {
        out.push(format!("the transfer to {} ends", t.place()));
    }
    if old.certifications != new.certifications {
        out.push("certifications updated".into());
    }
    out
}
