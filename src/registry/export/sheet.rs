//! A table for officers (the Art. 30 record, the vendor register) rendered as CSV or XLSX. The
//! CSV's cells go through [`crate::text::csv_cell`], like the public CSV, so that a vendor
//! called `=HYPERLINK(...)` stays text; the XLSX writes every cell as a string, never a formula.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// A titled table of text cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// The sheet's name in the workbook (at most 31 characters).
    pub title: String,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// The two formats an officer downloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumString, strum::Display)]
#[strum(serialize_all = "lowercase")]
pub enum SheetFormat {
    Csv,
    Xlsx,
}

impl SheetFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            SheetFormat::Csv => "text/csv; charset=utf-8",
            SheetFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }
    }
}

impl Sheet {
    pub fn render(&self, format: SheetFormat) -> Result<Vec<u8>, XlsxError> {
        match format {
            SheetFormat::Csv => Ok(self.csv()),
            SheetFormat::Xlsx => self.xlsx(),
        }
    }

    /// RFC 4180 with a header row, every cell neutralised against formulas; UTF-8 with a byte
    /// order mark so that Excel reads accents.
    pub fn csv(&self) -> Vec<u8> {
        let mut w = crate::text::csv_writer();
        // Writing to memory cannot fail.
        let _ = w.write_record(&self.headers);
        for row in &self.rows {
            let _ = w.write_record(row.iter().map(|c| crate::text::csv_cell(c).into_owned()));
        }
        let body = w.into_inner().unwrap_or_default();
        [crate::text::UTF8_BOM, &body].concat()
    }

    /// One worksheet: the header bold and frozen, filters on, every cell a string.
    pub fn xlsx(&self) -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let sheet = book.add_worksheet();
        let title: String = self
            .title
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        sheet.set_name(title)?;
        for (c, h) in self.headers.iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            sheet.write_string_with_format(0, col, *h, &bold)?;
            sheet.set_column_width(col, 20)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (c, cell) in row.iter().enumerate() {
                let col = u16::try_from(c).unwrap_or(u16::MAX);
                sheet.write_string(r, col, crate::text::printable(cell))?;
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        let last_col = u16::try_from(self.headers.len().saturating_sub(1)).unwrap_or(0);
        let last_row = u32::try_from(self.rows.len()).unwrap_or(u32::MAX);
        sheet.autofilter(0, 0, last_row, last_col)?;
        book.save_to_buffer()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formula_in_a_cell_stays_text() {
        let sheet = Sheet {
            title: "Vendors".into(),
            headers: vec!["Name", "Notes"],
            rows: vec![vec![
                "=HYPERLINK(\"https://evil.example\")".into(),
                "+1".into(),
            ]],
        };
        let csv = String::from_utf8(sheet.csv()).unwrap();
        assert!(csv.starts_with('\u{feff}'));
        assert!(
            csv.contains("\"'=HYPERLINK(\"\"https://evil.example\"\")\",'+1"),
            "{csv}"
        );
        let xlsx = sheet.xlsx().unwrap();
        assert!(xlsx.starts_with(b"PK"));
    }
}
