//! An organisation's settings kept by admins: the notice period of change announcements and the
//! privacy contact. One transaction per edit, refused when the version edited is not current
//! (nothing is overwritten), audited with the values before and after, and the registry's
//! revision bumped so that cached public pages are rendered again.

use diesel::prelude::*;
use serde::Serialize;

use super::organisation::touch;
use crate::audit::{AuditEvent, audit};
use crate::date::now;
use crate::db::schema::organisations;
use crate::db::{DbConnection, DbError};
use crate::values::{EmailAddress, WebUrl};

/// The longest notice period accepted, in days (the seed loader accepts the same range).
pub const MAX_ANNOUNCE_DAYS: i32 = 365;
/// The longest privacy contact kept.
pub const CONTACT_MAX: usize = 320;

/// The settings of one organisation, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrganisationSettings {
    #[serde(skip)]
    pub id: i32,
    pub slug: String,
    #[serde(skip)]
    pub name: String,
    /// Days between announcing a new vendor and its taking effect.
    pub announce_days: i32,
    /// An e-mail address or a web address, or none.
    pub privacy_contact: Option<String>,
    pub version: i32,
}

/// New values for the settings, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsChange {
    pub announce_days: i32,
    pub privacy_contact: Option<String>,
}

/// An invalid field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("there is no organisation '{0}'")]
    NotFound(String),
    /// Someone saved first: `current` is what is stored now; nothing was written.
    #[error("the settings changed since version {expected} (now version {})", current.version)]
    Stale {
        current: OrganisationSettings,
        expected: i32,
    },
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for SettingsError {
    fn from(e: diesel::result::Error) -> Self {
        SettingsError::Db(DbError::Query(e))
    }
}

type Row = (i32, String, String, i32, Option<String>, i32);

const COLUMNS: (
    organisations::id,
    organisations::slug,
    organisations::name,
    organisations::announce_days,
    organisations::privacy_contact,
    organisations::version,
) = (
    organisations::id,
    organisations::slug,
    organisations::name,
    organisations::announce_days,
    organisations::privacy_contact,
    organisations::version,
);

fn from_row(
    (id, slug, name, announce_days, privacy_contact, version): Row,
) -> OrganisationSettings {
    OrganisationSettings {
        id,
        slug,
        name,
        announce_days,
        privacy_contact,
        version,
    }
}

/// A page of the organisations' settings, by name then slug (`limit` of them after `offset`),
/// retired ones left out: the admins' list.
pub fn page(
    conn: &mut DbConnection,
    (limit, offset): (i64, i64),
) -> Result<Vec<OrganisationSettings>, DbError> {
    Ok(organisations::table
        .filter(organisations::retired_at.is_null())
        .order((organisations::name.asc(), organisations::slug.asc()))
        .limit(limit)
        .offset(offset)
        .select(COLUMNS)
        .load::<Row>(conn)?
        .into_iter()
        .map(from_row)
        .collect())
}

/// How many organisations there are, retired ones left out.
pub fn count(conn: &mut DbConnection) -> Result<i64, DbError> {
    Ok(organisations::table
        .filter(organisations::retired_at.is_null())
        .count()
        .get_result(conn)?)
}

/// One organisation's settings, or `None` for an unknown slug.
pub fn get(conn: &mut DbConnection, slug: &str) -> Result<Option<OrganisationSettings>, DbError> {
    Ok(organisations::table
        .filter(organisations::slug.eq(slug))
        .filter(organisations::retired_at.is_null())
        .select(COLUMNS)
        .first::<Row>(conn)
        .optional()?
        .map(from_row))
}

/// Checks the values as typed. The notice period is a whole number of days from 0 to 365; the
/// privacy contact is empty, an e-mail address or an http(s) address — or the value already
/// stored (`current_contact`), which seeds may have set to something else (a postal address),
/// so that editing the notice period alone never fails on it.
pub fn check(
    announce_days: &str,
    privacy_contact: &str,
    current_contact: Option<&str>,
) -> Result<SettingsChange, Vec<Problem>> {
    let mut problems = Vec::new();
    let days = announce_days.trim();
    let announce_days = match days.parse::<i32>() {
        Ok(d) if (0..=MAX_ANNOUNCE_DAYS).contains(&d) => d,
        Ok(d) => {
            problems.push(Problem {
                field: "announce_days",
                message: format!(
                    "The notice period must be between 0 and {MAX_ANNOUNCE_DAYS} days; {d} is not."
                ),
            });
            0
        }
        Err(_) if days.is_empty() => {
            problems.push(Problem {
                field: "announce_days",
                message: "Give the notice period in days (0 to 365; 30 is the most common).".into(),
            });
            0
        }
        Err(_) => {
            problems.push(Problem {
                field: "announce_days",
                message: format!(
                    "The notice period is a whole number of days from 0 to {MAX_ANNOUNCE_DAYS}; '{days}' is not."
                ),
            });
            0
        }
    };
    let contact = privacy_contact.trim();
    let privacy_contact = if contact.is_empty() {
        None
    } else if Some(contact) == current_contact.map(str::trim) {
        current_contact.map(str::to_string)
    } else if contact.chars().count() > CONTACT_MAX {
        problems.push(Problem {
            field: "privacy_contact",
            message: format!("The privacy contact is too long: at most {CONTACT_MAX} characters."),
        });
        None
    } else if EmailAddress::parse(contact).is_ok() || WebUrl::parse(contact).is_ok() {
        Some(contact.to_string())
    } else {
        problems.push(Problem {
            field: "privacy_contact",
            message: format!(
                "'{contact}' is neither an e-mail address (privacy@example.com) nor a web address (https://...)."
            ),
        });
        None
    };
    if problems.is_empty() {
        Ok(SettingsChange {
            announce_days,
            privacy_contact,
        })
    } else {
        Err(problems)
    }
}

/// Saves new settings if `expected_version` is still current, in one transaction: the update,
/// its audit event (entity `organisation`, action `update`) and the registry's new revision.
/// Returns the settings as stored now; saving the values already stored changes nothing.
pub fn update(
    conn: &mut DbConnection,
    slug: &str,
    expected_version: i32,
    change: &SettingsChange,
    actor: &str,
) -> Result<OrganisationSettings, SettingsError> {
    conn.write_transaction(|conn| {
        let Some(before) = get(conn, slug)? else {
            return Err(SettingsError::NotFound(slug.to_string()));
        };
        if before.version != expected_version {
            return Err(SettingsError::Stale {
                current: before,
                expected: expected_version,
            });
        }
        if before.announce_days == change.announce_days
            && before.privacy_contact == change.privacy_contact
        {
            return Ok(before);
        }
        // The version in the filter too: a concurrent edit cannot slip in between.
        let updated = diesel::update(
            organisations::table
                .find(before.id)
                .filter(organisations::version.eq(expected_version)),
        )
        .set((
            organisations::announce_days.eq(change.announce_days),
            organisations::privacy_contact.eq(&change.privacy_contact),
            organisations::version.eq(expected_version + 1),
            organisations::updated_at.eq(now()),
        ))
        .execute(conn)?;
        if updated != 1 {
            let current = get(conn, slug)?.ok_or_else(|| SettingsError::NotFound(slug.into()))?;
            return Err(SettingsError::Stale {
                current,
                expected: expected_version,
            });
        }
        let after = OrganisationSettings {
            announce_days: change.announce_days,
            privacy_contact: change.privacy_contact.clone(),
            version: expected_version + 1,
            ..before.clone()
        };
        audit(
            conn,
            AuditEvent {
                actor,
                action: "update",
                entity: "organisation",
                entity_id: before.id,
                organisation_id: Some(before.id),
                before: serde_json::to_string(&before).ok(),
                after: serde_json::to_string(&after).ok(),
            },
        )?;
        touch(conn, before.id)?;
        Ok(after)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notice_period_is_a_whole_number_of_days_up_to_a_year() {
        assert_eq!(check("30", "", None).unwrap().announce_days, 30);
        assert_eq!(check(" 0 ", "", None).unwrap().announce_days, 0);
        assert_eq!(check("365", "", None).unwrap().announce_days, 365);
        for bad in ["-1", "366", "ten", "", "1.5"] {
            let problems = check(bad, "", None).unwrap_err();
            assert_eq!(problems[0].field, "announce_days", "{bad}");
        }
    }

    #[test]
    fn the_contact_is_an_address_or_the_one_already_stored() {
        let ok = |c: &str| check("30", c, None).map(|s| s.privacy_contact);
        assert_eq!(ok("").unwrap(), None);
        assert_eq!(
            ok("dpo@example.com").unwrap().as_deref(),
            Some("dpo@example.com")
        );
        assert_eq!(
            ok("https://example.com/privacy").unwrap().as_deref(),
            Some("https://example.com/privacy")
        );
        assert_eq!(ok("call us").unwrap_err()[0].field, "privacy_contact");
        let kept = check("30", "1 Main St", Some("1 Main St")).unwrap();
        assert_eq!(kept.privacy_contact.as_deref(), Some("1 Main St"));
    }
}
