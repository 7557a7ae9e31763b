//! Bulk import of vendors and their transfers (issue 17): a CSV, a spreadsheet, or a table
//! copied from a published sub-processor list (tab-separated, Markdown, HTML). [`plan`] is the
//! dry run: every row read, matched with the register, and what would be created or changed,
//! with every cell that cannot be read named by row and column; [`commit`] does it in one
//! transaction through the registry's own writes (audited, new vendors announced under the
//! notice rules), and refuses while any problem is left. Importing the same file again
//! changes nothing: vendors are matched by key, name or website domain, only what differs is
//! written, and a transfer the file does not name is never ended.
//!
//! Mechanisms: a published list rarely says which one covers a transfer. A row without one
//! records none (never an invented SCC): the rules then flag a transfer outside the EEA with no
//! adequacy decision until the officer records the mechanism of the contract.

mod columns;
mod commit;
mod html;
mod plan;
mod rows;
mod table;
mod template;

use chrono::NaiveDate;
use diesel::Connection;

use super::edit::EditError;
use super::organisation;
use super::transfer;
use super::vendor::{self, Vendor};
use crate::db::{DbConnection, DbError};

pub use columns::{Field, field_of, letters};
pub use commit::commit;
pub use plan::{Incoming, domain};
pub use rows::{ImportRow, Problem, RowRef};
pub use table::{Format, SourceRow, Table, read as read_tables};
pub use template::{template_csv, template_xlsx};

/// What was given to import: its bytes and, for a file, its name (which may say its format).
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub bytes: &'a [u8],
    pub name: Option<&'a str>,
}

/// What happens to one vendor of the file.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Added; announced on the day of the import, taking effect after the notice period
    /// (`None`: proposed, not public).
    Create {
        takes_effect: Option<NaiveDate>,
    },
    /// Its fields changed (in words), transfers added, transfers changed (by country).
    Update {
        fields: Vec<String>,
        added: Vec<String>,
        changed: Vec<String>,
    },
    Unchanged,
    /// Left as it is, and why (a retired vendor is not brought back by an import).
    Skipped(String),
}

/// One vendor of the file and what the import does with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub incoming: Incoming,
    /// The register's key when it holds the vendor already.
    pub matched: Option<String>,
    pub action: Action,
    /// What the import leaves as it is, in words ("transfer to Japan is not in the file: kept").
    pub notes: Vec<String>,
}

/// The dry run of an import.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub format: &'static str,
    /// The tables read as lists of vendors, and those left aside (a list of cookies).
    pub tables: Vec<String>,
    pub skipped_tables: Vec<String>,
    /// Columns not read, in words.
    pub ignored_columns: Vec<String>,
    /// Rows with something in them, in the tables read.
    pub rows: usize,
    pub problems: Vec<Problem>,
    pub vendors: Vec<Planned>,
}

impl Plan {
    pub fn created(&self) -> usize {
        self.count(|a| matches!(a, Action::Create { .. }))
    }
    pub fn changed(&self) -> usize {
        self.count(|a| matches!(a, Action::Update { .. }))
    }
    pub fn unchanged(&self) -> usize {
        self.count(|a| matches!(a, Action::Unchanged | Action::Skipped(_)))
    }
    fn count(&self, f: impl Fn(&Action) -> bool) -> usize {
        self.vendors.iter().filter(|v| f(&v.action)).count()
    }
    /// Whether a commit would write anything.
    pub fn writes(&self) -> bool {
        self.created() + self.changed() > 0
    }
}

/// Why an import could not be planned or committed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("no such organisation")]
    NoOrganisation,
    #[error(transparent)]
    Unreadable(#[from] table::Unreadable),
    #[error("{} problems in the file; nothing was imported", .0.problems.len())]
    Problems(Box<Plan>),
    #[error(transparent)]
    Edit(#[from] EditError),
}

impl From<DbError> for ImportError {
    fn from(e: DbError) -> Self {
        ImportError::Edit(EditError::Db(e))
    }
}

impl From<diesel::result::Error> for ImportError {
    fn from(e: diesel::result::Error) -> Self {
        ImportError::Edit(e.into())
    }
}

/// Reads the file into vendors, with every problem; no database needed.
pub fn read(input: Input) -> Result<(Plan, Vec<Incoming>), table::Unreadable> {
    let format = Format::detect(input.bytes, input.name);
    let tables = table::read(input.bytes, format)?;
    let mut plan = Plan {
        format: format.label(),
        ..Plan::default()
    };
    let several = format == Format::Html || (format == Format::Spreadsheet && tables.len() > 1);
    let mut rows = Vec::new();
    for mut t in tables {
        let mut mapping = columns::Mapping::of(&t.header.cells);
        // A spreadsheet may have title rows above its header: the header is the first row
        // that names a Name column, among the first ten.
        let searched =
            !mapping.lists_vendors() && format != Format::Markdown && format != Format::Html;
        if let Some(at) =
            t.rows.iter().take(10).position(|r| {
                searched && columns::Mapping::of(&r.cells).column(Field::Name).is_some()
            })
        {
            t.header = t.rows[at].clone();
            t.rows.drain(..=at);
            mapping = columns::Mapping::of(&t.header.cells);
        }
        let place = if t.place.is_empty() {
            format!("the {}", format.label())
        } else {
            t.place.clone()
        };
        if !mapping.lists_vendors() {
            plan.skipped_tables.push(format!(
                "{place} ({}): no vendor name with a location or purpose column",
                t.header.cells.join(" | ")
            ));
            continue;
        }
        for (i, header, why) in &mapping.ignored {
            plan.ignored_columns
                .push(format!("{place}, column {} ({header}): {why}", letters(*i)));
        }
        let (mut read, mut problems) =
            rows::read_rows(&t, &mapping, several.then_some(place.as_str()));
        plan.rows += read.len() + problem_rows(&problems);
        plan.problems.append(&mut problems);
        rows.append(&mut read);
        plan.tables.push(place);
    }
    if plan.tables.is_empty() {
        plan.problems.push(Problem {
            row: None,
            column: None,
            message: format!(
                "no list of vendors found: a table needs a header row with a Name column and a \
                 Locations (or Purpose) column{}",
                if plan.skipped_tables.is_empty() {
                    String::new()
                } else {
                    format!(" (tables seen: {})", plan.skipped_tables.join("; "))
                }
            ),
        });
    }
    let (incoming, mut problems) = plan::group(rows);
    plan.problems.append(&mut problems);
    Ok((plan, incoming))
}

/// How many rows the problems are on.
fn problem_rows(problems: &[Problem]) -> usize {
    let mut rows: Vec<&RowRef> = problems.iter().filter_map(|p| p.row.as_ref()).collect();
    rows.dedup();
    rows.len()
}

/// The dry run: what importing `input` into `slug` would do. Writes nothing.
pub fn plan(conn: &mut DbConnection, slug: &str, input: Input) -> Result<Plan, ImportError> {
    let (plan, incoming) = read(input)?;
    conn.transaction(|conn| {
        let org = organisation::find(conn, slug)?.ok_or(ImportError::NoOrganisation)?;
        let register = vendor::all(conn, org.id)?;
        let notice_end = crate::date::today() + chrono::Duration::days(org.announce_days.into());
        Ok(against(
            plan,
            incoming,
            &register,
            (org.country, notice_end),
        ))
    })
}

/// The plan of `incoming` against the register's vendors.
fn against(
    mut plan: Plan,
    incoming: Vec<Incoming>,
    register: &[Vendor],
    (exporter, notice_end): (crate::rules::CountryCode, NaiveDate),
) -> Plan {
    for incoming in incoming {
        let transfers = plan::transfers(&incoming.row);
        for t in &transfers {
            if let Err(e) = transfer::check(t, exporter) {
                plan.problems.push(Problem {
                    row: incoming.rows.first().cloned(),
                    column: None,
                    message: format!("transfer to {}: {e}", t.place()),
                });
            }
        }
        let planned =
            match plan::matching(&incoming, register) {
                None => Planned {
                    action: Action::Create {
                        takes_effect: (incoming.row.status != Some(vendor::VendorStatus::Proposed))
                            .then_some(notice_end),
                    },
                    matched: None,
                    notes: Vec::new(),
                    incoming,
                },
                Some(held) => {
                    if let Some(first) = plan
                        .vendors
                        .iter()
                        .find(|p| p.matched.as_ref() == Some(&held.key))
                    {
                        plan.problems.push(Problem {
                        row: incoming.rows.first().cloned(),
                        column: None,
                        message: format!(
                            "{} is the register's vendor {} (same name or website) as {} already: \
                             give both rows the same name",
                            incoming.row.name,
                            held.key,
                            first.incoming.rows.first().map(ToString::to_string).unwrap_or_default()
                        ),
                    });
                    }
                    existing(incoming, held, &transfers)
                }
            };
        plan.vendors.push(planned);
    }
    plan
}

fn existing(incoming: Incoming, held: &Vendor, transfers: &[transfer::Transfer]) -> Planned {
    let mut notes = Vec::new();
    if matches!(
        held.status,
        vendor::VendorStatus::Retired | vendor::VendorStatus::Withdrawn
    ) {
        return Planned {
            action: Action::Skipped(format!(
                "{} is {} in the register: an import does not bring it back",
                held.name, held.status
            )),
            matched: Some(held.key.clone()),
            notes,
            incoming,
        };
    }
    let (_, fields) = plan::updated_fields(held, &incoming.row);
    if incoming.row.status == Some(vendor::VendorStatus::Proposed)
        && held.status != vendor::VendorStatus::Proposed
    {
        notes.push("status: proposed in the file, active in the register; left as is".into());
    }
    let mut added = Vec::new();
    let mut changed = Vec::new();
    for t in transfers {
        match held.transfers.iter().find(|h| h.country == t.country) {
            None => added.push(t.place()),
            Some(h) if plan::updated_transfer(h, &incoming.row).is_some() => {
                changed.push(t.place())
            }
            Some(_) => {}
        }
    }
    for h in &held.transfers {
        if !transfers.iter().any(|t| t.country == h.country) {
            notes.push(format!(
                "transfer to {} is not in the file: kept (an import never ends a transfer)",
                h.place()
            ));
        }
    }
    let action = if fields.is_empty() && added.is_empty() && changed.is_empty() {
        Action::Unchanged
    } else {
        Action::Update {
            fields,
            added,
            changed,
        }
    };
    Planned {
        action,
        matched: Some(held.key.clone()),
        notes,
        incoming,
    }
}

#[cfg(test)]
mod tests;
