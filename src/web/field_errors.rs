//! Refused fields in plain words: validator's errors (from the checks of [`super::input`] and
//! the forms' own) as `{field, message}` pairs, each message saying what to do ("Enter a
//! name", "The purpose must be 2000 characters or fewer").

use std::collections::HashMap;

use validator::{ValidationError, ValidationErrors};

use crate::values::FieldError;

/// How a field is named in a message: what to enter ("a name"), and its subject ("The name").
fn noun(field: &str) -> (&'static str, &'static str) {
    let last = field.rsplit('.').next().unwrap_or(field);
    match last {
        "name" => ("a name", "The name"),
        "key" => ("a key", "The key"),
        "legal_entity" => ("the legal entity", "The legal entity"),
        "website" => ("the website's address", "The website's address"),
        "purpose" => (
            "the purpose: what the vendor does with the data",
            "The purpose",
        ),
        "notes" => ("the notes", "The notes"),
        "dpa_url" => ("the DPA's address", "The DPA's address"),
        "urgent_reason" => ("why the change cannot wait", "The reason for urgency"),
        "correction_reason" => (
            "why a past day is set right",
            "The reason for the correction",
        ),
        "location" => ("where the data goes", "The location"),
        "supplementary_measures" => ("the supplementary measures", "The supplementary measures"),
        "document" => ("the document the record comes from", "The document"),
        "quote" => ("a quote from the document", "The quote"),
        "url" => ("the document's address", "The address"),
        "reason" => ("the reason", "The reason"),
        "company" => ("the company", "The company"),
        _ => ("a value", "The value"),
    }
}

/// Whether the refused value is empty (or was not given).
fn empty(e: &ValidationError) -> bool {
    e.params
        .get("value")
        .and_then(|v| v.as_str())
        .is_none_or(str::is_empty)
}

/// The message of one refused field, in plain words: what to do about it.
fn plain_message(field: &str, e: &ValidationError) -> String {
    if let Some(m) = &e.message {
        return m.to_string();
    }
    let (enter, subject) = noun(field);
    match e.code.as_ref() {
        "blank" => format!("Enter {enter}"),
        // Only empty values are under a minimum (every minimum is 1); the rest are too long.
        "length" => match e.params.get("max") {
            Some(max) if !empty(e) => format!("{subject} must be {max} characters or fewer"),
            _ => format!("Enter {enter}"),
        },
        "url" => "Enter a web address that starts with https://".into(),
        "email" => "Enter an e-mail address such as name@example.com".into(),
        code => format!("{subject} is not valid ({code})"),
    }
}

/// One field's refusal by a check of [`super::input`], as the form shows it.
pub fn field_errors_of(field: &str, e: ValidationError) -> Vec<FieldError> {
    vec![FieldError {
        field: field.to_string(),
        message: plain_message(field, &e),
    }]
}

/// Turns validator's errors into `{field, message}` pairs, nested fields dotted.
pub fn field_errors(errors: &ValidationErrors) -> Vec<FieldError> {
    let mut out = Vec::new();
    collect(errors, "", &mut out);
    out.sort_by(|a, b| a.field.cmp(&b.field));
    // One message per field: an empty name is "too short" and "blank", say it once.
    out.dedup_by(|a, b| a.field == b.field);
    out
}

fn collect(errors: &ValidationErrors, prefix: &str, out: &mut Vec<FieldError>) {
    use validator::ValidationErrorsKind;
    let errors: &HashMap<_, _> = errors.errors();
    for (field, kind) in errors {
        let name = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    out.push(FieldError {
                        field: name.clone(),
                        message: plain_message(&name, e),
                    });
                }
            }
            ValidationErrorsKind::Struct(inner) => collect(inner, &name, out),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    collect(inner, &format!("{name}[{i}]"), out);
                }
            }
        }
    }
}
