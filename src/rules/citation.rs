//! Where a rule comes from and when it applies: the two things every row of the rules data has.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How sure the project is of a row (TRANSFER-RULES.md): checked in the Official Journal, other
/// primary text, a secondary source, or general knowledge not yet checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Confidence {
    #[serde(rename = "OJ")]
    OfficialJournal,
    #[serde(rename = "P")]
    Primary,
    #[serde(rename = "2")]
    Secondary,
    #[serde(rename = "K")]
    Knowledge,
}

impl Confidence {
    pub const ALL: [Confidence; 4] = [
        Confidence::OfficialJournal,
        Confidence::Primary,
        Confidence::Secondary,
        Confidence::Knowledge,
    ];

    pub fn tag(self) -> &'static str {
        match self {
            Confidence::OfficialJournal => "OJ",
            Confidence::Primary => "P",
            Confidence::Secondary => "2",
            Confidence::Knowledge => "K",
        }
    }

    /// Checked against a primary source.
    pub fn is_checked(self) -> bool {
        matches!(self, Confidence::OfficialJournal | Confidence::Primary)
    }

    pub fn describe(self) -> &'static str {
        match self {
            Confidence::OfficialJournal => "checked in the Official Journal",
            Confidence::Primary => "checked in a primary text",
            Confidence::Secondary => "from a secondary source",
            Confidence::Knowledge => "from general knowledge, not checked",
        }
    }
}

/// Where a rule comes from: its id in the rules data, its legal reference and how sure we are.
#[derive(Debug, Clone, Serialize)]
pub struct Citation {
    pub rule: String,
    pub reference: String,
    pub confidence: Confidence,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `valid_from` is the first day a rule applies, `valid_until` the first day it no longer does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Period {
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
}

impl Period {
    pub fn started(&self, date: NaiveDate) -> bool {
        self.valid_from.is_none_or(|from| date >= from)
    }

    pub fn ended(&self, date: NaiveDate) -> bool {
        self.valid_until.is_some_and(|until| date >= until)
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.started(date) && !self.ended(date)
    }

    /// The last day the rule applies, if it ends.
    pub fn last_day(&self) -> Option<NaiveDate> {
        self.valid_until.and_then(|d| d.pred_opt())
    }
}
