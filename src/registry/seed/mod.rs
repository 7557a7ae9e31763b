//! Organisation seed files (`seeds/organisations/*.toml`, format in its README): reading and
//! checking them ([`file`]), generating large ones for benchmarks ([`synthetic`]), and loading
//! them into the database ([`apply`]).

mod differences;
mod file;
mod replace;
mod synthetic;

use chrono::NaiveDate;

use super::change::{self, ChangeKind};
use super::edit::json;
use super::history;
use super::organisation::{self, Organisation};
use super::vendor::{self, Vendor, VendorStatus};
use crate::audit::{AuditEvent, audit};
use crate::db::{DbConnection, DbError};

pub use differences::Difference;
pub use file::{embedded, example_slugs, from_dir, parse};
pub use replace::{Discarded, discarded, replace};
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

/// What loading one seed did, and how the database differs from it where it was left as is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SeedReport {
    pub organisation_created: bool,
    pub vendors_added: usize,
    /// Records that differ from the seed, left as they are: the organisation's fields, then the
    /// vendors in the seed's order.
    pub differences: Vec<Difference>,
    /// Vendors added to an organisation that existed already, announced today under the notice
    /// rules, with the day each takes effect (`None`: proposed, not public).
    pub announced: Vec<(String, Option<NaiveDate>)>,
}

impl SeedReport {
    pub fn changed_anything(&self) -> bool {
        self.organisation_created || self.vendors_added > 0
    }
}

/// Loads a seed, only adding: creates the organisation if it is missing (its vendors dated as the
/// seed dates them: a published list's history) and the vendors whose key it does not hold
/// (announced today under the notice rules: a change made now), and reports how the records it holds differ from the seed without
/// changing them (a vendor retired or edited in the workspace, settings changed): it never
/// deletes, reverts or resets. Loading the same files twice changes nothing. For a clean reload,
/// see [`replace`].
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
                let held = &registry.organisation;
                report
                    .differences
                    .extend(differences::organisation(held, &seed.organisation));
                held.id
            }
        };
        for vendor in &seed.vendors {
            let held = existing
                .as_ref()
                .and_then(|r| r.vendors.iter().find(|v| v.key == vendor.key));
            match held {
                // A published list gains no past vendor: that would rewrite its history.
                None if existing.is_some() && vendor.status == VendorStatus::Retired => {
                    report.differences.push(Difference::Vendor {
                        key: vendor.key.clone(),
                        fields: vec![
                            "retired in the seed and not in the database: not added, a \
                             published list gains no past vendor"
                                .into(),
                        ],
                    })
                }
                None => {
                    added.push(vendor);
                    report.vendors_added += 1;
                }
                Some(held) => {
                    report
                        .differences
                        .extend(differences::vendor(&vendor.key, held, vendor))
                }
            }
        }
        match existing {
            None => add_vendors(conn, (org_id, &seed.organisation.slug), &added, actor)?,
            Some(_) => {
                for vendor in added {
                    let date = announce_vendor(conn, &seed.organisation.slug, vendor, actor)?;
                    report.announced.push((vendor.key.clone(), date));
                }
            }
        }
        if report.changed_anything() {
            organisation::touch(conn, org_id)?;
        }
        Ok(report)
    })
}

/// Adds a seed's vendor to an organisation that exists already, as an officer would: announced
/// today, taking effect at the end of the notice period (or the seed's start, if later), never
/// on the seed's past dates. Returns the day it takes effect (`None` for a proposal).
fn announce_vendor(
    conn: &mut DbConnection,
    slug: &str,
    vendor: &Vendor,
    actor: &str,
) -> Result<Option<NaiveDate>, DbError> {
    let refused = |e: crate::registry::EditError| match e {
        crate::registry::EditError::Db(db) => db,
        other => DbError::Corrupt(format!("seed vendor {}: {other}", vendor.key)),
    };
    let mut vendor = vendor.clone();
    if vendor.status == VendorStatus::Active {
        let notice_end = organisation::lock(conn, slug)
            .map_err(refused)?
            .notice_end(crate::date::today());
        vendor.active_from = Some(vendor.active_from.map_or(notice_end, |d| d.max(notice_end)));
    }
    let stored = vendor::create_record(conn, slug, &vendor, actor).map_err(refused)?;
    Ok(stored
        .active_from
        .filter(|_| stored.status == VendorStatus::Active))
}

/// Inserts a vendor of a seed, audited; one listed at some date is announced in the change log
/// as the seed dates it (announced and effective on its `active_from`).
fn add_vendors(
    conn: &mut DbConnection,
    (org_id, slug): (i32, &str),
    vendors: &[&Vendor],
    actor: &str,
) -> Result<(), DbError> {
    if vendors.is_empty() {
        return Ok(());
    }
    let mut ids = Vec::new();
    for vendor in vendors {
        let id = vendor::insert(conn, org_id, vendor)?;
        ids.push(id);
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
        // A seed describes a published list: its additions are announced on the day they took
        // effect (history, not a change made today).
        if let Some(effective) = vendor
            .active_from
            .filter(|_| vendor.listed_on(NaiveDate::MAX))
        {
            history::publish(
                conn,
                (org_id, slug),
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
    }
    // Their first versions, under one entry of the chain (a set: a seed may hold thousands).
    let ids: std::collections::HashSet<i32> = ids.into_iter().collect();
    let stored: Vec<Vendor> = vendor::all(conn, org_id)?
        .into_iter()
        .filter(|v| ids.contains(&v.id))
        .collect();
    history::import(conn, (org_id, slug), &stored)
}
