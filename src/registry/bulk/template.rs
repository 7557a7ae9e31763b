//! The import template, generated from the columns the import reads: CSV (a header row) and
//! XLSX (a sheet to fill, and a sheet saying what goes in each column).

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::columns::Field;

/// The template as CSV: the header row.
pub fn template_csv() -> Vec<u8> {
    let mut w = crate::text::csv_writer();
    // Writing to memory cannot fail.
    let _ = w.write_record(Field::ALL.map(Field::header));
    w.into_inner().unwrap_or_default()
}

/// The template as XLSX: "Vendors" with the header row (bold, frozen), "Columns" with what goes
/// in each.
pub fn template_xlsx() -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("Vendors")?;
    for (i, field) in Field::ALL.iter().enumerate() {
        let col = u16::try_from(i).unwrap_or(u16::MAX);
        sheet.write_string_with_format(0, col, field.header(), &bold)?;
        sheet.set_column_width(col, 22)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let help = book.add_worksheet();
    help.set_name("Columns")?;
    help.write_string_with_format(0, 0, "Column", &bold)?;
    help.write_string_with_format(0, 1, "What goes in it", &bold)?;
    help.set_column_width(0, 18)?;
    help.set_column_width(1, 100)?;
    for (i, field) in Field::ALL.iter().enumerate() {
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        help.write_string(row, 0, field.header())?;
        help.write_string(row, 1, field.help())?;
    }
    book.save_to_buffer()
}
