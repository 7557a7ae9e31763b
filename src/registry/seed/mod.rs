//! Organisation seed files (`seeds/organisations/*.toml`, format in its README): reading and
//! checking them ([`file`]), generating large ones for benchmarks ([`synthetic`]), and loading
//! them into the database ([`apply`]).

mod file;
mod synthetic;

use chrono::NaiveDate;

use super::change::{self, ChangeKind};
use super::edit::json;
use super::history;
use super::organisation::{self, Organisation};
use super::vendor::{self, Vendor};
use crate::audit::{AuditEvent, audit};
use crate::db::{DbConnection, DbError};

pub use file::{embedded, from_dir, parse};
pub use synthetic::synthetic;

/// One organisation and its vendors as a seed file describes them.
#[derive(Debug, Clone)]
pub struct OrganisationSeed {
    pub organisation: Organisation,
    pub vendors: Vec<Vendor>,
}

/// A seed file that cannot be loaded: the file and every problem in it.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}: {}", problems.join(&format!("\n{file}: ")))]
pub struct SeedError {
    pub file: String,
    pub problems: Vec<String>,
}

/// What loading one seed did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeedReport {
    pub organisation_created: bool,
    pub organisation_updated: bool,
    pub vendors_added: usize,
    pub vendors_updated: usize,
}

impl SeedReport {
    pub fn changed_anything(&self) -> bool {
        self.organisation_created
            || self.organisation_updated
            || self.vendors_added > 0
            || self.vendors_updated > 0
    }
}

/// Loads a seed: creates what is missing, updates what differs, leaves the rest untouched, so
/// loading the same files twice changes nothing.
pub fn apply(
    conn: &mut DbConnection,
    seed: &OrganisationSeed,
    actor: &str,
) -> Result<SeedReport, DbError> {
    conn.write_transaction(|conn| {
        let mut report = SeedReport::default();
        let mut added = Vec::new();
        let existing = organisation::registry(conn, &seed.organisation.slug)?;
        let org_id = match &existing {
            None => {
                report.organisation_created = true;
                organisation::insert(conn, &seed.organisation, actor)?
            }
            Some(registry) => {
                let old = &registry.organisation;
                if json(old) != json(&seed.organisation) {
                    report.organisation_updated = true;
                    organisation::update(conn, old, &seed.organisation, actor)?;
                }
                old.id
            }
        };
        for vendor in &seed.vendors {
            let old = existing
                .as_ref()
                .and_then(|r| r.vendors.iter().find(|v| v.key == vendor.key));
            match old {
                None => {
                    let id = vendor::insert(conn, org_id, vendor)?;
                    audit(
                        conn,
                        AuditEvent {
                            actor,
                            action: "create",
                            entity: "vendor",
                            entity_id: id,
                            organisation_id: Some(org_id),
                            before: None,
                            after: json(vendor),
                        },
                    )?;
                    // A seed describes a published list: its additions are announced on the day
                    // they took effect.
                    if let Some(effective) = vendor
                        .active_from
                        .filter(|_| vendor.listed_on(NaiveDate::MAX))
                    {
                        history::publish(
                            conn,
                            (org_id, &seed.organisation.slug),
                            Some((id, &vendor.key)),
                            history::Entry {
                                kind: ChangeKind::Added,
                                summary: change::summary(ChangeKind::Added, vendor, &[]),
                                announced_on: effective,
                                effective_on: effective,
                                reason: None,
                                amends: None,
                            },
                            &[],
                        )?;
                    }
                    added.push(id);
                    report.vendors_added += 1;
                }
                Some(old) if json(old) != json(vendor) => {
                    vendor::replace(conn, old, vendor)?;
                    audit(
                        conn,
                        AuditEvent {
                            actor,
                            action: "update",
                            entity: "vendor",
                            entity_id: old.id,
                            organisation_id: Some(org_id),
                            before: json(old),
                            after: json(vendor),
                        },
                    )?;
                    report.vendors_updated += 1;
                }
                Some(_) => {}
            }
        }
        // The new vendors' first versions, under one entry of the chain.
        if !added.is_empty() {
            let stored: Vec<Vendor> = vendor::all(conn, org_id)?
                .into_iter()
                .filter(|v| added.contains(&v.id))
                .collect();
            history::import(conn, (org_id, &seed.organisation.slug), &stored)?;
        }
        if report.changed_anything() {
            organisation::touch(conn, org_id)?;
        }
        Ok(report)
    })
}
