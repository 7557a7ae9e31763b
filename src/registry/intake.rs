//! Intake requests: a procurement tool asks for a new vendor; a privacy officer decides (approve:
//! a proposed vendor is created; reject: with a reason). Every decision is audited.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::vendor;
use super::{DataCategory, EditError, Role, Transfer, Vendor, VendorCategory, VendorStatus};
use crate::audit::{AuditEvent, audit};
use crate::db::schema::{intake_requests, organisations, vendors};
use crate::db::{DbConnection, DbError};
use crate::rules::CountryCode;

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

/// The requests for review: every pending one, oldest first; then the `decided_limit` most
/// recently decided, newest first.
pub fn list(
    conn: &mut DbConnection,
    decided_limit: i64,
) -> Result<(Vec<IntakeDetail>, Vec<IntakeDetail>), DbError> {
    let pending = intake_requests::table
        .inner_join(organisations::table)
        .filter(intake_requests::status.eq(PENDING))
        .order((intake_requests::created_at.asc(), intake_requests::id.asc()))
        .select(detail_columns!())
        .load::<DetailRow>(conn)?
        .into_iter()
        .map(detail)
        .collect();
    let decided = intake_requests::table
        .inner_join(organisations::table)
        .filter(intake_requests::status.ne(PENDING))
        .order((
            intake_requests::updated_at.desc(),
            intake_requests::id.desc(),
        ))
        .limit(decided_limit)
        .select(detail_columns!())
        .load::<DetailRow>(conn)?
        .into_iter()
        .map(detail)
        .collect();
    Ok((pending, decided))
}

/// How many requests are waiting for a decision, and how many were decided.
pub fn counts(conn: &mut DbConnection) -> Result<(i64, i64), DbError> {
    let pending = intake_requests::table
        .filter(intake_requests::status.eq(PENDING))
        .count()
        .get_result(conn)?;
    let all: i64 = intake_requests::table.count().get_result(conn)?;
    Ok((pending, all - pending))
}

pub const PENDING: &str = "pending";
pub const APPROVED: &str = "approved";
pub const REJECTED: &str = "rejected";

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

/// A vendor key from a name: lowercase ASCII letters and digits, runs of anything else as one
/// '-', common accented letters folded ("Société Générale" → "societe-generale").
pub fn key_from_name(name: &str) -> String {
    let mut key = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => "a",
            'æ' => "ae",
            'ç' | 'ć' | 'č' => "c",
            'ď' | 'đ' | 'ð' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => "i",
            'ł' | 'ľ' => "l",
            'ñ' | 'ń' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
            'œ' => "oe",
            'ř' => "r",
            'ś' | 'š' | 'ş' => "s",
            'ß' => "ss",
            'ť' | 'ţ' => "t",
            'þ' => "th",
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
            'ý' | 'ÿ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            '&' => "-and-",
            c if c.is_ascii_alphanumeric() => {
                key.push(c);
                continue;
            }
            _ => "-",
        };
        key.push_str(folded);
    }
    let mut tidy = String::with_capacity(key.len());
    for c in key.chars() {
        if c == '-' && (tidy.is_empty() || tidy.ends_with('-')) {
            continue;
        }
        tidy.push(c);
    }
    // Room for a suffix within the API's 64 characters.
    tidy.truncate(56);
    let tidy = tidy.trim_end_matches('-');
    if tidy.is_empty() {
        "vendor".to_string()
    } else {
        tidy.to_string()
    }
}

/// `base`, or `base-2`, `base-3`... whichever no vendor of the organisation has.
fn unique_key(conn: &mut DbConnection, org_id: i32, base: &str) -> Result<String, DbError> {
    let taken: Vec<String> = vendors::table
        .filter(vendors::organisation_id.eq(org_id))
        .filter(
            vendors::key
                .eq(base)
                .or(vendors::key.like(format!("{base}-%"))),
        )
        .select(vendors::key)
        .load(conn)?;
    if !taken.iter().any(|k| k == base) {
        return Ok(base.to_string());
    }
    Ok((2..)
        .map(|n| format!("{base}-{n}"))
        .find(|k| !taken.contains(k))
        .expect("an unused suffix"))
}

/// The proposed vendor an approved request becomes: a processor in category "other", one
/// transfer per requested country with the requested data categories and no mechanism yet.
fn proposed_vendor(request: &IntakeRequest, key: String) -> Vendor {
    let mut data_categories: Vec<DataCategory> = request
        .data_categories
        .split_whitespace()
        .filter_map(|c| c.parse().ok())
        .collect();
    data_categories.sort();
    data_categories.dedup();
    let mut seen = Vec::new();
    let transfers = request
        .countries
        .split_whitespace()
        .filter(|c| {
            let new = !seen.contains(c);
            seen.push(*c);
            new
        })
        .map(|c| {
            let country = CountryCode::parse(c).ok();
            Transfer {
                id: 0,
                country,
                // A code the rules no longer know is kept as the place's description.
                location: country.is_none().then(|| c.to_string()),
                data_categories: data_categories.clone(),
                mechanisms: Vec::new(),
                tia_on: None,
                supplementary_measures: None,
                notes: None,
                evidence: Vec::new(),
                version: 1,
            }
        })
        .collect();
    Vendor {
        id: 0,
        key,
        name: request.vendor_name.trim().to_string(),
        legal_entity: None,
        website: request.website.clone().filter(|w| !w.trim().is_empty()),
        headquarters: None,
        role: Role::Processor,
        categories: vec![VendorCategory::Other],
        purpose: request.purpose.trim().to_string(),
        status: VendorStatus::Proposed,
        proposed_on: Some(crate::date::today()),
        active_from: None,
        retired_from: None,
        dpa_signed_on: None,
        dpa_url: None,
        notes: Some(format!(
            "From intake request #{}, asked by {}.",
            request.id, request.requester
        )),
        evidence: Vec::new(),
        certifications: Vec::new(),
        transfers,
        version: 1,
    }
}

/// Records a decision on a pending request at `expected_version`: the guarded update claims
/// the request, so that of two reviewers deciding at once only one succeeds.
fn claim(
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

fn audit_decision(
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

/// Every pending request, oldest first, in one line each.
pub fn pending_summaries(conn: &mut DbConnection) -> Result<Vec<PendingSummary>, DbError> {
    Ok(intake_requests::table
        .inner_join(organisations::table)
        .filter(intake_requests::status.eq("pending"))
        .order(intake_requests::created_at.asc())
        .select((
            intake_requests::id,
            organisations::slug,
            intake_requests::vendor_name,
            intake_requests::requester,
            intake_requests::created_at,
        ))
        .load(conn)?)
}

#[cfg(test)]
mod tests {
    use super::key_from_name;

    #[test]
    fn keys_are_lowercase_ascii_with_dashes() {
        assert_eq!(key_from_name("Stripe"), "stripe");
        assert_eq!(key_from_name("Google Analytics 4"), "google-analytics-4");
        assert_eq!(key_from_name("  Société Générale  "), "societe-generale");
        assert_eq!(key_from_name("AT&T"), "at-and-t");
        assert_eq!(key_from_name("--Acme, Inc.--"), "acme-inc");
        assert_eq!(key_from_name("株式会社"), "vendor");
        assert!(key_from_name(&"x".repeat(200)).len() <= 56);
    }
}
