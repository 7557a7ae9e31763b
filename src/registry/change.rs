//! The public change log: a vendor added, changed or retired, with the day it was announced and
//! the day it takes effect (GDPR Art. 28(2): notice before a new sub-processor is used).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

use super::stored;
use super::vendor::Vendor;
use crate::date::now;
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
    #[serde(skip)]
    pub created_at: NaiveDateTime,
}

/// An organisation's changes, newest effective date first; `names` gives each vendor's name.
pub(super) fn list(
    conn: &mut DbConnection,
    org_id: i32,
    names: &HashMap<i32, String>,
) -> Result<Vec<Change>, DbError> {
    let rows: Vec<ChangeRow> = changes::table
        .filter(changes::organisation_id.eq(org_id))
        .order((changes::effective_on.desc(), changes::id.desc()))
        .load(conn)?;
    rows.into_iter()
        .map(|c| {
            Ok(Change {
                id: c.id,
                kind: stored(&c.kind, "changes.kind")?,
                vendor: c.vendor_id.and_then(|id| names.get(&id).cloned()),
                vendor_id: c.vendor_id,
                summary: c.summary,
                announced_on: c.announced_on,
                effective_on: c.effective_on,
                created_at: c.created_at,
            })
        })
        .collect()
}

/// Announces a change of `vendor` in the organisation's change log.
pub(super) fn record(
    conn: &mut DbConnection,
    org_id: i32,
    vendor_id: i32,
    kind: ChangeKind,
    vendor: &Vendor,
    (announced_on, effective_on): (NaiveDate, NaiveDate),
) -> QueryResult<()> {
    let categories: Vec<String> = vendor
        .categories
        .iter()
        .map(|c| c.label().to_lowercase())
        .collect();
    let verb = match kind {
        ChangeKind::Added => "added",
        ChangeKind::Changed => "changed",
        ChangeKind::Retired => "retired",
    };
    let kind: &str = kind.into();
    diesel::insert_into(changes::table)
        .values((
            changes::organisation_id.eq(org_id),
            changes::vendor_id.eq(Some(vendor_id)),
            changes::kind.eq(kind),
            changes::summary.eq(format!(
                "{} ({}) {verb}",
                vendor.name,
                categories.join(", ")
            )),
            changes::announced_on.eq(announced_on),
            changes::effective_on.eq(effective_on),
            changes::created_at.eq(now()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Moves the vendor's announced addition to `effective_on` while it is still upcoming (after
/// `today`); one that has taken effect is history and stays as published.
pub(super) fn move_addition(
    conn: &mut DbConnection,
    vendor_id: i32,
    effective_on: NaiveDate,
    today: NaiveDate,
) -> QueryResult<()> {
    let added: &str = ChangeKind::Added.into();
    diesel::update(
        changes::table
            .filter(changes::vendor_id.eq(vendor_id))
            .filter(changes::kind.eq(added))
            .filter(changes::effective_on.gt(today)),
    )
    .set(changes::effective_on.eq(effective_on))
    .execute(conn)
    .map(|_| ())
}
