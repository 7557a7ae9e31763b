//! Reading the tables of an uploaded or pasted file: CSV (comma or semicolon), XLSX (and the
//! other spreadsheet formats calamine reads), tab-separated text as spreadsheets copy it,
//! Markdown tables and HTML tables. Each row keeps where it was in the source, so that an error
//! names its row (or line) and column.

use std::io::Cursor;

use calamine::{Data, Reader};

/// The kinds of input read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Spreadsheet,
    Tabs,
    Markdown,
    Html,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Spreadsheet => "spreadsheet",
            Format::Tabs => "tab-separated text",
            Format::Markdown => "Markdown",
            Format::Html => "HTML",
        }
    }

    /// The format a file name says, if it says one.
    fn from_name(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" => Format::Csv,
            "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => Format::Spreadsheet,
            "tsv" | "tab" => Format::Tabs,
            "md" | "markdown" => Format::Markdown,
            "html" | "htm" => Format::Html,
            _ => return None,
        })
    }

    /// The format of some bytes, by their name if it says, else by their look.
    pub fn detect(bytes: &[u8], name: Option<&str>) -> Format {
        if let Some(format) = name.and_then(Format::from_name) {
            return format;
        }
        // ZIP (XLSX, ODS) or OLE (XLS) signatures.
        if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            return Format::Spreadsheet;
        }
        let text = String::from_utf8_lossy(bytes);
        let lower = text.to_ascii_lowercase();
        if lower.contains("<table") {
            Format::Html
        } else if text.lines().any(is_separator) {
            Format::Markdown
        } else if text
            .lines()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| l.contains('\t'))
        {
            Format::Tabs
        } else {
            Format::Csv
        }
    }
}

/// One row as read: its number in the source (a spreadsheet's row, a text's line) and its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    pub number: usize,
    pub cells: Vec<String>,
}

/// One table: its header and its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Where it is, for a document of several tables ("the table at line 20").
    pub place: String,
    /// What a row's number counts: "row" (spreadsheets, CSV) or "line" (pasted text).
    pub unit: &'static str,
    pub header: SourceRow,
    pub rows: Vec<SourceRow>,
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {format} could not be read: {message}")]
pub struct Unreadable {
    pub format: &'static str,
    pub message: String,
}

/// Every table in `bytes`: one for CSV, tab-separated text and each sheet of a spreadsheet;
/// each table of a Markdown or HTML document. A table's first row is its header (a
/// spreadsheet's or a CSV's header is found again later, under title rows).
pub fn read(bytes: &[u8], format: Format) -> Result<Vec<Table>, Unreadable> {
    let unreadable = |message: String| Unreadable {
        format: format.label(),
        message,
    };
    let text = || {
        let text = String::from_utf8_lossy(bytes);
        text.strip_prefix('\u{feff}').unwrap_or(&text).to_string()
    };
    let tables = match format {
        Format::Csv => {
            let text = text();
            let first = text.lines().next().unwrap_or_default();
            let delimiter = if first.matches(';').count() > first.matches(',').count() {
                b';'
            } else {
                b','
            };
            vec![delimited(&text, delimiter, "row").map_err(unreadable)?]
        }
        Format::Tabs => vec![delimited(&text(), b'\t', "line").map_err(unreadable)?],
        Format::Spreadsheet => spreadsheet(bytes).map_err(unreadable)?,
        Format::Markdown => markdown(&text()),
        Format::Html => super::html::tables(&text()),
    };
    Ok(tables
        .into_iter()
        .filter(|t| !t.header.cells.is_empty())
        .collect())
}

/// CSV or tab-separated text: quoted cells may hold line breaks, so rows are numbered by the
/// line they start on.
fn delimited(text: &str, delimiter: u8, unit: &'static str) -> Result<Table, String> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        let number = record.position().map_or(0, |p| p.line() as usize);
        rows.push(SourceRow {
            number,
            cells: record.iter().map(clean).collect(),
        });
    }
    Ok(split_header(String::new(), unit, rows))
}

/// The first row that is not empty is the header.
fn split_header(place: String, unit: &'static str, rows: Vec<SourceRow>) -> Table {
    let mut rows = rows
        .into_iter()
        .skip_while(|r| r.cells.iter().all(String::is_empty));
    let header = rows.next().unwrap_or(SourceRow {
        number: 0,
        cells: Vec::new(),
    });
    Table {
        place,
        unit,
        header,
        rows: rows.collect(),
    }
}

/// Each sheet that holds anything, with its rows numbered as the spreadsheet numbers them.
fn spreadsheet(bytes: &[u8]) -> Result<Vec<Table>, String> {
    let mut book =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut tables = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|e| e.to_string())?;
        let Some((top, left)) = range.start() else {
            continue;
        };
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, row)| SourceRow {
                number: top as usize + i + 1,
                // Columns keep their letters: blank columns before the first are kept empty.
                cells: std::iter::repeat_n(String::new(), left as usize)
                    .chain(row.iter().map(cell_text))
                    .collect(),
            })
            .collect();
        tables.push(split_header(format!("sheet {name}"), "row", rows));
    }
    Ok(tables)
}

/// A spreadsheet cell as text; a date as `YYYY-MM-DD`, a whole number without its `.0`.
fn cell_text(cell: &Data) -> String {
    use calamine::DataType;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => clean(s),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::DateTime(_) | Data::DateTimeIso(_) => cell
            .as_date()
            .map_or_else(|| cell.to_string(), |d| d.to_string()),
        Data::Error(e) => format!("#{e:?}"),
        other => other.to_string(),
    }
}

/// A Markdown table's separator line: `|---|:--:|`, with or without the outer pipes.
fn is_separator(line: &str) -> bool {
    let line = line.trim();
    line.contains('|')
        && line.contains("---")
        && line.trim_matches('|').split('|').all(|cell| {
            let cell = cell.trim();
            !cell.is_empty() && cell.chars().all(|c| matches!(c, '-' | ':'))
        })
}

/// Every Markdown table: a header line, a separator line, then the lines that hold a pipe.
fn markdown(text: &str) -> Vec<Table> {
    let lines: Vec<&str> = text.lines().collect();
    let mut tables = Vec::new();
    let mut i = 0;
    while i + 1 < lines.len() {
        let header = lines[i];
        if !(header.contains('|') && lines[i + 1].contains('|') && is_separator(lines[i + 1])) {
            i += 1;
            continue;
        }
        let mut rows = Vec::new();
        let mut j = i + 2;
        while j < lines.len() && lines[j].contains('|') && !lines[j].trim().is_empty() {
            rows.push(SourceRow {
                number: j + 1,
                cells: pipe_cells(lines[j]),
            });
            j += 1;
        }
        tables.push(Table {
            place: format!("the table at line {}", i + 1),
            unit: "line",
            header: SourceRow {
                number: i + 1,
                cells: pipe_cells(header),
            },
            rows,
        });
        i = j;
    }
    tables
}

/// The cells of a Markdown table line; `\|` is a pipe inside a cell.
fn pipe_cells(line: &str) -> Vec<String> {
    let line = line.trim();
    let line = line.strip_prefix('|').unwrap_or(line);
    let line = line.strip_suffix('|').unwrap_or(line);
    let mut cells = vec![String::new()];
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cells.last_mut().expect("one cell").push('|');
                chars.next();
            }
            '|' => cells.push(String::new()),
            c => cells.last_mut().expect("one cell").push(c),
        }
    }
    cells.iter().map(|c| clean(c)).collect()
}

/// A cell's text: line-break tags as line breaks, other tags and Markdown emphasis left out,
/// `[text](link)` as its text, a few entities decoded, spaces collapsed.
pub(super) fn clean(cell: &str) -> String {
    let mut text = String::new();
    let mut rest = cell;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        match rest[start..].find('>') {
            Some(end) => {
                let tag = rest[start + 1..start + end].trim().to_ascii_lowercase();
                let name = tag.trim_start_matches('/').trim_end_matches('/').trim();
                if name == "br" || name == "p" || name == "li" {
                    text.push('\n');
                }
                rest = &rest[start + end + 1..];
            }
            None => {
                text.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    text.push_str(rest);
    let text = links_as_text(&text)
        .replace("**", "")
        .replace("__", "")
        .replace('`', "")
        .replace("&amp;", "&")
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&quot;", "\"");
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `[text](link)` as `text`.
fn links_as_text(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        match after.find("](").and_then(|close| {
            after[close + 2..]
                .find(')')
                .map(|end| (close, close + 2 + end))
        }) {
            Some((close, end)) => {
                out.push_str(&rest[..open]);
                out.push_str(&after[..close]);
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
