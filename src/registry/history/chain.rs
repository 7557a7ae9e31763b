//! The change log as a hash chain: each entry's SHA-256 covers its canonical JSON — what it says,
//! the versions it published and the previous entry's hash — so no entry or version can be
//! edited, removed or reordered without every later hash changing. The same entries are the
//! downloadable history (`/{org}/history.json`), which [`verify`] checks as it checks a database.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::body::canonical;
use crate::db::rows::{ChangeRow, VersionRow};
use crate::db::schema::{changes, organisations, vendors, versions};
use crate::db::{DbConnection, DbError};

/// One entry of the chain, as hashed (without `id` and `hash`) and as downloaded (with them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// The entry's number in the database (not hashed: the chain's order is what counts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i32>,
    pub organisation: String,
    pub kind: String,
    /// The vendor's key.
    pub vendor: Option<String>,
    pub summary: String,
    pub announced_on: NaiveDate,
    pub effective_on: NaiveDate,
    pub reason: Option<String>,
    /// The id of the entry whose date this one moved.
    pub amends: Option<i32>,
    pub recorded_at: NaiveDateTime,
    pub versions: Vec<VersionLink>,
    /// The previous entry's hash (`None` for the first).
    pub previous: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionLink {
    pub vendor_id: i32,
    pub fact: String,
    pub fact_id: i32,
    pub effective_from: NaiveDate,
    pub recorded_at: NaiveDateTime,
    /// The fact as published; `null` when it ended.
    pub body: Option<serde_json::Value>,
}

impl Link {
    /// The SHA-256 of the entry's canonical JSON, without its id and hash, in lowercase hex.
    pub fn digest(&self) -> String {
        let hashed = Link {
            id: None,
            hash: String::new(),
            ..self.clone()
        };
        let digest = Sha256::digest(canonical(&hashed).as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// A downloaded history: one organisation's whole chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryFile {
    pub organisation: String,
    pub head: Option<String>,
    pub entries: Vec<Link>,
}

/// Where a chain first breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("entry {position} (id {id}): {problem}")]
pub struct Broken {
    /// 1-based position in the chain.
    pub position: usize,
    pub id: String,
    pub problem: String,
}

/// Checks a chain from its first entry: each entry's `previous` is the hash before it, and its
/// hash is its content's. Names the first entry that does not match.
pub fn verify(entries: &[Link]) -> Result<(), Broken> {
    let mut previous: Option<&str> = None;
    for (i, link) in entries.iter().enumerate() {
        let broken = |problem: String| Broken {
            position: i + 1,
            id: link.id.map_or("?".into(), |id| id.to_string()),
            problem,
        };
        if link.previous.as_deref() != previous {
            return Err(broken(format!(
                "it follows {} but the chain before it ends in {}",
                link.previous.as_deref().unwrap_or("nothing"),
                previous.unwrap_or("nothing")
            )));
        }
        let digest = link.digest();
        if digest != link.hash {
            return Err(broken(format!(
                "its content hashes to {digest}, not the {} recorded: it was changed after it \
                 was written",
                if link.hash.is_empty() {
                    "(empty hash)"
                } else {
                    &link.hash
                }
            )));
        }
        previous = Some(&link.hash);
    }
    Ok(())
}

/// The hash of an organisation's newest entry, for the next one to chain to. One query.
pub(super) fn head(conn: &mut DbConnection, org_id: i32) -> Result<Option<String>, DbError> {
    Ok(changes::table
        .filter(changes::organisation_id.eq(org_id))
        .order(changes::id.desc())
        .select(changes::hash)
        .first::<String>(conn)
        .optional()?
        .filter(|h| !h.is_empty()))
}

/// An organisation's chain as stored, oldest first. Four queries.
pub fn links(conn: &mut DbConnection, org_id: i32) -> Result<Vec<Link>, DbError> {
    let slug: String = organisations::table
        .find(org_id)
        .select(organisations::slug)
        .first(conn)?;
    let keys: std::collections::HashMap<i32, String> = vendors::table
        .filter(vendors::organisation_id.eq(org_id))
        .select((vendors::id, vendors::key))
        .load::<(i32, String)>(conn)?
        .into_iter()
        .collect();
    let rows: Vec<ChangeRow> = changes::table
        .filter(changes::organisation_id.eq(org_id))
        .order(changes::id.asc())
        .load(conn)?;
    let mut by_change: std::collections::HashMap<i32, Vec<VersionRow>> = Default::default();
    let version_rows: Vec<VersionRow> = versions::table
        .filter(versions::organisation_id.eq(org_id))
        .filter(versions::change_id.is_not_null())
        .order(versions::id.asc())
        .load(conn)?;
    for v in version_rows {
        if let Some(c) = v.change_id {
            by_change.entry(c).or_default().push(v);
        }
    }
    let mut previous: Option<String> = None;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let versions = by_change
            .remove(&row.id)
            .unwrap_or_default()
            .iter()
            .map(version_link)
            .collect::<Result<Vec<_>, _>>()?;
        let link = Link {
            id: Some(row.id),
            organisation: slug.clone(),
            kind: row.kind,
            vendor: row.vendor_id.and_then(|id| keys.get(&id).cloned()),
            summary: row.summary,
            announced_on: row.announced_on,
            effective_on: row.effective_on,
            reason: row.reason,
            amends: row.amends,
            recorded_at: row.created_at,
            versions,
            previous: previous.take(),
            hash: row.hash,
        };
        previous = Some(link.hash.clone()).filter(|h| !h.is_empty());
        out.push(link);
    }
    Ok(out)
}

pub(super) fn version_link(v: &VersionRow) -> Result<VersionLink, DbError> {
    let body = v
        .body
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| DbError::Corrupt(format!("versions row id {}: body: {e}", v.id)))?;
    Ok(VersionLink {
        vendor_id: v.vendor_id,
        fact: v.fact.clone(),
        fact_id: v.fact_id,
        effective_from: v.effective_from,
        recorded_at: v.recorded_at,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(summary: &str, previous: Option<String>) -> Link {
        let mut l = Link {
            id: Some(1),
            organisation: "acme".into(),
            kind: "added".into(),
            vendor: Some("stripe".into()),
            summary: summary.into(),
            announced_on: "2026-12-01".parse().unwrap(),
            effective_on: "2026-12-31".parse().unwrap(),
            reason: None,
            amends: None,
            recorded_at: "2026-12-01T10:00:00".parse().unwrap(),
            versions: vec![VersionLink {
                vendor_id: 2,
                fact: "transfer".into(),
                fact_id: 3,
                effective_from: "2026-12-31".parse().unwrap(),
                recorded_at: "2026-12-01T10:00:00".parse().unwrap(),
                body: Some(serde_json::json!({"country": "US"})),
            }],
            previous,
            hash: String::new(),
        };
        l.hash = l.digest();
        l
    }

    #[test]
    fn a_chain_verifies_and_names_the_first_entry_changed() {
        let first = link("Stripe added", None);
        let second = link("Stripe changed", Some(first.hash.clone()));
        let mut chain = vec![first, second];
        assert_eq!(verify(&chain), Ok(()));
        // The id is not part of the hash: the chain's order is.
        chain[0].id = Some(9);
        assert_eq!(verify(&chain), Ok(()));
        chain[0].versions[0].body = Some(serde_json::json!({"country": "CN"}));
        let broken = verify(&chain).unwrap_err();
        assert_eq!(broken.position, 1);
        // An entry removed breaks the next one's link.
        let chain = vec![chain[1].clone()];
        assert_eq!(verify(&chain).unwrap_err().position, 1);
    }
}
