//! The tables of an HTML page or fragment, as a browser would copy them: each `<tr>` a row, its
//! `<th>` and `<td>` the cells, `<br>` a line break. Rows are numbered within their table
//! (the header is row 1); a nested table is read as a table of its own.

use scraper::{ElementRef, Html, Node, Selector};

use super::table::{SourceRow, Table, clean};

pub(super) fn tables(text: &str) -> Vec<Table> {
    let document = Html::parse_fragment(text);
    let table = Selector::parse("table").expect("a valid selector");
    document
        .select(&table)
        .enumerate()
        .filter_map(|(i, t)| {
            let mut rows = own_rows(t)
                .into_iter()
                .enumerate()
                .map(|(n, tr)| SourceRow {
                    number: n + 1,
                    cells: tr
                        .children()
                        .filter_map(ElementRef::wrap)
                        .filter(|c| matches!(c.value().name(), "td" | "th"))
                        .map(|c| clean(&text_of(c)))
                        .collect(),
                });
            let header = rows.next()?;
            Some(Table {
                place: format!("HTML table {}", i + 1),
                unit: "row",
                header,
                rows: rows.collect(),
            })
        })
        .collect()
}

/// The rows of this table, not of a table inside one of its cells.
fn own_rows(table: ElementRef) -> Vec<ElementRef> {
    let mut rows = Vec::new();
    for child in table.children().filter_map(ElementRef::wrap) {
        match child.value().name() {
            "tr" => rows.push(child),
            "thead" | "tbody" | "tfoot" => rows.extend(
                child
                    .children()
                    .filter_map(ElementRef::wrap)
                    .filter(|r| r.value().name() == "tr"),
            ),
            _ => {}
        }
    }
    rows
}

/// A cell's text with `<br>` and block ends as line breaks (cleaned by the caller).
fn text_of(cell: ElementRef) -> String {
    let mut out = String::new();
    for node in cell.descendants() {
        match node.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) if matches!(e.name(), "br" | "p" | "li" | "div") => out.push('\n'),
            _ => {}
        }
    }
    // Entities are decoded already: keep `&` from being read as one again.
    out.replace('&', "&amp;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_cells_of_each_table() {
        let html = "<p>Our list</p><table><thead><tr><th>Name</th><th>Location</th></tr></thead>\
            <tbody><tr><td>Acme &amp; Co</td><td>United States,<br>Germany</td></tr>\
            <tr><td><a href='https://x.example'>X</a></td><td>France</td></tr></tbody></table>";
        let tables = tables(html);
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].header.cells, ["Name", "Location"]);
        assert_eq!(
            tables[0].rows[0].cells,
            ["Acme & Co", "United States,\nGermany"]
        );
        assert_eq!(tables[0].rows[1].number, 3);
        assert_eq!(tables[0].rows[1].cells, ["X", "France"]);
    }
}
