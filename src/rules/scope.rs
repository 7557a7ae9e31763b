//! Scope conditions a transfer record can state (TRANSFER-RULES.md §2.1): the importer is outside
//! an adequacy decision's scope for a named reason (`kr_religious`, `ca_not_pipeda`...). The
//! reasons are `seeds/rules/scope.toml`, embedded; adequacy rows name the ones that exclude.

use std::fmt;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize, Serializer};

use super::country::CountryCode;

/// One reason an importer is outside a decision's scope. `Copy`, like [`CountryCode`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScopeExclusion(u16);

pub struct ExclusionRow {
    pub id: String,
    pub countries: Vec<CountryCode>,
    pub label: String,
    pub reference: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown scope condition '{given}'; valid: {valid}")]
pub struct UnknownExclusion {
    pub given: String,
    pub valid: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScopeFile {
    exclusion: Vec<RowSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RowSource {
    id: String,
    countries: Vec<CountryCode>,
    label: String,
    reference: String,
}

static EXCLUSIONS: LazyLock<Vec<ExclusionRow>> = LazyLock::new(|| {
    // Embedded reference data: a malformed file is a build defect, caught by the tests.
    let file: ScopeFile = toml::from_str(include_str!("../../seeds/rules/scope.toml"))
        .expect("seeds/rules/scope.toml is valid");
    file.exclusion
        .into_iter()
        .map(|r| ExclusionRow {
            id: r.id,
            countries: r.countries,
            label: r.label,
            reference: r.reference,
        })
        .collect()
});

impl ScopeExclusion {
    pub fn parse(input: &str) -> Result<Self, UnknownExclusion> {
        let wanted = input.trim();
        EXCLUSIONS
            .iter()
            .position(|r| r.id == wanted)
            .map(|i| ScopeExclusion(i as u16))
            .ok_or_else(|| UnknownExclusion {
                given: input.to_string(),
                valid: Self::all().map(|e| e.id()).collect::<Vec<_>>().join(", "),
            })
    }

    fn row(self) -> &'static ExclusionRow {
        &EXCLUSIONS[usize::from(self.0)]
    }

    pub fn id(self) -> &'static str {
        &self.row().id
    }

    /// What the importer is, in words ("a religious organisation processing for ...").
    pub fn label(self) -> &'static str {
        &self.row().label
    }

    pub fn reference(self) -> &'static str {
        &self.row().reference
    }

    /// The destinations this condition concerns.
    pub fn countries(self) -> &'static [CountryCode] {
        &self.row().countries
    }

    pub fn all() -> impl Iterator<Item = ScopeExclusion> {
        (0..EXCLUSIONS.len()).map(|i| ScopeExclusion(i as u16))
    }
}

impl fmt::Display for ScopeExclusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl fmt::Debug for ScopeExclusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ScopeExclusion({})", self.id())
    }
}

impl Serialize for ScopeExclusion {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for ScopeExclusion {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        ScopeExclusion::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_conditions_load_with_unique_ids() {
        let ids: Vec<&str> = ScopeExclusion::all().map(|e| e.id()).collect();
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(ids.len(), unique.len());
        assert!(ScopeExclusion::all().all(|e| !e.countries().is_empty()));
        let kr = ScopeExclusion::parse("kr_religious").unwrap();
        assert_eq!(kr.countries()[0].as_str(), "KR");
        assert!(ScopeExclusion::parse("kr_atheist").is_err());
    }
}
