use super::*;
use crate::rules::CountryCode;

fn read_text(text: &str, name: Option<&str>) -> (Plan, Vec<Incoming>) {
    read(Input {
        bytes: text.as_bytes(),
        name,
    })
    .expect("readable")
}

fn countries(incoming: &Incoming) -> Vec<&'static str> {
    incoming.row.countries.iter().map(|c| c.as_str()).collect()
}

#[test]
fn markdown_tables_are_found_among_text_and_a_cookie_table_is_left_aside() {
    let md = "# Our subprocessors\n\nSome words | with a pipe.\n\n\
        | Name of Subprocessor | Description of Processing | Location of Processing |\n\
        |---|---|---|\n\
        | Fireworks AI | AI Inference | United States, Iceland, Germany |\n\
        | [Box](https://box.com) | **Storage** | United States <br/> and Japan |\n\
        \n| Name of Cookie | Reason |\n|---|---|\n| `_ga` | analytics |\n";
    let (plan, incoming) = read_text(md, None);
    assert_eq!(plan.format, "Markdown");
    assert_eq!(plan.tables, ["the table at line 5"]);
    assert_eq!(plan.skipped_tables.len(), 1);
    assert_eq!(plan.rows, 2);
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    assert_eq!(countries(&incoming[0]), ["US", "IS", "DE"]);
    assert_eq!(incoming[1].row.name, "Box");
    assert_eq!(incoming[1].row.purpose.as_deref(), Some("Storage"));
    assert_eq!(countries(&incoming[1]), ["US", "JP"]);
    assert_eq!(incoming[1].rows[0].to_string(), "line 8");
}

#[test]
fn markdown_without_outer_pipes() {
    let md = "Name | Location\n-----|---------\nAcme | France\nZed |Germany\n";
    let (plan, incoming) = read_text(md, Some("list.md"));
    assert_eq!(plan.rows, 2);
    assert_eq!(countries(&incoming[1]), ["DE"]);
}

#[test]
fn tab_separated_text_as_a_spreadsheet_copies_it() {
    let tsv = "Vendor\tPurpose\tCountries\tWebsite\n\
        Stripe\tPayments\t\"United States,\nIreland\"\tstripe.com\n\
        Mailgun\tEmail\tUnited States\thttps://www.mailgun.com\n";
    let (plan, incoming) = read_text(tsv, None);
    assert_eq!(plan.format, "tab-separated text");
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    assert_eq!(countries(&incoming[0]), ["US", "IE"]);
    assert_eq!(
        incoming[0].row.website.as_deref(),
        Some("https://stripe.com")
    );
    assert_eq!(incoming[1].rows[0].to_string(), "line 4");
}

#[test]
fn html_tables_are_read() {
    let html = "<table><tr><th>Sub-processor</th><th>Entity</th><th>Location</th></tr>\
        <tr><td>AWS</td><td>Amazon Web Services EMEA SARL</td><td>Ireland, Germany</td></tr></table>";
    let (plan, incoming) = read_text(html, None);
    assert_eq!(plan.format, "HTML");
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    assert_eq!(
        incoming[0].row.legal_entity.as_deref(),
        Some("Amazon Web Services EMEA SARL")
    );
    assert_eq!(countries(&incoming[0]), ["IE", "DE"]);
}

#[test]
fn every_unreadable_cell_is_named_with_its_row_and_column() {
    let csv = "Name,Purpose,Locations,Website,Mechanisms,TIA on,Colour\n\
        Acme,Hosting,\"United States, Atlantis\",acme.example,SCCs,2024-13-01,red\n\
        ,Email,France,,,,\n\
        Zed,Support,Germany,not a url,magic,,\n";
    let (plan, _) = read_text(csv, Some("vendors.csv"));
    let problems: Vec<String> = plan.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "row 2, column C (Locations): 'Atlantis' not a country: write countries by name or \
             ISO code, separated by commas",
            "row 2, column F (TIA on): '2024-13-01' is not a date: write it as YYYY-MM-DD",
            "row 3, column A (Name): empty: every vendor needs a name",
            "row 4, column D (Website): 'not a url' is not a web address (https://...)",
            "row 4, column E (Mechanisms): 'magic' not a transfer mechanism: SCCs, DPF, BCR or \
             a mechanism id (crossborder rules)",
        ]
    );
    assert_eq!(plan.rows, 3);
    assert_eq!(plan.ignored_columns.len(), 1);
}

#[test]
fn a_dpa_or_tia_dated_in_the_future_is_named() {
    let csv = "Name,Purpose,Locations,DPA signed on,TIA on\n\
        Acme,Hosting,United States,2999-01-01,2999-02-01\n";
    let (plan, _) = read_text(csv, Some("vendors.csv"));
    let problems: Vec<String> = plan.problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("row 2, column D (DPA signed on): The DPA was signed on 2999-01-01, which is in the future"), "{problems:?}");
    assert!(problems[1].starts_with("row 2, column E (TIA on): The transfer impact assessment was done on 2999-02-01, which is in the future"), "{problems:?}");
}

#[test]
fn the_same_company_on_two_rows_is_one_vendor_with_both_purposes() {
    let csv = "Name,Purpose,Locations\n\
        Microsoft (Azure),Hosting,\"United States, Canada\"\n\
        Microsoft (Azure),Support ticket analysis,United States\n\
        Microsoft,Technical services,Japan\n";
    let (plan, incoming) = read_text(csv, None);
    assert!(plan.problems.is_empty());
    assert_eq!(incoming.len(), 2);
    assert_eq!(incoming[0].key, "microsoft-azure");
    assert_eq!(
        incoming[0].row.purpose.as_deref(),
        Some("Hosting; Support ticket analysis")
    );
    assert_eq!(countries(&incoming[0]), ["US", "CA"]);
    assert_eq!(incoming[0].rows.len(), 2);
}

#[test]
fn a_spreadsheet_is_read_under_its_title_rows() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Our vendors (2026)").unwrap();
    for (c, h) in ["Name", "Purpose", "Country", "DPA signed on"]
        .iter()
        .enumerate()
    {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    sheet.write_string(3, 0, "Acme").unwrap();
    sheet.write_string(3, 1, "Hosting").unwrap();
    sheet.write_string(3, 2, "Frankreich").unwrap();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 5, 1).unwrap();
    let fmt = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    sheet.write_datetime_with_format(3, 3, &date, &fmt).unwrap();
    sheet.write_string(4, 0, "Zed").unwrap();
    sheet.write_string(4, 1, "Email").unwrap();
    sheet.write_string(4, 2, "FR").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let (plan, incoming) = read(Input {
        bytes: &bytes,
        name: Some("vendors.xlsx"),
    })
    .unwrap();
    assert_eq!(plan.format, "spreadsheet");
    let problems: Vec<String> = plan.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "row 4, column C (Country): 'Frankreich' is not a country: write countries by name \
          or ISO code, separated by commas"
                .replace("is not a country", "not a country")
        ]
    );
    assert_eq!(incoming.len(), 1);
    assert_eq!(
        incoming[0].row.countries,
        [CountryCode::parse("FR").unwrap()]
    );
}

#[test]
fn the_templates_are_read_back_with_every_column() {
    let csv = template_csv();
    let header = String::from_utf8(csv).unwrap();
    let fields: Vec<_> = header.trim().split(',').map(field_of).collect();
    assert!(fields.iter().all(Option::is_some), "{header}");
    let xlsx = template_xlsx().unwrap();
    let (plan, incoming) = read(Input {
        bytes: &xlsx,
        name: Some("template.xlsx"),
    })
    .unwrap();
    assert!(incoming.is_empty());
    assert_eq!(plan.tables, ["sheet Vendors"]);
    assert!(plan.ignored_columns.is_empty());
}

/// The rows of the vendor tables of a Markdown list, counted without the importer: the lines
/// after a "Name of Subprocessor" header and its separator, up to the first line without a pipe.
fn rows_in(md: &str) -> usize {
    let lines: Vec<&str> = md.lines().collect();
    let mut count = 0;
    for (i, line) in lines.iter().enumerate() {
        if line.contains("Name of Subprocessor") {
            count += lines[i + 2..]
                .iter()
                .take_while(|l| l.contains('|') && !l.trim().is_empty())
                .filter(|l| !l.replace(['|', ' ', '\t'], "").is_empty())
                .count();
        }
    }
    count
}

#[test]
fn every_version_of_githubs_list_is_read_with_no_row_lost() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/github-subprocessors"
    );
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    assert!(files.len() >= 57, "{} versions", files.len());
    let us = CountryCode::parse("US").unwrap();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let (plan, incoming) = read_text(&text, Some(&name));
        let expected = rows_in(&text);
        assert_eq!(plan.rows, expected, "{name}: rows read");
        let grouped: usize = incoming.iter().map(|i| i.rows.len()).sum();
        let with_problems = super::problem_rows(&plan.problems);
        assert_eq!(
            grouped + with_problems,
            expected,
            "{name}: every row placed"
        );
        if expected == 0 {
            // The versions that only link to the list elsewhere say so.
            assert_eq!(plan.problems.len(), 1, "{name}");
            assert!(
                plan.problems[0]
                    .message
                    .starts_with("no list of vendors found")
            );
            continue;
        }
        for p in &plan.problems {
            assert!(p.row.is_some() && p.column.is_some(), "{name}: {p}");
        }
        assert!(plan.problems.is_empty(), "{name}: {:?}", plan.problems);
        assert!(
            incoming.iter().any(|i| i.row.countries.contains(&us)),
            "{name}"
        );
        assert!(
            incoming.iter().all(|i| !i.row.countries.is_empty()),
            "{name}"
        );
    }
}
