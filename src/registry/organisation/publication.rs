//! What an organisation's public list (page, JSON, CSV, feed) shows of the assessments and of
//! the evidence: chosen by its admins. The verdicts and their reasons are the list's point and
//! are shown unless turned off; the hints (the next step for the privacy officer: "ask for the
//! mechanism by name") and the names of evidence files are internal notes, kept off the public
//! copies unless an admin chooses to publish them.

use serde::{Deserialize, Serialize};

use crate::values::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Publication {
    /// Each transfer's verdict, with its severity, the mechanism that covers it and the law
    /// cited; the summary's counts of flagged transfers and the filter by verdict.
    pub verdicts: bool,
    /// The one-sentence reason of each verdict.
    pub reasons: bool,
    /// The hints written for the privacy officer (what to record or ask for next).
    pub hints: bool,
    /// The names of the evidence documents (often internal file names); the quotes and their
    /// public addresses are shown either way.
    pub evidence_documents: bool,
}

impl Default for Publication {
    fn default() -> Self {
        Publication {
            verdicts: true,
            reasons: true,
            hints: false,
            evidence_documents: false,
        }
    }
}

/// The form fields (and columns) of the settings, with their labels.
pub const FIELDS: [(&str, &str); 4] = [
    ("publish_verdicts", "Verdicts"),
    ("publish_reasons", "Reasons of the verdicts"),
    ("publish_hints", "Hints for the privacy officer"),
    ("publish_evidence_documents", "Names of evidence documents"),
];

impl Publication {
    /// Refuses reasons or hints without the verdicts they explain: a reason read alone would
    /// give the verdict away, and saving it would not show what the admin asked for.
    pub fn check(self) -> Result<Publication, Vec<FieldError>> {
        let mut errors = Vec::new();
        if !self.verdicts {
            if self.reasons {
                errors.push(FieldError::new(
                    "publish_reasons",
                    "Reasons are shown only with the verdicts they explain: publish the verdicts too, or not the reasons.",
                ));
            }
            if self.hints {
                errors.push(FieldError::new(
                    "publish_hints",
                    "Hints are shown only with the verdicts they follow: publish the verdicts too, or not the hints.",
                ));
            }
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
    }

    /// Whether reasons are shown: they need the verdicts (a row edited by hand could differ).
    pub fn shows_reasons(self) -> bool {
        self.verdicts && self.reasons
    }

    /// Whether hints are shown: they need the verdicts too.
    pub fn shows_hints(self) -> bool {
        self.verdicts && self.hints
    }

    /// The settings as stored (0/1 columns; anything but 0 is yes).
    pub fn from_columns(verdicts: i32, reasons: i32, hints: i32, evidence_documents: i32) -> Self {
        Publication {
            verdicts: verdicts != 0,
            reasons: reasons != 0,
            hints: hints != 0,
            evidence_documents: evidence_documents != 0,
        }
    }

    /// The settings as the columns keep them, in the order of [`FIELDS`].
    pub fn columns(self) -> [i32; 4] {
        [
            self.verdicts,
            self.reasons,
            self.hints,
            self.evidence_documents,
        ]
        .map(i32::from)
    }

    /// The settings as the form's checkboxes (field names of [`FIELDS`]): each one ticked or not.
    pub fn fields(self) -> [(&'static str, bool); 4] {
        let [v, r, h, e] = self.columns().map(|c| c != 0);
        [
            (FIELDS[0].0, v),
            (FIELDS[1].0, r),
            (FIELDS[2].0, h),
            (FIELDS[3].0, e),
        ]
    }

    /// The settings from the form's checkboxes: `ticked(name)` says whether one was sent.
    pub fn from_fields(ticked: impl Fn(&str) -> bool) -> Self {
        Publication {
            verdicts: ticked(FIELDS[0].0),
            reasons: ticked(FIELDS[1].0),
            hints: ticked(FIELDS[2].0),
            evidence_documents: ticked(FIELDS[3].0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_default_verdicts_and_reasons_are_public_and_internal_notes_are_not() {
        let p = Publication::default();
        assert!(p.verdicts && p.reasons);
        assert!(!p.hints && !p.evidence_documents);
        assert_eq!(p.check(), Ok(p));
    }

    #[test]
    fn reasons_or_hints_without_verdicts_are_refused_naming_the_field() {
        let p = Publication {
            verdicts: false,
            reasons: true,
            hints: true,
            evidence_documents: true,
        };
        let errors = p.check().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["publish_reasons", "publish_hints"]);
        let hidden = Publication {
            verdicts: false,
            reasons: false,
            hints: false,
            evidence_documents: true,
        };
        assert_eq!(hidden.check(), Ok(hidden));
    }

    #[test]
    fn columns_and_fields_read_back_what_they_wrote() {
        let p = Publication {
            verdicts: true,
            reasons: false,
            hints: true,
            evidence_documents: false,
        };
        let [v, r, h, e] = p.columns();
        assert_eq!(Publication::from_columns(v, r, h, e), p);
        let fields = p.fields();
        let ticked = |name: &str| fields.iter().any(|(n, on)| *n == name && *on);
        assert_eq!(Publication::from_fields(ticked), p);
    }
}
