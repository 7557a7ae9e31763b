//! Reading vendors: an organisation's, or one, each with its categories, certifications,
//! transfers and evidence. Seven queries either way, whatever the number of vendors.

use std::collections::HashMap;

use diesel::prelude::*;

use super::{Scope, Vendor};
use crate::db::rows::VendorRow;
use crate::db::schema::{vendor_categories, vendors};
use crate::db::{DbConnection, DbError};
use crate::registry::organisation::{self, Organisation};
use crate::registry::{certification, evidence, stored, stored_country, transfer};

/// Every vendor of an organisation, by name.
pub fn all(conn: &mut DbConnection, org_id: i32) -> Result<Vec<Vendor>, DbError> {
    let rows: Vec<VendorRow> = vendors::table
        .filter(vendors::organisation_id.eq(org_id))
        .order((vendors::name.asc(), vendors::id.asc()))
        .load(conn)?;
    assemble(conn, rows, Scope::organisation(org_id))
}

/// One vendor of an organisation, by key.
pub fn find_in(conn: &mut DbConnection, org_id: i32, key: &str) -> Result<Option<Vendor>, DbError> {
    let Some(row) = vendors::table
        .filter(vendors::organisation_id.eq(org_id))
        .filter(vendors::key.eq(key))
        .first::<VendorRow>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let scope = Scope::vendor(org_id, row.id);
    Ok(assemble(conn, vec![row], scope)?.pop())
}

/// An organisation and one of its vendors, read together in one read transaction (so the vendor's
/// children agree with each other); `None` for an unknown organisation.
pub fn find(
    conn: &mut DbConnection,
    slug: &str,
    key: &str,
) -> Result<Option<(Organisation, Option<Vendor>)>, DbError> {
    conn.transaction(|conn| {
        let Some(org) = organisation::find(conn, slug)? else {
            return Ok(None);
        };
        let vendor = find_in(conn, org.id, key)?;
        Ok(Some((org, vendor)))
    })
}

/// The vendors of `rows` with their children, read for `scope` (six queries).
fn assemble(
    conn: &mut DbConnection,
    rows: Vec<VendorRow>,
    scope: Scope,
) -> Result<Vec<Vendor>, DbError> {
    let categories: Vec<(i32, String)> = vendor_categories::table
        .filter(vendor_categories::vendor_id.eq_any(scope.vendor_ids()))
        .order((vendor_categories::vendor_id, vendor_categories::category))
        .load(conn)?;
    let mut evidence = evidence::load(conn, scope)?;
    let mut certifications = certification::load(conn, scope, &mut evidence.certifications)?;
    let (mut transfers, mut ended) = transfer::load(conn, scope, &mut evidence.transfers)?;
    let mut categories_by_vendor: HashMap<i32, Vec<_>> = HashMap::new();
    for (vendor_id, category) in categories {
        categories_by_vendor
            .entry(vendor_id)
            .or_default()
            .push(stored(&category, "vendor_categories.category")?);
    }
    rows.into_iter()
        .map(|v| {
            let mut categories = categories_by_vendor.remove(&v.id).unwrap_or_default();
            categories.sort();
            Ok(Vendor {
                id: v.id,
                headquarters: v
                    .headquarters
                    .as_deref()
                    .map(|c| stored_country(c, "vendors.headquarters"))
                    .transpose()?,
                role: stored(&v.role, "vendors.role")?,
                status: stored(&v.status, "vendors.status")?,
                categories,
                evidence: evidence.vendors.remove(&v.id).unwrap_or_default(),
                certifications: certifications.remove(&v.id).unwrap_or_default(),
                transfers: transfers.remove(&v.id).unwrap_or_default(),
                ended_transfers: ended.remove(&v.id).unwrap_or_default(),
                key: v.key,
                name: v.name,
                legal_entity: v.legal_entity,
                website: v.website,
                purpose: v.purpose,
                proposed_on: v.proposed_on,
                active_from: v.active_from,
                retired_from: v.retired_from,
                dpa_signed_on: v.dpa_signed_on,
                dpa_url: v.dpa_url,
                notes: v.notes,
                version: v.version,
            })
        })
        .collect()
}
