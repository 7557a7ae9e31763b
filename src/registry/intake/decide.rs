//! Deciding an intake request: approve (a proposed vendor is created in the request's
//! organisation) or reject (with a reason). A decision claims the pending request at the version
//! the reviewer saw, so two reviewers deciding at once cannot both succeed; every decision is
//! audited.

use diesel::prelude::*;

use super::proposed_vendor::proposed_vendor;
use super::{APPROVED, IntakeDetail, PENDING, REJECTED, get_detail};
use crate::audit::{AuditEvent, audit};
use crate::db::schema::intake_requests;
use crate::db::{DbConnection, DbError};
use crate::registry::vendor::{key_from_name, unique_key};
use crate::registry::{EditError, Vendor, vendor};

/// Why a decision was not recorded. Nothing was changed in every case.
#[derive(Debug, thiserror::Error)]
pub enum DecideError {
    #[error("there is no intake request #{0}")]
    NotFound(i32),
    #[error("intake request #{id} was {status} already; nothing was changed")]
    AlreadyDecided { id: i32, status: String },
    #[error(
        "intake request #{id} changed since the page was loaded (version {current}, not {expected}); nothing was changed"
    )]
    Stale {
        id: i32,
        current: i32,
        expected: i32,
    },
    #[error("the vendor cannot be created: {0}")]
    Vendor(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for DecideError {
    fn from(e: diesel::result::Error) -> Self {
        DecideError::Db(DbError::Query(e))
    }
}

/// What an approval did.
#[derive(Debug, Clone)]
pub struct Approval {
    pub request: IntakeDetail,
    pub vendor: Vendor,
}

/// Records a decision on a pending request at `expected_version`: the guarded update claims
/// the request, so that of two reviewers deciding at once only one succeeds.
pub(super) fn claim(
    conn: &mut DbConnection,
    id: i32,
    expected_version: Option<i32>,
    status: &str,
    reason: Option<&str>,
) -> Result<(i32, IntakeDetail), DecideError> {
    // Lock the row first (a write: SQLite's write lock, PostgreSQL's row lock), so the read
    // below cannot go stale before the update and a deferred SQLite transaction never has to
    // upgrade from reading to writing.
    diesel::update(intake_requests::table.find(id))
        .set(intake_requests::version.eq(intake_requests::version))
        .execute(conn)?;
    let before = get_detail(conn, id)?.ok_or(DecideError::NotFound(id))?;
    if before.request.status != PENDING {
        return Err(DecideError::AlreadyDecided {
            id,
            status: before.request.status,
        });
    }
    let expected = expected_version.unwrap_or(before.version);
    if before.version != expected {
        return Err(DecideError::Stale {
            id,
            current: before.version,
            expected,
        });
    }
    let updated = diesel::update(
        intake_requests::table
            .filter(intake_requests::id.eq(id))
            .filter(intake_requests::version.eq(expected))
            .filter(intake_requests::status.eq(PENDING)),
    )
    .set((
        intake_requests::status.eq(status),
        intake_requests::decision_reason.eq(reason),
        intake_requests::version.eq(expected + 1),
        intake_requests::updated_at.eq(crate::date::now()),
    ))
    .execute(conn)?;
    if updated != 1 {
        // Someone decided between our read and our write.
        let now = get_detail(conn, id)?.ok_or(DecideError::NotFound(id))?;
        return Err(if now.request.status != PENDING {
            DecideError::AlreadyDecided {
                id,
                status: now.request.status,
            }
        } else {
            DecideError::Stale {
                id,
                current: now.version,
                expected,
            }
        });
    }
    let org_id = intake_requests::table
        .find(id)
        .select(intake_requests::organisation_id)
        .first::<i32>(conn)?;
    Ok((org_id, before))
}

pub(super) fn audit_decision(
    conn: &mut DbConnection,
    action: &str,
    org_id: i32,
    before: &IntakeDetail,
    after: &IntakeDetail,
    actor: &str,
) -> Result<(), DecideError> {
    audit(
        conn,
        AuditEvent {
            actor,
            action,
            entity: "intake_request",
            entity_id: before.request.id,
            organisation_id: Some(org_id),
            before: serde_json::to_string(before).ok(),
            after: serde_json::to_string(after).ok(),
        },
    )?;
    Ok(())
}

/// Approves a pending request: creates a proposed vendor in its organisation (audited by
/// `vendor::create_record`) and records the decision (audited), all in one transaction.
pub fn approve(
    conn: &mut DbConnection,
    id: i32,
    expected_version: Option<i32>,
    reason: Option<&str>,
    actor: &str,
) -> Result<Approval, DecideError> {
    conn.write_transaction(|conn| {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        let (org_id, before) = claim(conn, id, expected_version, APPROVED, reason)?;
        let base = key_from_name(&before.request.vendor_name);
        let key = unique_key(conn, org_id, &base)?;
        let vendor = proposed_vendor(&before.request, key);
        let created = vendor::create_record(conn, &before.request.organisation, &vendor, actor)
            .map_err(|e| match e {
                EditError::Db(e) => DecideError::Db(e),
                other => DecideError::Vendor(other.to_string()),
            })?;
        diesel::update(intake_requests::table.find(id))
            .set(intake_requests::vendor_id.eq(Some(created.id)))
            .execute(conn)?;
        let after = get_detail(conn, id)?.ok_or(DecideError::NotFound(id))?;
        audit_decision(conn, "approve", org_id, &before, &after, actor)?;
        Ok(Approval {
            request: after,
            vendor: created,
        })
    })
}

/// Rejects a pending request with a reason (required), audited.
pub fn reject(
    conn: &mut DbConnection,
    id: i32,
    expected_version: Option<i32>,
    reason: &str,
    actor: &str,
) -> Result<IntakeDetail, DecideError> {
    let reason = reason.trim();
    conn.write_transaction(|conn| {
        let (org_id, before) = claim(conn, id, expected_version, REJECTED, Some(reason))?;
        let after = get_detail(conn, id)?.ok_or(DecideError::NotFound(id))?;
        audit_decision(conn, "reject", org_id, &before, &after, actor)?;
        Ok(after)
    })
}
