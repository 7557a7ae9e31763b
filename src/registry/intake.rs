//! Intake requests: a procurement tool asks for a new vendor; a privacy officer decides.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::store::{AuditEvent, audit};
use crate::db::schema::{intake_requests, organisations};
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
    conn.transaction(|conn| {
        let Some(org_id) = organisations::table
            .filter(organisations::slug.eq(slug))
            .select(organisations::id)
            .first::<i32>(conn)
            .optional()?
        else {
            return Ok(None);
        };
        let now = chrono::Utc::now().naive_utc();
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
                organisation_id: org_id,
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
