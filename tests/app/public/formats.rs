//! The CSV (one row per transfer) and the Atom feed (well formed, one entry per change).

use crate::support::spawn_app;

#[actix_web::test]
async fn the_csv_parses_one_row_per_transfer() {
    let app = spawn_app().await;
    let json = app
        .get_json("/jamendo/subprocessors.json?as_of=2020-01-01")
        .await;
    let response = app.get("/jamendo/subprocessors.csv?as_of=2020-01-01").await;
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let body = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "organisation");
    assert!(headers.iter().any(|h| h == "verdict") && headers.iter().any(|h| h == "reason"));
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().unwrap();
    let transfers: usize = json["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["transfers"].as_array().unwrap().len())
        .sum();
    assert_eq!(rows.len(), transfers);
    assert!(rows.iter().all(|r| r.len() == headers.len()));
}

#[actix_web::test]
async fn the_atom_feed_is_well_formed_with_one_entry_per_change() {
    let app = spawn_app().await;
    let json = app.get_json("/arturia/subprocessors.json").await;
    let response = app.get("/arturia/subprocessors.atom").await;
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    let body = response.text().await.unwrap();
    let doc = roxmltree::Document::parse(&body).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let entries: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    let changes = json["changes"].as_array().unwrap().len()
        + json["upcoming_changes"].as_array().unwrap().len();
    assert_eq!(entries.len(), changes);
    assert!(!entries.is_empty());
    let entry = entries[0];
    for child in ["id", "title", "updated", "published", "content"] {
        assert!(
            entry.children().any(|n| n.has_tag_name(child)),
            "entry lacks {child}"
        );
    }
    let content = entry
        .children()
        .find(|n| n.has_tag_name("content"))
        .unwrap()
        .text()
        .unwrap();
    assert!(
        content.contains("Announced on") && content.contains("takes effect on"),
        "{content}"
    );
}
