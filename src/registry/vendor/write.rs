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
use crate::registry::history::notice::Timing;
use crate::registry::history::{self, Fact, History};
use crate::registry::organisation::{self, Locked};
use crate::registry::{certification, transfer};

/// Adds a vendor (with its transfers) to an organisation. An active vendor is announced in the
/// change log, taking effect on `active_from` (default: after the notice period).
pub fn create(
    conn: &mut DbConnection,
    slug: &str,
    mut new: NewVendor,
    timing: &Timing,
    actor: &str,
) -> Result<Vendor, EditError> {
    conn.write_transaction(|conn| {
        let org = organisation::lock(conn, slug)?;
        let today = today();
        // The start of an active vendor is the day its announcement takes effect.
        new.fields.active_from = new.fields.active_from.or(timing.effective_on);
        let timing = Timing::on(new.fields.active_from).with_reasons(timing);
        let vendor = lifecycle::new_vendor(new, today, org.notice_end(today))?;
        for t in &vendor.transfers {
            transfer::check(t, org.country)?;
        }
        add(conn, &org, &vendor, &timing, actor)
    })
}

/// [`create`] for a vendor whose key was made from its name ([`super::key_from_name`]): the key
/// is first made unique in the organisation (`stripe-inc-2` when `stripe-inc` is taken), under
/// the organisation's lock, so two requests for one name get two keys.
pub fn create_with_key_from_name(
    conn: &mut DbConnection,
    slug: &str,
    mut new: NewVendor,
    timing: &Timing,
    actor: &str,
) -> Result<Vendor, EditError> {
    conn.write_transaction(|conn| {
        let org = organisation::lock(conn, slug)?;
        let key = super::unique_key(conn, org.id, new.key.as_str())?;
        new.key = crate::values::VendorKey::parse(&key).map_err(|message| EditError::Invalid {
            field: "key",
            message,
        })?;
        create(conn, slug, new, timing, actor)
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
        add(conn, &org, vendor, &Timing::on(vendor.active_from), actor)
    })
}

fn add(
    conn: &mut DbConnection,
    org: &Locked,
    vendor: &Vendor,
    timing: &Timing,
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
    let stored = find_in(conn, org.id, &vendor.key)?.ok_or(EditError::NotFound("vendor"))?;
    history::announce(
        conn,
        org,
        &History::default(),
        (None, &stored),
        (timing, "active_from"),
    )?;
    Ok(stored)
}

/// Replaces a vendor's own fields (not its transfers, certifications or evidence) if
/// `expected_version` is still current. A proposed vendor made active is announced, taking
/// effect on its `active_from`; a new start date moves an announcement still upcoming.
pub fn update(
    conn: &mut DbConnection,
    (slug, key): (&str, &str),
    expected_version: i32,
    mut fields: VendorFields,
    timing: &Timing,
    actor: &str,
) -> Result<Vendor, EditError> {
    conn.write_transaction(|conn| {
        let org = organisation::lock(conn, slug)?;
        let old = find_in(conn, org.id, key)?.ok_or(EditError::NotFound("vendor"))?;
        let history = history::load_vendor(conn, old.id)?;
        let published = history.vendor_on(&old, NaiveDate::MAX);
        let today = today();
        if published.is_none() {
            fields.active_from = fields.active_from.or(timing.effective_on);
        }
        let moved = moved_start(&published, &fields, today)?;
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
        let after = Vendor {
            id: old.id,
            evidence: old.evidence.clone(),
            certifications: old.certifications.clone(),
            transfers: old.transfers.clone(),
            ended_transfers: old.ended_transfers.clone(),
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
        match (moved, published.as_ref()) {
            (Some(start), Some(p)) => reschedule(conn, &org, &history, (p, &after), start)?,
            (None, None) => {
                let timing = Timing::on(after.active_from).with_reasons(timing);
                history::announce(
                    conn,
                    &org,
                    &history,
                    (None, &after),
                    (&timing, "active_from"),
                )?;
            }
            (None, Some(p)) => {
                history::announce(
                    conn,
                    &org,
                    &history,
                    (Some(p), &after),
                    (timing, "effective_on"),
                )?;
            }
            (Some(_), None) => {}
        }
        Ok(after)
    })
}

/// The new start asked for a listed vendor, if it differs from the published one: allowed while
/// the vendor is still to come (its announcement moves); a vendor in use started when it did.
fn moved_start(
    published: &Option<Vendor>,
    fields: &VendorFields,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, EditError> {
    let (Some(p), Some(asked)) = (published, fields.active_from) else {
        return Ok(None);
    };
    match p.active_from {
        Some(start) if start == asked => Ok(None),
        Some(start) if start > today => Ok(Some(asked)),
        start => Err(EditError::Invalid {
            field: "active_from",
            message: format!(
                "vendor '{}' has been listed since {}; the start of a vendor in use is not \
                 changed (to date it back, add a correction with a correction_reason)",
                p.key,
                start.map_or("its first day".to_string(), |d| d.to_string())
            ),
        }),
    }
}

/// Moves the announced start of a vendor still to come to `start`: the notice counts from the
/// day it was announced; earlier than that needs the urgent reason of a new announcement.
fn reschedule(
    conn: &mut DbConnection,
    org: &Locked,
    history: &History,
    (published, after): (&Vendor, &Vendor),
    start: NaiveDate,
) -> Result<(), EditError> {
    let Some(pending) = history.latest(Fact::Vendor, after.id) else {
        return Ok(());
    };
    let announced = pending.recorded_at.date();
    let notice_end = org.notice_end(announced);
    let today = today();
    if start < today || start < notice_end {
        return Err(EditError::Invalid {
            field: "active_from",
            message: format!(
                "{start} is before the end of the notice period of its announcement ({notice_end}); \
                 a vendor announced on {announced} takes effect on {notice_end} or later"
            ),
        });
    }
    let publications = history::reschedule(history, pending.change_id.unwrap_or_default(), start);
    let old = published.active_from.unwrap_or(start);
    history::publish(
        conn,
        (org.id, &org.slug),
        Some((after.id, &after.key)),
        history::Entry {
            kind: ChangeKind::Rescheduled,
            summary: change::summary(
                ChangeKind::Rescheduled,
                after,
                &[format!("takes effect on {start} instead of {old}")],
            ),
            announced_on: today,
            effective_on: start,
            reason: None,
            amends: pending.change_id,
        },
        &publications,
    )?;
    Ok(())
}

/// Retires a vendor from `effective_on`: nothing is deleted; the change log announces it.
pub fn retire(
    conn: &mut DbConnection,
    (slug, key): (&str, &str),
    expected_version: i32,
    timing: &Timing,
    actor: &str,
) -> Result<Vendor, EditError> {
    let effective_on = timing.effective_on.unwrap_or_else(today);
    // Backdating is refused before anything else is said of the date.
    if timing.correction.is_none() && effective_on < today() {
        history::notice::effective(
            timing,
            "effective_on",
            &Default::default(),
            (today(), today()),
            None,
        )?;
    }
    edit_vendor(
        conn,
        (slug, key),
        expected_version,
        (actor, "retire", timing),
        |conn, _org, old| {
            lifecycle::check_retirement(old, effective_on)?;
            let retired: &str = VendorStatus::Retired.into();
            diesel::update(vendors::table.find(old.id))
                .set((
                    vendors::status.eq(retired),
                    vendors::retired_from.eq(Some(effective_on)),
                ))
                .execute(conn)?;
            Ok(())
        },
    )
}

/// Withdraws a proposed vendor that was never listed: it is kept (nothing is deleted) with the
/// status `withdrawn` from today, audited, and nothing is published: the public never saw it.
/// A `reason` is added to its notes.
pub fn withdraw(
    conn: &mut DbConnection,
    (slug, key): (&str, &str),
    expected_version: i32,
    reason: Option<&str>,
    actor: &str,
) -> Result<Vendor, EditError> {
    conn.write_transaction(|conn| {
        let org = organisation::lock(conn, slug)?;
        let old = find_in(conn, org.id, key)?.ok_or(EditError::NotFound("vendor"))?;
        let history = history::load_vendor(conn, old.id)?;
        lifecycle::check_withdrawal(&old, history.has(old.id))?;
        bump_version(conn, &old, expected_version)?;
        let today = today();
        let notes = lifecycle::withdrawal_notes(old.notes.as_deref(), reason, today);
        let withdrawn: &str = VendorStatus::Withdrawn.into();
        diesel::update(vendors::table.find(old.id))
            .set((
                vendors::status.eq(withdrawn),
                vendors::retired_from.eq(Some(today)),
                vendors::notes.eq(notes),
            ))
            .execute(conn)?;
        let new = find_in(conn, org.id, key)?.ok_or(EditError::NotFound("vendor"))?;
        audit(
            conn,
            AuditEvent {
                actor,
                action: "withdraw",
                entity: "vendor",
                entity_id: old.id,
                organisation_id: Some(org.id),
                before: json(&old),
                after: json(&new),
            },
        )?;
        Ok(new)
    })
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
