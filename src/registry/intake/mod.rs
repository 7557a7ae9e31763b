//! Intake requests: a procurement tool asks for a new vendor; a privacy officer decides (approve:
//! a proposed vendor is created; reject: with a reason). Every decision is audited. Here: the
//! request, filing it and the reads; `decide` approves and rejects; `proposed_vendor` is the
//! vendor an approval creates.

mod attach;
mod decide;
mod proposed_vendor;

pub use crate::registry::vendor::key_from_name;
pub use attach::{Existing, attach, existing};
pub use decide::{Approval, DecideError, approve, reject};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::audit::{AuditEvent, audit};
use crate::db::schema::{intake_requests, organisations, vendors};
use crate::db::{DbConnection, DbError};

#[derive(Debug, Clone, Serialize, Queryable)]
pub struct IntakeRequest {
    pub id: i32,
    pub organisation: String,
    pub vendor_name: String,
    pub website: Option<String>,
    pub purpose: String,
    pub countries: String,
    pub data_categories: String,
    pub requester: String,
    pub status: String,
    pub decision_reason: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

/// What a new request says.
pub struct NewIntake<'a> {
    pub vendor_name: &'a str,
    pub website: Option<&'a str>,
    pub purpose: &'a str,
    pub countries: &'a [String],
    pub data_categories: &'a [String],
    pub requester: &'a str,
}

/// Files a pending request for `slug`; `None` when there is no such organisation.
pub fn create(
    conn: &mut DbConnection,
    slug: &str,
    new: &NewIntake<'_>,
    actor: &str,
) -> Result<Option<IntakeRequest>, DbError> {
    conn.write_transaction(|conn| {
        let Some(org_id) = organisations::table
            .filter(organisations::slug.eq(slug))
            .filter(organisations::retired_at.is_null())
            .select(organisations::id)
            .first::<i32>(conn)
            .optional()?
        else {
            return Ok(None);
        };
        let now = crate::date::now();
        let id: i32 = diesel::insert_into(intake_requests::table)
            .values((
                intake_requests::organisation_id.eq(org_id),
                intake_requests::vendor_name.eq(new.vendor_name),
                intake_requests::website.eq(new.website),
                intake_requests::purpose.eq(new.purpose),
                intake_requests::countries.eq(new.countries.join(" ").to_uppercase()),
                intake_requests::data_categories.eq(new.data_categories.join(" ")),
                intake_requests::requester.eq(new.requester),
                intake_requests::status.eq("pending"),
                intake_requests::created_by.eq(actor),
                intake_requests::created_at.eq(now),
                intake_requests::updated_at.eq(now),
            ))
            .returning(intake_requests::id)
            .get_result(conn)?;
        let request = get(conn, id)?.ok_or(DbError::Corrupt("intake request vanished".into()))?;
        audit(
            conn,
            AuditEvent {
                actor,
                action: "create",
                entity: "intake_request",
                entity_id: id,
                organisation_id: Some(org_id),
                before: None,
                after: serde_json::to_string(&request).ok(),
            },
        )?;
        Ok(Some(request))
    })
}

pub fn get(conn: &mut DbConnection, id: i32) -> Result<Option<IntakeRequest>, DbError> {
    Ok(intake_requests::table
        .inner_join(organisations::table)
        .filter(intake_requests::id.eq(id))
        .select((
            intake_requests::id,
            organisations::slug,
            intake_requests::vendor_name,
            intake_requests::website,
            intake_requests::purpose,
            intake_requests::countries,
            intake_requests::data_categories,
            intake_requests::requester,
            intake_requests::status,
            intake_requests::decision_reason,
            intake_requests::created_by,
            intake_requests::created_at,
        ))
        .first(conn)
        .optional()?)
}

/// The key of the vendor an approval created, if the request was approved.
pub fn vendor_key(conn: &mut DbConnection, id: i32) -> Result<Option<String>, DbError> {
    let vendor_id: Option<i32> = intake_requests::table
        .find(id)
        .select(intake_requests::vendor_id)
        .first::<Option<i32>>(conn)
        .optional()?
        .flatten();
    let Some(vendor_id) = vendor_id else {
        return Ok(None);
    };
    Ok(vendors::table
        .find(vendor_id)
        .select(vendors::key)
        .first(conn)
        .optional()?)
}

/// What an intake request says, with what the review needs: its version (optimistic
/// concurrency) and the vendor an approval created.
#[derive(Debug, Clone, Serialize)]
pub struct IntakeDetail {
    #[serde(flatten)]
    pub request: IntakeRequest,
    pub vendor_id: Option<i32>,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

type DetailRow = (
    (
        i32,
        String,
        String,
        Option<String>,
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        String,
        NaiveDateTime,
    ),
    Option<i32>,
    i32,
    NaiveDateTime,
);

fn detail(row: DetailRow) -> IntakeDetail {
    let (r, vendor_id, version, updated_at) = row;
    IntakeDetail {
        request: IntakeRequest {
            id: r.0,
            organisation: r.1,
            vendor_name: r.2,
            website: r.3,
            purpose: r.4,
            countries: r.5,
            data_categories: r.6,
            requester: r.7,
            status: r.8,
            decision_reason: r.9,
            created_by: r.10,
            created_at: r.11,
        },
        vendor_id,
        version,
        updated_at,
    }
}

macro_rules! detail_columns {
    () => {
        (
            (
                intake_requests::id,
                organisations::slug,
                intake_requests::vendor_name,
                intake_requests::website,
                intake_requests::purpose,
                intake_requests::countries,
                intake_requests::data_categories,
                intake_requests::requester,
                intake_requests::status,
                intake_requests::decision_reason,
                intake_requests::created_by,
                intake_requests::created_at,
            ),
            intake_requests::vendor_id,
            intake_requests::version,
            intake_requests::updated_at,
        )
    };
}

/// One request with its review fields.
pub fn get_detail(conn: &mut DbConnection, id: i32) -> Result<Option<IntakeDetail>, DbError> {
    Ok(intake_requests::table
        .inner_join(organisations::table)
        .filter(intake_requests::id.eq(id))
        .select(detail_columns!())
        .first::<DetailRow>(conn)
        .optional()?
        .map(detail))
}

type Db = <DbConnection as diesel::Connection>::Backend;

/// The requests joined with their organisation, only those of organisations `within` (slugs)
/// when given.
fn of_organisations<'a>(
    within: Option<&[String]>,
) -> diesel::dsl::IntoBoxed<
    'a,
    diesel::dsl::InnerJoin<intake_requests::table, organisations::table>,
    Db,
> {
    let mut query = intake_requests::table
        .inner_join(organisations::table)
        .into_boxed();
    if let Some(slugs) = within {
        query = query.filter(organisations::slug.eq_any(slugs.to_vec()));
    }
    query
}

/// The requests for review: a page of the pending ones, oldest first, and a page of the decided
/// ones, newest first (each: how many, after how many). `within`: only those of these
/// organisations (a member's).
pub fn list(
    conn: &mut DbConnection,
    (pending_limit, pending_offset): (i64, i64),
    (decided_limit, decided_offset): (i64, i64),
    within: Option<&[String]>,
) -> Result<(Vec<IntakeDetail>, Vec<IntakeDetail>), DbError> {
    let pending = of_organisations(within)
        .filter(intake_requests::status.eq(PENDING))
        .order((intake_requests::created_at.asc(), intake_requests::id.asc()))
        .limit(pending_limit)
        .offset(pending_offset)
        .select(detail_columns!())
        .load::<DetailRow>(conn)?
        .into_iter()
        .map(detail)
        .collect();
    let decided = of_organisations(within)
        .filter(intake_requests::status.ne(PENDING))
        .order((
            intake_requests::updated_at.desc(),
            intake_requests::id.desc(),
        ))
        .limit(decided_limit)
        .offset(decided_offset)
        .select(detail_columns!())
        .load::<DetailRow>(conn)?
        .into_iter()
        .map(detail)
        .collect();
    Ok((pending, decided))
}

/// Where pending request `id` is among the pending requests of organisations `within` (from 0,
/// oldest first, as `list` pages them); `None` when it is not pending there (decided, another
/// organisation's, or no such request).
pub fn pending_position(
    conn: &mut DbConnection,
    id: i32,
    within: Option<&[String]>,
) -> Result<Option<i64>, DbError> {
    let Some(created_at) = of_organisations(within)
        .filter(intake_requests::id.eq(id))
        .filter(intake_requests::status.eq(PENDING))
        .select(intake_requests::created_at)
        .first::<NaiveDateTime>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let before: i64 = of_organisations(within)
        .filter(intake_requests::status.eq(PENDING))
        .filter(
            intake_requests::created_at
                .lt(created_at)
                .or(intake_requests::created_at
                    .eq(created_at)
                    .and(intake_requests::id.lt(id))),
        )
        .count()
        .get_result(conn)?;
    Ok(Some(before))
}

/// How many requests (of organisations `within`, when given) are waiting for a decision, and
/// how many were decided.
pub fn counts(conn: &mut DbConnection, within: Option<&[String]>) -> Result<(i64, i64), DbError> {
    let pending = of_organisations(within)
        .filter(intake_requests::status.eq(PENDING))
        .count()
        .get_result(conn)?;
    let all: i64 = of_organisations(within).count().get_result(conn)?;
    Ok((pending, all - pending))
}

pub const PENDING: &str = "pending";
pub const APPROVED: &str = "approved";
pub const REJECTED: &str = "rejected";

/// The keys of the vendors with these ids (those approvals created), by id; no query when there
/// is none.
pub fn vendor_keys(
    conn: &mut DbConnection,
    ids: Vec<i32>,
) -> Result<std::collections::HashMap<i32, String>, DbError> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(vendors::table
        .filter(vendors::id.eq_any(ids))
        .select((vendors::id, vendors::key))
        .load::<(i32, String)>(conn)?
        .into_iter()
        .collect())
}

/// A pending request in one line: for the dashboard.
#[derive(Debug, Clone, Queryable)]
pub struct PendingSummary {
    pub id: i32,
    /// The organisation's slug.
    pub organisation: String,
    pub vendor_name: String,
    pub requester: String,
    pub created_at: NaiveDateTime,
}

/// Every pending request (of organisations `within`, when given), oldest first, in one line each.
pub fn pending_summaries(
    conn: &mut DbConnection,
    within: Option<&[String]>,
) -> Result<Vec<PendingSummary>, DbError> {
    Ok(of_organisations(within)
        .filter(intake_requests::status.eq(PENDING))
        .order((intake_requests::created_at.asc(), intake_requests::id.asc()))
        .select((
            intake_requests::id,
            organisations::slug,
            intake_requests::vendor_name,
            intake_requests::requester,
            intake_requests::created_at,
        ))
        .load(conn)?)
}
