//! The vendor lifecycle, proposed → active → retired, as pure functions on the records: what a
//! new vendor or an update becomes, and when a vendor may be retired. GDPR Art. 28(2): an active
//! vendor is announced and takes effect after the organisation's notice period.

use chrono::NaiveDate;

use super::{Role, Vendor, VendorCategory, VendorStatus};
use crate::registry::edit::EditError;
use crate::registry::transfer::Transfer;
use crate::rules::CountryCode;
use crate::values::{VendorKey, WebUrl};

/// A vendor's own fields, as an officer (workspace) or a procurement tool (API) gives them.
#[derive(Debug, Clone, PartialEq)]
pub struct VendorFields {
    pub name: String,
    pub legal_entity: Option<String>,
    pub website: Option<WebUrl>,
    pub headquarters: Option<CountryCode>,
    pub role: Role,
    pub categories: Vec<VendorCategory>,
    pub purpose: String,
    /// Proposed or active: `None` is proposed for a new vendor, unchanged for an update.
    pub status: Option<VendorStatus>,
    /// When an active vendor takes effect (default: the end of the notice period).
    pub active_from: Option<NaiveDate>,
    pub dpa_signed_on: Option<NaiveDate>,
    pub dpa_url: Option<WebUrl>,
    pub notes: Option<String>,
}

/// A vendor to add, with its first transfers.
#[derive(Debug, Clone, PartialEq)]
pub struct NewVendor {
    pub key: VendorKey,
    pub fields: VendorFields,
    pub transfers: Vec<Transfer>,
}

/// The record of a new vendor, added on `today`; an active one without a date takes effect on
/// `notice_end` (today plus the notice period).
pub fn new_vendor(
    new: NewVendor,
    today: NaiveDate,
    notice_end: NaiveDate,
) -> Result<Vendor, EditError> {
    record(
        new.key.into_string(),
        new.fields,
        new.transfers,
        today,
        notice_end,
    )
}

fn record(
    key: String,
    f: VendorFields,
    transfers: Vec<Transfer>,
    today: NaiveDate,
    notice_end: NaiveDate,
) -> Result<Vendor, EditError> {
    let status = f.status.unwrap_or(VendorStatus::Proposed);
    match status {
        VendorStatus::Retired => {
            return Err(EditError::Invalid {
                field: "status",
                message: "retire a vendor with POST .../retire and an effective date".into(),
            });
        }
        VendorStatus::Withdrawn => {
            return Err(EditError::Invalid {
                field: "status",
                message: "withdraw a proposed vendor with POST .../withdraw".into(),
            });
        }
        _ => {}
    }
    let mut categories = f.categories;
    categories.sort();
    categories.dedup();
    Ok(Vendor {
        id: 0,
        key,
        name: f.name.trim().to_string(),
        legal_entity: f.legal_entity,
        website: f.website.map(WebUrl::into_string),
        headquarters: f.headquarters,
        role: f.role,
        categories,
        purpose: f.purpose.trim().to_string(),
        status,
        proposed_on: Some(today),
        active_from: match status {
            VendorStatus::Active => Some(f.active_from.unwrap_or(notice_end)),
            _ => f.active_from,
        },
        retired_from: None,
        dpa_signed_on: f.dpa_signed_on,
        dpa_url: f.dpa_url.map(WebUrl::into_string),
        notes: f.notes,
        evidence: Vec::new(),
        certifications: Vec::new(),
        transfers,
        ended_transfers: Vec::new(),
        version: 1,
    })
}

/// The new state of `current`'s own fields after an update (its transfers, certifications and
/// evidence are not part of it). The key, the proposal date and the retirement stay; a missing
/// status or date keeps the current one; an active vendor does not go back to proposed, and a
/// retired one stays retired. A proposed vendor made active without a date takes effect on
/// `notice_end`: it is announced today.
pub fn updated(
    current: &Vendor,
    mut fields: VendorFields,
    today: NaiveDate,
    notice_end: NaiveDate,
) -> Result<Vendor, EditError> {
    if current.status == VendorStatus::Withdrawn {
        return Err(EditError::Conflict(format!(
            "vendor '{}' was withdrawn: it is kept as it was; propose it again under a new key",
            current.key
        )));
    }
    let requested = fields.status.unwrap_or(current.status);
    if requested == VendorStatus::Proposed && current.status != VendorStatus::Proposed {
        return Err(EditError::Invalid {
            field: "status",
            message: format!(
                "vendor '{}' is {}; it cannot go back to proposed (retire it instead)",
                current.key, current.status
            ),
        });
    }
    let activating = current.status == VendorStatus::Proposed && requested == VendorStatus::Active;
    fields.status = Some(match current.status {
        VendorStatus::Retired => VendorStatus::Active,
        _ => requested,
    });
    // A date planned with the proposal is kept when given again; activating without one
    // announces the vendor now, taking effect after the notice period.
    if fields.active_from.is_none() && !activating {
        fields.active_from = current.active_from;
    }
    let mut v = record(current.key.clone(), fields, Vec::new(), today, notice_end)?;
    v.proposed_on = current.proposed_on;
    v.retired_from = current.retired_from;
    if current.status == VendorStatus::Retired {
        v.status = VendorStatus::Retired;
    }
    Ok(v)
}

/// Whether `vendor` may be retired from `effective_on`: only an active vendor, after the day it
/// became active.
pub fn check_retirement(vendor: &Vendor, effective_on: NaiveDate) -> Result<(), EditError> {
    let key = &vendor.key;
    match vendor.status {
        VendorStatus::Retired => {
            return Err(EditError::Conflict(format!(
                "vendor '{key}' is retired already"
            )));
        }
        // Retiring what was never used would publish it as having been used.
        VendorStatus::Proposed => {
            return Err(EditError::Conflict(format!(
                "vendor '{key}' is only proposed: it was never active, so there is nothing to retire"
            )));
        }
        VendorStatus::Withdrawn => {
            return Err(EditError::Conflict(format!(
                "vendor '{key}' was withdrawn before it was ever listed: there is nothing to retire"
            )));
        }
        VendorStatus::Active => {}
    }
    match vendor.active_from.filter(|from| effective_on <= *from) {
        Some(from) => Err(EditError::Conflict(format!(
            "the retirement date {effective_on} is not after the date the vendor became active ({from})"
        ))),
        None => Ok(()),
    }
}

/// Whether `vendor` may be withdrawn: only a proposal that was never published (`published`:
/// it has versions). What the public saw is retired instead, with an announcement.
pub fn check_withdrawal(vendor: &Vendor, published: bool) -> Result<(), EditError> {
    let key = &vendor.key;
    match vendor.status {
        VendorStatus::Proposed if !published => Ok(()),
        VendorStatus::Withdrawn => Err(EditError::Conflict(format!(
            "vendor '{key}' was withdrawn already"
        ))),
        VendorStatus::Retired => Err(EditError::Conflict(format!(
            "vendor '{key}' is retired already"
        ))),
        _ => Err(EditError::Conflict(format!(
            "vendor '{key}' has been announced on the public list: retire it instead, with an effective date"
        ))),
    }
}

/// A withdrawn vendor's notes: its own, then the day it was withdrawn and why.
pub fn withdrawal_notes(notes: Option<&str>, reason: Option<&str>, on: NaiveDate) -> String {
    let line = match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(reason) => format!("Withdrawn on {on}: {reason}"),
        None => format!("Withdrawn on {on}."),
    };
    match notes.map(str::trim).filter(|n| !n.is_empty()) {
        Some(notes) => format!("{notes}\n{line}"),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn fields(status: Option<VendorStatus>, active_from: Option<&str>) -> VendorFields {
        VendorFields {
            name: " Stripe ".into(),
            legal_entity: None,
            website: None,
            headquarters: None,
            role: Role::Processor,
            categories: vec![
                VendorCategory::Payments,
                VendorCategory::Hosting,
                VendorCategory::Payments,
            ],
            purpose: "Payments".into(),
            status,
            active_from: active_from.map(day),
            dpa_signed_on: None,
            dpa_url: None,
            notes: None,
        }
    }

    fn vendor(status: VendorStatus, active_from: Option<&str>) -> Vendor {
        let new = NewVendor {
            key: VendorKey::parse("stripe").unwrap(),
            fields: fields(Some(VendorStatus::Proposed), None),
            transfers: vec![],
        };
        let mut v = new_vendor(new, day("2026-01-01"), day("2026-01-31")).unwrap();
        v.status = status;
        v.active_from = active_from.map(day);
        v
    }

    const TODAY: &str = "2026-12-01";
    const NOTICE_END: &str = "2026-12-31";

    #[test]
    fn a_new_vendor() {
        // (status given, date given) -> (status, takes effect)
        let rows = [
            (None, None, VendorStatus::Proposed, None),
            (
                None,
                Some("2027-03-01"),
                VendorStatus::Proposed,
                Some("2027-03-01"),
            ),
            // Art. 28(2): an active vendor is announced and takes effect after the notice.
            (
                Some(VendorStatus::Active),
                None,
                VendorStatus::Active,
                Some(NOTICE_END),
            ),
            (
                Some(VendorStatus::Active),
                Some("2027-02-01"),
                VendorStatus::Active,
                Some("2027-02-01"),
            ),
        ];
        for (status, date, want_status, want_from) in rows {
            let new = NewVendor {
                key: VendorKey::parse("stripe").unwrap(),
                fields: fields(status, date),
                transfers: vec![],
            };
            let v = new_vendor(new, day(TODAY), day(NOTICE_END)).unwrap();
            assert_eq!((v.status, v.active_from), (want_status, want_from.map(day)));
            assert_eq!(v.name, "Stripe");
            assert_eq!(
                v.categories,
                [VendorCategory::Hosting, VendorCategory::Payments]
            );
            assert_eq!(v.proposed_on, Some(day(TODAY)));
        }
    }

    #[test]
    fn a_new_vendor_is_not_retired() {
        let new = NewVendor {
            key: VendorKey::parse("stripe").unwrap(),
            fields: fields(Some(VendorStatus::Retired), None),
            transfers: vec![],
        };
        assert!(matches!(
            new_vendor(new, day(TODAY), day(NOTICE_END)),
            Err(EditError::Invalid {
                field: "status",
                ..
            })
        ));
    }

    #[test]
    fn updates_follow_the_lifecycle() {
        use VendorStatus::*;
        // (current, its start, status asked, date asked) -> (status, takes effect) or refused
        type Outcome = Option<(VendorStatus, Option<&'static str>)>;
        type Row = (
            VendorStatus,
            Option<&'static str>,
            Option<VendorStatus>,
            Option<&'static str>,
            Outcome,
        );
        let rows: [Row; 8] = [
            (Proposed, None, None, None, Some((Proposed, None))),
            (
                Proposed,
                Some("2027-05-01"),
                None,
                None,
                Some((Proposed, Some("2027-05-01"))),
            ),
            // Activating without a date announces now: effective after the notice period.
            (
                Proposed,
                Some("2027-05-01"),
                Some(Active),
                None,
                Some((Active, Some(NOTICE_END))),
            ),
            (
                Proposed,
                None,
                Some(Active),
                Some("2027-02-01"),
                Some((Active, Some("2027-02-01"))),
            ),
            (
                Active,
                Some("2024-01-01"),
                None,
                None,
                Some((Active, Some("2024-01-01"))),
            ),
            (Active, Some("2024-01-01"), Some(Proposed), None, None),
            (Active, Some("2024-01-01"), Some(Retired), None, None),
            (
                Retired,
                Some("2024-01-01"),
                Some(Active),
                None,
                Some((Retired, Some("2024-01-01"))),
            ),
        ];
        for (current, from, status, date, want) in rows {
            let current = vendor(current, from);
            let got = updated(&current, fields(status, date), day(TODAY), day(NOTICE_END));
            match want {
                Some((status, from)) => {
                    let v = got.unwrap();
                    assert_eq!((v.status, v.active_from), (status, from.map(day)));
                    assert_eq!(v.proposed_on, current.proposed_on);
                    assert_eq!(v.key, "stripe");
                }
                None => assert!(matches!(
                    got,
                    Err(EditError::Invalid {
                        field: "status",
                        ..
                    })
                )),
            }
        }
    }

    #[test]
    fn only_an_unpublished_proposal_is_withdrawn() {
        use VendorStatus::*;
        let rows = [
            (Proposed, false, true),
            (Proposed, true, false),
            (Active, true, false),
            (Active, false, false),
            (Retired, true, false),
            (Withdrawn, false, false),
        ];
        for (status, published, ok) in rows {
            let v = vendor(status, None);
            assert_eq!(
                check_withdrawal(&v, published).is_ok(),
                ok,
                "{status} {published}"
            );
        }
        assert_eq!(
            withdrawal_notes(Some("From intake #3."), Some(" too costly "), day(TODAY)),
            "From intake #3.\nWithdrawn on 2026-12-01: too costly"
        );
        assert_eq!(
            withdrawal_notes(None, Some(""), day(TODAY)),
            "Withdrawn on 2026-12-01."
        );
        let edited = updated(
            &vendor(Withdrawn, None),
            fields(None, None),
            day(TODAY),
            day(NOTICE_END),
        );
        assert!(matches!(edited, Err(EditError::Conflict(_))));
        assert!(check_retirement(&vendor(Withdrawn, None), day(TODAY)).is_err());
    }

    #[test]
    fn retirement() {
        use VendorStatus::*;
        let rows = [
            (Active, Some("2024-01-01"), "2027-01-01", true),
            (Active, None, "2027-01-01", true),
            (Active, Some("2027-01-01"), "2027-01-01", false),
            (Proposed, None, "2027-01-01", false),
            (Retired, Some("2024-01-01"), "2027-01-01", false),
        ];
        for (status, from, on, ok) in rows {
            let v = vendor(status, from);
            assert_eq!(
                check_retirement(&v, day(on)).is_ok(),
                ok,
                "{status} {from:?} {on}"
            );
        }
    }
}
