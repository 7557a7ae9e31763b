//! What a change tells the people who get notice of it: the organisation, the change, and its
//! vendor as it will be when the change takes effect (as it was, for a retirement).

use diesel::prelude::*;

use super::change::{self, Change, ChangeKind};
use super::organisation::{self, Organisation};
use super::{Vendor, history, vendor};
use crate::db::schema::{changes, organisations, vendors};
use crate::db::{DbConnection, DbError};

#[derive(Debug, Clone)]
pub struct Notice {
    pub organisation: Organisation,
    pub change: Change,
    pub vendor: Option<Vendor>,
}

/// The notice of change `id`; `None` when there is no such change.
pub fn of_change(conn: &mut DbConnection, id: i32) -> Result<Option<Notice>, DbError> {
    conn.transaction(|conn| {
        let Some(mut change) = change::find(conn, id)? else {
            return Ok(None);
        };
        // A rescheduling is told as the change it moved, on its new day: objections are to that
        // change (its page follows the move).
        while change.kind == ChangeKind::Rescheduled {
            let Some(moved) = change
                .amends
                .map(|a| change::find(conn, a))
                .transpose()?
                .flatten()
            else {
                break;
            };
            change = Change {
                effective_on: change.effective_on,
                moved_from: Some(moved.moved_from.unwrap_or(moved.effective_on)),
                ..moved
            };
        }
        let slug: String = changes::table
            .inner_join(organisations::table)
            .filter(changes::id.eq(id))
            .select(organisations::slug)
            .first(conn)?;
        let key: Option<String> = match change.vendor_id {
            Some(v) => vendors::table
                .find(v)
                .select(vendors::key)
                .first(conn)
                .optional()?,
            None => None,
        };
        let Some(organisation) = organisation::find(conn, &slug)? else {
            return Ok(None);
        };
        let vendor = match key {
            Some(key) => match vendor::find_in(conn, organisation.id, &key)? {
                Some(current) => {
                    let versions = history::load_vendor(conn, current.id)?;
                    // A retired vendor is told of as it was on its last day on the list.
                    let day = match change.kind {
                        ChangeKind::Retired => change.effective_on.pred_opt(),
                        _ => Some(change.effective_on),
                    };
                    day.and_then(|d| versions.vendor_on(&current, d))
                }
                None => None,
            },
            None => None,
        };
        Ok(Some(Notice {
            organisation,
            change,
            vendor,
        }))
    })
}
