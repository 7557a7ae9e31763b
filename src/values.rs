//! Values parsed once, where input comes in (API bodies, workspace forms, seed files, the CLI):
//! past the edge a `Slug`, a `VendorKey`, a `WebUrl` or an `EmailAddress` is known to be valid.
//! Each `parse` says what is wrong in words a user can act on; [`FieldError`] names the field.

use serde::Serialize;
use strum::VariantArray;

/// One invalid field and what is wrong with it: the API's `errors: [{field, message}]`, a
/// form's message next to its field, a line of a refused seed file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Lowercase letters, digits and '-', not starting with '-', 1 to 64 characters: the shape of
/// the ids that appear in addresses (`/{org}/subprocessors`, `/vendors/{key}`).
fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

const IDENTIFIER_RULE: &str = "lowercase letters, digits and '-', at most 64";

/// An organisation's id in addresses.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);

impl Slug {
    pub fn parse(s: &str) -> Result<Self, String> {
        is_identifier(s)
            .then(|| Slug(s.to_string()))
            .ok_or_else(|| IDENTIFIER_RULE.to_string())
    }
}

/// A vendor's stable id within its organisation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VendorKey(String);

impl VendorKey {
    pub fn parse(s: &str) -> Result<Self, String> {
        is_identifier(s)
            .then(|| VendorKey(s.to_string()))
            .ok_or_else(|| IDENTIFIER_RULE.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// An http(s) address: anything else (`javascript:`, `data:`) could run in a reader's browser.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WebUrl(String);

impl WebUrl {
    pub fn parse(s: &str) -> Result<Self, String> {
        let ok = (s.starts_with("https://") || s.starts_with("http://"))
            && s.len() > "https://".len()
            && !s.contains(char::is_whitespace)
            && validator::ValidateUrl::validate_url(&s);
        ok.then(|| WebUrl(s.to_string()))
            .ok_or_else(|| WebUrl::problem(s))
    }

    /// What to do about an address that is not one, in words a person acts on; an address typed
    /// without its scheme (`mixpanel.com`) gets the one it probably meant.
    fn problem(s: &str) -> String {
        let bare = !s.contains("://") && !s.contains(char::is_whitespace) && !s.contains(':');
        if bare && s.contains('.') && !s.starts_with('.') {
            format!("Start the address with https:// — did you mean https://{s}?")
        } else if s.contains(char::is_whitespace) {
            "Remove the spaces from the address (an address has none)".to_string()
        } else {
            "Enter a web address that starts with https:// (or http://), such as https://example.com"
                .to_string()
        }
    }

    pub fn into_string(self) -> String {
        self.0
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address, checked enough to catch typos: one @, something on both sides, a dot
/// after it, no spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(s: &str) -> Result<Self, String> {
        let ok = match s.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !s.contains(char::is_whitespace)
            }
            None => false,
        };
        // What mail can be sent to: lettre's reading of RFC 5321 as well, and a length a mail
        // server takes (RFC 5321 section 4.5.3.1.3).
        let ok = ok && s.len() <= 254 && s.parse::<lettre::Address>().is_ok();
        ok.then(|| EmailAddress(s.to_string()))
            .ok_or_else(|| "Enter an e-mail address such as name@example.com".to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether a character may never be stored: the C0 controls but tab (and, in fields that hold
/// lines, LF and CR), DEL, the C1 controls, and U+FFFE/U+FFFF. A NUL cannot be stored by
/// PostgreSQL and none of them can be written in XML 1.0 (§2.2), so they are refused at the edge.
fn forbidden(c: char, lines: bool) -> bool {
    match c {
        '\t' => false,
        '\n' | '\r' => !lines,
        '\u{fffe}' | '\u{ffff}' => true,
        c => c.is_control(),
    }
}

/// Whether the field named `field` (its last part: `transfers[0].notes` is `notes`) holds lines:
/// the text areas and the long free texts of files (purpose, notes, quotes, reasons, measures).
pub fn holds_lines(field: &str) -> bool {
    let leaf = field.rsplit(['.', '[']).next().unwrap_or(field);
    [
        "purpose",
        "notes",
        "note",
        "quote",
        "reason",
        "measures",
        "description",
        "summary",
    ]
    .iter()
    .any(|suffix| leaf.ends_with(suffix))
}

/// Refuses a text holding a character that is never stored (see [`forbidden`]), naming the
/// field, the character and where it is.
pub fn check_text(field: &str, value: &str) -> Result<(), FieldError> {
    let lines = holds_lines(field);
    match value
        .chars()
        .enumerate()
        .find(|(_, c)| forbidden(*c, lines))
    {
        None => Ok(()),
        Some((at, c)) => Err(FieldError::new(
            field,
            format!(
                "contains the control character U+{:04X} at position {}{}; remove it",
                c as u32,
                at + 1,
                if lines || !matches!(c, '\n' | '\r') {
                    ""
                } else {
                    " (this field is one line)"
                }
            ),
        )),
    }
}

/// [`check_text`] for a field that may hold lines whatever its name (an export file's columns).
pub fn check_lines(field: &str, value: &str) -> Result<(), FieldError> {
    match value.chars().enumerate().find(|(_, c)| forbidden(*c, true)) {
        None => Ok(()),
        Some(_) => check_text(&format!("{field}.notes"), value)
            .map_err(|e| FieldError::new(field, e.message)),
    }
}

/// Every text in a JSON document (an API body, an import file, a seed file read as data) that
/// [`check_text`] refuses, named by its path (`transfers[0].notes`); keys are checked too.
pub fn check_texts(value: &serde_json::Value) -> Vec<FieldError> {
    fn walk(value: &serde_json::Value, path: &str, out: &mut Vec<FieldError>) {
        let named = |p: &str| {
            if p.is_empty() {
                "body".to_string()
            } else {
                p.to_string()
            }
        };
        match value {
            serde_json::Value::String(s) => {
                if let Err(e) = check_text(&named(path), s) {
                    out.push(e);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{path}[{i}]"), out);
                }
            }
            serde_json::Value::Object(map) => {
                for (key, item) in map {
                    let inner = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    if let Err(e) = check_text(&named(path), key) {
                        out.push(FieldError::new(e.field, format!("a key {}", e.message)));
                    }
                    walk(item, &inner, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, "", &mut out);
    out
}

/// Pairs as a form or a query string sends them: each value checked as its field's text, each
/// name as a one-line text.
pub fn check_pairs(pairs: &[(String, String)]) -> Vec<FieldError> {
    pairs
        .iter()
        .flat_map(|(name, value)| {
            let name_ok = check_text("field name", name).err();
            let shown = if name_ok.is_some() {
                "field name"
            } else {
                name.as_str()
            };
            name_ok
                .into_iter()
                .chain(check_text(shown, value).err())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Words of a controlled vocabulary, for error messages ("hosting, payments, ...").
pub fn vocabulary<T: VariantArray + Into<&'static str> + Copy>() -> String {
    T::VARIANTS
        .iter()
        .map(|v| (*v).into())
        .collect::<Vec<&str>>()
        .join(", ")
}

/// A word of a controlled vocabulary, or a message listing the words.
pub fn word<T>(s: &str) -> Result<T, String>
where
    T: std::str::FromStr + VariantArray + Into<&'static str> + Copy,
{
    s.parse()
        .map_err(|_| format!("'{s}' is not one of: {}", vocabulary::<T>()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        for ok in ["arturia", "google-analytics", "a1", "x"] {
            assert!(Slug::parse(ok).is_ok(), "{ok}");
            assert!(VendorKey::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-x", "Upper", "a b", "a_b", "é", &"a".repeat(65)] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
            assert!(VendorKey::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn web_urls_are_http_or_https_only() {
        for ok in ["https://example.com", "http://example.com/a?b=c"] {
            assert!(WebUrl::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "https://",
            "ftp://example.com",
        ] {
            assert_eq!(
                WebUrl::parse(bad),
                Err(
                    "Enter a web address that starts with https:// (or http://), such as \
                     https://example.com"
                        .into()
                ),
                "{bad}"
            );
        }
        assert_eq!(
            WebUrl::parse("mixpanel.com"),
            Err("Start the address with https:// — did you mean https://mixpanel.com?".into())
        );
        assert_eq!(
            WebUrl::parse("https://exa mple.com"),
            Err("Remove the spaces from the address (an address has none)".into())
        );
    }

    #[test]
    fn email_addresses() {
        assert!(EmailAddress::parse("dpo@example.com").is_ok());
        for bad in [
            "",
            "dpo",
            "@example.com",
            "dpo@example",
            "dpo@.com",
            "d po@example.com",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn control_characters_are_refused_and_lines_only_where_fields_hold_them() {
        assert!(check_text("name", "Qobuz\tStreaming").is_ok());
        for bad in [
            "a\0b",
            "bell\x07",
            "vt\x0b",
            "esc\x1b[0m",
            "del\x7f",
            "c1\u{85}",
            "\u{fffe}",
        ] {
            let e = check_text("name", bad).unwrap_err();
            assert_eq!(e.field, "name");
            assert!(e.message.contains("control character U+"), "{}", e.message);
        }
        assert!(check_text("name", "two\nlines").is_err());
        assert!(check_text("purpose", "two\r\nlines").is_ok());
        assert!(check_text("transfers[0].notes", "a\nb").is_ok());
        assert!(check_text("transfers[0].notes", "a\0b").is_err());
        let errors =
            check_texts(&serde_json::json!({"name": "ok", "transfers": [{"notes": "\0"}]}));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "transfers[0].notes");
    }
}
