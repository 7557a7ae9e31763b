//! `import` checks values, not only structure: a country or a status no page can show refuses
//! the whole file, naming the table, the row and the field.

use crossborder::registry::export;

use crate::support::spawn_app;

#[actix_web::test]
async fn a_bad_country_or_status_refuses_the_file() {
    let app = spawn_app().await;
    let exported = export::export(&mut app.conn()).unwrap();
    let mut file = serde_json::to_value(&exported).unwrap();
    file["tables"]["vendors"][0]["headquarters"] = "ZZ".into();
    file["tables"]["vendors"][1]["status"] = "dormant".into();
    file["tables"]["transfers"][0]["location"] = "Bell\u{7}".into();
    let bytes = serde_json::to_vec(&file).unwrap();
    let error = export::parse(&bytes).unwrap_err();
    assert!(
        error.contains("table `vendors`") && error.contains("field `headquarters`"),
        "{error}"
    );
    assert!(
        error.contains("field `status`") && error.contains("dormant"),
        "{error}"
    );
    assert!(
        error.contains("table `transfers`") && error.contains("U+0007"),
        "{error}"
    );
}
