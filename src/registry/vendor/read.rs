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
            }
            .compact())
        })
        .collect()
}

/// The vendor an audit event is about, as a list of events names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// Its organisation's slug.
    pub organisation: String,
    /// `None` for an intake request no vendor came from (yet).
    pub key: Option<String>,
    pub name: String,
}

/// The vendors the events `about` (entity, id) concern, by (entity, id): a vendor's own events,
/// its transfers' events, and intake requests (the vendor asked for, or the one it became).
/// Three queries, whatever the number of events; other entities are not named.
pub fn named(
    conn: &mut DbConnection,
    about: &[(String, i32)],
) -> Result<HashMap<(String, i32), Named>, DbError> {
    use crate::db::schema::{intake_requests, organisations, transfers};
    let ids = |entity: &str| -> Vec<i32> {
        about
            .iter()
            .filter(|(e, _)| e == entity)
            .map(|(_, id)| *id)
            .collect()
    };
    let (vendor_ids, transfer_ids, request_ids) =
        (ids("vendor"), ids("transfer"), ids("intake_request"));
    let mut out = HashMap::new();
    if vendor_ids.is_empty() && transfer_ids.is_empty() && request_ids.is_empty() {
        return Ok(out);
    }
    let of_transfers: Vec<(i32, i32)> = transfers::table
        .filter(transfers::id.eq_any(transfer_ids))
        .select((transfers::id, transfers::vendor_id))
        .load(conn)?;
    type Request = (i32, String, String, Option<i32>);
    let requests: Vec<Request> = intake_requests::table
        .inner_join(organisations::table)
        .filter(intake_requests::id.eq_any(request_ids))
        .select((
            intake_requests::id,
            organisations::slug,
            intake_requests::vendor_name,
            intake_requests::vendor_id,
        ))
        .load(conn)?;
    let wanted: Vec<i32> = (vendor_ids.iter().copied())
        .chain(of_transfers.iter().map(|(_, v)| *v))
        .chain(requests.iter().filter_map(|r| r.3))
        .collect();
    let vendors: HashMap<i32, Named> = vendors::table
        .inner_join(organisations::table)
        .filter(vendors::id.eq_any(wanted))
        .select((
            vendors::id,
            organisations::slug,
            vendors::key,
            vendors::name,
        ))
        .load::<(i32, String, String, String)>(conn)?
        .into_iter()
        .map(|(id, organisation, key, name)| {
            let named = Named {
                organisation,
                key: Some(key),
                name,
            };
            (id, named)
        })
        .collect();
    for id in vendor_ids {
        if let Some(v) = vendors.get(&id) {
            out.insert(("vendor".to_string(), id), v.clone());
        }
    }
    for (transfer, vendor) in of_transfers {
        if let Some(v) = vendors.get(&vendor) {
            out.insert(("transfer".to_string(), transfer), v.clone());
        }
    }
    for (id, organisation, name, vendor) in requests {
        let named = match vendor.and_then(|v| vendors.get(&v)) {
            Some(v) => v.clone(),
            None => Named {
                organisation,
                key: None,
                name,
            },
        };
        out.insert(("intake_request".to_string(), id), named);
    }
    Ok(out)
}
