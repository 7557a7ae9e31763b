//! Stored values this version cannot read are refused as corrupt data, named with their row or
//! column, never dropped or read as something else: a dropped mechanism would assess the transfer
//! as "no mechanism recorded", critical, for the wrong reason.

use crossborder::db::DbError;
use crossborder::registry::organisation;
use diesel::RunQueryDsl;

use crate::support::spawn_app;

fn corrupt_after(sql: &str) -> String {
    let app = actix_web::rt::System::new().block_on(spawn_app());
    diesel::sql_query(sql)
        .execute(&mut app.conn())
        .expect("the update runs");
    match organisation::registry(&mut app.conn(), "arturia") {
        Err(DbError::Corrupt(message)) => message,
        other => panic!("expected a corrupt-data error, got {other:?}"),
    }
}

#[test]
fn an_unknown_mechanism_is_corrupt_data_naming_its_row() {
    let message = corrupt_after(
        "UPDATE transfer_mechanisms SET mechanism = 'scc_1999' \
         WHERE transfer_id = (SELECT MIN(transfer_id) FROM transfer_mechanisms) AND position = 0",
    );
    assert!(
        message.contains("transfer_mechanisms row (transfer_id "),
        "{message}"
    );
    assert!(message.contains("scc_1999"), "{message}");
}

#[test]
fn an_unknown_framework_is_corrupt_data_naming_its_row() {
    let message = corrupt_after(
        "UPDATE vendor_certifications SET framework = 'swiss_shield' \
         WHERE id = (SELECT MIN(id) FROM vendor_certifications)",
    );
    assert!(
        message.contains("vendor_certifications row id "),
        "{message}"
    );
    assert!(message.contains("swiss_shield"), "{message}");
}

#[test]
fn an_unknown_role_is_corrupt_data_naming_its_column() {
    let message = corrupt_after("UPDATE vendors SET role = 'friend'");
    assert!(message.contains("vendors.role"), "{message}");
}
