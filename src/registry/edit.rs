//! What every edit of a vendor shares: why an edit is refused, and the transaction that locks
//! the organisation, loads the one vendor, checks its version, writes and audits.

use serde::Serialize;

use super::history::{self, notice::Timing};
use super::organisation::{self, Locked};
use super::vendor::{self, Vendor};
use crate::audit::{AuditEvent, audit};
use crate::db::{DbConnection, DbError};

/// A record as the audit trail keeps it.
pub(super) fn json<T: Serialize>(value: &T) -> Option<String> {
    serde_json::to_string(value).ok()
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

/// One edit of a vendor's children (certifications, evidence) or its retirement: in a
/// transaction, locks the organisation, loads the vendor, refuses a stale `expected_version`
/// (bumping it otherwise), runs `write` with the locked organisation and the vendor as it was,
/// audits the vendor before and after, and publishes what changed of its public facts on the
/// day `timing` and the notice rules give. Returns the vendor as it is now.
pub(super) fn edit_vendor(
    conn: &mut DbConnection,
    (slug, key): (&str, &str),
    expected_version: i32,
    (actor, action, timing): (&str, &str, &Timing),
    write: impl FnOnce(&mut DbConnection, &Locked, &Vendor) -> Result<(), EditError>,
) -> Result<Vendor, EditError> {
    conn.write_transaction(|conn| {
        let org = organisation::lock(conn, slug)?;
        let old = vendor::find_in(conn, org.id, key)?.ok_or(EditError::NotFound("vendor"))?;
        refuse_withdrawn(&old)?;
        let history = history::load_vendor(conn, old.id)?;
        let published = history.vendor_on(&old, chrono::NaiveDate::MAX);
        // Under the lock, the version read is the latest: a second save made on the same
        // version waits for the first, then finds the new one and is refused.
        vendor::bump_version(conn, &old, expected_version)?;
        write(conn, &org, &old)?;
        let new = vendor::find_in(conn, org.id, key)?.ok_or(EditError::NotFound("vendor"))?;
        audit(
            conn,
            AuditEvent {
                actor,
                action,
                entity: "vendor",
                entity_id: old.id,
                organisation_id: Some(org.id),
                before: json(&old),
                after: json(&new),
            },
        )?;
        history::announce(
            conn,
            &org,
            &history,
            (published.as_ref(), &new),
            (timing, "effective_on"),
        )?;
        Ok(new)
    })
}

/// A withdrawn vendor is kept as it was when it was given up: nothing is added to it.
pub(crate) fn refuse_withdrawn(v: &Vendor) -> Result<(), EditError> {
    match v.status {
        vendor::VendorStatus::Withdrawn => Err(EditError::Conflict(format!(
            "vendor '{}' was withdrawn: it is kept as it was; propose it again under a new key",
            v.key
        ))),
        _ => Ok(()),
    }
}
