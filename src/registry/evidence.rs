//! Evidence: where a record comes from (a document, a verbatim quote, a link), backing a vendor,
//! one of its transfers or one of its certifications. Evidence is only ever added.

use std::collections::HashMap;

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::edit::{EditError, edit_vendor};
use super::history::notice::Timing;
use super::vendor::{Scope, Vendor};
use crate::db::DbConnection;
use crate::db::rows::EvidenceRow;
use crate::db::schema::evidence;

/// Where a record comes from: a document and a verbatim quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub document: String,
    pub quote: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// What a piece of evidence documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceFor {
    Vendor,
    Transfer(i32),
    Certification(i32),
}

/// Evidence loaded for a set of vendors, grouped by what it backs.
#[derive(Default)]
pub(super) struct Grouped {
    pub vendors: HashMap<i32, Vec<Evidence>>,
    pub transfers: HashMap<i32, Vec<Evidence>>,
    pub certifications: HashMap<i32, Vec<Evidence>>,
}

/// The evidence of the vendors in `scope`, in the order it was added. One query.
pub(super) fn load(conn: &mut DbConnection, scope: Scope) -> QueryResult<Grouped> {
    let rows: Vec<EvidenceRow> = evidence::table
        .filter(evidence::vendor_id.eq_any(scope.vendor_ids()))
        .order(evidence::id)
        .load(conn)?;
    let mut grouped = Grouped::default();
    for e in rows {
        let item = Evidence {
            document: e.document,
            quote: e.quote,
            url: e.url,
        };
        match (e.transfer_id, e.certification_id) {
            (Some(t), _) => grouped.transfers.entry(t).or_default().push(item),
            (None, Some(c)) => grouped.certifications.entry(c).or_default().push(item),
            (None, None) => grouped.vendors.entry(e.vendor_id).or_default().push(item),
        }
    }
    Ok(grouped)
}

pub(super) fn insert(
    conn: &mut DbConnection,
    vendor_id: i32,
    about: EvidenceFor,
    e: &Evidence,
) -> QueryResult<()> {
    let (transfer_id, certification_id) = match about {
        EvidenceFor::Vendor => (None, None),
        EvidenceFor::Transfer(id) => (Some(id), None),
        EvidenceFor::Certification(id) => (None, Some(id)),
    };
    diesel::insert_into(evidence::table)
        .values((
            evidence::vendor_id.eq(vendor_id),
            evidence::transfer_id.eq(transfer_id),
            evidence::certification_id.eq(certification_id),
            evidence::document.eq(&e.document),
            evidence::quote.eq(&e.quote),
            evidence::url.eq(&e.url),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Adds a document and quote backing the vendor, one of its transfers or certifications.
pub fn add(
    conn: &mut DbConnection,
    (slug, key): (&str, &str),
    expected_version: i32,
    about: EvidenceFor,
    evidence: &Evidence,
    actor: &str,
) -> Result<Vendor, EditError> {
    edit_vendor(
        conn,
        (slug, key),
        expected_version,
        (actor, "update", &Timing::default()),
        |conn, _, old| {
            let known = match about {
                EvidenceFor::Vendor => true,
                EvidenceFor::Transfer(id) => old.transfers.iter().any(|t| t.id == id),
                EvidenceFor::Certification(id) => old.certifications.iter().any(|c| c.id == id),
            };
            match about {
                _ if known => Ok(insert(conn, old.id, about, evidence)?),
                EvidenceFor::Certification(_) => Err(EditError::NotFound("certification")),
                _ => Err(EditError::NotFound("transfer")),
            }
        },
    )
}
