//! The exports page of an organisation: the Art. 30 record's transfer part on a date, and the
//! vendor register, each as XLSX or CSV.

use chrono::NaiveDate;
use maud::{Markup, html};

use crate::auth::sessions::Session;
use crate::registry::Organisation;
use crate::web::views::layout;

pub fn exports_page(session: &Session, org: &Organisation, today: NaiveDate) -> Markup {
    let title = format!("Exports for {}", org.name);
    let base = format!("/workspace/{}", org.slug);
    layout(
        &title,
        html! {},
        html! {
            (super::bar(session, ""))
            h1 { (title) }
            h2 { "Record of processing: transfers (GDPR Art. 30(1)(e) and 30(2)(c))" }
            p {
                "Each recipient listed on the date, each third country or place it handles the data in, the safeguard claimed, "
                "and the verdict of the rules on that date (as on the public list), with its reason."
            }
            form.stacked method="get" action={ (base) "/ropa.xlsx" } #ropa-form {
                div.field {
                    label for="ropa-as-of" { "Verdicts on" }
                    input #ropa-as-of type="date" name="as_of" value=(today) required;
                }
                div.actions {
                    button type="submit" { "Download XLSX" }
                    button type="submit" formaction={ (base) "/ropa.csv" } { "Download CSV" }
                }
            }
            h2 { "Vendor register" }
            p { "Every vendor, proposed, active or retired, with its DPA, transfers and TIA dates, certifications, evidence and internal notes." }
            p {
                a href={ (base) "/register.xlsx" } #register-xlsx { "Vendor register (XLSX)" }
                " · "
                a href={ (base) "/register.csv" } #register-csv { "Vendor register (CSV)" }
            }
        },
    )
}
