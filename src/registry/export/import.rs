//! Loading an export into a database in one transaction, then reading it back and comparing.

use std::fmt;

use chrono::{NaiveDateTime, Timelike};
use diesel::prelude::*;

use super::checks::list;
use super::{Export, MAX_ERRORS, Row, Tables};
use crate::db::{DbConnection, DbError};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot go into this database as it is.
    #[error("{0}")]
    Invalid(String),
    /// The database holds data and `--replace` was not given.
    #[error(
        "the database is not empty ({0}): nothing was imported; give --replace to empty it first \
         (in the same transaction)"
    )]
    NotEmpty(String),
    /// What was stored does not read back as the file says: rolled back.
    #[error(
        "the import was rolled back: the database does not read back what the file holds:\n  {0}"
    )]
    Mismatch(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for ImportError {
    fn from(e: diesel::result::Error) -> Self {
        ImportError::Db(DbError::Query(e))
    }
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub backend: &'static str,
    /// Rows per table, parents first.
    pub counts: Vec<(&'static str, usize)>,
    /// Whether the database held data that was deleted first.
    pub replaced: bool,
    /// What the database could not keep exactly (PostgreSQL's timestamps keep microseconds).
    pub notes: Vec<String>,
}

/// A field stored differently from the file.
pub(super) struct Difference {
    table: &'static str,
    row: String,
    field: String,
    file: serde_json::Value,
    stored: serde_json::Value,
}

impl Difference {
    /// A timestamp whose nanoseconds were cut to microseconds (PostgreSQL's precision).
    fn is_truncated_timestamp(&self) -> bool {
        let parse = |v: &serde_json::Value| v.as_str()?.parse::<NaiveDateTime>().ok();
        match (parse(&self.file), parse(&self.stored)) {
            (Some(file), Some(stored)) => {
                let micros = file.nanosecond() / 1_000 * 1_000;
                file.with_nanosecond(micros) == Some(stored)
            }
            _ => false,
        }
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "table `{}`, {}, field `{}`: the file has {}, the database keeps {}",
            self.table, self.row, self.field, self.file, self.stored
        )
    }
}

pub(super) fn differences<T: Row>(file: &[T], stored: &[T], out: &mut Vec<Difference>) {
    if file.len() != stored.len() {
        out.push(Difference {
            table: T::TABLE,
            row: "all rows".into(),
            field: "-".into(),
            file: file.len().into(),
            stored: stored.len().into(),
        });
        return;
    }
    for (a, b) in file.iter().zip(stored).filter(|(a, b)| a != b) {
        let (Ok(serde_json::Value::Object(a_fields)), Ok(b_value)) =
            (serde_json::to_value(a), serde_json::to_value(b))
        else {
            continue;
        };
        for (field, value) in a_fields {
            let stored = b_value.get(&field).cloned().unwrap_or_default();
            if value != stored {
                out.push(Difference {
                    table: T::TABLE,
                    row: a.describe(),
                    field,
                    file: value,
                    stored,
                });
            }
        }
    }
}

/// Loads a parsed export in one transaction: refuses a database holding any row unless
/// `replace` (then empties every table first), inserts parents before children, resets
/// PostgreSQL's sequences past the ids inserted, and reads everything back: a difference other
/// than PostgreSQL's microseconds rolls the whole import back.
pub fn import(
    conn: &mut DbConnection,
    export: &Export,
    replace: bool,
) -> Result<ImportReport, ImportError> {
    let backend = match conn {
        DbConnection::Postgres(_) => "postgresql",
        DbConnection::Sqlite(_) => "sqlite",
    };
    // Values and control characters were checked when the file was read (checks::parse).
    let mut tables = export.tables.clone();
    tables.sort();
    conn.write_transaction(|conn| {
        let held = Tables::count_stored(conn)?;
        let total: i64 = held.iter().map(|(_, n)| n).sum();
        let replaced = total > 0;
        if replaced {
            if !replace {
                let mut what: Vec<String> = held
                    .iter()
                    .filter(|(t, n)| {
                        *n > 0 && ["organisations", "api_clients", "users"].contains(t)
                    })
                    .map(|(table, n)| format!("{n} {table}"))
                    .collect();
                what.push(format!("{total} rows in all"));
                return Err(ImportError::NotEmpty(what.join(", ")));
            }
            Tables::delete_all(conn)?;
        }
        tables.insert(conn)?;
        if let DbConnection::Postgres(pg) = conn {
            for table in Tables::serial() {
                diesel::sql_query(format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table}"
                ))
                .execute(pg)?;
            }
        }
        let stored = Tables::load(conn)?;
        let (truncated, other): (Vec<Difference>, Vec<Difference>) = tables
            .differences(&stored)
            .into_iter()
            .partition(Difference::is_truncated_timestamp);
        if !other.is_empty() {
            return Err(ImportError::Mismatch(list(
                other.iter().map(ToString::to_string).collect(),
            )));
        }
        let mut notes: Vec<String> = truncated
            .iter()
            .take(MAX_ERRORS)
            .map(|d| format!("{d} (PostgreSQL keeps microseconds)"))
            .collect();
        if truncated.len() > MAX_ERRORS {
            notes.push(format!(
                "... and {} more timestamps cut to microseconds",
                truncated.len() - MAX_ERRORS
            ));
        }
        // A file from before the history (format version 1) gets it as a migration gives it.
        if export.version == 1 {
            crate::registry::history::backfill(conn)?;
            notes.push(
                "a file of format version 1: the records' first versions and the change log's \
                 hash chain were built from them"
                    .into(),
            );
        }
        Ok(ImportReport {
            backend,
            counts: tables.counts(),
            replaced,
            notes,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_keep_their_precision() {
        let at = |s: &str| s.parse::<NaiveDateTime>().unwrap();
        for s in [
            "2026-11-23T05:40:06",
            "2026-11-23T05:40:06.120",
            "2026-11-23T05:40:06.123456",
            "2026-11-23T05:40:06.123456789",
        ] {
            assert_eq!(serde_json::to_value(at(s)).unwrap(), s);
        }
        let d = Difference {
            table: "api_clients",
            row: "row id 1".into(),
            field: "created_at".into(),
            file: "2026-11-23T05:40:06.123456789".into(),
            stored: "2026-11-23T05:40:06.123456".into(),
        };
        assert!(d.is_truncated_timestamp());
    }
}
