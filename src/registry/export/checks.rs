//! Reading an export file and refusing it whole: a syntax or type error with its line, column,
//! table and field; then every check the database would make ([`super::integrity`]).

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{Deserializer, SeqAccess, Visitor};

use super::integrity::{check_references, check_unique, check_values};
use super::{Export, FORMAT, MAX_ERRORS, Row, Tables, VERSION};

thread_local! {
    /// Where the parser is: the table, and the row's index once inside its list. Read when
    /// serde_json fails, to name the table and the row next to serde_json's line and column.
    static AT: Cell<Option<(&'static str, Option<usize>)>> = const { Cell::new(None) };
}

/// Deserialises one table's rows, keeping [`AT`] up to date.
pub(super) fn rows<'de, D: Deserializer<'de>, T: Row>(deserializer: D) -> Result<Vec<T>, D::Error> {
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
        Some(v) if v.as_u64().is_some_and(|v| v == 1 || v == VERSION as u64) => Ok(()),
        Some(other) => Err(format!(
            "field `version`: version {other} is not supported (this crossborder reads versions \
             1 and {VERSION})"
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
    export.tables.nul_characters(&mut errors);
    check_values(&export.tables, &mut errors);
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
pub(super) fn bad_fields<T: Row>(row: &serde_json::Value) -> Vec<String> {
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

pub(super) fn list(mut errors: Vec<String>) -> String {
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
