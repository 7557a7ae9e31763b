//! An organisation's records as stored, read once: its vendors as last edited, every version
//! ever recorded and the whole change log. Every published view of the list (any `as_of`, any
//! `known_at`) is computed from them in memory by [`Records::published`], the same function
//! [`super::organisation::published`] runs after reading them, so a copy kept in memory answers
//! exactly as a fresh read would.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::Connection;

use super::change::{self, Change, ChangeKind};
use super::history::{self, History};
use super::organisation::{self, Organisation, Registry};
use super::vendor::{self, Vendor, VendorStatus};
use crate::db::{DbConnection, DbError};

#[derive(Debug, Clone)]
pub struct Records {
    pub organisation: Organisation,
    /// The vendors as last edited, by name.
    pub current: Vec<Vendor>,
    /// Every version recorded, whenever (shared with the registries computed from it).
    pub history: Arc<History>,
    /// The change log, every entry, as stored (reschedulings not folded).
    pub changes: Vec<Change>,
}

/// An organisation's records, or `None` for an unknown slug: the queries of
/// [`organisation::published`] without its `recorded_at` filter, in one read transaction.
pub fn load(conn: &mut DbConnection, slug: &str) -> Result<Option<Records>, DbError> {
    conn.transaction(|conn| {
        let Some(organisation) = organisation::find(conn, slug)? else {
            return Ok(None);
        };
        let current = vendor::all(conn, organisation.id)?;
        let history = Arc::new(history::load(conn, organisation.id, history::everything())?);
        let names: HashMap<i32, String> = current.iter().map(|v| (v.id, v.name.clone())).collect();
        let changes = change::list(conn, organisation.id, &names)?;
        Ok(Some(Records {
            organisation,
            current,
            history,
            changes,
        }))
    })
}

/// [`load`] on two connections at once: the vendors on `first`, the versions and the change
/// log on `second`, each in a read transaction of its own (a large organisation's snapshot is
/// read after every write, and the two halves take about as long). When a write commits
/// between the two reads, their organisation's revisions differ and both are read again.
pub fn load_on_two(
    first: &mut DbConnection,
    second: &mut DbConnection,
    slug: &str,
) -> Result<Option<Records>, DbError> {
    loop {
        let (vendors, rest) = std::thread::scope(|scope| {
            let vendors = scope.spawn(|| {
                first.transaction(|conn| {
                    let Some(organisation) = organisation::find(conn, slug)? else {
                        return Ok(None);
                    };
                    let vendors = vendor::all(conn, organisation.id)?;
                    Ok::<_, DbError>(Some((organisation.revision, vendors)))
                })
            });
            let rest = second.transaction(|conn| {
                let Some(organisation) = organisation::find(conn, slug)? else {
                    return Ok(None);
                };
                let history = history::load(conn, organisation.id, history::everything())?;
                let changes = change::rows(conn, organisation.id)?;
                Ok::<_, DbError>(Some((organisation, history, changes)))
            });
            let vendors = vendors.join().unwrap_or_else(|_| {
                Err(DbError::Interrupted("reading the vendors panicked".into()))
            });
            (vendors, rest)
        });
        let (Some((revision, current)), Some((organisation, history, changes))) = (vendors?, rest?)
        else {
            return Ok(None);
        };
        if revision != organisation.revision {
            continue;
        }
        let names: HashMap<i32, String> = current.iter().map(|v| (v.id, v.name.clone())).collect();
        return Ok(Some(Records {
            changes: change::named(changes, &names)?,
            organisation,
            current,
            history: Arc::new(history),
        }));
    }
}

impl Records {
    /// The registry as published: the vendors as their versions recorded before `known_before`
    /// show them on `as_of` (proposals, never published, as they stand), and the changes
    /// announced by then.
    pub fn published(&self, as_of: NaiveDate, known_before: NaiveDateTime) -> Registry {
        let mut organisation = self.organisation.clone();
        // What was written after the day read is not part of it (nor of its Last-Modified).
        organisation.updated_at = organisation.updated_at.min(known_before);
        let history = match self.history.recorded_before(known_before) {
            Cow::Borrowed(_) => self.history.clone(),
            Cow::Owned(history) => Arc::new(history),
        };
        let current = &self.current;
        let mut vendors: Vec<Vendor> = current
            .iter()
            .filter_map(|v| match v.status {
                _ if history.has(v.id) => history.vendor_on(v, as_of),
                VendorStatus::Proposed => Some(v.clone()),
                _ => None,
            })
            .collect();
        vendors.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        let known_on = known_before.date();
        let (mut changes, later): (Vec<Change>, Vec<Change>) = self
            .changes
            .iter()
            .cloned()
            .partition(|c| c.announced_on < known_on);
        let corrected_later = later
            .into_iter()
            .filter(|c| c.kind == ChangeKind::Corrected && c.effective_on <= as_of)
            .collect();
        change::fold_reschedulings(&mut changes);
        let to_come = changes
            .iter()
            .filter(|c| c.kind.is_public() && c.announced_on <= as_of && c.effective_on > as_of)
            .filter_map(|c| {
                let v = current.iter().find(|v| Some(v.id) == c.vendor_id)?;
                Some((c.id, history.vendor_on(v, c.effective_on)?))
            })
            .collect();
        Registry {
            organisation,
            vendors,
            changes,
            history,
            to_come,
            corrected_later,
        }
    }

    /// Whether nothing in them was recorded or announced at `moment` or later: then reading
    /// them as known before `moment` or as known now gives the same registry.
    pub fn nothing_from(&self, moment: NaiveDateTime) -> bool {
        self.organisation.updated_at < moment
            && self.history.last_recorded().is_none_or(|r| r < moment)
            && self.changes.iter().all(|c| c.announced_on < moment.date())
    }
}
