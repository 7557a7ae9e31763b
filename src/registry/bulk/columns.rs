//! Which column holds what: headers are matched, in English, against the template's names and
//! the names real published lists use ("Name of Subprocessor", "Location of Processing",
//! "Corporate Location", "Entity"...), ignoring case, punctuation and spacing.

use std::fmt;

/// What an import reads from a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Key,
    Name,
    LegalEntity,
    Website,
    Purpose,
    Locations,
    Headquarters,
    Role,
    Categories,
    DataCategories,
    Mechanisms,
    Status,
    DpaSignedOn,
    DpaUrl,
    TiaOn,
    Notes,
}

impl Field {
    /// Every field, in the template's order.
    pub const ALL: [Field; 16] = [
        Field::Name,
        Field::Key,
        Field::LegalEntity,
        Field::Website,
        Field::Purpose,
        Field::Locations,
        Field::Headquarters,
        Field::Role,
        Field::Categories,
        Field::DataCategories,
        Field::Mechanisms,
        Field::Status,
        Field::DpaSignedOn,
        Field::DpaUrl,
        Field::TiaOn,
        Field::Notes,
    ];

    /// The template's header (one of [`Field::names`], written for people).
    pub fn header(self) -> &'static str {
        match self {
            Field::Key => "Key",
            Field::Name => "Name",
            Field::LegalEntity => "Legal entity",
            Field::Website => "Website",
            Field::Purpose => "Purpose",
            Field::Locations => "Locations",
            Field::Headquarters => "Headquarters",
            Field::Role => "Role",
            Field::Categories => "Categories",
            Field::DataCategories => "Data categories",
            Field::Mechanisms => "Mechanisms",
            Field::Status => "Status",
            Field::DpaSignedOn => "DPA signed on",
            Field::DpaUrl => "DPA URL",
            Field::TiaOn => "TIA on",
            Field::Notes => "Notes",
        }
    }

    /// What the template says goes in the column.
    pub fn help(self) -> &'static str {
        match self {
            Field::Name => {
                "Required. The vendor's name; two rows with the same name are one vendor"
            }
            Field::Key => {
                "Optional id (lowercase letters, digits, '-'); default: made from the name"
            }
            Field::LegalEntity => "The contracting legal entity",
            Field::Website => "https://... (a bare domain is read as https://)",
            Field::Purpose => "What the vendor does with the data",
            Field::Locations => {
                "Countries where the data is processed, in words or ISO codes, separated by commas"
            }
            Field::Headquarters => "The vendor's country of establishment",
            Field::Role => {
                "processor (default), sub_processor, independent_controller or joint_controller"
            }
            Field::Categories => {
                "hosting, payments, analytics, email, crm, support, cdn... separated by commas"
            }
            Field::DataCategories => {
                "identity, contact, account, payment, usage... separated by commas"
            }
            Field::Mechanisms => {
                "SCCs, DPF, BCR, or a mechanism id; empty: none recorded (a transfer outside the EEA without adequacy is then flagged)"
            }
            Field::Status => {
                "active (default: announced, taking effect after the notice period) or proposed"
            }
            Field::DpaSignedOn => "Date the DPA was signed, YYYY-MM-DD",
            Field::DpaUrl => "Link to the DPA",
            Field::TiaOn => "Date of the transfer impact assessment, YYYY-MM-DD",
            Field::Notes => "Internal notes (never published)",
        }
    }

    /// The headers that mean this field, normalised (see [`normalise`]); the first is the
    /// template's.
    fn names(self) -> &'static [&'static str] {
        match self {
            Field::Key => &["key", "vendor key", "id", "vendor id"],
            Field::Name => &[
                "name",
                "vendor",
                "vendor name",
                "name of subprocessor",
                "name of sub processor",
                "subprocessor",
                "sub processor",
                "subprocessor name",
                "sub processor name",
                "processor",
                "processor name",
                "company",
                "company name",
                "provider",
                "provider name",
                "service provider",
                "supplier",
                "supplier name",
                "third party",
                "third party name",
                "recipient",
                "recipient name",
                "partner",
                "partner name",
                "organisation",
                "organization",
                "subprocessors",
                "sub processors",
                "vendors",
            ],
            Field::LegalEntity => &[
                "legal entity",
                "entity",
                "entity name",
                "legal name",
                "legal entity name",
                "contracting entity",
                "registered name",
                "company entity",
                "corporate entity",
            ],
            Field::Website => &[
                "website", "url", "web site", "homepage", "site", "domain", "web", "link",
            ],
            Field::Purpose => &[
                "purpose",
                "purposes",
                "description",
                "description of processing",
                "processing",
                "nature of processing",
                "purpose of processing",
                "processing purpose",
                "nature and purpose of processing",
                "service",
                "services",
                "service provided",
                "services provided",
                "function",
                "processing activity",
                "processing activities",
                "activity",
                "subject matter",
                "description of services",
                "type of service",
            ],
            Field::Locations => &[
                "location",
                "locations",
                "location of processing",
                "processing location",
                "processing locations",
                "location s",
                "country",
                "countries",
                "data location",
                "data locations",
                "location of data",
                "location of data processing",
                "where processed",
                "hosting location",
                "hosting locations",
                "server location",
                "data center location",
                "data centre location",
                "country of processing",
                "countries of processing",
                "processing country",
                "processing countries",
                "destination",
                "destinations",
                "transfer countries",
                "data storage location",
            ],
            Field::Headquarters => &[
                "headquarters",
                "corporate location",
                "hq",
                "hq country",
                "headquarters country",
                "head office",
                "registered office",
                "corporate headquarters",
                "company location",
                "country of incorporation",
                "entity country",
                "entity location",
                "headquarters location",
                "registered address",
                "country of establishment",
            ],
            Field::Role => &["role", "vendor role"],
            Field::Categories => &[
                "categories",
                "category",
                "vendor category",
                "vendor categories",
                "type",
            ],
            Field::DataCategories => &[
                "data categories",
                "data category",
                "personal data",
                "categories of data",
                "categories of personal data",
                "data types",
                "types of personal data",
                "personal data categories",
                "data",
            ],
            Field::Mechanisms => &[
                "mechanisms",
                "mechanism",
                "transfer mechanism",
                "transfer mechanisms",
                "safeguard",
                "safeguards",
                "transfer safeguard",
                "transfer safeguards",
                "international transfer mechanism",
                "transfer basis",
                "legal basis for transfer",
            ],
            Field::Status => &["status"],
            Field::DpaSignedOn => &[
                "dpa signed on",
                "dpa signed",
                "dpa date",
                "dpa",
                "dpa signature date",
            ],
            Field::DpaUrl => &["dpa url", "dpa link"],
            Field::TiaOn => &["tia on", "tia", "tia date", "transfer impact assessment"],
            Field::Notes => &[
                "notes",
                "note",
                "comments",
                "comment",
                "remarks",
                "internal notes",
            ],
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.header())
    }
}

/// A header as it is matched: lowercase letters and digits, every other run as one space.
fn normalise(header: &str) -> String {
    header
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The field a header means, if any.
pub fn field_of(header: &str) -> Option<Field> {
    let wanted = normalise(header);
    let wanted = wanted.strip_prefix("the ").unwrap_or(&wanted);
    Field::ALL.into_iter().find(|f| f.names().contains(&wanted))
}

/// A column's letters as a spreadsheet names them: A, B, ... Z, AA, AB...
pub fn letters(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// How a table's columns were read: for each field its column, and the columns not read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapping {
    pub columns: Vec<(Field, usize)>,
    /// Columns not read: (index, header, why).
    pub ignored: Vec<(usize, String, String)>,
    /// A header speaks of cookies: the table lists cookies, not vendors.
    pub cookies: bool,
}

impl Mapping {
    pub fn of(header: &[String]) -> Mapping {
        let mut mapping = Mapping::default();
        for (i, h) in header.iter().enumerate() {
            if h.trim().is_empty() {
                continue;
            }
            mapping.cookies |= normalise(h).contains("cookie");
            match field_of(h) {
                Some(f) if mapping.column(f).is_some() => mapping.ignored.push((
                    i,
                    h.clone(),
                    format!(
                        "column {} is read as {f} already",
                        letters(mapping.column(f).unwrap_or(0))
                    ),
                )),
                Some(f) => mapping.columns.push((f, i)),
                None => {
                    mapping
                        .ignored
                        .push((i, h.clone(), "not a column the import knows".into()))
                }
            }
        }
        mapping
    }

    pub fn column(&self, field: Field) -> Option<usize> {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, i)| *i)
    }

    /// A table of vendors names them and says where they process data (or what for): a table
    /// of cookies ("Name of Cookie | Reason", "Service Provider | Cookie Name | Description")
    /// is not one.
    pub fn lists_vendors(&self) -> bool {
        !self.cookies
            && self.column(Field::Name).is_some()
            && (self.column(Field::Locations).is_some()
                || self.column(Field::Purpose).is_some()
                || self.column(Field::Headquarters).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_of_the_template_and_of_published_lists() {
        for (header, field) in [
            ("Name", Field::Name),
            ("Name of Subprocessor", Field::Name),
            ("Sub-processor", Field::Name),
            ("Third-Party Name", Field::Name),
            ("Description of Processing", Field::Purpose),
            ("Location of Processing", Field::Locations),
            ("Location(s)", Field::Locations),
            ("Corporate Location", Field::Headquarters),
            ("Entity", Field::LegalEntity),
            ("Website", Field::Website),
            ("Transfer Mechanism", Field::Mechanisms),
            ("DPA signed on", Field::DpaSignedOn),
            ("  COUNTRY ", Field::Locations),
        ] {
            assert_eq!(field_of(header), Some(field), "{header}");
        }
        assert_eq!(field_of("Name of Cookie"), None);
        assert_eq!(field_of("Expiration*"), None);
    }

    #[test]
    fn a_cookie_table_lists_no_vendors() {
        let header = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert!(!Mapping::of(&header(&["Name of Cookie", "Reason"])).lists_vendors());
        let cookies = [
            "Service Provider",
            "Cookie Name",
            "Description",
            "Expiration*",
        ];
        assert!(!Mapping::of(&header(&cookies)).lists_vendors());
        let github = Mapping::of(&header(&[
            "Name of Subprocessor",
            "Description of Processing",
            "Location of Processing",
            "Corporate Location",
        ]));
        assert!(github.lists_vendors());
        assert_eq!(github.column(Field::Headquarters), Some(3));
        let twice = Mapping::of(&header(&["Name", "Country", "Location", "Colour"]));
        assert_eq!(twice.ignored.len(), 2);
        assert_eq!(twice.ignored[0].2, "column B is read as Locations already");
    }

    #[test]
    fn column_letters() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(letters(27), "AB");
    }
}
