//! Machine clients of the API: an id, an argon2id-hashed secret, the scopes they may ask for,
//! and revocation. The secret is shown once, at creation.

use std::collections::HashSet;
use std::sync::RwLock;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::{Scope, format_scopes, parse_scopes, secrets};
use crate::audit::{AuditEvent, audit};
use crate::db::schema::{api_clients, organisations};
use crate::db::{DbConnection, DbError};

#[derive(Debug, Clone, Serialize)]
pub struct ApiClient {
    pub client_id: String,
    pub name: String,
    pub scopes: Vec<String>,
    pub revoked_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    /// The organisations (slugs) the client acts on; `None`: all of them.
    pub organisations: Option<Vec<String>>,
}

/// How organisations are stored: '*' for all, else their slugs space-separated.
fn stored_organisations(organisations: Option<&[String]>) -> String {
    match organisations {
        None => "*".to_string(),
        Some(list) => list.join(" "),
    }
}

fn read_organisations(stored: &str) -> Option<Vec<String>> {
    match stored.trim() {
        "*" => None,
        list => Some(list.split_whitespace().map(str::to_string).collect()),
    }
}

#[derive(Queryable)]
struct ClientRow {
    client_id: String,
    name: String,
    secret_hash: String,
    scopes: String,
    revoked_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
    organisations: String,
}

impl ClientRow {
    fn into_client(self) -> ApiClient {
        ApiClient {
            client_id: self.client_id,
            name: self.name,
            scopes: self.scopes.split_whitespace().map(str::to_string).collect(),
            revoked_at: self.revoked_at,
            created_at: self.created_at,
            organisations: read_organisations(&self.organisations),
        }
    }
}

use crate::date::now;

/// What the audit trail keeps of a client: never its secret or its hash.
fn client_json(c: &ApiClient) -> Option<String> {
    serde_json::to_string(c).ok()
}

/// Creates a client, audited (entity `api_client`) under `actor` ("cli", "user:<email>"); returns
/// it with its secret, which is not stored and cannot be shown again.
/// `organisations`: the slugs the client acts on (checked by the caller), or `None` for all.
pub fn create(
    conn: &mut DbConnection,
    name: &str,
    scopes: &[Scope],
    organisations: Option<&[String]>,
    actor: &str,
) -> Result<(ApiClient, String), DbError> {
    let client_id = format!("cb_{:016x}", rand::random::<u64>());
    let secret = secrets::random_token();
    let secret_hash = secrets::hash(&secret)?;
    let created_at = now();
    let client = ApiClient {
        client_id,
        name: name.to_string(),
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        revoked_at: None,
        created_at,
        organisations: organisations.map(<[String]>::to_vec),
    };
    conn.write_transaction(|conn| {
        let id: i32 = diesel::insert_into(api_clients::table)
            .values((
                api_clients::client_id.eq(&client.client_id),
                api_clients::name.eq(name),
                api_clients::secret_hash.eq(&secret_hash),
                api_clients::scopes.eq(format_scopes(scopes)),
                api_clients::created_at.eq(created_at),
                api_clients::organisations.eq(stored_organisations(organisations)),
            ))
            .returning(api_clients::id)
            .get_result(conn)?;
        audit(
            conn,
            AuditEvent {
                actor,
                action: "create",
                entity: "api_client",
                entity_id: id,
                organisation_id: None,
                before: None,
                after: client_json(&client),
            },
        )
    })?;
    Ok((client, secret))
}

/// Every client, oldest first (then by id).
pub fn list(conn: &mut DbConnection) -> Result<Vec<ApiClient>, DbError> {
    clients(conn, None)
}

/// A page of the clients in the order of `list` (`limit` of them after `offset`): the admins'
/// list.
pub fn page(conn: &mut DbConnection, window: (i64, i64)) -> Result<Vec<ApiClient>, DbError> {
    clients(conn, Some(window))
}

/// How many clients there are, revoked ones too.
pub fn count(conn: &mut DbConnection) -> Result<i64, DbError> {
    Ok(api_clients::table.count().get_result(conn)?)
}

/// Where client `client_id` is in the order of `list` (from 0), or `None` when there is no
/// such client.
pub fn position(conn: &mut DbConnection, client_id: &str) -> Result<Option<i64>, DbError> {
    let Some((id, created_at)) = api_clients::table
        .filter(api_clients::client_id.eq(client_id))
        .select((api_clients::id, api_clients::created_at))
        .first::<(i32, NaiveDateTime)>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let before: i64 = api_clients::table
        .filter(
            api_clients::created_at
                .lt(created_at)
                .or(api_clients::created_at
                    .eq(created_at)
                    .and(api_clients::id.lt(id))),
        )
        .count()
        .get_result(conn)?;
    Ok(Some(before))
}

fn clients(conn: &mut DbConnection, window: Option<(i64, i64)>) -> Result<Vec<ApiClient>, DbError> {
    let mut query = api_clients::table
        .order((api_clients::created_at.asc(), api_clients::id.asc()))
        .select((
            api_clients::client_id,
            api_clients::name,
            api_clients::secret_hash,
            api_clients::scopes,
            api_clients::revoked_at,
            api_clients::created_at,
            api_clients::organisations,
        ))
        .into_boxed();
    if let Some((limit, offset)) = window {
        query = query.limit(limit).offset(offset);
    }
    Ok(query
        .load::<ClientRow>(conn)?
        .into_iter()
        .map(ClientRow::into_client)
        .collect())
}

/// Revokes a client, audited under `actor`: it gets no new token (tokens already issued live
/// out their short lifetime). Returns false when there is no such active client.
pub fn revoke(conn: &mut DbConnection, client_id: &str, actor: &str) -> Result<bool, DbError> {
    conn.write_transaction(|conn| {
        let row = api_clients::table
            .filter(api_clients::client_id.eq(client_id))
            .filter(api_clients::revoked_at.is_null())
            .select((
                api_clients::id,
                (
                    api_clients::client_id,
                    api_clients::name,
                    api_clients::secret_hash,
                    api_clients::scopes,
                    api_clients::revoked_at,
                    api_clients::created_at,
                    api_clients::organisations,
                ),
            ))
            .first::<(i32, ClientRow)>(conn)
            .optional()?;
        let Some((id, row)) = row else {
            return Ok(false);
        };
        let revoked_at = now();
        let changed = diesel::update(
            api_clients::table
                .find(id)
                .filter(api_clients::revoked_at.is_null()),
        )
        .set(api_clients::revoked_at.eq(Some(revoked_at)))
        .execute(conn)?;
        if changed != 1 {
            return Ok(false);
        }
        let before = row.into_client();
        let after = ApiClient {
            revoked_at: Some(revoked_at),
            ..before.clone()
        };
        audit(
            conn,
            AuditEvent {
                actor,
                action: "revoke",
                entity: "api_client",
                entity_id: id,
                organisation_id: None,
                before: client_json(&before),
                after: client_json(&after),
            },
        )?;
        Ok(true)
    })
}

/// The client with these credentials, if it exists, is not revoked and the secret matches; with
/// the scopes it may ask for.
pub fn authenticate(
    conn: &mut DbConnection,
    client_id: &str,
    secret: &str,
) -> Result<Option<(ApiClient, Vec<Scope>)>, DbError> {
    let row = api_clients::table
        .filter(api_clients::client_id.eq(client_id))
        .select((
            api_clients::client_id,
            api_clients::name,
            api_clients::secret_hash,
            api_clients::scopes,
            api_clients::revoked_at,
            api_clients::created_at,
            api_clients::organisations,
        ))
        .first::<ClientRow>(conn)
        .optional()?;
    let matches = secrets::verify(secret, row.as_ref().map(|r| r.secret_hash.as_str()));
    match row {
        Some(row) if matches && row.revoked_at.is_none() => {
            let scopes = parse_scopes(&row.scopes).unwrap_or_default();
            Ok(Some((row.into_client(), scopes)))
        }
        _ => Ok(None),
    }
}

/// The revocation counter (how many clients are revoked: a revocation is never undone) and, in
/// the same statement, the revision of the organisation `slug` names (`None`: no such
/// organisation), which the API's reads need anyway: one query per API request for both.
pub fn standing(
    conn: &mut DbConnection,
    slug: Option<&str>,
) -> Result<(i64, Option<i32>), DbError> {
    let revoked = api_clients::table
        .filter(api_clients::revoked_at.is_not_null())
        .count()
        .single_value();
    let Some(slug) = slug else {
        let count: Option<i64> = diesel::select(revoked).get_result(conn)?;
        return Ok((count.unwrap_or(0), None));
    };
    // A retired organisation has no revision: it is not found, as everywhere.
    let revision = organisations::table
        .filter(organisations::slug.eq(slug))
        .filter(organisations::retired_at.is_null())
        .select(organisations::revision)
        .single_value();
    let (count, revision): (Option<i64>, Option<i32>) =
        diesel::select((revoked, revision)).get_result(conn)?;
    Ok((count.unwrap_or(0), revision))
}

/// Which clients are revoked, as the API checks each token against it: the set is re-read only
/// when the counter read by [`standing`] moved, so that a revocation made by any instance or by
/// the CLI holds from the next request on, at no query of its own.
#[derive(Default)]
pub struct Revocations {
    known: RwLock<Option<(i64, HashSet<String>)>>,
}

impl Revocations {
    /// Whether `client_id` is revoked, `counter` being the revocation counter just read.
    pub fn is_revoked(
        &self,
        conn: &mut DbConnection,
        counter: i64,
        client_id: &str,
    ) -> Result<bool, DbError> {
        if let Some((known, revoked)) = &*self.known.read().unwrap_or_else(|e| e.into_inner())
            && *known == counter
        {
            return Ok(revoked.contains(client_id));
        }
        let revoked = self.load(conn)?;
        Ok(revoked.contains(client_id))
    }

    /// Reads the revoked clients (at start, and when the counter moves).
    pub fn load(&self, conn: &mut DbConnection) -> Result<HashSet<String>, DbError> {
        let revoked: HashSet<String> = api_clients::table
            .filter(api_clients::revoked_at.is_not_null())
            .select(api_clients::client_id)
            .load(conn)?
            .into_iter()
            .collect();
        let counter = i64::try_from(revoked.len()).unwrap_or(i64::MAX);
        *self.known.write().unwrap_or_else(|e| e.into_inner()) = Some((counter, revoked.clone()));
        Ok(revoked)
    }
}
