//! Writing vendors. Each write is one transaction that locks the organisation, loads the one
//! vendor it changes, and audits the record before and after.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::lifecycle::{self, NewVendor, VendorFields};
use super::{Vendor, VendorStatus, find_in};
use crate::audit::{AuditEvent, audit};
use crate::date::{now, today};
use crate::db::schema::{vendor_categories, vendors};
use crate::db::{DbConnection, DbError};
use crate::registry::change::{self, ChangeKind};
use crate::registry::edit::{EditError, edit_vendor, json};
use crate::registry::evidence::{self, EvidenceFor};
use crate::registry::organisation::{self, Locked};
use crate::registry::{certification, transfer};

/// Adds a vendor (with its transfers) to an organisation. An active vendor is announced in the
/// change log, taking effect on `active_from` (default: after the notice period).
pub fn create(
    conn: &mut DbConnection,
    slug: &str,
    new: NewVendor,
    actor: &str,
) -> Result<Vendor, EditError> {
    conn.write_transaction(|conn| {
        let org = organisation::lock(conn, slug)?;
        let today = today();
        let vendor = lifecycle::new_vendor(new, today, org.notice_end(today))?;
        add(conn, &org, &vendor, today, actor)
    })
}

/// Adds a vendor record made elsewhere: the proposal of an approved intake request.
pub fn create_record(
    conn: &mut DbConnection,
    slug: &str,
    vendor: &Vendor,
    actor: &str,
) -> Result<Vendor, EditError> {
    conn.write_transaction(|conn| {
        let org = organisation::lock(conn, slug)?;
        add(conn, &org, vendor, today(), actor)
    })
}

fn add(
    conn: &mut DbConnection,
    org: &Locked,
    vendor: &Vendor,
    today: NaiveDate,
    actor: &str,
) -> Result<Vendor, EditError> {
    let taken: i64 = vendors::table
        .filter(vendors::organisation_id.eq(org.id))
        .filter(vendors::key.eq(&vendor.key))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(EditError::Conflict(format!(
            "a vendor with key '{}' exists already",
            vendor.key
        )));
    }
    let id = insert(conn, org.id, vendor)?;
    audit(
        conn,
        AuditEvent {
            actor,
            action: "create",
            entity: "vendor",
            entity_id: id,
            organisation_id: Some(org.id),
            before: None,
            after: json(vendor),
        },
    )?;
    if let Some(effective) = vendor
        .active_from
        .filter(|_| vendor.status != VendorStatus::Proposed)
    {
        change::record(
            conn,
            org.id,
            id,
            ChangeKind::Added,
            vendor,
            (today, effective),
        )?;
    }
    find_in(conn, org.id, &vendor.key)?.ok_or(EditError::NotFound("vendor"))
}

/// Replaces a vendor's own fields (not its transfers, certifications or evidence) if
/// `expected_version` is still current. A proposed vendor made active is announced, taking
/// effect on its `active_from`; a new start date moves an announcement still upcoming.
pub fn update(
    conn: &mut DbConnection,
    (slug, key): (&str, &str),
    expected_version: i32,
    fields: VendorFields,
    actor: &str,
) -> Result<Vendor, EditError> {
    conn.write_transaction(|conn| {
        let org = organisation::lock(conn, slug)?;
        let old = find_in(conn, org.id, key)?.ok_or(EditError::NotFound("vendor"))?;
        let today = today();
        let new = lifecycle::updated(&old, fields, today, org.notice_end(today))?;
        // Under the lock the version read is the latest; the condition is a second guard.
        let bumped = diesel::update(
            vendors::table
                .filter(vendors::id.eq(old.id))
                .filter(vendors::version.eq(expected_version)),
        )
        .set((
            vendors::version.eq(expected_version + 1),
            columns(&new, now()),
        ))
        .execute(conn)?;
        if bumped == 0 {
            return Err(EditError::Stale {
                current: old.version,
                expected: expected_version,
            });
        }
        if new.categories != old.categories {
            diesel::delete(
                vendor_categories::table.filter(vendor_categories::vendor_id.eq(old.id)),
            )
            .execute(conn)?;
            insert_categories(conn, old.id, &new)?;
        }
        let activated = old.status == VendorStatus::Proposed && new.status == VendorStatus::Active;
        if activated {
            let effective = new.active_from.unwrap_or(today);
            change::record(
                conn,
                org.id,
                old.id,
                ChangeKind::Added,
                &new,
                (today, effective),
            )?;
        } else if let Some(effective) = new
            .active_from
            .filter(|d| old.status == VendorStatus::Active && old.active_from != Some(*d))
        {
            change::move_addition(conn, old.id, effective, today)?;
        }
        let after = Vendor {
            id: old.id,
            evidence: old.evidence.clone(),
            certifications: old.certifications.clone(),
            transfers: old.transfers.clone(),
            version: expected_version + 1,
            ..new
        };
        audit(
            conn,
            AuditEvent {
                actor,
                action: "update",
                entity: "vendor",
                entity_id: old.id,
                organisation_id: Some(org.id),
                before: json(&old),
                after: json(&after),
            },
        )?;
        Ok(after)
    })
}

/// Retires a vendor from `effective_on`: nothing is deleted; the change log announces it.
pub fn retire(
    conn: &mut DbConnection,
    (slug, key): (&str, &str),
    expected_version: i32,
    effective_on: NaiveDate,
    actor: &str,
) -> Result<Vendor, EditError> {
    edit_vendor(
        conn,
        (slug, key),
        expected_version,
        (actor, "retire"),
        |conn, org, old| {
            lifecycle::check_retirement(old, effective_on)?;
            let retired: &str = VendorStatus::Retired.into();
            diesel::update(vendors::table.find(old.id))
                .set((
                    vendors::status.eq(retired),
                    vendors::retired_from.eq(Some(effective_on)),
                ))
                .execute(conn)?;
            change::record(
                conn,
                org.id,
                old.id,
                ChangeKind::Retired,
                old,
                (today(), effective_on),
            )?;
            Ok(())
        },
    )
}

/// Moves the vendor's version from `expected` to the next, or refuses a stale edit.
pub(in crate::registry) fn bump_version(
    conn: &mut DbConnection,
    old: &Vendor,
    expected: i32,
) -> Result<(), EditError> {
    let bumped = diesel::update(
        vendors::table
            .filter(vendors::id.eq(old.id))
            .filter(vendors::version.eq(expected)),
    )
    .set((
        vendors::version.eq(expected + 1),
        vendors::updated_at.eq(now()),
    ))
    .execute(conn)?;
    match bumped {
        0 => Err(EditError::Stale {
            current: old.version,
            expected,
        }),
        _ => Ok(()),
    }
}

/// Inserts a vendor with its categories, evidence, certifications and transfers; returns its id.
pub(in crate::registry) fn insert(
    conn: &mut DbConnection,
    org_id: i32,
    v: &Vendor,
) -> Result<i32, DbError> {
    let at = now();
    let id = diesel::insert_into(vendors::table)
        .values((
            vendors::organisation_id.eq(org_id),
            vendors::key.eq(&v.key),
            vendors::version.eq(1),
            vendors::created_at.eq(at),
            columns(v, at),
        ))
        .returning(vendors::id)
        .get_result(conn)?;
    insert_children(conn, id, v)?;
    Ok(id)
}

fn insert_categories(conn: &mut DbConnection, vendor_id: i32, v: &Vendor) -> QueryResult<()> {
    for category in &v.categories {
        let category: &str = (*category).into();
        diesel::insert_into(vendor_categories::table)
            .values((
                vendor_categories::vendor_id.eq(vendor_id),
                vendor_categories::category.eq(category),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn insert_children(conn: &mut DbConnection, vendor_id: i32, v: &Vendor) -> QueryResult<()> {
    insert_categories(conn, vendor_id, v)?;
    for e in &v.evidence {
        evidence::insert(conn, vendor_id, EvidenceFor::Vendor, e)?;
    }
    for c in &v.certifications {
        certification::insert(conn, vendor_id, c)?;
    }
    for (position, t) in v.transfers.iter().enumerate() {
        transfer::insert(conn, vendor_id, position as i32, t)?;
    }
    Ok(())
}

/// The vendor's own columns, as written by every insert and update.
#[allow(clippy::type_complexity)]
fn columns(
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
