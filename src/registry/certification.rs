//! Certifications: the framework lists a vendor is on (the Data Privacy Framework, say), between
//! two dates. Ended, a certification stays, so past dates are still assessed with it.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;

use super::edit::{EditError, edit_vendor};
use super::evidence::{self, Evidence, EvidenceFor};
use super::history::notice::Timing;
use super::vendor::{Scope, Vendor};
use crate::db::rows::VendorCertificationRow;
use crate::db::schema::vendor_certifications;
use crate::db::{DbConnection, DbError};
use crate::rules::RuleSet;

/// A framework list the vendor is on, between two dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Certification {
    #[serde(skip)]
    pub id: i32,
    pub framework: String,
    /// The parts of the framework's list it covers, as regime ids (`eu`, `uk` for the DPF's UK
    /// Extension, `ch` for the Swiss-U.S. DPF): one certification answers for every regime.
    pub parts: Vec<String>,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    pub verified_on: NaiveDate,
    pub evidence: Vec<Evidence>,
}

/// The stored parts ("eu,uk").
fn parts_of(text: &str) -> Vec<String> {
    text.split(',')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

impl Certification {
    pub fn holds_on(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|u| date < u)
    }
}

/// The certifications of the vendors in `scope`, by vendor, each with its evidence. One query.
/// A framework the rules do not know is corrupt data, named with its row: dropping it would
/// assess the vendor's transfers as if it were not certified.
pub(super) fn load(
    conn: &mut DbConnection,
    scope: Scope,
    evidence: &mut HashMap<i32, Vec<Evidence>>,
) -> Result<HashMap<i32, Vec<Certification>>, DbError> {
    let rows: Vec<VendorCertificationRow> = vendor_certifications::table
        .filter(vendor_certifications::vendor_id.eq_any(scope.vendor_ids()))
        .order((
            vendor_certifications::vendor_id,
            vendor_certifications::certified_from,
        ))
        .load(conn)?;
    let rules = RuleSet::embedded();
    let mut by_vendor: HashMap<i32, Vec<Certification>> = HashMap::new();
    for c in rows {
        let parts = parts_of(&c.parts);
        if let Err(e) = rules
            .framework_id(&c.framework)
            .map_err(|e| e.to_string())
            .and_then(|_| rules.parts(parts.iter().map(String::as_str)))
        {
            return Err(DbError::Corrupt(format!(
                "vendor_certifications row id {}: {e}",
                c.id
            )));
        }
        by_vendor
            .entry(c.vendor_id)
            .or_default()
            .push(Certification {
                id: c.id,
                framework: c.framework,
                parts,
                from: c.certified_from,
                until: c.certified_until,
                verified_on: c.verified_on,
                evidence: evidence.remove(&c.id).unwrap_or_default(),
            });
    }
    Ok(by_vendor)
}

/// Inserts a certification and its evidence; returns its id.
pub(super) fn insert(
    conn: &mut DbConnection,
    vendor_id: i32,
    c: &Certification,
) -> QueryResult<i32> {
    let id: i32 = diesel::insert_into(vendor_certifications::table)
        .values((
            vendor_certifications::vendor_id.eq(vendor_id),
            vendor_certifications::framework.eq(&c.framework),
            vendor_certifications::parts.eq(c.parts.join(",")),
            vendor_certifications::certified_from.eq(c.from),
            vendor_certifications::certified_until.eq(c.until),
            vendor_certifications::verified_on.eq(c.verified_on),
        ))
        .returning(vendor_certifications::id)
        .get_result(conn)?;
    for e in &c.evidence {
        evidence::insert(conn, vendor_id, EvidenceFor::Certification(id), e)?;
    }
    Ok(id)
}

/// Records that the vendor is on a framework's list (e.g. the Data Privacy Framework) from a
/// date, as verified on `verified_on`.
pub fn add(
    conn: &mut DbConnection,
    (slug, key): (&str, &str),
    expected_version: i32,
    certification: &Certification,
    actor: &str,
) -> Result<Vendor, EditError> {
    check_dates(certification.from, certification.until)?;
    edit_vendor(
        conn,
        (slug, key),
        expected_version,
        (actor, "update", &Timing::default()),
        |conn, _, old| {
            insert(conn, old.id, certification)?;
            Ok(())
        },
    )
}

/// Re-verifies a certification, or ends it (`until`, the first day it no longer holds): the
/// record stays, so past dates are still assessed with it.
pub fn update(
    conn: &mut DbConnection,
    (slug, key): (&str, &str),
    expected_version: i32,
    certification_id: i32,
    until: Option<NaiveDate>,
    verified_on: NaiveDate,
    actor: &str,
) -> Result<Vendor, EditError> {
    edit_vendor(
        conn,
        (slug, key),
        expected_version,
        (actor, "update", &Timing::default()),
        |conn, _, old| {
            let current = old
                .certifications
                .iter()
                .find(|c| c.id == certification_id)
                .ok_or(EditError::NotFound("certification"))?;
            check_dates(current.from, until)?;
            diesel::update(vendor_certifications::table.find(certification_id))
                .set((
                    vendor_certifications::certified_until.eq(until),
                    vendor_certifications::verified_on.eq(verified_on),
                ))
                .execute(conn)?;
            Ok(())
        },
    )
}

fn check_dates(from: NaiveDate, until: Option<NaiveDate>) -> Result<(), EditError> {
    match until.filter(|u| *u <= from) {
        Some(u) => Err(EditError::Invalid {
            field: "until",
            message: format!("{u} is not after the date the certification starts ({from})"),
        }),
        None => Ok(()),
    }
}
