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
            .ok_or_else(|| "not an http(s) URL".to_string())
    }

    pub fn into_string(self) -> String {
        self.0
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
            .ok_or_else(|| "not a valid e-mail address".to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
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
            "https://exa mple.com",
            "ftp://example.com",
            "example.com",
        ] {
            assert_eq!(
                WebUrl::parse(bad),
                Err("not an http(s) URL".into()),
                "{bad}"
            );
        }
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
}
