//! `crossborder seed --replace`: a clean reload of an organisation from its seed. What the
//! database holds for it (vendors with their transfers, certifications and evidence, the change
//! log, intake requests) is discarded and the seed loaded as new; the organisation's fields are
//! reset to the seed's. Said before it is done ([`discarded`]); each discarded vendor is
//! audited with its last state, and the audit log itself is kept.

use std::fmt;

use diesel::prelude::*;

use super::{OrganisationSeed, SeedReport, add_vendors, differences};
use crate::audit::{AuditEvent, audit};
use crate::db::schema::{
    audit_events, changes, deliveries, evidence, intake_requests, outbox_events,
    transfer_data_categories, transfer_mechanisms, transfers, vendor_categories,
    vendor_certifications, vendors, versions,
};
use crate::db::{DbConnection, DbError};
use crate::registry::edit::json;
use crate::registry::organisation::{self, Registry};
use crate::registry::vendor::Vendor;

/// What a clean reload discards of one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Discarded {
    pub vendors: usize,
    pub transfers: usize,
    pub certifications: usize,
    /// Evidence of the vendors, their transfers and their certifications.
    pub evidence: usize,
    pub changes: usize,
    pub intake_requests: usize,
    /// The organisation's fields that the seed resets.
    pub settings: Vec<String>,
    /// The organisation's audit events, which are kept.
    pub audit_events_kept: usize,
}

impl fmt::Display for Discarded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} vendors ({} transfers, {} certifications, {} pieces of evidence), {} change-log \
             entries, {} intake requests",
            self.vendors,
            self.transfers,
            self.certifications,
            self.evidence,
            self.changes,
            self.intake_requests
        )?;
        match self.settings.as_slice() {
            [] => {}
            fields => write!(
                f,
                ", and resets the organisation's {} to the seed's",
                fields.join(", ")
            )?,
        }
        write!(
            f,
            "; the audit log keeps its {} events",
            self.audit_events_kept
        )
    }
}

/// What [`replace`] would discard of the seed's organisation now; `None` when the database does
/// not hold it (the seed is then only loaded).
pub fn discarded(
    conn: &mut DbConnection,
    seed: &OrganisationSeed,
) -> Result<Option<Discarded>, DbError> {
    conn.transaction(|conn| {
        let Some(registry) = organisation::registry(conn, &seed.organisation.slug)? else {
            return Ok(None);
        };
        count(conn, &registry, seed).map(Some)
    })
}

fn count(
    conn: &mut DbConnection,
    registry: &Registry,
    seed: &OrganisationSeed,
) -> Result<Discarded, DbError> {
    let org_id = registry.organisation.id;
    let vendors = &registry.vendors;
    let intake: i64 = intake_requests::table
        .filter(intake_requests::organisation_id.eq(org_id))
        .count()
        .get_result(conn)?;
    let audited: i64 = audit_events::table
        .filter(audit_events::organisation_id.eq(org_id))
        .count()
        .get_result(conn)?;
    let evidence: i64 = evidence::table
        .filter(evidence::vendor_id.eq_any(vendor_ids(org_id)))
        .count()
        .get_result(conn)?;
    Ok(Discarded {
        vendors: vendors.len(),
        transfers: vendors.iter().map(|v| v.transfers.len()).sum(),
        certifications: vendors.iter().map(|v| v.certifications.len()).sum(),
        evidence: usize::try_from(evidence).unwrap_or_default(),
        changes: registry.changes.len(),
        intake_requests: usize::try_from(intake).unwrap_or_default(),
        settings: differences::organisation(&registry.organisation, &seed.organisation)
            .into_iter()
            .filter_map(|d| match d {
                differences::Difference::Organisation { field, .. } => Some(field),
                differences::Difference::Vendor { .. } => None,
            })
            .collect(),
        audit_events_kept: usize::try_from(audited).unwrap_or_default(),
    })
}

/// `SELECT id FROM vendors WHERE organisation_id = ?`
fn vendor_ids(
    org_id: i32,
) -> diesel::dsl::Select<
    diesel::dsl::Filter<vendors::table, diesel::dsl::Eq<vendors::organisation_id, i32>>,
    vendors::id,
> {
    vendors::table
        .filter(vendors::organisation_id.eq(org_id))
        .select(vendors::id)
}

/// Reloads an organisation from its seed in one transaction: discards what the database holds
/// for it (see the module), audits each discarded vendor as deleted with its last state, resets
/// the organisation's fields to the seed's (audited) and loads the seed's vendors as new.
/// Returns what was discarded (`None`: the organisation was new) and the load's report.
pub fn replace(
    conn: &mut DbConnection,
    seed: &OrganisationSeed,
    actor: &str,
) -> Result<(Option<Discarded>, SeedReport), DbError> {
    conn.write_transaction(|conn| {
        let Some(registry) = organisation::registry(conn, &seed.organisation.slug)? else {
            return Ok((None, super::apply(conn, seed, actor)?));
        };
        let discarded = count(conn, &registry, seed)?;
        let org_id = registry.organisation.id;
        let transfer_ids = || {
            transfers::table
                .filter(transfers::vendor_id.eq_any(vendor_ids(org_id)))
                .select(transfers::id)
        };
        // Children before parents: the foreign keys are checked on both backends.
        diesel::delete(evidence::table.filter(evidence::vendor_id.eq_any(vendor_ids(org_id))))
            .execute(conn)?;
        diesel::delete(
            transfer_mechanisms::table
                .filter(transfer_mechanisms::transfer_id.eq_any(transfer_ids())),
        )
        .execute(conn)?;
        diesel::delete(
            transfer_data_categories::table
                .filter(transfer_data_categories::transfer_id.eq_any(transfer_ids())),
        )
        .execute(conn)?;
        diesel::delete(versions::table.filter(versions::organisation_id.eq(org_id)))
            .execute(conn)?;
        // What was sent stays (its deliveries keep the message, the recipient and the attempts);
        // the events that named the discarded changes go with them.
        let events = || {
            outbox_events::table
                .filter(outbox_events::organisation_id.eq(org_id))
                .select(outbox_events::id)
        };
        diesel::update(deliveries::table.filter(deliveries::event_id.eq_any(events().nullable())))
            .set(deliveries::event_id.eq(None::<i32>))
            .execute(conn)?;
        diesel::delete(outbox_events::table.filter(outbox_events::organisation_id.eq(org_id)))
            .execute(conn)?;
        diesel::delete(changes::table.filter(changes::organisation_id.eq(org_id))).execute(conn)?;
        diesel::delete(intake_requests::table.filter(intake_requests::organisation_id.eq(org_id)))
            .execute(conn)?;
        diesel::delete(transfers::table.filter(transfers::vendor_id.eq_any(vendor_ids(org_id))))
            .execute(conn)?;
        diesel::delete(
            vendor_certifications::table
                .filter(vendor_certifications::vendor_id.eq_any(vendor_ids(org_id))),
        )
        .execute(conn)?;
        diesel::delete(
            vendor_categories::table
                .filter(vendor_categories::vendor_id.eq_any(vendor_ids(org_id))),
        )
        .execute(conn)?;
        diesel::delete(vendors::table.filter(vendors::organisation_id.eq(org_id))).execute(conn)?;
        for vendor in &registry.vendors {
            audit(
                conn,
                AuditEvent {
                    actor,
                    action: "delete",
                    entity: "vendor",
                    entity_id: vendor.id,
                    organisation_id: Some(org_id),
                    before: json(vendor),
                    after: None,
                },
            )?;
        }
        if !discarded.settings.is_empty() {
            organisation::update(conn, &registry.organisation, &seed.organisation, actor)?;
        }
        let vendors: Vec<&Vendor> = seed.vendors.iter().collect();
        add_vendors(conn, (org_id, &seed.organisation.slug), &vendors, actor)?;
        let report = SeedReport {
            vendors_added: vendors.len(),
            ..SeedReport::default()
        };
        organisation::touch(conn, org_id)?;
        Ok((Some(discarded), report))
    })
}
