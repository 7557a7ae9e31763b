//! Vendor keys made from names: what the new-vendor form and an approved intake request file a
//! vendor under when no key is given. Unique within the organisation: `stripe`, then `stripe-2`.

use diesel::prelude::*;

use crate::db::schema::vendors;
use crate::db::{DbConnection, DbError};

/// A vendor key from a name: lowercase ASCII letters and digits, runs of anything else as one
/// '-', common accented letters folded ("Société Générale" → "societe-generale").
pub fn key_from_name(name: &str) -> String {
    let mut key = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => "a",
            'æ' => "ae",
            'ç' | 'ć' | 'č' => "c",
            'ď' | 'đ' | 'ð' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => "i",
            'ł' | 'ľ' => "l",
            'ñ' | 'ń' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
            'œ' => "oe",
            'ř' => "r",
            'ś' | 'š' | 'ş' => "s",
            'ß' => "ss",
            'ť' | 'ţ' => "t",
            'þ' => "th",
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
            'ý' | 'ÿ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            '&' => "-and-",
            c if c.is_ascii_alphanumeric() => {
                key.push(c);
                continue;
            }
            _ => "-",
        };
        key.push_str(folded);
    }
    let mut tidy = String::with_capacity(key.len());
    for c in key.chars() {
        if c == '-' && (tidy.is_empty() || tidy.ends_with('-')) {
            continue;
        }
        tidy.push(c);
    }
    // Room for a suffix within the API's 64 characters.
    tidy.truncate(56);
    let tidy = tidy.trim_end_matches('-');
    if tidy.is_empty() {
        "vendor".to_string()
    } else {
        tidy.to_string()
    }
}

/// `base`, or `base-2`, `base-3`... whichever no vendor of the organisation has.
pub fn unique_key(conn: &mut DbConnection, org_id: i32, base: &str) -> Result<String, DbError> {
    let taken: Vec<String> = vendors::table
        .filter(vendors::organisation_id.eq(org_id))
        .filter(
            vendors::key
                .eq(base)
                .or(vendors::key.like(format!("{base}-%"))),
        )
        .select(vendors::key)
        .load(conn)?;
    if !taken.iter().any(|k| k == base) {
        return Ok(base.to_string());
    }
    Ok((2..)
        .map(|n| format!("{base}-{n}"))
        .find(|k| !taken.contains(k))
        .expect("an unused suffix"))
}

#[cfg(test)]
mod tests {
    use super::key_from_name;

    #[test]
    fn keys_are_lowercase_ascii_with_dashes() {
        assert_eq!(key_from_name("Stripe"), "stripe");
        assert_eq!(key_from_name("Google Analytics 4"), "google-analytics-4");
        assert_eq!(key_from_name("  Société Générale  "), "societe-generale");
        assert_eq!(key_from_name("AT&T"), "at-and-t");
        assert_eq!(key_from_name("--Acme, Inc.--"), "acme-inc");
        assert_eq!(key_from_name("株式会社"), "vendor");
        assert!(key_from_name(&"x".repeat(200)).len() <= 56);
    }
}
