//! Writing a registry: every write in one transaction, with an audit event holding the record
//! before and after.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::load;
use super::model::{Certification, ChangeKind, Evidence, Organisation, Transfer, Vendor};
use super::seed::OrganisationSeed;
use crate::db::schema::*;
use crate::db::{DbConnection, DbError};

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

use crate::date::now;

fn json<T: Serialize>(value: &T) -> Option<String> {
    serde_json::to_string(value).ok()
}

pub use crate::audit::{AuditEvent, audit};

/// Loads a seed: creates what is missing, updates what differs, leaves the rest untouched, so
/// loading the same files twice changes nothing.
pub fn apply_seed(
    conn: &mut DbConnection,
    seed: &OrganisationSeed,
    actor: &str,
) -> Result<SeedReport, DbError> {
    conn.write_transaction(|conn| {
        let mut report = SeedReport::default();
        let existing = load::registry(conn, &seed.organisation.slug)?;
        let org_id = match &existing {
            None => {
                report.organisation_created = true;
                insert_organisation(conn, &seed.organisation, actor)?
            }
            Some(registry) => {
                let old = &registry.organisation;
                if json(old) != json(&seed.organisation) {
                    report.organisation_updated = true;
                    update_organisation(conn, old, &seed.organisation, actor)?;
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
                    let id = insert_vendor(conn, org_id, vendor)?;
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
                    if let Some(effective) = vendor
                        .active_from
                        .filter(|_| vendor.listed_on(NaiveDate::MAX))
                    {
                        record_change(
                            conn,
                            org_id,
                            id,
                            ChangeKind::Added,
                            vendor,
                            effective,
                            effective,
                        )?;
                    }
                    report.vendors_added += 1;
                }
                Some(old) if json(old) != json(vendor) => {
                    replace_vendor(conn, old, vendor)?;
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
        if report.changed_anything() {
            touch(conn, org_id)?;
        }
        Ok(report)
    })
}

fn insert_organisation(
    conn: &mut DbConnection,
    o: &Organisation,
    actor: &str,
) -> Result<i32, DbError> {
    let at = now();
    let id = diesel::insert_into(organisations::table)
        .values((
            organisations::slug.eq(&o.slug),
            organisations::name.eq(&o.name),
            organisations::legal_name.eq(&o.legal_name),
            organisations::country.eq(o.country.as_str()),
            organisations::privacy_contact.eq(&o.privacy_contact),
            organisations::website.eq(&o.website),
            organisations::policy_title.eq(&o.policy_title),
            organisations::policy_date.eq(o.policy_date),
            organisations::policy_source.eq(&o.policy_source),
            organisations::policy_url.eq(&o.policy_url),
            organisations::announce_days.eq(o.announce_days),
            organisations::version.eq(1),
            organisations::created_at.eq(at),
            organisations::updated_at.eq(at),
        ))
        .returning(organisations::id)
        .get_result(conn)?;
    audit(
        conn,
        AuditEvent {
            actor,
            action: "create",
            entity: "organisation",
            entity_id: id,
            organisation_id: Some(id),
            before: None,
            after: json(o),
        },
    )?;
    Ok(id)
}

fn update_organisation(
    conn: &mut DbConnection,
    old: &Organisation,
    new: &Organisation,
    actor: &str,
) -> Result<(), DbError> {
    diesel::update(organisations::table.find(old.id))
        .set((
            organisations::name.eq(&new.name),
            organisations::legal_name.eq(&new.legal_name),
            organisations::country.eq(new.country.as_str()),
            organisations::privacy_contact.eq(&new.privacy_contact),
            organisations::website.eq(&new.website),
            organisations::policy_title.eq(&new.policy_title),
            organisations::policy_date.eq(new.policy_date),
            organisations::policy_source.eq(&new.policy_source),
            organisations::policy_url.eq(&new.policy_url),
            organisations::announce_days.eq(new.announce_days),
            organisations::version.eq(old.version + 1),
            organisations::updated_at.eq(now()),
        ))
        .execute(conn)?;
    audit(
        conn,
        AuditEvent {
            actor,
            action: "update",
            entity: "organisation",
            entity_id: old.id,
            organisation_id: Some(old.id),
            before: json(old),
            after: json(new),
        },
    )?;
    Ok(())
}

fn insert_vendor(conn: &mut DbConnection, org_id: i32, v: &Vendor) -> Result<i32, DbError> {
    let at = now();
    let id = diesel::insert_into(vendors::table)
        .values((
            vendors::organisation_id.eq(org_id),
            vendors::key.eq(&v.key),
            vendors::version.eq(1),
            vendors::created_at.eq(at),
            vendor_columns(v, at),
        ))
        .returning(vendors::id)
        .get_result(conn)?;
    insert_children(conn, id, v)?;
    Ok(id)
}

#[allow(clippy::type_complexity)]
fn vendor_columns(
    v: &Vendor,
    at: NaiveDateTime,
) -> (
    diesel::dsl::Eq<vendors::name, &String>,
    diesel::dsl::Eq<vendors::legal_entity, &Option<String>>,
    diesel::dsl::Eq<vendors::website, &Option<String>>,
    diesel::dsl::Eq<vendors::headquarters, Option<&'static str>>,
    diesel::dsl::Eq<vendors::role, &'static str>,
    diesel::dsl::Eq<vendors::purpose, &String>,
    diesel::dsl::Eq<vendors::status, &'static str>,
    diesel::dsl::Eq<vendors::proposed_on, Option<NaiveDate>>,
    diesel::dsl::Eq<vendors::active_from, Option<NaiveDate>>,
    diesel::dsl::Eq<vendors::retired_from, Option<NaiveDate>>,
    diesel::dsl::Eq<vendors::dpa_signed_on, Option<NaiveDate>>,
    diesel::dsl::Eq<vendors::dpa_url, &Option<String>>,
    (
        diesel::dsl::Eq<vendors::notes, &Option<String>>,
        diesel::dsl::Eq<vendors::updated_at, NaiveDateTime>,
    ),
) {
    (
        vendors::name.eq(&v.name),
        vendors::legal_entity.eq(&v.legal_entity),
        vendors::website.eq(&v.website),
        vendors::headquarters.eq(v.headquarters.map(|c| c.as_str())),
        vendors::role.eq(<&'static str>::from(v.role)),
        vendors::purpose.eq(&v.purpose),
        vendors::status.eq(<&'static str>::from(v.status)),
        vendors::proposed_on.eq(v.proposed_on),
        vendors::active_from.eq(v.active_from),
        vendors::retired_from.eq(v.retired_from),
        vendors::dpa_signed_on.eq(v.dpa_signed_on),
        vendors::dpa_url.eq(&v.dpa_url),
        (vendors::notes.eq(&v.notes), vendors::updated_at.eq(at)),
    )
}

/// Replaces a vendor's fields and its children with `new`; the audit event keeps the old ones.
fn replace_vendor(conn: &mut DbConnection, old: &Vendor, new: &Vendor) -> Result<(), DbError> {
    let transfer_ids = transfers::table
        .filter(transfers::vendor_id.eq(old.id))
        .select(transfers::id);
    diesel::delete(evidence::table.filter(evidence::vendor_id.eq(old.id))).execute(conn)?;
    diesel::delete(
        transfer_mechanisms::table.filter(transfer_mechanisms::transfer_id.eq_any(transfer_ids)),
    )
    .execute(conn)?;
    diesel::delete(
        transfer_data_categories::table
            .filter(transfer_data_categories::transfer_id.eq_any(transfer_ids)),
    )
    .execute(conn)?;
    diesel::delete(transfers::table.filter(transfers::vendor_id.eq(old.id))).execute(conn)?;
    diesel::delete(
        vendor_certifications::table.filter(vendor_certifications::vendor_id.eq(old.id)),
    )
    .execute(conn)?;
    diesel::delete(vendor_categories::table.filter(vendor_categories::vendor_id.eq(old.id)))
        .execute(conn)?;
    diesel::update(vendors::table.find(old.id))
        .set((
            vendors::version.eq(old.version + 1),
            vendor_columns(new, now()),
        ))
        .execute(conn)?;
    insert_children(conn, old.id, new)?;
    Ok(())
}

fn insert_children(conn: &mut DbConnection, vendor_id: i32, v: &Vendor) -> Result<(), DbError> {
    for category in &v.categories {
        let category: &str = (*category).into();
        diesel::insert_into(vendor_categories::table)
            .values((
                vendor_categories::vendor_id.eq(vendor_id),
                vendor_categories::category.eq(category),
            ))
            .execute(conn)?;
    }
    for e in &v.evidence {
        insert_evidence(conn, vendor_id, None, None, e)?;
    }
    for c in &v.certifications {
        let id: i32 = diesel::insert_into(vendor_certifications::table)
            .values((
                vendor_certifications::vendor_id.eq(vendor_id),
                vendor_certifications::framework.eq(&c.framework),
                vendor_certifications::certified_from.eq(c.from),
                vendor_certifications::certified_until.eq(c.until),
                vendor_certifications::verified_on.eq(c.verified_on),
            ))
            .returning(vendor_certifications::id)
            .get_result(conn)?;
        for e in &c.evidence {
            insert_evidence(conn, vendor_id, None, Some(id), e)?;
        }
    }
    for (position, t) in v.transfers.iter().enumerate() {
        insert_transfer(conn, vendor_id, position as i32, t)?;
    }
    Ok(())
}

fn insert_transfer(
    conn: &mut DbConnection,
    vendor_id: i32,
    position: i32,
    t: &Transfer,
) -> Result<i32, DbError> {
    let at = now();
    let id: i32 = diesel::insert_into(transfers::table)
        .values((
            transfers::vendor_id.eq(vendor_id),
            transfers::position.eq(position),
            transfers::country.eq(t.country.map(|c| c.as_str())),
            transfers::location.eq(&t.location),
            transfers::tia_on.eq(t.tia_on),
            transfers::supplementary_measures.eq(&t.supplementary_measures),
            transfers::notes.eq(&t.notes),
            transfers::version.eq(1),
            transfers::created_at.eq(at),
            transfers::updated_at.eq(at),
        ))
        .returning(transfers::id)
        .get_result(conn)?;
    insert_transfer_children(conn, id, t)?;
    for e in &t.evidence {
        insert_evidence(conn, vendor_id, Some(id), None, e)?;
    }
    Ok(id)
}

/// A transfer's claimed mechanisms and data categories.
fn insert_transfer_children(conn: &mut DbConnection, id: i32, t: &Transfer) -> Result<(), DbError> {
    for (position, m) in t.mechanisms.iter().enumerate() {
        diesel::insert_into(transfer_mechanisms::table)
            .values((
                transfer_mechanisms::transfer_id.eq(id),
                transfer_mechanisms::position.eq(position as i32),
                transfer_mechanisms::mechanism.eq(&m.id),
                transfer_mechanisms::signed_on.eq(m.signed_on),
            ))
            .execute(conn)?;
    }
    for category in &t.data_categories {
        let category: &str = (*category).into();
        diesel::insert_into(transfer_data_categories::table)
            .values((
                transfer_data_categories::transfer_id.eq(id),
                transfer_data_categories::category.eq(category),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn insert_evidence(
    conn: &mut DbConnection,
    vendor_id: i32,
    transfer_id: Option<i32>,
    certification_id: Option<i32>,
    e: &Evidence,
) -> Result<(), DbError> {
    diesel::insert_into(evidence::table)
        .values((
            evidence::vendor_id.eq(vendor_id),
            evidence::transfer_id.eq(transfer_id),
            evidence::certification_id.eq(certification_id),
            evidence::document.eq(&e.document),
            evidence::quote.eq(&e.quote),
            evidence::url.eq(&e.url),
        ))
        .execute(conn)?;
    Ok(())
}

fn record_change(
    conn: &mut DbConnection,
    org_id: i32,
    vendor_id: i32,
    kind: ChangeKind,
    vendor: &Vendor,
    announced_on: NaiveDate,
    effective_on: NaiveDate,
) -> Result<(), DbError> {
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
        .execute(conn)?;
    Ok(())
}

/// Marks the organisation's registry as changed: every write calls it, in its transaction, so
/// that caches (in this process or another) see the new revision.
pub fn touch(conn: &mut DbConnection, org_id: i32) -> QueryResult<()> {
    diesel::update(organisations::table.find(org_id))
        .set((
            organisations::revision.eq(organisations::revision + 1),
            organisations::updated_at.eq(now()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Opens a write to an organisation's records. Marking its registry changed (caches see the new
/// revision at commit) is the transaction's first statement on purpose: as a write it takes the
/// lock that orders concurrent writers, so a second writer waits here and then reads what the
/// first wrote — no key or position is taken twice, and SQLite never finds its snapshot stale.
pub fn begin_write(conn: &mut DbConnection, slug: &str) -> Result<i32, EditError> {
    diesel::update(organisations::table.filter(organisations::slug.eq(slug)))
        .set((
            organisations::revision.eq(organisations::revision + 1),
            organisations::updated_at.eq(now()),
        ))
        .returning(organisations::id)
        .get_result(conn)
        .optional()?
        .ok_or(EditError::NotFound("organisation"))
}

/// Whether the database holds no organisation yet.
pub fn is_empty(conn: &mut DbConnection) -> Result<bool, DbError> {
    let count: i64 = organisations::table.count().get_result(conn)?;
    Ok(count == 0)
}

/// Why an edit was refused.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("the record is at version {current}; the edit was made on version {expected}")]
    Stale { current: i32, expected: i32 },
    #[error("{0}")]
    Conflict(String),
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for EditError {
    fn from(e: diesel::result::Error) -> Self {
        EditError::Db(DbError::Query(e))
    }
}

fn today() -> NaiveDate {
    crate::date::today()
}

fn current_vendor(
    conn: &mut DbConnection,
    slug: &str,
    key: &str,
) -> Result<(i32, Vendor), EditError> {
    let registry = load::registry(conn, slug)?.ok_or(EditError::NotFound("organisation"))?;
    let org_id = registry.organisation.id;
    let vendor = registry
        .vendors
        .into_iter()
        .find(|v| v.key == key)
        .ok_or(EditError::NotFound("vendor"))?;
    Ok((org_id, vendor))
}

/// Adds a vendor (with its transfers) to an organisation. An active vendor is announced in the
/// change log, taking effect on `active_from`.
pub fn create_vendor(
    conn: &mut DbConnection,
    slug: &str,
    vendor: &Vendor,
    actor: &str,
) -> Result<Vendor, EditError> {
    conn.write_transaction(|conn| {
        let org_id = begin_write(conn, slug)?;
        let registry = load::registry(conn, slug)?.ok_or(EditError::NotFound("organisation"))?;
        if registry.vendors.iter().any(|v| v.key == vendor.key) {
            return Err(EditError::Conflict(format!(
                "a vendor with key '{}' exists already",
                vendor.key
            )));
        }
        let id = insert_vendor(conn, org_id, vendor)?;
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
        if let Some(effective) = vendor
            .active_from
            .filter(|_| vendor.status != super::VendorStatus::Proposed)
        {
            record_change(
                conn,
                org_id,
                id,
                ChangeKind::Added,
                vendor,
                today(),
                effective,
            )?;
        }
        let (_, created) = current_vendor(conn, slug, &vendor.key)?;
        Ok(created)
    })
}

/// One edit of a vendor: in a transaction, loads the vendor, refuses a stale `expected_version`,
/// runs `write`, bumps the version, audits the record before and after, and marks the registry
/// changed. Returns the vendor as it is now.
fn edit_vendor(
    conn: &mut DbConnection,
    (slug, key): (&str, &str),
    expected_version: i32,
    (actor, action): (&str, &str),
    write: impl FnOnce(&mut DbConnection, i32, &Vendor) -> Result<(), EditError>,
) -> Result<Vendor, EditError> {
    conn.write_transaction(|conn| {
        // After the lock, the version moves on condition that it is still the one edited: a
        // second save made on the same version finds the new one and is refused. Two saves
        // cannot both pass.
        let org_id = begin_write(conn, slug)?;
        let bumped = diesel::update(
            vendors::table
                .filter(vendors::organisation_id.eq(org_id))
                .filter(vendors::key.eq(key))
                .filter(vendors::version.eq(expected_version)),
        )
        .set((
            vendors::version.eq(expected_version + 1),
            vendors::updated_at.eq(now()),
        ))
        .execute(conn)?;
        let (_, mut old) = current_vendor(conn, slug, key)?;
        if bumped == 0 {
            return Err(EditError::Stale {
                current: old.version,
                expected: expected_version,
            });
        }
        old.version = expected_version;
        write(conn, org_id, &old)?;
        let (_, new) = current_vendor(conn, slug, key)?;
        audit(
            conn,
            AuditEvent {
                actor,
                action,
                entity: "vendor",
                entity_id: old.id,
                organisation_id: Some(org_id),
                before: json(&old),
                after: json(&new),
            },
        )?;
        Ok(new)
    })
}

/// Replaces a vendor's own fields (not its transfers or certifications) if `expected_version`
/// is still current. A proposed vendor made active is announced, taking effect on `active_from`.
pub fn update_vendor(
    conn: &mut DbConnection,
    slug: &str,
    key: &str,
    expected_version: i32,
    fields: &Vendor,
    actor: &str,
) -> Result<Vendor, EditError> {
    edit_vendor(
        conn,
        (slug, key),
        expected_version,
        (actor, "update"),
        |conn, org_id, old| {
            diesel::update(vendors::table.find(old.id))
                .set(vendor_columns(fields, now()))
                .execute(conn)?;
            diesel::delete(
                vendor_categories::table.filter(vendor_categories::vendor_id.eq(old.id)),
            )
            .execute(conn)?;
            for category in &fields.categories {
                let category: &str = (*category).into();
                diesel::insert_into(vendor_categories::table)
                    .values((
                        vendor_categories::vendor_id.eq(old.id),
                        vendor_categories::category.eq(category),
                    ))
                    .execute(conn)?;
            }
            let activated = old.status == super::VendorStatus::Proposed
                && fields.status == super::VendorStatus::Active;
            if activated {
                let effective = fields.active_from.unwrap_or_else(today);
                record_change(
                    conn,
                    org_id,
                    old.id,
                    ChangeKind::Added,
                    fields,
                    today(),
                    effective,
                )?;
            } else if let Some(effective) = fields.active_from.filter(|d| {
                old.status == super::VendorStatus::Active && old.active_from != Some(*d)
            }) {
                // A new start date moves the announcement while it is still upcoming; one that
                // has taken effect is history and stays as published.
                let added: &str = ChangeKind::Added.into();
                diesel::update(
                    changes::table
                        .filter(changes::vendor_id.eq(old.id))
                        .filter(changes::kind.eq(added))
                        .filter(changes::effective_on.gt(today())),
                )
                .set(changes::effective_on.eq(effective))
                .execute(conn)?;
            }
            Ok(())
        },
    )
}

/// Retires a vendor from `effective_on`: nothing is deleted; the change log announces it.
pub fn retire_vendor(
    conn: &mut DbConnection,
    slug: &str,
    key: &str,
    expected_version: i32,
    effective_on: NaiveDate,
    actor: &str,
) -> Result<Vendor, EditError> {
    edit_vendor(
        conn,
        (slug, key),
        expected_version,
        (actor, "retire"),
        |conn, org_id, old| {
            match old.status {
                super::VendorStatus::Retired => {
                    return Err(EditError::Conflict(format!(
                        "vendor '{key}' is retired already"
                    )));
                }
                // Retiring what was never used would publish it as having been used.
                super::VendorStatus::Proposed => {
                    return Err(EditError::Conflict(format!(
                        "vendor '{key}' is only proposed: it was never active, so there is nothing to retire"
                    )));
                }
                super::VendorStatus::Active => {}
            }
            if let Some(from) = old.active_from.filter(|from| effective_on <= *from) {
                return Err(EditError::Conflict(format!(
                    "the retirement date {effective_on} is not after the date the vendor became active ({from})"
                )));
            }
            let retired: &str = super::VendorStatus::Retired.into();
            diesel::update(vendors::table.find(old.id))
                .set((
                    vendors::status.eq(retired),
                    vendors::retired_from.eq(Some(effective_on)),
                ))
                .execute(conn)?;
            record_change(
                conn,
                org_id,
                old.id,
                ChangeKind::Retired,
                old,
                today(),
                effective_on,
            )?;
            Ok(())
        },
    )
}

/// Records that the vendor is on a framework's list (e.g. the Data Privacy Framework) from a
/// date, as verified on `verified_on`.
pub fn add_certification(
    conn: &mut DbConnection,
    slug: &str,
    key: &str,
    expected_version: i32,
    certification: &Certification,
    actor: &str,
) -> Result<Vendor, EditError> {
    check_certification_dates(certification.from, certification.until)?;
    edit_vendor(
        conn,
        (slug, key),
        expected_version,
        (actor, "update"),
        |conn, _, old| {
            let id: i32 = diesel::insert_into(vendor_certifications::table)
                .values((
                    vendor_certifications::vendor_id.eq(old.id),
                    vendor_certifications::framework.eq(&certification.framework),
                    vendor_certifications::certified_from.eq(certification.from),
                    vendor_certifications::certified_until.eq(certification.until),
                    vendor_certifications::verified_on.eq(certification.verified_on),
                ))
                .returning(vendor_certifications::id)
                .get_result(conn)?;
            for e in &certification.evidence {
                insert_evidence(conn, old.id, None, Some(id), e)?;
            }
            Ok(())
        },
    )
}

/// Re-verifies a certification, or ends it (`until`, the first day it no longer holds): the
/// record stays, so past dates are still assessed with it.
pub fn update_certification(
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
        (actor, "update"),
        |conn, _, old| {
            let current = old
                .certifications
                .iter()
                .find(|c| c.id == certification_id)
                .ok_or(EditError::NotFound("certification"))?;
            check_certification_dates(current.from, until)?;
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

fn check_certification_dates(from: NaiveDate, until: Option<NaiveDate>) -> Result<(), EditError> {
    match until.filter(|u| *u <= from) {
        Some(u) => Err(EditError::Invalid {
            field: "until",
            message: format!("{u} is not after the date the certification starts ({from})"),
        }),
        None => Ok(()),
    }
}

/// What a piece of evidence documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceFor {
    Vendor,
    Transfer(i32),
    Certification(i32),
}

/// Adds a document and quote backing the vendor, one of its transfers or certifications.
pub fn add_evidence(
    conn: &mut DbConnection,
    slug: &str,
    key: &str,
    expected_version: i32,
    target: EvidenceFor,
    evidence: &Evidence,
    actor: &str,
) -> Result<Vendor, EditError> {
    edit_vendor(
        conn,
        (slug, key),
        expected_version,
        (actor, "update"),
        |conn, _, old| {
            let (transfer, certification) = match target {
                EvidenceFor::Vendor => (None, None),
                EvidenceFor::Transfer(id) => {
                    if !old.transfers.iter().any(|t| t.id == id) {
                        return Err(EditError::NotFound("transfer"));
                    }
                    (Some(id), None)
                }
                EvidenceFor::Certification(id) => {
                    if !old.certifications.iter().any(|c| c.id == id) {
                        return Err(EditError::NotFound("certification"));
                    }
                    (None, Some(id))
                }
            };
            Ok(insert_evidence(
                conn,
                old.id,
                transfer,
                certification,
                evidence,
            )?)
        },
    )
}

/// Adds a transfer to a vendor; returns the vendor as it is now.
pub fn add_transfer(
    conn: &mut DbConnection,
    slug: &str,
    key: &str,
    transfer: &Transfer,
    actor: &str,
) -> Result<(i32, Vendor), EditError> {
    conn.write_transaction(|conn| {
        let org_id = begin_write(conn, slug)?;
        let (_, vendor) = current_vendor(conn, slug, key)?;
        let position: Option<i32> = transfers::table
            .filter(transfers::vendor_id.eq(vendor.id))
            .select(diesel::dsl::max(transfers::position))
            .first(conn)?;
        let id = insert_transfer(conn, vendor.id, position.map_or(0, |p| p + 1), transfer)?;
        audit(
            conn,
            AuditEvent {
                actor,
                action: "create",
                entity: "transfer",
                entity_id: id,
                organisation_id: Some(org_id),
                before: None,
                after: json(transfer),
            },
        )?;
        let (_, vendor) = current_vendor(conn, slug, key)?;
        Ok((id, vendor))
    })
}

/// Replaces a transfer if `expected_version` is still current.
pub fn update_transfer(
    conn: &mut DbConnection,
    slug: &str,
    key: &str,
    transfer_id: i32,
    expected_version: i32,
    new: &Transfer,
    actor: &str,
) -> Result<Vendor, EditError> {
    conn.write_transaction(|conn| {
        // As for vendors: the lock, then the conditional version bump.
        let org_id = begin_write(conn, slug)?;
        let bumped = diesel::update(
            transfers::table
                .filter(transfers::id.eq(transfer_id))
                .filter(transfers::version.eq(expected_version)),
        )
        .set((
            transfers::version.eq(expected_version + 1),
            transfers::updated_at.eq(now()),
        ))
        .execute(conn)?;
        let (_, vendor) = current_vendor(conn, slug, key)?;
        let old = vendor
            .transfers
            .iter()
            .find(|t| t.id == transfer_id)
            .ok_or(EditError::NotFound("transfer"))?;
        if bumped == 0 {
            return Err(EditError::Stale {
                current: old.version,
                expected: expected_version,
            });
        }
        diesel::delete(
            transfer_mechanisms::table.filter(transfer_mechanisms::transfer_id.eq(transfer_id)),
        )
        .execute(conn)?;
        diesel::delete(
            transfer_data_categories::table
                .filter(transfer_data_categories::transfer_id.eq(transfer_id)),
        )
        .execute(conn)?;
        diesel::update(transfers::table.find(transfer_id))
            .set((
                transfers::country.eq(new.country.map(|c| c.as_str())),
                transfers::location.eq(&new.location),
                transfers::tia_on.eq(new.tia_on),
                transfers::supplementary_measures.eq(&new.supplementary_measures),
                transfers::notes.eq(&new.notes),
            ))
            .execute(conn)?;
        insert_transfer_children(conn, transfer_id, new)?;
        // Evidence is never dropped by an update: what the update brings is added to it.
        for e in new.evidence.iter().filter(|e| !old.evidence.contains(e)) {
            insert_evidence(conn, vendor.id, Some(transfer_id), None, e)?;
        }
        let (_, vendor) = current_vendor(conn, slug, key)?;
        let mut before = old.clone();
        before.version = expected_version;
        let after = vendor.transfers.iter().find(|t| t.id == transfer_id);
        audit(
            conn,
            AuditEvent {
                actor,
                action: "update",
                entity: "transfer",
                entity_id: transfer_id,
                organisation_id: Some(org_id),
                before: json(&before),
                after: after.and_then(json),
            },
        )?;
        Ok(vendor)
    })
}
