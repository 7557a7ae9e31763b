//! How the database differs from a seed, in words: what `crossborder seed` reports and leaves as
//! it is. Records are compared as the audit trail keeps them (their JSON), field by field, so a
//! field added to a record is compared without a change here.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

/// One record that differs from the seed; it was left as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// One of the organisation's fields (its settings).
    Organisation {
        field: String,
        database: String,
        seed: String,
    },
    /// A vendor, by key, and how it differs ("status: retired in the database, active in the
    /// seed").
    Vendor { key: String, fields: Vec<String> },
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::Organisation {
                field,
                database,
                seed,
            } => write!(
                f,
                "organisation field {field} differs from the seed ({database} in the database, \
                 {seed} in the seed); left as is"
            ),
            Difference::Vendor { key, fields } => write!(
                f,
                "vendor {key} differs from the seed ({}); left as is",
                fields.join("; ")
            ),
        }
    }
}

/// The organisation's fields that differ, one [`Difference`] each.
pub(super) fn organisation<T: Serialize>(database: &T, seed: &T) -> Vec<Difference> {
    fields(database, seed)
        .into_iter()
        .map(|(field, database, seed)| Difference::Organisation {
            field,
            database: render(&database.unwrap_or(Value::Null)),
            seed: render(&seed.unwrap_or(Value::Null)),
        })
        .collect()
}

/// How a vendor differs, or `None` when it does not.
pub(super) fn vendor<T: Serialize>(key: &str, database: &T, seed: &T) -> Option<Difference> {
    let differing = fields(database, seed);
    if differing.is_empty() {
        return None;
    }
    let fields = differing
        .into_iter()
        .flat_map(|(field, database, seed)| {
            let (database, seed) = (database.unwrap_or(Value::Null), seed.unwrap_or(Value::Null));
            describe(&field, &database, &seed)
        })
        .collect();
    Some(Difference::Vendor {
        key: key.to_string(),
        fields,
    })
}

/// The top-level fields whose values differ: (name, in the database, in the seed).
fn fields<T: Serialize>(database: &T, seed: &T) -> Vec<(String, Option<Value>, Option<Value>)> {
    let as_map = |value: &T| match serde_json::to_value(value) {
        Ok(Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let (database, seed) = (as_map(database), as_map(seed));
    let mut names: Vec<&String> = seed.keys().collect();
    names.extend(database.keys().filter(|k| !seed.contains_key(*k)));
    names
        .into_iter()
        .filter(|name| database.get(*name) != seed.get(*name))
        .map(|name| {
            (
                name.clone(),
                database.get(name).cloned(),
                seed.get(name).cloned(),
            )
        })
        .collect()
}

/// What differs in one field, in a line or a few: a value (`status: retired in the database,
/// active in the seed`), or for a list of records (transfers, certifications, evidence) which
/// ones are only on one side and which differ, and in what.
fn describe(field: &str, database: &Value, seed: &Value) -> Vec<String> {
    let records = |v: &Value| {
        v.as_array()
            .filter(|items| items.iter().any(Value::is_object))
            .cloned()
    };
    let (Some(database), Some(seed)) = (records(database), records(seed)) else {
        return vec![format!(
            "{field}: {} in the database, {} in the seed",
            render(database),
            render(seed)
        )];
    };
    let mut unmatched: Vec<Option<&Value>> = database.iter().map(Some).collect();
    let mut only_seed = Vec::new();
    let mut changed = Vec::new();
    for (i, s) in seed.iter().enumerate() {
        let wanted = label(s, i);
        let found = unmatched
            .iter_mut()
            .enumerate()
            .find(|(j, d)| d.is_some_and(|d| label(d, *j) == wanted));
        match found {
            Some((_, slot)) => {
                let d = slot.take().expect("matched");
                let inner: Vec<String> = fields(d, s).into_iter().map(|(f, _, _)| f).collect();
                if !inner.is_empty() {
                    changed.push(format!("{field} {wanted}: {} differ", inner.join(", ")));
                }
            }
            None => only_seed.push(wanted),
        }
    }
    let only_database: Vec<String> = unmatched
        .iter()
        .enumerate()
        .filter_map(|(j, d)| d.map(|d| label(d, j)))
        .collect();
    let mut out = Vec::new();
    if !only_database.is_empty() {
        out.push(format!(
            "{field} {} only in the database",
            only_database.join(", ")
        ));
    }
    if !only_seed.is_empty() {
        out.push(format!("{field} {} only in the seed", only_seed.join(", ")));
    }
    out.extend(changed);
    if out.is_empty() {
        out.push(format!("{field}: the same, in another order"));
    }
    out
}

/// What names a record in a list: a transfer's country (or location), a certification's
/// framework, a piece of evidence's document; else its position.
fn label(record: &Value, index: usize) -> String {
    let text = |k: &str| {
        record
            .get(k)
            .and_then(Value::as_str)
            .map(|s| shorten(s, 40))
    };
    text("country")
        .or_else(|| text("location"))
        .map(|place| format!("to {place}"))
        .or_else(|| text("framework"))
        .or_else(|| text("document"))
        .or_else(|| text("id"))
        .unwrap_or_else(|| format!("#{}", index + 1))
}

/// A value in a few words: `none` for nothing, a list joined by commas, long text cut short.
fn render(value: &Value) -> String {
    match value {
        Value::Null => "none".into(),
        Value::String(s) if s.is_empty() => "empty".into(),
        Value::String(s) => shorten(s, 60),
        Value::Array(items) if items.is_empty() => "none".into(),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            items.iter().map(render).collect::<Vec<_>>().join(", ")
        }
        Value::Array(items) => format!("{} records", items.len()),
        other => shorten(&other.to_string(), 60),
    }
}

fn shorten(s: &str, max: usize) -> String {
    let s = s.trim();
    match s.char_indices().nth(max) {
        Some((cut, _)) => format!("{}...", s[..cut].trim_end()),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_vendor_says_each_field_in_words() {
        let database = json!({
            "key": "ga", "status": "retired", "retired_from": "2026-12-01",
            "categories": ["analytics"],
            "transfers": [
                {"country": "US", "mechanisms": ["dpf"], "tia_on": null},
                {"country": "CN", "mechanisms": [], "tia_on": null}
            ]
        });
        let seed = json!({
            "key": "ga", "status": "active", "retired_from": null,
            "categories": ["analytics", "advertising"],
            "transfers": [
                {"country": "US", "mechanisms": ["scc_2021"], "tia_on": "2023-01-01"},
                {"country": null, "location": "Outside the EU", "mechanisms": []}
            ]
        });
        let line = vendor("ga", &database, &seed).unwrap().to_string();
        assert_eq!(
            line,
            "vendor ga differs from the seed (categories: analytics in the database, analytics, \
             advertising in the seed; retired_from: 2026-12-01 in the database, none in the \
             seed; status: retired in the database, active in the seed; transfers to CN only in \
             the database; transfers to Outside the EU only in the seed; transfers to US: \
             mechanisms, tia_on differ); left as is"
        );
        assert_eq!(vendor("ga", &database, &database), None);
    }

    #[test]
    fn an_organisation_field_is_one_difference() {
        let database = json!({"name": "Acme", "announce_days": 45, "website": null});
        let seed = json!({"name": "Acme", "announce_days": 30, "website": "https://acme.example"});
        let lines: Vec<String> = organisation(&database, &seed)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            lines,
            [
                "organisation field announce_days differs from the seed (45 in the database, 30 \
                 in the seed); left as is",
                "organisation field website differs from the seed (none in the database, \
                 https://acme.example in the seed); left as is"
            ]
        );
    }

    #[test]
    fn long_text_is_cut_short() {
        assert_eq!(
            render(&json!("a".repeat(100))),
            format!("{}...", "a".repeat(60))
        );
        assert_eq!(render(&json!([])), "none");
        assert_eq!(render(&json!(true)), "true");
    }
}
