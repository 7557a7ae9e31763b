//! History for records that have none: vendors loaded from a seed, and databases written before
//! versions were kept. Their current records become their first versions, recorded when they
//! took effect (what the list showed then), under one `imported` entry of the hash chain.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::body::{Fact, ListingBody, canonical, facts};
use super::chain;
use super::publish::{Entry, Publication, publish};
use crate::date::{now, today};
use crate::db::schema::{changes, vendors, versions};
use crate::db::{DbConnection, DbError};
use crate::registry::change::ChangeKind;
use crate::registry::organisation;
use crate::registry::vendor::{self, Vendor, VendorStatus};

/// The day a vendor with no known start is taken to have been listed from (the Directive's
/// year, before which no date is assessed); read back as "start unknown".
pub(super) fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(1995, 1, 1).unwrap_or_default()
}

/// The versions that describe `v` as it stands: listed from `active_from`, retired from
/// `retired_from`. None for a proposal (not public).
fn first_versions(v: &Vendor) -> Vec<Publication> {
    let Some(listing) = ListingBody::of(v) else {
        return Vec::new();
    };
    let start = v.active_from.unwrap_or_else(first_day);
    let version = |(fact, fact_id, body): (Fact, i32, String), effective_from| Publication {
        vendor_id: v.id,
        fact,
        fact_id,
        effective_from,
        recorded_at: now(),
        body: Some(body),
    };
    // The vendor as it was while in use, then its retirement, if any.
    let active = Vendor {
        status: VendorStatus::Active,
        ..v.clone()
    };
    let mut out: Vec<Publication> = facts(&active)
        .into_iter()
        .map(|f| version(f, start))
        .collect();
    if let (VendorStatus::Retired, Some(retired)) = (v.status, v.retired_from) {
        out.push(version((Fact::Vendor, v.id, canonical(&listing)), retired));
    }
    out
}

/// Records the first versions of `vendors` (stored, with their ids) under one `imported` entry.
/// Each version is recorded on the day it took effect (or when the vendor was stored, if that
/// is earlier): history reconstructed from a published source, not a change made today.
pub fn import(
    conn: &mut DbConnection,
    (org_id, slug): (i32, &str),
    vendors: &[Vendor],
) -> Result<(), DbError> {
    let created: std::collections::HashMap<i32, chrono::NaiveDateTime> = vendors::table
        .filter(vendors::organisation_id.eq(org_id))
        .select((vendors::id, vendors::created_at))
        .load::<(i32, chrono::NaiveDateTime)>(conn)?
        .into_iter()
        .collect();
    let mut publications = Vec::new();
    for v in vendors {
        publications.extend(first_versions(v));
    }
    if publications.is_empty() {
        return Ok(());
    }
    for p in &mut publications {
        let day = p.effective_from.and_hms_opt(0, 0, 0).unwrap_or_default();
        p.recorded_at = created.get(&p.vendor_id).map_or(day, |c| (*c).min(day));
    }
    let today = today();
    publish(
        conn,
        (org_id, slug),
        None,
        Entry {
            kind: ChangeKind::Imported,
            summary: format!("history of {} vendors imported", vendors.len()),
            announced_on: today,
            effective_on: today,
            reason: None,
            amends: None,
        },
        &publications,
    )?;
    Ok(())
}

/// Hashes the entries of an organisation's change log that have no hash yet (a database from
/// before the chain), in order. An entry with a hash keeps it: a changed one is not made to fit.
fn rechain(conn: &mut DbConnection, org_id: i32) -> Result<(), DbError> {
    let mut previous: Option<String> = None;
    for mut link in chain::links(conn, org_id)? {
        link.previous = previous.take();
        if link.hash.is_empty() {
            link.hash = link.digest();
            diesel::update(changes::table.filter(changes::id.eq(link.id.unwrap_or_default())))
                .set(changes::hash.eq(&link.hash))
                .execute(conn)?;
        }
        previous = Some(link.hash);
    }
    Ok(())
}

/// Gives a database from before the history its first versions and hashes: every listed vendor
/// without a version gets them (under one `imported` entry per organisation), and a change log
/// with unhashed entries is chained. Does nothing (two queries) once done.
pub fn backfill(conn: &mut DbConnection) -> Result<(), DbError> {
    let never_listed: [&str; 2] = [
        VendorStatus::Proposed.into(),
        VendorStatus::Withdrawn.into(),
    ];
    let missing: i64 = vendors::table
        .filter(vendors::status.ne_all(never_listed))
        .filter(vendors::id.ne_all(versions::table.select(versions::vendor_id)))
        .count()
        .get_result(conn)?;
    let unhashed: i64 = changes::table
        .filter(changes::hash.eq(""))
        .count()
        .get_result(conn)?;
    if missing == 0 && unhashed == 0 {
        return Ok(());
    }
    conn.write_transaction(|conn| {
        for org in organisation::list(conn)? {
            let with_versions: std::collections::HashSet<i32> = versions::table
                .filter(versions::organisation_id.eq(org.id))
                .select(versions::vendor_id)
                .distinct()
                .load::<i32>(conn)?
                .into_iter()
                .collect();
            let without: Vec<Vendor> = vendor::all(conn, org.id)?
                .into_iter()
                .filter(|v| !matches!(v.status, VendorStatus::Proposed | VendorStatus::Withdrawn))
                .filter(|v| !with_versions.contains(&v.id))
                .collect();
            rechain(conn, org.id)?;
            if !without.is_empty() {
                import(conn, (org.id, &org.slug), &without)?;
            }
        }
        Ok(())
    })
}
