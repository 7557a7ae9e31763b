//! Countries written in words, as published lists and spreadsheets write them ("United States",
//! "the Netherlands", "UK"), read into codes; and a cell of several places ("United States,
//! Iceland and Germany") read into one code each. Pure: the names come from the embedded
//! `seeds/rules/countries.toml`, plus the usual other names below.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::country::{CountryCode, UnknownCountry};

/// Other names people write, each with its ISO code.
const OTHER_NAMES: &[(&str, &str)] = &[
    ("usa", "US"),
    ("u s", "US"),
    ("u s a", "US"),
    ("united states of america", "US"),
    ("america", "US"),
    ("uk", "GB"),
    ("u k", "GB"),
    ("great britain", "GB"),
    ("britain", "GB"),
    ("england", "GB"),
    ("scotland", "GB"),
    ("wales", "GB"),
    ("northern ireland", "GB"),
    ("holland", "NL"),
    ("korea", "KR"),
    ("republic of korea", "KR"),
    ("korea republic of", "KR"),
    ("czech republic", "CZ"),
    ("turkey", "TR"),
    ("turkiye", "TR"),
    ("russia", "RU"),
    ("viet nam", "VN"),
    ("uae", "AE"),
    ("ivory coast", "CI"),
    ("vatican", "VA"),
    ("vatican city", "VA"),
    ("holy see", "VA"),
    ("macedonia", "MK"),
    ("swaziland", "SZ"),
    ("burma", "MM"),
    ("dr congo", "CD"),
    ("democratic republic of the congo", "CD"),
    ("republic of ireland", "IE"),
    ("eire", "IE"),
    ("hong kong sar", "HK"),
    ("macau", "MO"),
    ("palestine", "PS"),
    ("micronesia", "FM"),
];

/// A name in the form it is looked up: lowercase, common accents folded, anything but letters
/// and digits as single spaces, without a leading "the".
fn normalise(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        if c != ' ' || !(out.is_empty() || out.ends_with(' ')) {
            out.push(c);
        }
    }
    let out = out.trim_end();
    out.strip_prefix("the ").unwrap_or(out).to_string()
}

static BY_NAME: LazyLock<HashMap<String, CountryCode>> = LazyLock::new(|| {
    let mut names = HashMap::new();
    for code in CountryCode::all().filter(|c| !c.is_organisation()) {
        let name = code.name();
        names.insert(normalise(name), code);
        // "Korea, Republic of" also reads "Republic of Korea"; "Holy See (Vatican City State)"
        // also "Holy See".
        if let Some((head, tail)) = name.split_once(", ") {
            names.insert(normalise(&format!("{tail} {head}")), code);
            names.insert(normalise(head), code);
        }
        if let Some((head, _)) = name.split_once(" (") {
            names.insert(normalise(head), code);
        }
    }
    for (name, code) in OTHER_NAMES {
        let code = CountryCode::parse(code).expect("OTHER_NAMES holds known codes");
        names.insert(normalise(name), code);
    }
    names
});

impl CountryCode {
    /// A country from its English name ("United States", "the Netherlands", "Türkiye"), a
    /// usual other name ("USA", "UK", "Holland") or its ISO code ("US"), case-insensitively.
    pub fn from_words(input: &str) -> Result<Self, UnknownCountry> {
        let trimmed = input.trim();
        if trimmed.len() == 2
            && let Ok(code) = CountryCode::parse(trimmed)
        {
            return Ok(code);
        }
        BY_NAME
            .get(&normalise(trimmed))
            .copied()
            .ok_or_else(|| UnknownCountry(trimmed.to_string()))
    }
}

/// The places a cell names, in order, each read into a country or kept as the words that could
/// not be read. Places are separated by commas, semicolons, slashes, line breaks or "and"
/// ("Bosnia and Herzegovina" stays one); a note in brackets after a name is left out
/// ("United States (Virginia)").
pub fn places_in_words(cell: &str) -> Vec<Result<CountryCode, String>> {
    let mut out = Vec::new();
    for part in cell.split([',', ';', '/', '\n', '|', '•']) {
        let part = part.trim();
        let part = part.strip_prefix("and ").unwrap_or(part).trim();
        if part.is_empty() {
            continue;
        }
        if let Ok(code) = place(part) {
            out.push(Ok(code));
            continue;
        }
        let pieces: Vec<&str> = part
            .split(" and ")
            .flat_map(|p| p.split(" & "))
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        if pieces.len() > 1 && pieces.iter().all(|p| place(p).is_ok()) {
            out.extend(pieces.into_iter().map(place));
        } else {
            out.push(place(part));
        }
    }
    out
}

fn place(words: &str) -> Result<CountryCode, String> {
    CountryCode::from_words(words)
        .or_else(|_| match words.split_once('(') {
            Some((head, _)) if !head.trim().is_empty() => CountryCode::from_words(head),
            _ => Err(UnknownCountry(words.to_string())),
        })
        .map_err(|_| words.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(cell: &str) -> Vec<String> {
        places_in_words(cell)
            .into_iter()
            .map(|p| p.map_or_else(|w| format!("?{w}"), |c| c.as_str().to_string()))
            .collect()
    }

    #[test]
    fn names_other_names_and_codes_are_read() {
        for (words, code) in [
            ("United States", "US"),
            ("united states of america", "US"),
            ("USA", "US"),
            ("U.S.", "US"),
            ("the Netherlands", "NL"),
            ("UK", "GB"),
            ("Türkiye", "TR"),
            ("Turkey", "TR"),
            ("Republic of Korea", "KR"),
            ("South Korea", "KR"),
            ("Côte d'Ivoire", "CI"),
            ("Democratic Republic of the Congo", "CD"),
            ("de", "DE"),
        ] {
            assert_eq!(
                CountryCode::from_words(words).map(|c| c.as_str()),
                Ok(code),
                "{words}"
            );
        }
        assert!(CountryCode::from_words("Atlantis").is_err());
        assert!(CountryCode::from_words("European Union").is_err());
    }

    #[test]
    fn a_cell_of_places_gives_one_country_each() {
        assert_eq!(codes("United States, Iceland, Germany"), ["US", "IS", "DE"]);
        assert_eq!(
            codes("Australia, Brazil, Canada\nSweden and Japan"),
            ["AU", "BR", "CA", "SE", "JP"]
        );
        assert_eq!(codes("Bosnia and Herzegovina; France"), ["BA", "FR"]);
        assert_eq!(codes("United States (Virginia)"), ["US"]);
        assert_eq!(codes("US / EU"), ["US", "?EU"]);
        assert_eq!(codes("Worldwide"), ["?Worldwide"]);
        assert!(codes(" , ").is_empty());
    }
}
