//! One table row read into a vendor's facts, every cell that cannot be read named with its row
//! and column.

use std::fmt;

use chrono::NaiveDate;

use super::columns::{Field, Mapping, letters};
use super::table::{SourceRow, Table};
use crate::registry::{DataCategory, Role, VendorCategory, VendorStatus};
use crate::rules::{CountryCode, RuleSet, places_in_words};
use crate::values::{VendorKey, WebUrl};

/// Where a row is: its number in the source, and the table when a document has several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowRef {
    pub table: Option<String>,
    pub unit: &'static str,
    pub number: usize,
}

impl fmt::Display for RowRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(table) = &self.table {
            write!(f, "{table}, ")?;
        }
        write!(f, "{} {}", self.unit, self.number)
    }
}

/// A cell (or a row, or the file) that cannot be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub row: Option<RowRef>,
    /// The column's letters and header.
    pub column: Option<(String, String)>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.row, &self.column) {
            (Some(row), Some((letters, header))) => {
                write!(f, "{row}, column {letters} ({header}): ")?
            }
            (Some(row), None) => write!(f, "{row}: ")?,
            (None, Some((letters, header))) => write!(f, "column {letters} ({header}): ")?,
            (None, None) => {}
        }
        f.write_str(&self.message)
    }
}

/// A row's facts, as read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportRow {
    pub at: Option<RowRef>,
    pub key: Option<String>,
    pub name: String,
    pub legal_entity: Option<String>,
    pub website: Option<String>,
    pub purpose: Option<String>,
    pub countries: Vec<CountryCode>,
    pub headquarters: Option<CountryCode>,
    pub role: Option<Role>,
    pub categories: Vec<VendorCategory>,
    pub data_categories: Vec<DataCategory>,
    pub mechanisms: Vec<String>,
    pub status: Option<VendorStatus>,
    pub dpa_signed_on: Option<NaiveDate>,
    pub dpa_url: Option<String>,
    pub tia_on: Option<NaiveDate>,
    pub notes: Option<String>,
}

/// Reads each row of `table`; a row with nothing in it is skipped, a row with a problem is
/// kept out and its problems returned.
pub fn read_rows(
    table: &Table,
    mapping: &Mapping,
    place: Option<&str>,
) -> (Vec<ImportRow>, Vec<Problem>) {
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for source in &table.rows {
        if source.cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let at = RowRef {
            table: place.map(str::to_string),
            unit: table.unit,
            number: source.number,
        };
        match read_row(source, &table.header, mapping, &at) {
            Ok(row) => rows.push(row),
            Err(mut found) => problems.append(&mut found),
        }
    }
    (rows, problems)
}

fn read_row(
    source: &SourceRow,
    header: &SourceRow,
    mapping: &Mapping,
    at: &RowRef,
) -> Result<ImportRow, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut row = ImportRow {
        at: Some(at.clone()),
        ..ImportRow::default()
    };
    for &(field, index) in &mapping.columns {
        let value = source.cells.get(index).map(|c| c.trim()).unwrap_or("");
        let mut problem = |message: String| {
            let title = header.cells.get(index).cloned().unwrap_or_default();
            problems.push(Problem {
                row: Some(at.clone()),
                column: Some((letters(index), title)),
                message,
            })
        };
        if value.is_empty() {
            if field == Field::Name {
                problem("empty: every vendor needs a name".into());
            } else if field == Field::Purpose {
                problem("empty: say what the vendor does with the data".into());
            }
            continue;
        }
        if let Err(message) = read_cell(&mut row, field, value) {
            problem(message);
        }
    }
    if mapping.column(Field::Purpose).is_none() {
        row.purpose = None;
    }
    if problems.is_empty() {
        Ok(row)
    } else {
        Err(problems)
    }
}

fn text(value: &str, max: usize) -> Result<String, String> {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.chars().count() > max {
        return Err(format!("longer than {max} characters"));
    }
    Ok(value)
}

fn done(day: NaiveDate, what: &str) -> Result<NaiveDate, String> {
    crate::date::done_by(day, crate::date::today(), what).map(|()| day)
}

fn date(value: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| format!("'{value}' is not a date: write it as YYYY-MM-DD"))
}

fn web(value: &str) -> Result<String, String> {
    let with_scheme = if value.contains("://") {
        value.to_string()
    } else {
        format!("https://{value}")
    };
    WebUrl::parse(&with_scheme)
        .map(WebUrl::into_string)
        .map_err(|_| format!("'{value}' is not a web address (https://...)"))
}

/// The words of a list cell, lowercase with `_` between words ("Customer service" →
/// `customer_service`).
fn words(value: &str) -> Vec<String> {
    value
        .split([',', ';', '\n'])
        .map(|w| {
            w.trim()
                .to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("_")
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn list<T: std::str::FromStr>(value: &str, what: &str) -> Result<Vec<T>, String> {
    let mut out = Vec::new();
    let mut unknown = Vec::new();
    for word in words(value) {
        match word.parse() {
            Ok(v) => out.push(v),
            Err(_) => unknown.push(format!("'{word}'")),
        }
    }
    if unknown.is_empty() {
        Ok(out)
    } else {
        Err(format!("{} not {what}", unknown.join(", ")))
    }
}

fn read_cell(row: &mut ImportRow, field: Field, value: &str) -> Result<(), String> {
    match field {
        Field::Name => row.name = text(value, 200)?,
        Field::Key => {
            let key = VendorKey::parse(value).map_err(|rule| format!("'{value}': {rule}"))?;
            row.key = Some(key.into_string());
        }
        Field::LegalEntity => row.legal_entity = Some(text(value, 200)?),
        Field::Website => row.website = Some(web(value)?),
        Field::DpaUrl => row.dpa_url = Some(web(value)?),
        Field::Purpose => row.purpose = Some(text(value, 2000)?),
        Field::Notes => row.notes = Some(text(value, 4000)?),
        Field::Locations => {
            let mut unread = Vec::new();
            for place in places_in_words(value) {
                match place {
                    Ok(c) if !row.countries.contains(&c) => row.countries.push(c),
                    Ok(_) => {}
                    Err(words) => unread.push(format!("'{words}'")),
                }
            }
            if !unread.is_empty() {
                return Err(format!(
                    "{} not a country: write countries by name or ISO code, separated by commas",
                    unread.join(", ")
                ));
            }
        }
        Field::Headquarters => {
            let places = places_in_words(value);
            match places.as_slice() {
                [Ok(c)] => row.headquarters = Some(*c),
                [Err(words)] => return Err(format!("'{words}' is not a country")),
                _ => return Err(format!("'{value}': give one country")),
            }
        }
        Field::Role => {
            row.role = Some(
                match words(value)
                    .join("_")
                    .replace("subprocessor", "sub_processor")
                    .as_str()
                {
                    "processor" => Role::Processor,
                    "sub_processor" => Role::SubProcessor,
                    "independent_controller" | "controller" => Role::IndependentController,
                    "joint_controller" => Role::JointController,
                    _ => {
                        return Err(format!(
                            "'{value}' is not a role: processor, sub_processor, \
                         independent_controller or joint_controller"
                        ));
                    }
                },
            )
        }
        Field::Categories => row.categories = list(value, "a vendor category")?,
        Field::DataCategories => row.data_categories = list(value, "a data category")?,
        Field::Mechanisms => row.mechanisms = mechanisms(value)?,
        Field::Status => {
            row.status = Some(match words(value).join("_").as_str() {
                "active" => VendorStatus::Active,
                "proposed" => VendorStatus::Proposed,
                _ => return Err(format!("'{value}' is not a status: active or proposed")),
            })
        }
        // Days something was done: not in the future (the forms' and the API's rule too).
        Field::DpaSignedOn => {
            row.dpa_signed_on = Some(done(date(value)?, "The DPA was signed")?);
        }
        Field::TiaOn => {
            row.tia_on = Some(done(
                date(value)?,
                "The transfer impact assessment was done",
            )?);
        }
    }
    Ok(())
}

/// The mechanisms a cell names, as rules ids: the usual words (SCCs, DPF, BCR) or an id.
/// "Adequacy" claims nothing: an adequacy decision covers a destination without a claim.
fn mechanisms(value: &str) -> Result<Vec<String>, String> {
    let rules = RuleSet::embedded();
    let mut out: Vec<String> = Vec::new();
    let mut unknown = Vec::new();
    for word in words(value) {
        let id = match word.as_str() {
            "scc"
            | "sccs"
            | "standard_contractual_clauses"
            | "eu_sccs"
            | "eu_scc"
            | "eu_standard_contractual_clauses"
            | "model_clauses" => Some("scc_2021"),
            "dpf"
            | "data_privacy_framework"
            | "eu_us_data_privacy_framework"
            | "eu_u_s_data_privacy_framework" => Some("dpf"),
            "bcr" | "bcrs" | "binding_corporate_rules" => Some("bcr"),
            "adequacy" | "adequacy_decision" | "none" | "n_a" | "not_applicable" => None,
            other if rules.mechanism_id(other).is_ok() => Some(other),
            _ => {
                unknown.push(format!("'{word}'"));
                None
            }
        };
        if let Some(id) = id.filter(|id| !out.iter().any(|o| o == id)) {
            out.push(id.to_string());
        }
    }
    if unknown.is_empty() {
        Ok(out)
    } else {
        Err(format!(
            "{} not a transfer mechanism: SCCs, DPF, BCR or a mechanism id (crossborder rules)",
            unknown.join(", ")
        ))
    }
}
