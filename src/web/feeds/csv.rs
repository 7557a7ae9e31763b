//! The public list as CSV, for spreadsheets.

use crate::registry::listing::Listing;

/// Writes the list as CSV (RFC 4180: CRLF line ends, a header row): one row per transfer, and one
/// row with empty transfer columns for a vendor without any, so that every listed vendor is in
/// it. Every cell goes through [`crate::text::csv_cell`]: a name like `=HYPERLINK(...)` is text
/// in a spreadsheet, not a formula. `bom`: start with a UTF-8 byte order mark, for Excel.
/// The verdict columns (regime to severity) and the reason's are there only when the
/// organisation publishes them.
pub fn csv(listing: &Listing, bom: bool, mut out: impl std::io::Write) -> Result<(), csv::Error> {
    let publication = listing.registry.organisation.publication;
    if bom {
        out.write_all(crate::text::UTF8_BOM)?;
    }
    let mut w = crate::text::csv_writer_to(out);
    let columns = [
        "organisation",
        "as_of",
        "vendor_key",
        "vendor",
        "legal_entity",
        "website",
        "role",
        "categories",
        "purpose",
        "country",
        "country_name",
        "location",
        "data_categories",
        "mechanisms",
        "regime",
        "verdict",
        "flagged",
        "severity",
        "reason",
    ];
    let shown =
        14 + if publication.verdicts { 4 } else { 0 } + usize::from(publication.shows_reasons());
    w.write_record(&columns[..shown])?;
    let org = &listing.registry.organisation.slug;
    let as_of = listing.filters.as_of.to_string();
    for row in &listing.rows {
        let v = row.vendor;
        let categories = v
            .categories
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(";");
        let role: &str = v.role.into();
        let vendor = [
            org.as_str(),
            &as_of,
            &v.key,
            &v.name,
            v.legal_entity.as_deref().unwrap_or(""),
            v.website.as_deref().unwrap_or(""),
            role,
            &categories,
            &v.purpose,
        ];
        let mut transfers: Vec<Vec<String>> = row
            .transfers
            .iter()
            .map(|t| {
                let tr = t.transfer;
                let data = tr
                    .data_categories
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join(";");
                let mechanisms = tr
                    .mechanisms
                    .iter()
                    .map(|m| match m.signed_on {
                        Some(d) => format!("{}:{d}", m.id),
                        None => m.id.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(";");
                let a = &t.assessment;
                let mut cells = vec![
                    tr.country.map(|c| c.as_str()).unwrap_or("").to_string(),
                    tr.country.map(|c| c.name()).unwrap_or("").to_string(),
                    tr.location.clone().unwrap_or_default(),
                    data,
                    mechanisms,
                ];
                if publication.verdicts {
                    cells.extend([
                        a.regime.unwrap_or("").to_string(),
                        a.verdict.as_str().to_string(),
                        a.flagged.to_string(),
                        a.severity.as_str().to_string(),
                    ]);
                }
                if publication.shows_reasons() {
                    cells.push(a.reason());
                }
                cells
            })
            .collect();
        if transfers.is_empty() {
            transfers.push(vec![String::new(); shown - vendor.len()]);
        }
        for transfer in &transfers {
            let cells = vendor
                .iter()
                .copied()
                .chain(transfer.iter().map(String::as_str));
            w.write_record(cells.map(|c| crate::text::csv_cell(c).into_owned()))?;
        }
    }
    w.flush()?;
    Ok(())
}
