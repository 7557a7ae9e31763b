//! One struct per table, its fields in the order of the table's columns: loaded with the table's
//! default selection, so a column added to the schema without being added here is a compile
//! error, not a silent loss. The registry reads and writes them; the export moves them whole.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::schema::*;

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = organisations, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct OrganisationRow {
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub legal_name: String,
    pub country: String,
    pub privacy_contact: Option<String>,
    pub website: Option<String>,
    pub policy_title: Option<String>,
    pub policy_date: Option<NaiveDate>,
    pub policy_source: Option<String>,
    pub policy_url: Option<String>,
    pub announce_days: i32,
    pub version: i32,
    pub revision: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Set once the organisation is retired: no longer listed or served.
    #[serde(default)]
    pub retired_at: Option<NaiveDateTime>,
    /// What the public list shows (0/1), absent from backups made before they existed: the
    /// defaults of the migration that added them.
    #[serde(default = "one")]
    pub publish_verdicts: i32,
    #[serde(default = "one")]
    pub publish_reasons: i32,
    #[serde(default)]
    pub publish_hints: i32,
    #[serde(default)]
    pub publish_evidence_documents: i32,
}

fn one() -> i32 {
    1
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = vendors, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct VendorRow {
    pub id: i32,
    pub organisation_id: i32,
    pub key: String,
    pub name: String,
    pub legal_entity: Option<String>,
    pub website: Option<String>,
    pub headquarters: Option<String>,
    pub role: String,
    pub purpose: String,
    pub status: String,
    pub proposed_on: Option<NaiveDate>,
    pub active_from: Option<NaiveDate>,
    pub retired_from: Option<NaiveDate>,
    pub dpa_signed_on: Option<NaiveDate>,
    pub dpa_url: Option<String>,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = vendor_categories, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct VendorCategoryRow {
    pub vendor_id: i32,
    pub category: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = vendor_certifications, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct VendorCertificationRow {
    pub id: i32,
    pub vendor_id: i32,
    pub framework: String,
    pub certified_from: NaiveDate,
    pub certified_until: Option<NaiveDate>,
    pub verified_on: NaiveDate,
    /// Regime ids, comma-separated; exports written before issue 14 have none: the EU list.
    #[serde(default = "eu_part")]
    pub parts: String,
}

fn eu_part() -> String {
    "eu".to_string()
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = transfers, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct TransferRow {
    pub id: i32,
    pub vendor_id: i32,
    pub position: i32,
    pub country: Option<String>,
    pub location: Option<String>,
    pub tia_on: Option<NaiveDate>,
    pub supplementary_measures: Option<String>,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The day an ended transfer stops (export files before it have none).
    #[serde(default)]
    pub ended_from: Option<NaiveDate>,
    /// Scope condition ids, comma-separated ('' for none).
    #[serde(default)]
    pub outside_scope: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = transfer_mechanisms, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct TransferMechanismRow {
    pub transfer_id: i32,
    pub position: i32,
    pub mechanism: String,
    pub signed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = transfer_data_categories, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct TransferDataCategoryRow {
    pub transfer_id: i32,
    pub category: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = evidence, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct EvidenceRow {
    pub id: i32,
    pub vendor_id: i32,
    pub transfer_id: Option<i32>,
    pub certification_id: Option<i32>,
    pub document: String,
    pub quote: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = changes, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct ChangeRow {
    pub id: i32,
    pub organisation_id: i32,
    pub vendor_id: Option<i32>,
    pub kind: String,
    pub summary: String,
    pub announced_on: NaiveDate,
    pub effective_on: NaiveDate,
    pub created_at: NaiveDateTime,
    // Absent from files of export format 1 (before the history); `import` then builds them.
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub amends: Option<i32>,
    #[serde(default)]
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = versions, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct VersionRow {
    pub id: i32,
    pub organisation_id: i32,
    pub vendor_id: i32,
    pub fact: String,
    pub fact_id: i32,
    pub effective_from: NaiveDate,
    pub recorded_at: NaiveDateTime,
    pub change_id: Option<i32>,
    pub body: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = audit_events, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct AuditEventRow {
    pub id: i32,
    pub occurred_at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i32>,
    pub organisation_id: Option<i32>,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = api_clients, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct ApiClientRow {
    pub id: i32,
    pub client_id: String,
    pub name: String,
    pub secret_hash: String,
    pub scopes: String,
    pub revoked_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    /// Files exported before organisations were tenants: every organisation.
    #[serde(default = "every_organisation")]
    pub organisations: String,
}

fn every_organisation() -> String {
    "*".to_string()
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = intake_requests, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct IntakeRequestRow {
    pub id: i32,
    pub organisation_id: i32,
    pub vendor_name: String,
    pub website: Option<String>,
    pub purpose: String,
    pub countries: String,
    pub data_categories: String,
    pub requester: String,
    pub status: String,
    pub decision_reason: Option<String>,
    pub vendor_id: Option<i32>,
    pub created_by: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = users, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct UserRow {
    pub id: i32,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub disabled_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    #[serde(default = "every_organisation")]
    pub memberships: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = sessions, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct SessionRow {
    pub id: i32,
    pub token_hash: String,
    pub user_id: i32,
    pub csrf_token: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = login_attempts, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct LoginAttemptRow {
    pub id: i32,
    pub email: String,
    pub address: String,
    pub succeeded: i32,
    pub attempted_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = subscribers, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct SubscriberRow {
    pub id: i32,
    pub organisation_id: i32,
    pub email: String,
    pub created_at: NaiveDateTime,
    pub confirmed_at: Option<NaiveDateTime>,
    pub unsubscribed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = outbox_events, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct OutboxEventRow {
    pub id: i32,
    pub organisation_id: i32,
    pub kind: String,
    pub change_id: Option<i32>,
    pub created_at: NaiveDateTime,
    pub fanned_out_at: Option<NaiveDateTime>,
    #[serde(default)]
    pub objection_id: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = deliveries, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct DeliveryRow {
    pub id: i32,
    pub organisation_id: i32,
    pub event_id: Option<i32>,
    pub channel: String,
    pub recipient: String,
    pub kind: String,
    pub payload: String,
    pub created_at: NaiveDateTime,
    pub next_attempt_at: NaiveDateTime,
    pub claimed_until: Option<NaiveDateTime>,
    pub attempts: i32,
    pub delivered_at: Option<NaiveDateTime>,
    pub failed_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = delivery_attempts, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct DeliveryAttemptRow {
    pub id: i32,
    pub delivery_id: i32,
    pub attempted_at: NaiveDateTime,
    pub succeeded: i32,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = link_keys, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct LinkKeyRow {
    pub id: i32,
    pub secret: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = webhooks, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct WebhookRow {
    pub id: i32,
    pub organisation_id: i32,
    pub url: String,
    pub events: String,
    pub secret: String,
    pub created_at: NaiveDateTime,
    pub created_by: String,
    pub removed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = objections, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct ObjectionRow {
    pub id: i32,
    pub organisation_id: i32,
    pub change_id: i32,
    pub name: String,
    pub company: String,
    pub email: String,
    pub reason: String,
    pub created_at: NaiveDateTime,
    pub confirmed_at: Option<NaiveDateTime>,
    pub filed_by: String,
    pub outcome: Option<String>,
    pub outcome_note: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub decided_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = reminders, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct ReminderRow {
    pub user_id: i32,
    pub weekly: i32,
    pub calendar_token: Option<String>,
    pub reminded_on: Option<NaiveDate>,
}
