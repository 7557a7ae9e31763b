//! An intake request for a vendor the organisation already has: the vendors on record that look
//! like the one asked for (same domain or same name), and attaching the request to one of them
//! instead of creating `stripe-2`. Attaching approves the request, names that vendor, changes
//! nothing of the vendor itself, and is audited.

use std::collections::HashMap;

use diesel::prelude::*;

use super::decide::{audit_decision, claim};
use super::{APPROVED, Approval, DecideError, IntakeDetail, get_detail};
use crate::db::schema::{intake_requests, organisations, vendors};
use crate::db::{DbConnection, DbError};
use crate::registry::VendorStatus;
use crate::registry::vendor::{self, search};

/// A vendor on record that an intake request looks like.
#[derive(Debug, Clone)]
pub struct Existing {
    pub key: String,
    pub name: String,
    pub website: Option<String>,
    pub status: VendorStatus,
    pub same: search::Sameness,
}

impl Existing {
    /// Whether a request may be attached to it: a vendor in use or proposed, not one given up.
    pub fn attachable(&self) -> bool {
        matches!(self.status, VendorStatus::Proposed | VendorStatus::Active)
    }
}

/// For each of `requests`, the vendors of its organisation that look like the one it asks for
/// (withdrawn ones left out), same domain first; one query whatever the number of requests.
pub fn existing(
    conn: &mut DbConnection,
    requests: &[IntakeDetail],
) -> Result<HashMap<i32, Vec<Existing>>, DbError> {
    if requests.is_empty() {
        return Ok(HashMap::new());
    }
    let slugs: Vec<&str> = requests
        .iter()
        .map(|r| r.request.organisation.as_str())
        .collect();
    let withdrawn: &str = VendorStatus::Withdrawn.into();
    type Row = (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        String,
    );
    let rows: Vec<Row> = vendors::table
        .inner_join(organisations::table)
        .filter(organisations::slug.eq_any(slugs))
        .filter(vendors::status.ne(withdrawn))
        .order((vendors::name.asc(), vendors::id.asc()))
        .select((
            organisations::slug,
            vendors::key,
            vendors::name,
            vendors::legal_entity,
            vendors::website,
            vendors::status,
        ))
        .load(conn)?;
    let mut out: HashMap<i32, Vec<Existing>> = HashMap::new();
    for r in requests {
        let asked = (r.request.vendor_name.as_str(), r.request.website.as_deref());
        let mut found: Vec<Existing> = rows
            .iter()
            .filter(|row| row.0 == r.request.organisation)
            .filter_map(|(_, key, name, legal, website, status)| {
                let same =
                    search::same_vendor((name, legal.as_deref(), website.as_deref()), asked)?;
                Some(Existing {
                    key: key.clone(),
                    name: name.clone(),
                    website: website.clone(),
                    status: crate::registry::stored(status, "vendors.status").ok()?,
                    same,
                })
            })
            .collect();
        found.sort_by_key(|e| e.same != search::Sameness::Domain);
        if !found.is_empty() {
            out.insert(r.request.id, found);
        }
    }
    Ok(out)
}

/// Attaches pending request `id` (at `expected_version`) to the vendor `key` of its
/// organisation: the request is approved and names that vendor; the vendor is not changed.
pub fn attach(
    conn: &mut DbConnection,
    id: i32,
    expected_version: Option<i32>,
    key: &str,
    note: Option<&str>,
    actor: &str,
) -> Result<Approval, DecideError> {
    conn.write_transaction(|conn| {
        let (org_id, before) = claim(conn, id, expected_version, APPROVED, None)?;
        let found = vendor::find_in(conn, org_id, key)?.ok_or_else(|| {
            DecideError::Vendor(format!(
                "organisation '{}' has no vendor '{key}' to attach the request to",
                before.request.organisation
            ))
        })?;
        if !matches!(found.status, VendorStatus::Proposed | VendorStatus::Active) {
            return Err(DecideError::Vendor(format!(
                "vendor '{key}' is {}: a request is attached only to a vendor in use or proposed",
                found.status
            )));
        }
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        let reason = match note {
            Some(n) => format!(
                "Attached to the existing vendor {} ({key}): {n}",
                found.name
            ),
            None => format!("Attached to the existing vendor {} ({key}).", found.name),
        };
        diesel::update(intake_requests::table.find(id))
            .set((
                intake_requests::vendor_id.eq(Some(found.id)),
                intake_requests::decision_reason.eq(Some(reason)),
            ))
            .execute(conn)?;
        let after = get_detail(conn, id)?.ok_or(DecideError::NotFound(id))?;
        audit_decision(conn, "attach", org_id, &before, &after, actor)?;
        Ok(Approval {
            request: after,
            vendor: found,
        })
    })
}
