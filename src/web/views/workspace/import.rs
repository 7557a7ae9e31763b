//! The import page: the form (a file, or a table pasted), the template, and after a dry run
//! what would be done vendor by vendor with its rows, every problem with its row and column,
//! and the button that commits.

use maud::{Markup, html};

use crate::auth::sessions::Session;
use crate::registry::Organisation;
use crate::registry::bulk::{Action, Plan, Planned};
use crate::web::views::layout;
use crate::web::views::table::Table;

/// What the last submission gave.
pub enum Outcome {
    /// The dry run found nothing wrong: what would be done, and the file to commit.
    DryRun {
        plan: Plan,
        content: String,
        filename: Option<String>,
    },
    /// Problems: nothing can be imported until they are fixed.
    Problems(Plan),
    Imported(Plan),
    /// The input could not be read at all (or the commit was refused), and why.
    Refused(String),
}

pub fn import_page(session: &Session, org: &Organisation, outcome: Option<&Outcome>) -> Markup {
    let title = format!("Import vendors into {}", org.name);
    layout(
        &title,
        html! {},
        html! {
            (super::bar(session, ""))
            h1 { (title) }
            @match outcome {
                Some(Outcome::Refused(why)) => {
                    div.form-error role="alert" #import-refused { p { "Nothing was imported: " (why) } }
                }
                Some(Outcome::Problems(plan)) => {
                    div.form-error role="alert" #import-problems-summary {
                        p { "Nothing was imported: " (plan.problems.len()) " problem(s) in the file. Fix them and upload it again." }
                    }
                    (problems(plan))
                    (planned(plan, "What the rows without problems would do"))
                }
                Some(Outcome::DryRun { plan, content, filename }) => {
                    (summary(plan, "Dry run: nothing was written."))
                    @if plan.writes() {
                        form method="post" enctype="multipart/form-data" action={ "/workspace/" (org.slug) "/import" } #commit-form {
                            input type="hidden" name="csrf" value=(session.csrf_token);
                            input type="hidden" name="content" value=(content);
                            @if let Some(name) = filename { input type="hidden" name="filename" value=(name); }
                            input type="hidden" name="commit" value="1";
                            button type="submit" { "Import: " (plan.created()) " to create, " (plan.changed()) " to change" }
                        }
                    } @else {
                        p role="status" { "The register holds all of it already: importing would change nothing." }
                    }
                    (planned(plan, "What the import would do"))
                }
                Some(Outcome::Imported(plan)) => {
                    div.note role="status" #import-done {
                        p { "Imported: " (plan.created()) " created, " (plan.changed()) " changed, " (plan.unchanged()) " unchanged. "
                            "New active vendors are announced on the public list and take effect after the notice period ("
                            (org.announce_days) " days)." }
                        p { a href={ "/workspace/vendors?organisation=" (org.slug) } { "See the vendors" } }
                    }
                    (planned(plan, "What the import did"))
                }
                None => {}
            }
            h2 { "Upload or paste" }
            p {
                "A CSV or XLSX file (the template below, or your own spreadsheet: columns are matched by their English "
                "names, such as Name, Purpose, Location, Entity, Website), or a table copied from a published sub-processor "
                "list (from a spreadsheet, a web page or Markdown). Places may be written in words: "
                "“United States, Iceland, Germany” is three transfers. The same company on two rows is one vendor with both purposes."
            }
            p {
                "Templates: " a href="/workspace/import-template.xlsx" { "XLSX" } " · " a href="/workspace/import-template.csv" { "CSV" }
                ". Rows without a transfer mechanism record none: a transfer outside the EEA without an adequacy decision is then flagged until you record the mechanism of the contract."
            }
            form.stacked method="post" enctype="multipart/form-data" action={ "/workspace/" (org.slug) "/import" } #import-form {
                input type="hidden" name="csrf" value=(session.csrf_token);
                div.field {
                    label for="import-file" { "File" }
                    input #import-file type="file" name="file" accept=".csv,.xlsx,.xls,.ods,.tsv,.md,.html,.htm,.txt";
                }
                div.field {
                    label for="import-pasted" { "Or paste a table" }
                    textarea #import-pasted name="pasted" rows="8" {}
                }
                div.actions { button type="submit" { "Check (dry run)" } }
            }
        },
    )
}

fn summary(plan: &Plan, first: &str) -> Markup {
    html! {
        div.note role="status" #import-summary {
            p {
                (first) " Read " (plan.rows) " rows (" (plan.format) "): "
                (plan.created()) " vendors to create, " (plan.changed()) " to change, " (plan.unchanged()) " unchanged."
            }
            @for t in &plan.skipped_tables { p { "Not read: " (t) } }
            @for c in &plan.ignored_columns { p { "Not read: " (c) } }
        }
    }
}

fn problems(plan: &Plan) -> Markup {
    html! {
        h2 #problems-title { "Problems" }
        (Table::labelled("vendors import-problems", "problems-title", &["Row", "Column", "Problem"]).render(html! {
            @for p in &plan.problems {
                tr {
                    td data-label="Row" { @if let Some(r) = &p.row { (r) } }
                    td data-label="Column" { @if let Some((letters, header)) = &p.column { (letters) " (" (header) ")" } }
                    td data-label="Problem" { (p.message) }
                }
            }
        }))
    }
}

fn planned(plan: &Plan, heading: &str) -> Markup {
    html! {
        @if !plan.vendors.is_empty() {
            h2 #planned-title { (heading) }
            (Table::labelled("vendors import-plan", "planned-title", &["Rows", "Vendor", "What happens"]).render(html! {
                @for v in &plan.vendors {
                    tr {
                        td data-label="Rows" { (v.incoming.rows.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")) }
                        th scope="row" data-label="Vendor" { (v.incoming.row.name) }
                        td data-label="What happens" {
                            (action(v))
                            @for note in &v.notes { br; small { (note) } }
                        }
                    }
                }
            }))
        }
    }
}

fn action(v: &Planned) -> String {
    let places: Vec<&str> = v.incoming.row.countries.iter().map(|c| c.name()).collect();
    match &v.action {
        Action::Create { takes_effect } => format!(
            "Create ({}){}",
            match takes_effect {
                Some(d) => format!("active, announced, takes effect on {d}"),
                None => "proposed".into(),
            },
            if places.is_empty() {
                String::new()
            } else {
                format!("; transfers to {}", places.join(", "))
            }
        ),
        Action::Update {
            fields,
            added,
            changed,
        } => {
            let mut parts = fields.clone();
            if !added.is_empty() {
                parts.push(format!("add transfers to {}", added.join(", ")));
            }
            if !changed.is_empty() {
                parts.push(format!("change transfers to {}", changed.join(", ")));
            }
            format!("Change: {}", parts.join("; "))
        }
        Action::Unchanged => "Unchanged".into(),
        Action::Skipped(why) => format!("Left as is: {why}"),
    }
}
