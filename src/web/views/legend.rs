//! The legend of the public list: what each verdict, "flagged" and each severity mean, in plain
//! words. Every badge of the list links to its verdict's entry (`#legend-verdict-{verdict}`);
//! the ids are stable, so that a link to an entry keeps working.

use maud::{Markup, html};

use super::capitalised;
use crate::rules::{Severity, Verdict};

/// The id of a verdict's entry in the legend.
pub fn verdict_id(v: Verdict) -> String {
    format!("legend-verdict-{}", v.as_str())
}

/// The id of a severity's entry in the legend.
pub fn severity_id(s: Severity) -> String {
    format!("legend-severity-{}", s.as_str())
}

/// The id of the entry that says what "flagged" means.
pub const FLAGGED_ID: &str = "legend-flagged";

fn verdict_meaning(v: Verdict) -> &'static str {
    match v {
        Verdict::OutOfScope => {
            "No transfer rules checked here apply: the organisation is not established where the \
             EU, UK or Swiss rules on transfers bind it, or those rules did not apply yet on the date."
        }
        Verdict::IntraEea => {
            "The data stays in the European Economic Area (the EU, Iceland, Liechtenstein and \
             Norway), where it may move freely. No safeguard is needed."
        }
        Verdict::Adequate => {
            "The destination country is officially recognised as protecting personal data well \
             enough (an adequacy decision). No further safeguard is needed."
        }
        Verdict::Safeguarded => {
            "The country has no such recognition, but the transfer rests on a recognised \
             safeguard, such as standard contractual clauses, binding corporate rules or the \
             recipient's certification under a framework."
        }
        Verdict::Domestic => {
            "The data stays in the country where the organisation is established: it is not a \
             transfer abroad."
        }
        Verdict::Unverified => {
            "The organisation says the transfer is protected but does not say how, so the claim \
             cannot be checked."
        }
        Verdict::Derogation => {
            "The transfer relies only on an exception (for example the person's consent or the \
             needs of a contract), which the law allows for occasional transfers, not for a \
             regular service."
        }
        Verdict::Unsafeguarded => {
            "The country is not recognised as protecting personal data well enough and no \
             safeguard is named: as published, the transfer does not meet the rules."
        }
    }
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Info => "Info",
        Severity::Ok => "OK",
        Severity::Warning => "Warning",
        Severity::Critical => "Critical",
    }
}

fn severity_meaning(s: Severity) -> &'static str {
    match s {
        Severity::Info => "For information: no transfer rules to check.",
        Severity::Ok => "Nothing found to fix.",
        Severity::Warning => {
            "Something to check or complete, such as a safeguard that is claimed but not named, \
             a mere exception, or a missing transfer impact assessment."
        }
        Severity::Critical => "A serious gap: a safeguard the rules require is missing.",
    }
}

/// The legend, as a section with its heading and one list of terms.
pub fn legend() -> Markup {
    html! {
        section.legend aria-labelledby="legend-title" {
            h2 #legend-title { "What the verdicts mean" }
            p {
                "Each place a vendor handles data gets a verdict on how the transfer is protected, "
                "computed from the rules in force on the date of the list. Each verdict in the list "
                "links to its meaning here."
            }
            h3 #legend-verdicts-title { "Verdicts" }
            dl.legend {
                @for v in Verdict::ALL {
                    div id=(verdict_id(v)) {
                        dt { (capitalised(v.label())) }
                        dd {
                            (verdict_meaning(v))
                            @if v.is_flagged() {
                                " " a href={ "#" (FLAGGED_ID) } { "Always flagged" } "."
                            }
                        }
                    }
                }
            }
            h3 #legend-flags-title { "Flags and severities" }
            dl.legend {
                div id=(FLAGGED_ID) {
                    dt { "Flagged" }
                    dd {
                        "The transfer needs attention: its safeguard is missing, not named or only "
                        "an exception, or a safeguard lacks what it depends on. The summary counts "
                        "flagged transfers, and the filter “Only flagged transfers” shows them alone."
                    }
                }
                @for s in Severity::ALL {
                    div id=(severity_id(s)) {
                        dt { (severity_name(s)) }
                        dd { (severity_meaning(s)) }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_verdict_and_severity_has_one_entry() {
        let html = legend().into_string();
        for v in Verdict::ALL {
            assert_eq!(
                html.matches(&format!("id=\"{}\"", verdict_id(v))).count(),
                1
            );
        }
        for s in Severity::ALL {
            assert_eq!(
                html.matches(&format!("id=\"{}\"", severity_id(s))).count(),
                1
            );
        }
        assert_eq!(html.matches(&format!("id=\"{FLAGGED_ID}\"")).count(), 1);
    }
}
