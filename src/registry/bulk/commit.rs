//! Committing an import: in one transaction, the plan made again under the organisation's
//! lock, then each vendor created or changed through the registry's own writes.

use super::{Action, ImportError, Input, Plan, Planned, against, plan, read};
use crate::audit::{AuditEvent, audit};
use crate::db::DbConnection;
use crate::registry::edit::EditError;
use crate::registry::history::notice::Timing;
use crate::registry::organisation;
use crate::registry::transfer;
use crate::registry::vendor::{self, NewVendor, Vendor};
use crate::values::VendorKey;

/// Imports `input` into `slug` in one transaction, through the registry's writes (each
/// audited, what widens sharing announced under the notice rules), and one audit event for the
/// import itself. Refused, writing nothing, while the dry run finds any problem.
pub fn commit(
    conn: &mut DbConnection,
    slug: &str,
    input: Input,
    actor: &str,
) -> Result<Plan, ImportError> {
    let (read_plan, incoming) = read(input)?;
    conn.write_transaction(|conn| {
        let org = organisation::lock(conn, slug).map_err(|e| match e {
            EditError::NotFound(_) => ImportError::NoOrganisation,
            other => other.into(),
        })?;
        let register = vendor::all(conn, org.id)?;
        let notice_end = org.notice_end(crate::date::today());
        let mut plan = against(read_plan, incoming, &register, (org.country, notice_end));
        if !plan.problems.is_empty() {
            return Err(ImportError::Problems(Box::new(plan)));
        }
        for planned in &mut plan.vendors {
            apply(conn, slug, planned, &register, actor)?;
        }
        audit(
            conn,
            AuditEvent {
                actor,
                action: "import",
                entity: "organisation",
                entity_id: org.id,
                organisation_id: Some(org.id),
                before: None,
                after: Some(
                    serde_json::json!({
                        "file": input.name,
                        "format": plan.format,
                        "rows": plan.rows,
                        "created": plan.created(),
                        "changed": plan.changed(),
                        "unchanged": plan.unchanged(),
                    })
                    .to_string(),
                ),
            },
        )?;
        Ok(plan)
    })
}

fn apply(
    conn: &mut DbConnection,
    slug: &str,
    planned: &mut Planned,
    register: &[Vendor],
    actor: &str,
) -> Result<(), ImportError> {
    let row = &planned.incoming.row;
    let timing = Timing::default();
    match (&mut planned.action, &planned.matched) {
        (Action::Create { takes_effect }, _) => {
            let key =
                VendorKey::parse(&planned.incoming.key).map_err(|message| EditError::Invalid {
                    field: "key",
                    message,
                })?;
            let new = NewVendor {
                key,
                fields: plan::new_fields(row),
                transfers: plan::transfers(row),
            };
            let stored = vendor::create(conn, slug, new, &timing, actor)?;
            *takes_effect = stored
                .active_from
                .filter(|_| stored.status == vendor::VendorStatus::Active);
        }
        (Action::Update { .. }, Some(key)) => {
            let key = key.as_str();
            let held = register
                .iter()
                .find(|v| v.key == key)
                .ok_or(EditError::NotFound("vendor"))?;
            let (fields, changes) = plan::updated_fields(held, row);
            if !changes.is_empty() {
                vendor::update(conn, (slug, key), held.version, fields, &timing, actor)?;
            }
            for t in plan::transfers(row) {
                match held.transfers.iter().find(|h| h.country == t.country) {
                    None => {
                        transfer::add(conn, (slug, key), &t, &timing, actor)?;
                    }
                    Some(h) => {
                        if let Some(new) = plan::updated_transfer(h, row) {
                            transfer::update(
                                conn,
                                (slug, key),
                                h.id,
                                h.version,
                                &new,
                                &timing,
                                actor,
                            )?;
                        }
                    }
                }
            }
        }
        _ => {}
    }
    Ok(())
}
