//! The one table of records. Every list of records on a page (vendors, transfers, certifications,
//! audit events, accounts, clients...) is this table, so that they read alike and stack alike
//! on a small screen (each cell carries its column's `data-label`).

use maud::{Markup, html};

/// A table's frame: its classes, what names it, its columns. The rows are the page's own.
pub struct Table<'a> {
    /// "vendors" (the records style) and the page's own class, space-separated.
    pub class: &'a str,
    pub caption: Option<Markup>,
    /// The id of the heading that names the table, when it has no caption.
    pub labelled_by: Option<&'a str>,
    pub columns: &'a [&'a str],
}

impl<'a> Table<'a> {
    /// A table named by its caption.
    pub fn new(class: &'a str, caption: Markup, columns: &'a [&'a str]) -> Self {
        Table {
            class,
            caption: Some(caption),
            labelled_by: None,
            columns,
        }
    }

    /// A table named by the heading with the id `heading` above it.
    pub fn labelled(class: &'a str, heading: &'a str, columns: &'a [&'a str]) -> Self {
        Table {
            class,
            caption: None,
            labelled_by: Some(heading),
            columns,
        }
    }

    pub fn render(&self, rows: Markup) -> Markup {
        html! {
            table class=(self.class) aria-labelledby=[self.labelled_by] {
                @if let Some(caption) = &self.caption { caption { (caption) } }
                thead { tr { @for column in self.columns { th scope="col" { (column) } } } }
                tbody { (rows) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_is_what_the_pages_wrote_by_hand() {
        let rows = || html! { tr { td { "row" } } };
        let by_hand = html! {
            table.vendors.audit {
                caption { "Events" }
                thead { tr { th scope="col" { "A" } th scope="col" { "B" } } }
                tbody { (rows()) }
            }
        };
        let table = Table::new("vendors audit", html! { "Events" }, &["A", "B"]).render(rows());
        assert_eq!(table.into_string(), by_hand.into_string());

        let by_hand = html! {
            table.vendors aria-labelledby="title" {
                thead { tr { th scope="col" { "A" } } }
                tbody { (rows()) }
            }
        };
        let table = Table::labelled("vendors", "title", &["A"]).render(rows());
        assert_eq!(table.into_string(), by_hand.into_string());
    }
}
