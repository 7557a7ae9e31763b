//! ISO 3166-1 alpha-2 country codes (and "IO-" codes for international organisations), checked
//! against `seeds/rules/countries.toml`, which is embedded in the binary.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A known country or international organisation. Holds an index into the embedded table, so it
/// is `Copy` and comparing two codes is comparing two integers.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode(u16);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown country code '{0}' (expected an ISO 3166-1 alpha-2 code such as FR or US)")]
pub struct UnknownCountry(pub String);

struct Place {
    code: String,
    name: String,
    organisation: bool,
    /// The name as sentences need it, made once: the engine writes it millions of times.
    in_sentence: String,
    at_start: String,
}

impl Place {
    fn new(code: String, name: String, organisation: bool) -> Place {
        let needs_article = name.starts_with("United ")
            || name.contains(" Islands")
            || name.contains("Republic")
            || organisation
            || matches!(
                name.as_str(),
                "Netherlands"
                    | "Philippines"
                    | "Bahamas"
                    | "Gambia"
                    | "Maldives"
                    | "Comoros"
                    | "Seychelles"
                    | "Holy See"
            );
        let (in_sentence, at_start) = match needs_article {
            true => (format!("the {name}"), format!("The {name}")),
            false => (name.clone(), name.clone()),
        };
        Place {
            code,
            name,
            organisation,
            in_sentence,
            at_start,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CountriesFile {
    countries: BTreeMap<String, String>,
    international_organisations: BTreeMap<String, String>,
}

static PLACES: LazyLock<Vec<Place>> = LazyLock::new(|| {
    // Embedded reference data: a malformed file is a build defect, caught by the tests below.
    let file: CountriesFile = toml::from_str(include_str!("../../seeds/rules/countries.toml"))
        .expect("seeds/rules/countries.toml is valid");
    let countries = file
        .countries
        .into_iter()
        .map(|(code, name)| Place::new(code, name, false));
    let organisations = file
        .international_organisations
        .into_iter()
        .map(|(code, name)| Place::new(code, name, true));
    let mut places: Vec<Place> = countries.chain(organisations).collect();
    places.sort_by(|a, b| a.code.cmp(&b.code));
    places
});

impl CountryCode {
    /// Parses a code, case-insensitively: `fr`, `FR`, `io-epo`.
    pub fn parse(input: &str) -> Result<Self, UnknownCountry> {
        let wanted = input.trim().to_ascii_uppercase();
        PLACES
            .binary_search_by(|p| p.code.as_str().cmp(&wanted))
            .map(|i| CountryCode(i as u16))
            .map_err(|_| UnknownCountry(input.to_string()))
    }

    pub fn as_str(self) -> &'static str {
        &PLACES[self.0 as usize].code
    }

    /// English short name ("United States").
    pub fn name(self) -> &'static str {
        &PLACES[self.0 as usize].name
    }

    /// The key that sorts names as people read them: letters without their accents, case
    /// ignored ("Åland Islands" with the As, "Côte d'Ivoire" with the Cs, not after "Zimbabwe").
    pub fn reading_key(self) -> String {
        deunicode::deunicode(self.name()).to_lowercase()
    }

    /// The name as it reads inside a sentence: "the United States", "France".
    pub fn name_in_sentence(self) -> &'static str {
        &PLACES[self.0 as usize].in_sentence
    }

    /// The name at the start of a sentence: "The United States", "France".
    pub fn name_at_start(self) -> &'static str {
        &PLACES[self.0 as usize].at_start
    }

    /// True for an international organisation ("IO-EPO") rather than a country.
    pub fn is_organisation(self) -> bool {
        PLACES[self.0 as usize].organisation
    }

    /// Dense index, for tables indexed by country.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// How many codes are known (countries and international organisations).
    pub fn count() -> usize {
        PLACES.len()
    }

    pub fn all() -> impl Iterator<Item = CountryCode> {
        (0..PLACES.len()).map(|i| CountryCode(i as u16))
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CountryCode({})", self.as_str())
    }
}

impl std::str::FromStr for CountryCode {
    type Err = UnknownCountry;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for CountryCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CountryCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        CountryCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_all_249_iso_codes_and_the_international_organisations() {
        let countries = CountryCode::all().filter(|c| !c.is_organisation()).count();
        assert_eq!(countries, 249);
        assert!(CountryCode::all().all(|c| {
            let code = c.as_str();
            c.is_organisation() == code.starts_with("IO-")
                && (c.is_organisation()
                    || (code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())))
        }));
    }

    #[test]
    fn names_sort_as_people_read_them() {
        let mut names: Vec<CountryCode> = CountryCode::all().collect();
        names.sort_by_cached_key(|c| (c.reading_key(), c.name()));
        let at = |code: &str| names.iter().position(|c| c.as_str() == code).unwrap();
        // Åland Islands between Afghanistan and Albania, Côte d'Ivoire before Croatia.
        assert!(at("AF") < at("AX") && at("AX") < at("AL"));
        assert!(at("CI") < at("HR") && at("HR") < at("ZW"));
    }

    #[test]
    fn parses_case_insensitively_and_names_the_country() {
        let us = CountryCode::parse("us").unwrap();
        assert_eq!(us.as_str(), "US");
        assert_eq!(us.name(), "United States");
        assert_eq!(CountryCode::parse(" GR ").unwrap().name(), "Greece");
        assert_eq!(
            CountryCode::parse("io-epo").unwrap().name(),
            "European Patent Organisation"
        );
    }

    #[test]
    fn rejects_unknown_codes() {
        for bad in ["XX", "EL", "UK", "", "FRA", "EU"] {
            assert_eq!(
                CountryCode::parse(bad),
                Err(UnknownCountry(bad.to_string())),
                "{bad}"
            );
        }
    }
}
