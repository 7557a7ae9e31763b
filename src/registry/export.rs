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
//! One struct per table, its fields in the order of the table's columns: they are loaded with the
//! table's default selection, so a column added to the schema without being added here is a
//! compile error, not a silent loss.

use std::cell::Cell;
use std::collections::HashSet;
use std::fmt;
use std::hash::Hash;
use std::marker::PhantomData;
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime, Timelike};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use serde::de::{DeserializeOwned, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::db::schema::*;
use crate::db::{DbConnection, DbError};

/// The `format` of every export file.
pub const FORMAT: &str = "crossborder-export";
/// The version this code writes and reads.
pub const VERSION: u32 = 1;

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

// --- one struct per table, fields in column order -------------------------------------------

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
}
serial_row!(OrganisationRow, organisations);

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
serial_row!(VendorRow, vendors);

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = vendor_categories, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct VendorCategoryRow {
    pub vendor_id: i32,
    pub category: String,
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
}
serial_row!(VendorCertificationRow, vendor_certifications);

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
}
serial_row!(TransferRow, transfers);

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = transfer_mechanisms, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct TransferMechanismRow {
    pub transfer_id: i32,
    pub position: i32,
    pub mechanism: String,
    pub signed_on: Option<NaiveDate>,
}

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

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = transfer_data_categories, treat_none_as_default_value = false)]
#[serde(deny_unknown_fields)]
pub struct TransferDataCategoryRow {
    pub transfer_id: i32,
    pub category: String,
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
serial_row!(EvidenceRow, evidence);

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
}
serial_row!(ChangeRow, changes);

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
serial_row!(AuditEventRow, audit_events);

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
}
serial_row!(ApiClientRow, api_clients);

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
serial_row!(IntakeRequestRow, intake_requests);

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
}
serial_row!(UserRow, users);

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
serial_row!(SessionRow, sessions);

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
serial_row!(LoginAttemptRow, login_attempts);

// --- the tables, parents before children ----------------------------------------------------

/// One statement on the database (a DELETE per table).
type Statement = fn(&mut DbConnection) -> QueryResult<usize>;

macro_rules! tables {
    ($($table:ident: $row:ty),* $(,)?) => {
        /// Every table, in the order of inserts (parents before children; deletes go in reverse).
        #[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Tables {
            $(
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
    audit_events: AuditEventRow,
    api_clients: ApiClientRow,
    intake_requests: IntakeRequestRow,
    users: UserRow,
    sessions: SessionRow,
    login_attempts: LoginAttemptRow,
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

// --- parse ------------------------------------------------------------------------------------

thread_local! {
    /// Where the parser is: the table, and the row's index once inside its list. Read when
    /// serde_json fails, to name the table and the row next to serde_json's line and column.
    static AT: Cell<Option<(&'static str, Option<usize>)>> = const { Cell::new(None) };
}

/// Deserialises one table's rows, keeping [`AT`] up to date.
fn rows<'de, D: Deserializer<'de>, T: Row>(deserializer: D) -> Result<Vec<T>, D::Error> {
    struct RowsVisitor<T>(PhantomData<T>);

    impl<'de, T: Row> Visitor<'de> for RowsVisitor<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a list of `{}` rows", T::TABLE)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut rows = Vec::new();
            loop {
                AT.set(Some((T::TABLE, Some(rows.len()))));
                match seq.next_element()? {
                    Some(row) => rows.push(row),
                    None => return Ok(rows),
                }
            }
        }
    }

    AT.set(Some((T::TABLE, None)));
    let rows = deserializer.deserialize_seq(RowsVisitor(PhantomData))?;
    AT.set(None);
    Ok(rows)
}

/// Only `format` and `version`: checked first when the file does not parse, since a file of
/// another format or version is best refused as such.
#[derive(Deserialize)]
struct Header {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
}

fn check_header(
    format: Option<&serde_json::Value>,
    version: Option<&serde_json::Value>,
) -> Result<(), String> {
    match format {
        Some(serde_json::Value::String(f)) if f == FORMAT => {}
        Some(other) => {
            return Err(format!(
                "field `format`: {other} is not a crossborder export (expected \"{FORMAT}\")"
            ));
        }
        None => return Err(format!("missing field `format` (expected \"{FORMAT}\")")),
    }
    match version {
        Some(v) if v.as_u64() == Some(VERSION as u64) => Ok(()),
        Some(other) => Err(format!(
            "field `version`: version {other} is not supported (this crossborder reads version \
             {VERSION})"
        )),
        None => Err(format!("missing field `version` (expected {VERSION})")),
    }
}

/// Reads an export file and checks it whole. Errors name what is wrong: serde_json's message
/// (the field, the line and the column) with the table and the row, or, for a file that parses,
/// every row that the database would refuse, with its table, id and field.
pub fn parse(bytes: &[u8]) -> Result<Export, String> {
    AT.set(None);
    let parsed = serde_json::from_slice::<Export>(bytes);
    let at = AT.take();
    let mut export = match parsed {
        Ok(export) => export,
        Err(error) => {
            // A file of another format or version: say so rather than what fails in it.
            if let Ok(header) = serde_json::from_slice::<Header>(bytes) {
                check_header(header.format.as_ref(), header.version.as_ref())?;
            }
            let message = error.to_string();
            let value = serde_json::from_slice::<serde_json::Value>(bytes).ok();
            return Err(format!(
                "{}{message}",
                context(value.as_ref(), at, &message)
            ));
        }
    };
    check_header(
        Some(&serde_json::Value::String(export.format.clone())),
        Some(&serde_json::Value::from(export.version)),
    )?;
    export.tables.sort();
    let mut errors = Vec::new();
    export.tables.check_keys(&mut errors);
    check_references(&export.tables, &mut errors);
    check_unique(&export.tables, &mut errors);
    if errors.is_empty() {
        Ok(export)
    } else {
        Err(list(errors))
    }
}

/// ``table `vendors`, row 3 (id 7), field `active_from`: `` for the row the parser was in, when
/// serde_json's `message` does not name the field (a value out of range or of the wrong type).
fn context(
    file: Option<&serde_json::Value>,
    at: Option<(&'static str, Option<usize>)>,
    message: &str,
) -> String {
    match at {
        None => String::new(),
        Some((table, None)) => format!("table `{table}`: "),
        Some((table, Some(index))) => {
            let row = file.and_then(|v| v.get("tables")?.get(table)?.get(index));
            let mut out = format!("table `{table}`, row {}", index + 1);
            if let Some(id) = row.and_then(|r| r.get("id")?.as_i64()) {
                out.push_str(&format!(" (id {id})"));
            }
            let fields: Vec<String> = row
                .map(|r| Tables::bad_fields(table, r))
                .unwrap_or_default()
                .into_iter()
                .map(|f| format!("`{f}`"))
                .filter(|f| !message.contains(f.as_str()))
                .collect();
            if !fields.is_empty() {
                out.push_str(&format!(", field {}", fields.join(", ")));
            }
            out.push_str(": ");
            out
        }
    }
}

/// The fields of a row that fail on their own: each is tried alone, where the only acceptable
/// failure is the other fields missing.
fn bad_fields<T: Row>(row: &serde_json::Value) -> Vec<String> {
    let Some(fields) = row.as_object() else {
        return Vec::new();
    };
    fields
        .iter()
        .filter(|(name, value)| {
            let alone = serde_json::Map::from_iter([((*name).clone(), (*value).clone())]);
            serde_json::from_value::<T>(serde_json::Value::Object(alone))
                .is_err_and(|e| !e.to_string().starts_with("missing field"))
        })
        .map(|(name, _)| name.clone())
        .collect()
}

fn list(mut errors: Vec<String>) -> String {
    let more = errors.len().saturating_sub(MAX_ERRORS);
    errors.truncate(MAX_ERRORS);
    if more > 0 {
        errors.push(format!("... and {more} more"));
    }
    if errors.len() == 1 {
        errors.remove(0)
    } else {
        format!("{} problems:\n  {}", errors.len(), errors.join("\n  "))
    }
}

fn check_keys<T: Row>(rows: &[T], errors: &mut Vec<String>) {
    for pair in rows.windows(2) {
        if pair[0].key() == pair[1].key() {
            errors.push(format!(
                "table `{}`, {}: the primary key appears twice",
                T::TABLE,
                pair[1].describe()
            ));
        }
    }
    // SERIAL ids start at 1; PostgreSQL's sequence cannot be set below it.
    for row in rows {
        if row.id().is_some_and(|id| id < 1) {
            errors.push(format!(
                "table `{}`, {}, field `id`: ids start at 1",
                T::TABLE,
                row.describe()
            ));
        }
    }
}

fn ids<T: Row>(rows: &[T]) -> HashSet<i32> {
    rows.iter().filter_map(Row::id).collect()
}

/// Each row's `field` must name a row of `parent` (when not null).
fn references<T: Row>(
    rows: &[T],
    field: &str,
    parent: (&str, &HashSet<i32>),
    get: impl Fn(&T) -> Option<i32>,
    errors: &mut Vec<String>,
) {
    let (parent_table, parent_ids) = parent;
    for row in rows {
        if let Some(id) = get(row)
            && !parent_ids.contains(&id)
        {
            errors.push(format!(
                "table `{}`, {}, field `{field}`: there is no `{parent_table}` row with id {id}",
                T::TABLE,
                row.describe()
            ));
        }
    }
}

/// The REFERENCES of migrations/*.
fn check_references(t: &Tables, errors: &mut Vec<String>) {
    let organisations = ids(&t.organisations);
    let vendors = ids(&t.vendors);
    let certifications = ids(&t.vendor_certifications);
    let transfers = ids(&t.transfers);
    let users = ids(&t.users);
    let o = ("organisations", &organisations);
    let v = ("vendors", &vendors);
    let tr = ("transfers", &transfers);
    references(
        &t.vendors,
        "organisation_id",
        o,
        |r| Some(r.organisation_id),
        errors,
    );
    references(
        &t.vendor_categories,
        "vendor_id",
        v,
        |r| Some(r.vendor_id),
        errors,
    );
    references(
        &t.vendor_certifications,
        "vendor_id",
        v,
        |r| Some(r.vendor_id),
        errors,
    );
    references(&t.transfers, "vendor_id", v, |r| Some(r.vendor_id), errors);
    references(
        &t.transfer_mechanisms,
        "transfer_id",
        tr,
        |r| Some(r.transfer_id),
        errors,
    );
    references(
        &t.transfer_data_categories,
        "transfer_id",
        tr,
        |r| Some(r.transfer_id),
        errors,
    );
    references(&t.evidence, "vendor_id", v, |r| Some(r.vendor_id), errors);
    references(&t.evidence, "transfer_id", tr, |r| r.transfer_id, errors);
    let c = ("vendor_certifications", &certifications);
    references(
        &t.evidence,
        "certification_id",
        c,
        |r| r.certification_id,
        errors,
    );
    references(
        &t.changes,
        "organisation_id",
        o,
        |r| Some(r.organisation_id),
        errors,
    );
    references(&t.changes, "vendor_id", v, |r| r.vendor_id, errors);
    references(
        &t.audit_events,
        "organisation_id",
        o,
        |r| r.organisation_id,
        errors,
    );
    references(
        &t.intake_requests,
        "organisation_id",
        o,
        |r| Some(r.organisation_id),
        errors,
    );
    references(&t.intake_requests, "vendor_id", v, |r| r.vendor_id, errors);
    references(
        &t.sessions,
        "user_id",
        ("users", &users),
        |r| Some(r.user_id),
        errors,
    );
}

/// Each row's `field` must differ from every other row's.
fn unique<T: Row, K: Hash + Eq>(
    rows: &[T],
    field: &str,
    get: impl Fn(&T) -> K,
    errors: &mut Vec<String>,
) {
    let mut seen = HashSet::new();
    for row in rows {
        if !seen.insert(get(row)) {
            errors.push(format!(
                "table `{}`, {}, field `{field}`: the value appears in another row already",
                T::TABLE,
                row.describe()
            ));
        }
    }
}

/// The UNIQUE constraints of migrations/*.
fn check_unique(t: &Tables, errors: &mut Vec<String>) {
    unique(&t.organisations, "slug", |r| r.slug.clone(), errors);
    unique(
        &t.vendors,
        "key",
        |r| (r.organisation_id, r.key.clone()),
        errors,
    );
    unique(
        &t.transfers,
        "position",
        |r| (r.vendor_id, r.position),
        errors,
    );
    unique(&t.api_clients, "client_id", |r| r.client_id.clone(), errors);
    unique(&t.users, "email", |r| r.email.clone(), errors);
    unique(&t.sessions, "token_hash", |r| r.token_hash.clone(), errors);
}

fn nul_characters<T: Row>(rows: &[T], errors: &mut Vec<String>) {
    for row in rows {
        if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(row) {
            for (field, value) in fields {
                if value.as_str().is_some_and(|s| s.contains('\0')) {
                    errors.push(format!(
                        "table `{}`, {}, field `{field}`: PostgreSQL cannot store text holding a \
                         NUL character (\\u0000)",
                        T::TABLE,
                        row.describe()
                    ));
                }
            }
        }
    }
}

// --- import -----------------------------------------------------------------------------------

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
struct Difference {
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

fn differences<T: Row>(file: &[T], stored: &[T], out: &mut Vec<Difference>) {
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
    if backend == "postgresql" {
        let mut errors = Vec::new();
        export.tables.nul_characters(&mut errors);
        if !errors.is_empty() {
            return Err(ImportError::Invalid(list(errors)));
        }
    }
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
        Ok(ImportReport {
            backend,
            counts: tables.counts(),
            replaced,
            notes,
        })
    })
}

// --- backup -----------------------------------------------------------------------------------

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// Bad input: the backend, or the target file.
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Failed(String),
}

/// Copies a live SQLite database into `target`, a new file, with `VACUUM INTO`: a consistent
/// snapshot, compacted, with what is still in the `-wal` file; then syncs it to disk.
pub fn backup_sqlite(conn: &mut DbConnection, target: &Path) -> Result<(), BackupError> {
    let DbConnection::Sqlite(sqlite) = conn else {
        return Err(BackupError::Refused(POSTGRES_BACKUP.to_string()));
    };
    if target.symlink_metadata().is_ok() {
        return Err(BackupError::Refused(format!(
            "{} exists already: give a new file",
            target.display()
        )));
    }
    let path = match target.to_str() {
        Some("") => return Err(BackupError::Refused("give the backup file's path".into())),
        Some(path) => path,
        None => {
            return Err(BackupError::Refused(format!(
                "{}: the backup path must be valid UTF-8",
                target.display()
            )));
        }
    };
    // SQLite reads `file:...` as a URI on connections opened with URIs enabled (diesel's are).
    let path = if path.starts_with("file:") {
        format!("./{path}")
    } else {
        path.to_string()
    };
    sqlite
        .batch_execute(&format!("VACUUM INTO {}", sql_string(&path)))
        .map_err(|e| BackupError::Failed(format!("VACUUM INTO {}: {e}", target.display())))?;
    std::fs::File::open(target)
        .and_then(|f| f.sync_all())
        .map_err(|e| BackupError::Failed(format!("{}: {e}", target.display())))
}

/// An SQL string literal.
fn sql_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_strings_double_their_quotes() {
        assert_eq!(sql_string("it's"), "'it''s'");
        assert_eq!(sql_string("'; DROP TABLE x; --"), "'''; DROP TABLE x; --'");
    }

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
