//! Writing a vendor's transfers: add one, replace one, end one. Each locks the organisation,
//! loads the one vendor, audits, and publishes what changed under the notice rules.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::{Transfer, check, insert, insert_claims, scope_text};
use crate::audit::{AuditEvent, audit};
use crate::date::now;
use crate::db::DbConnection;
use crate::db::schema::{transfer_data_categories, transfer_mechanisms, transfers};
use crate::registry::edit::{EditError, json, refuse_withdrawn};
use crate::registry::evidence::{self, EvidenceFor};
use crate::registry::history::{self, notice::Timing};
use crate::registry::organisation;
use crate::registry::vendor::{self, Vendor};

/// Adds a transfer to a vendor; returns its id and the vendor as it is now.
pub fn add(
    conn: &mut DbConnection,
    (slug, key): (&str, &str),
    transfer: &Transfer,
    timing: &Timing,
    actor: &str,
) -> Result<(i32, Vendor), EditError> {
    conn.write_transaction(|conn| {
        let org = organisation::lock(conn, slug)?;
        check(transfer, org.country)?;
        let mut vendor =
            vendor::find_in(conn, org.id, key)?.ok_or(EditError::NotFound("vendor"))?;
        refuse_withdrawn(&vendor)?;
        let history = history::load_vendor(conn, vendor.id)?;
        let published = history.vendor_on(&vendor, NaiveDate::MAX);
        let position: Option<i32> = transfers::table
            .filter(transfers::vendor_id.eq(vendor.id))
            .select(diesel::dsl::max(transfers::position))
            .first(conn)?;
        let position = position.map_or(0, |p| p + 1);
        let id = insert(conn, vendor.id, position, transfer)?;
        audit(
            conn,
            AuditEvent {
                actor,
                action: "create",
                entity: "transfer",
                entity_id: id,
                organisation_id: Some(org.id),
                before: None,
                after: json(transfer),
            },
        )?;
        // As stored: the claims and evidence in the order given, the data categories sorted.
        let mut data_categories = transfer.data_categories.clone();
        data_categories.sort();
        vendor.transfers.push(Transfer {
            id,
            position,
            data_categories,
            version: 1,
            ..transfer.clone()
        });
        history::announce(
            conn,
            &org,
            &history,
            (published.as_ref(), &vendor),
            (timing, "effective_on"),
        )?;
        Ok((id, vendor))
    })
}

/// Replaces a transfer if `expected_version` is still current; its evidence is kept and what
/// the update brings is added to it. Returns the vendor as it is now.
pub fn update(
    conn: &mut DbConnection,
    (slug, key): (&str, &str),
    transfer_id: i32,
    expected_version: i32,
    new: &Transfer,
    timing: &Timing,
    actor: &str,
) -> Result<Vendor, EditError> {
    conn.write_transaction(|conn| {
        // As for vendors: the lock first, then the version read under it.
        let org = organisation::lock(conn, slug)?;
        check(new, org.country)?;
        let mut vendor =
            vendor::find_in(conn, org.id, key)?.ok_or(EditError::NotFound("vendor"))?;
        refuse_withdrawn(&vendor)?;
        let history = history::load_vendor(conn, vendor.id)?;
        let published = history.vendor_on(&vendor, NaiveDate::MAX);
        let index = vendor
            .transfers
            .iter()
            .position(|t| t.id == transfer_id)
            .ok_or(EditError::NotFound("transfer"))?;
        let old = vendor.transfers[index].clone();
        let bumped = diesel::update(
            transfers::table
                .filter(transfers::id.eq(transfer_id))
                .filter(transfers::version.eq(expected_version)),
        )
        .set((
            transfers::version.eq(expected_version + 1),
            transfers::updated_at.eq(now()),
            transfers::country.eq(new.country.map(|c| c.as_str())),
            transfers::location.eq(&new.location),
            transfers::tia_on.eq(new.tia_on),
            transfers::supplementary_measures.eq(&new.supplementary_measures),
            transfers::notes.eq(&new.notes),
            transfers::outside_scope.eq(scope_text(&new.outside_scope)),
        ))
        .execute(conn)?;
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
        insert_claims(conn, transfer_id, new)?;
        // Evidence is never dropped by an update: what the update brings is added to it.
        let mut kept = old.evidence.clone();
        for e in new.evidence.iter().filter(|e| !old.evidence.contains(e)) {
            evidence::insert(conn, vendor.id, EvidenceFor::Transfer(transfer_id), e)?;
            kept.push(e.clone());
        }
        let mut data_categories = new.data_categories.clone();
        data_categories.sort();
        let after = Transfer {
            id: transfer_id,
            position: old.position,
            data_categories,
            evidence: kept,
            version: expected_version + 1,
            ..new.clone()
        };
        audit(
            conn,
            AuditEvent {
                actor,
                action: "update",
                entity: "transfer",
                entity_id: transfer_id,
                organisation_id: Some(org.id),
                before: json(&old),
                after: json(&after),
            },
        )?;
        vendor.transfers[index] = after;
        history::announce(
            conn,
            &org,
            &history,
            (published.as_ref(), &vendor),
            (timing, "effective_on"),
        )?;
        Ok(vendor)
    })
}

/// Ends a transfer if `expected_version` is still current. Its row stays, with the day it ends
/// (it leaves the record), and a version says it ends from that day: ending narrows sharing, so
/// it takes effect on the chosen day, today by default, or on a past day as a correction.
/// Returns the vendor as it is now and the day the transfer ends.
pub fn end(
    conn: &mut DbConnection,
    (slug, key): (&str, &str),
    transfer_id: i32,
    expected_version: i32,
    timing: &Timing,
    actor: &str,
) -> Result<(Vendor, NaiveDate), EditError> {
    conn.write_transaction(|conn| {
        let org = organisation::lock(conn, slug)?;
        let mut vendor =
            vendor::find_in(conn, org.id, key)?.ok_or(EditError::NotFound("vendor"))?;
        refuse_withdrawn(&vendor)?;
        let history = history::load_vendor(conn, vendor.id)?;
        let published = history.vendor_on(&vendor, NaiveDate::MAX);
        let index = vendor
            .transfers
            .iter()
            .position(|t| t.id == transfer_id)
            .ok_or(EditError::NotFound("transfer"))?;
        let old = vendor.transfers.remove(index);
        vendor.ended_transfers.push(old.clone());
        if old.version != expected_version {
            return Err(EditError::Stale {
                current: old.version,
                expected: expected_version,
            });
        }
        let announced = history::announce(
            conn,
            &org,
            &history,
            (published.as_ref(), &vendor),
            (timing, "effective_on"),
        )?;
        // A proposed vendor's transfer was never public: it ends on the day asked, or today.
        let ended_from = announced
            .or(timing.effective_on)
            .unwrap_or_else(crate::date::today);
        diesel::update(transfers::table.filter(transfers::id.eq(transfer_id)))
            .set((
                transfers::ended_from.eq(Some(ended_from)),
                transfers::version.eq(expected_version + 1),
                transfers::updated_at.eq(now()),
            ))
            .execute(conn)?;
        audit(
            conn,
            AuditEvent {
                actor,
                action: "end",
                entity: "transfer",
                entity_id: transfer_id,
                organisation_id: Some(org.id),
                before: json(&old),
                after: Some(serde_json::json!({ "ended_from": ended_from }).to_string()),
            },
        )?;
        Ok((vendor, ended_from))
    })
}
