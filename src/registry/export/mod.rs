//! Moving a whole registry between databases and backends, without loss.
//!
//! - [`export`] reads every table of src/db/schema.rs, every column, ids included, in one read
//!   transaction; serialised, it is the file `crossborder export` writes:
//!   `{"format":"crossborder-export","version":1,"tables":{"organisations":[...],...}}`, rows by
//!   primary key (compared as bytes, whatever the database's collation), dates `YYYY-MM-DD`,
//!   timestamps ISO 8601 with the fraction of a second that is stored.
//! - [`parse`] reads such a file and refuses it whole: a syntax or type error with its line,
//!   column, table and field; then every check the database would make (primary keys, references
//!   to parents, unique columns), naming the table, the row and the field.
//! - [`import`] loads it into an empty database (or, asked to, empties it first) in one
//!   transaction, parents before children, resets PostgreSQL's sequences, then reads everything
//!   back and compares it with the file before committing.
//! - [`backup_sqlite`] copies an SQLite database while it is in use, with `VACUUM INTO`.
//!
//!
//! The rows are [`crate::db::rows`]; here each gets its table's name and primary key ([`Row`]).

mod backup;
mod checks;
mod import;
mod integrity;
pub mod ropa;
mod sheet;

use std::hash::Hash;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::db::rows::*;
use crate::db::schema::*;
use crate::db::{DbConnection, DbError};

pub use backup::{BackupError, backup_sqlite};
pub use checks::parse;
use checks::{bad_fields, rows};
use import::{Difference, differences};
pub use import::{ImportError, ImportReport, import};
use integrity::{check_keys, nul_characters};
pub use sheet::{Sheet, SheetFormat};

/// The `format` of every export file.
pub const FORMAT: &str = "crossborder-export";
/// The version this code writes; it reads this one and version 1 (before the history, which
/// `import` then builds as a migration does).
pub const VERSION: u32 = 2;

/// What `backup` says on PostgreSQL.
pub const POSTGRES_BACKUP: &str = "backup copies SQLite databases; back up PostgreSQL with pg_dump \
     (e.g. `pg_dump --format=custom --file=crossborder.dump \"$DATABASE_URL\"`), or move the \
     registry with `crossborder export`";

/// Semantic errors listed at most, before "and N more".
const MAX_ERRORS: usize = 20;

/// A whole database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Export {
    pub format: String,
    pub version: u32,
    pub tables: Tables,
}

/// One table's row type.
pub trait Row: Serialize + DeserializeOwned + PartialEq {
    /// The table's name in the database and in the file.
    const TABLE: &'static str;
    /// Whether the primary key is a SERIAL `id` (PostgreSQL's sequence is reset after import).
    const SERIAL: bool;
    /// The primary key.
    type Key: Ord + Eq + Hash + Clone;
    fn key(&self) -> Self::Key;
    /// The SERIAL id, for tables that have one.
    fn id(&self) -> Option<i32> {
        None
    }
    /// The row in messages: `row id 7`, `row (vendor_id 3, category "hosting")`.
    fn describe(&self) -> String;
}

macro_rules! serial_row {
    ($row:ty, $table:ident) => {
        impl Row for $row {
            const TABLE: &'static str = stringify!($table);
            const SERIAL: bool = true;
            type Key = i32;
            fn key(&self) -> i32 {
                self.id
            }
            fn id(&self) -> Option<i32> {
                Some(self.id)
            }
            fn describe(&self) -> String {
                format!("row id {}", self.id)
            }
        }
    };
}

// --- each table's name and key ----------------------------------------------------------------

serial_row!(OrganisationRow, organisations);

serial_row!(VendorRow, vendors);

serial_row!(SubscriberRow, subscribers);

serial_row!(ObjectionRow, objections);

serial_row!(WebhookRow, webhooks);

serial_row!(OutboxEventRow, outbox_events);

serial_row!(DeliveryRow, deliveries);

serial_row!(DeliveryAttemptRow, delivery_attempts);

serial_row!(LinkKeyRow, link_keys);

impl Row for ReminderRow {
    const TABLE: &'static str = "reminders";
    const SERIAL: bool = false;
    type Key = i32;
    fn key(&self) -> i32 {
        self.user_id
    }
    fn describe(&self) -> String {
        format!("row user_id {}", self.user_id)
    }
}

impl Row for VendorCategoryRow {
    const TABLE: &'static str = "vendor_categories";
    const SERIAL: bool = false;
    type Key = (i32, String);
    fn key(&self) -> (i32, String) {
        (self.vendor_id, self.category.clone())
    }
    fn describe(&self) -> String {
        format!(
            "row (vendor_id {}, category {:?})",
            self.vendor_id, self.category
        )
    }
}

serial_row!(VendorCertificationRow, vendor_certifications);

serial_row!(TransferRow, transfers);

impl Row for TransferMechanismRow {
    const TABLE: &'static str = "transfer_mechanisms";
    const SERIAL: bool = false;
    type Key = (i32, i32);
    fn key(&self) -> (i32, i32) {
        (self.transfer_id, self.position)
    }
    fn describe(&self) -> String {
        format!(
            "row (transfer_id {}, position {})",
            self.transfer_id, self.position
        )
    }
}

impl Row for TransferDataCategoryRow {
    const TABLE: &'static str = "transfer_data_categories";
    const SERIAL: bool = false;
    type Key = (i32, String);
    fn key(&self) -> (i32, String) {
        (self.transfer_id, self.category.clone())
    }
    fn describe(&self) -> String {
        format!(
            "row (transfer_id {}, category {:?})",
            self.transfer_id, self.category
        )
    }
}

serial_row!(EvidenceRow, evidence);

serial_row!(ChangeRow, changes);

serial_row!(VersionRow, versions);

serial_row!(AuditEventRow, audit_events);

serial_row!(ApiClientRow, api_clients);

serial_row!(IntakeRequestRow, intake_requests);

serial_row!(UserRow, users);

serial_row!(SessionRow, sessions);

serial_row!(LoginAttemptRow, login_attempts);

// --- the tables, parents before children ----------------------------------------------------

/// One statement on the database (a DELETE per table).
type Statement = fn(&mut DbConnection) -> QueryResult<usize>;

macro_rules! tables {
    ($($(#[$meta:meta])* $table:ident: $row:ty),* $(,)?) => {
        /// Every table, in the order of inserts (parents before children; deletes go in reverse).
        #[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Tables {
            $(
                $(#[$meta])*
                #[serde(deserialize_with = "rows")]
                pub $table: Vec<$row>,
            )*
        }

        impl Tables {
            /// The tables' names, parents before children.
            pub const NAMES: &[&str] = &[$(stringify!($table)),*];

            /// Rows per table, in [`Tables::NAMES`] order.
            pub fn counts(&self) -> Vec<(&'static str, usize)> {
                vec![$((stringify!($table), self.$table.len())),*]
            }

            /// Every row of the database, by primary key.
            fn load(conn: &mut DbConnection) -> QueryResult<Tables> {
                let mut tables = Tables {
                    $($table: $table::table.load::<$row>(conn)?,)*
                };
                tables.sort();
                Ok(tables)
            }

            /// Sorts every table by primary key, comparing text as bytes (not the database's
            /// collation), so both backends write the same file.
            fn sort(&mut self) {
                $(self.$table.sort_by_key(|r| r.key());)*
            }

            fn insert(&self, conn: &mut DbConnection) -> QueryResult<()> {
                // One statement per row: diesel's MultiConnection has no multi-row INSERT.
                $(
                    for row in &self.$table {
                        diesel::insert_into($table::table).values(row).execute(conn)?;
                    }
                )*
                Ok(())
            }

            /// Rows per table in the database.
            fn count_stored(conn: &mut DbConnection) -> QueryResult<Vec<(&'static str, i64)>> {
                Ok(vec![$((stringify!($table), $table::table.count().get_result::<i64>(conn)?)),*])
            }

            /// Empties every table, children first.
            fn delete_all(conn: &mut DbConnection) -> QueryResult<()> {
                let deletes: &[Statement] = &[$(|c| diesel::delete($table::table).execute(c)),*];
                for delete in deletes.iter().rev() {
                    delete(conn)?;
                }
                Ok(())
            }

            /// The tables with a SERIAL id.
            fn serial() -> Vec<&'static str> {
                let mut names = Vec::new();
                $(if <$row as Row>::SERIAL { names.push(stringify!($table)); })*
                names
            }

            /// Duplicate primary keys and ids below 1 (rows sorted).
            fn check_keys(&self, errors: &mut Vec<String>) {
                $(check_keys(&self.$table, errors);)*
            }

            /// The fields of a row of `table` that do not deserialise.
            fn bad_fields(table: &str, row: &serde_json::Value) -> Vec<String> {
                match table {
                    $(stringify!($table) => bad_fields::<$row>(row),)*
                    _ => Vec::new(),
                }
            }

            /// Text holding a NUL character, which PostgreSQL cannot store.
            fn nul_characters(&self, errors: &mut Vec<String>) {
                $(nul_characters(&self.$table, errors);)*
            }

            /// Where `stored` differs from `self`, field by field.
            fn differences(&self, stored: &Tables) -> Vec<Difference> {
                let mut out = Vec::new();
                $(differences(&self.$table, &stored.$table, &mut out);)*
                out
            }
        }
    };
}

tables! {
    organisations: OrganisationRow,
    vendors: VendorRow,
    vendor_categories: VendorCategoryRow,
    vendor_certifications: VendorCertificationRow,
    transfers: TransferRow,
    transfer_mechanisms: TransferMechanismRow,
    transfer_data_categories: TransferDataCategoryRow,
    evidence: EvidenceRow,
    changes: ChangeRow,
    // Absent from files of format version 1, written before versions were kept.
    #[serde(default)]
    versions: VersionRow,
    audit_events: AuditEventRow,
    api_clients: ApiClientRow,
    intake_requests: IntakeRequestRow,
    users: UserRow,
    sessions: SessionRow,
    login_attempts: LoginAttemptRow,
    // Absent from files written before notices by e-mail.
    #[serde(default)]
    subscribers: SubscriberRow,
    #[serde(default)]
    objections: ObjectionRow,
    #[serde(default)]
    webhooks: WebhookRow,
    #[serde(default)]
    outbox_events: OutboxEventRow,
    #[serde(default)]
    deliveries: DeliveryRow,
    #[serde(default)]
    delivery_attempts: DeliveryAttemptRow,
    #[serde(default)]
    link_keys: LinkKeyRow,
    #[serde(default)]
    reminders: ReminderRow,
}

// --- export -----------------------------------------------------------------------------------

/// Reads the whole database in one read transaction (on PostgreSQL, REPEATABLE READ: one
/// snapshot for every table; on SQLite the transaction's first read fixes the snapshot).
pub fn export(conn: &mut DbConnection) -> Result<Export, DbError> {
    conn.write_transaction(|conn| {
        if let DbConnection::Postgres(pg) = conn {
            pg.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
        }
        Ok(Export {
            format: FORMAT.to_string(),
            version: VERSION,
            tables: Tables::load(conn)?,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_export_round_trips() {
        let export = Export {
            format: FORMAT.into(),
            version: VERSION,
            tables: Tables::default(),
        };
        let text = serde_json::to_string_pretty(&export).unwrap();
        assert_eq!(parse(text.as_bytes()).unwrap(), export);
        let keys: Vec<String> = serde_json::from_str::<serde_json::Value>(&text).unwrap()["tables"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        let mut keys = keys;
        keys.sort();
        let mut names: Vec<&str> = Tables::NAMES.to_vec();
        names.sort();
        assert_eq!(keys, names);
    }
}
