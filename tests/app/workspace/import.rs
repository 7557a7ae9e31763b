//! Importing vendors in the workspace: the dry run names each bad cell by row and column and
//! writes nothing; fixed, it says what would be created, and the commit creates it in one go,
//! audited and announced under the notice rules; importing the same file again changes nothing.
//! Then the Art. 30 export and the vendor register, as CSV and XLSX.

use calamine::{Data, Reader};
use crossborder::auth::users::Role;
use crossborder::registry::{ChangeKind, organisation};

use crate::support::{
    Session, TestApp, audit_count, audited, get_as, get_response, hidden, sign_in, spawn_app, today,
};

const BOUNDARY: &str = "----crossborder-test-boundary";

/// A multipart form as a browser posts it: text fields, then the file.
async fn post_multipart(
    app: &TestApp,
    session: &Session,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> reqwest::Response {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .into_bytes(),
        );
    }
    if let Some((filename, bytes)) = file {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; \
                 filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .into_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").into_bytes());
    app.client
        .post(format!("{}{path}", app.address))
        .header("Cookie", format!("cb_session={}", session.cookie))
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .unwrap()
}

const BAD: &str = "Name,Purpose,Locations,Website\n\
    Fireworks AI,AI inference,\"United States, Iceland, Germany\",fireworks.ai\n\
    Tiny Mail,Newsletters,Atlantis,tinymail.example\n\
    Fireworks AI,Model hosting,United States,\n";

const GOOD: &str = "Name,Purpose,Locations,Website\n\
    Fireworks AI,AI inference,\"United States, Iceland, Germany\",fireworks.ai\n\
    Tiny Mail,Newsletters,France,tinymail.example\n\
    Fireworks AI,Model hosting,United States,\n";

fn vendor_count(app: &TestApp) -> usize {
    organisation::registry(&mut app.conn(), "arturia")
        .unwrap()
        .unwrap()
        .vendors
        .len()
}

#[actix_web::test]
async fn a_spreadsheet_is_checked_fixed_imported_once_and_again_changes_nothing() {
    let app = spawn_app().await;
    let session = sign_in(&app, "editor@example.com", Role::Editor).await;
    let (status, page) = get_as(&app, &session, "/workspace/arturia/import").await;
    assert_eq!(status, 200);
    assert!(page.contains("import-form") && page.contains("/workspace/import-template.xlsx"));
    let (vendors, events) = (vendor_count(&app), audit_count(&app));

    // The dry run of a file with a bad cell names it and writes nothing.
    let path = "/workspace/arturia/import";
    let csrf = [("csrf", session.csrf.as_str())];
    let refused = post_multipart(
        &app,
        &session,
        path,
        &csrf,
        Some(("vendors.csv", BAD.as_bytes())),
    )
    .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("row 3")
            && page.contains("C (Locations)")
            && page.contains("&#39;Atlantis&#39; not a country")
            || page.contains("'Atlantis' not a country"),
        "{page}"
    );
    assert!(!page.contains("commit-form"));
    assert_eq!((vendor_count(&app), audit_count(&app)), (vendors, events));

    // Fixed: the dry run says what would be created, still writing nothing.
    let checked = post_multipart(
        &app,
        &session,
        path,
        &csrf,
        Some(("vendors.csv", GOOD.as_bytes())),
    )
    .await;
    assert_eq!(checked.status(), 200);
    let page = checked.text().await.unwrap();
    assert!(page.contains("commit-form"), "{page}");
    assert!(page.contains("2 vendors to create"), "{page}");
    assert!(
        page.contains("row 2, row 4"),
        "one vendor from two rows: {page}"
    );
    assert_eq!((vendor_count(&app), audit_count(&app)), (vendors, events));

    // The commit brings the file back and creates both vendors, announced under the notice rules.
    let content = hidden(&page, "content");
    let done = post_multipart(
        &app,
        &session,
        path,
        &[
            ("csrf", &session.csrf),
            ("content", &content),
            ("filename", "vendors.csv"),
            ("commit", "1"),
        ],
        None,
    )
    .await;
    assert_eq!(done.status(), 200);
    assert!(done.text().await.unwrap().contains("Imported: 2 created"));
    let registry = organisation::registry(&mut app.conn(), "arturia")
        .unwrap()
        .unwrap();
    let fireworks = registry
        .vendors
        .iter()
        .find(|v| v.key == "fireworks-ai")
        .unwrap();
    assert_eq!(fireworks.purpose, "AI inference; Model hosting");
    assert_eq!(fireworks.transfers.len(), 3);
    assert!(fireworks.transfers.iter().all(|t| t.mechanisms.is_empty()));
    let notice_end = today() + chrono::Duration::days(registry.organisation.announce_days.into());
    assert_eq!(fireworks.active_from, Some(notice_end));
    let announced = registry
        .changes
        .iter()
        .find(|c| c.vendor_id == Some(fireworks.id) && c.kind == ChangeKind::Added)
        .expect("announced");
    assert_eq!(
        (announced.announced_on, announced.effective_on),
        (today(), notice_end)
    );
    assert_eq!(audited(&app, "organisation", "import").len(), 1);
    let created = audited(&app, "vendor", "create");
    assert!(
        created
            .iter()
            .filter(|e| e.0 == "user:editor@example.com")
            .count()
            == 2
    );

    // The same file again: nothing to do, and a commit changes nothing but its own audit event.
    let again = post_multipart(
        &app,
        &session,
        path,
        &csrf,
        Some(("vendors.csv", GOOD.as_bytes())),
    )
    .await;
    let page = again.text().await.unwrap();
    assert!(page.contains("importing would change nothing"), "{page}");
    let events = audit_count(&app);
    let again = post_multipart(
        &app,
        &session,
        path,
        &[
            ("csrf", &session.csrf),
            ("content", &content),
            ("commit", "1"),
        ],
        None,
    )
    .await;
    assert!(
        again
            .text()
            .await
            .unwrap()
            .contains("Imported: 0 created, 0 changed, 2 unchanged")
    );
    assert_eq!(audit_count(&app), events + 1);
}

#[actix_web::test]
async fn a_pasted_table_a_viewer_and_a_forged_form() {
    let app = spawn_app().await;
    let viewer = sign_in(&app, "viewer@example.com", Role::Viewer).await;
    let (status, _) = get_as(&app, &viewer, "/workspace/arturia/import").await;
    assert_eq!(status, 403);
    let editor = sign_in(&app, "editor@example.com", Role::Editor).await;
    let path = "/workspace/arturia/import";
    let forged = post_multipart(
        &app,
        &editor,
        path,
        &[("csrf", "nope"), ("pasted", "Name\tLocation\nX\tFrance")],
        None,
    )
    .await;
    assert_eq!(forged.status(), 403);
    let pasted = "| Name of Subprocessor | Description of Processing | Location of Processing |\n\
        |---|---|---|\n| Acme Cloud | Hosting | Germany <br/> and Japan |\n";
    let checked = post_multipart(
        &app,
        &editor,
        path,
        &[("csrf", &editor.csrf), ("pasted", pasted)],
        None,
    )
    .await;
    assert_eq!(checked.status(), 200);
    let page = checked.text().await.unwrap();
    assert!(
        page.contains("Markdown") && page.contains("transfers to Germany, Japan"),
        "{page}"
    );
    let empty = post_multipart(&app, &editor, path, &[("csrf", &editor.csrf)], None).await;
    assert_eq!(empty.status(), 422);

    // The templates, for any signed-in account.
    let (status, csv) = get_as(&app, &viewer, "/workspace/import-template.csv").await;
    assert_eq!(status, 200);
    assert!(
        csv.starts_with("Name,Key,Legal entity,Website,Purpose,Locations,"),
        "{csv}"
    );
    let xlsx = get_response(&app, &viewer, "/workspace/import-template.xlsx").await;
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.unwrap().to_vec();
    let book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["Vendors", "Columns"]);
}

#[actix_web::test]
async fn the_art_30_export_and_the_register_download_as_csv_and_xlsx() {
    let app = spawn_app().await;
    let viewer = sign_in(&app, "viewer@example.com", Role::Viewer).await;
    let (status, page) = get_as(&app, &viewer, "/workspace/arturia/exports").await;
    assert_eq!(status, 200);
    assert!(page.contains("/workspace/arturia/ropa.xlsx"));

    let csv = get_response(
        &app,
        &viewer,
        "/workspace/arturia/ropa.csv?as_of=2026-06-01",
    )
    .await;
    assert_eq!(csv.status(), 200);
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let disposition = csv.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.contains("arturia-art30-transfers-2026-06-01.csv"),
        "{disposition}"
    );
    let text = csv.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[2], "Recipient");
    assert_eq!(&headers[14], "Verdict");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| &r[1] == "2026-06-01"));

    let xlsx = get_response(
        &app,
        &viewer,
        "/workspace/arturia/ropa.xlsx?as_of=2026-06-01",
    )
    .await;
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.unwrap();
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let read: Vec<Vec<String>> = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    assert_eq!(read[0], headers.iter().collect::<Vec<_>>());
    assert_eq!(read.len(), rows.len() + 1);
    assert_eq!(read[1], rows[0].iter().collect::<Vec<_>>());

    let bad = get_response(&app, &viewer, "/workspace/arturia/ropa.csv?as_of=yesterday").await;
    assert_eq!(bad.status(), 400);
    let register = get_response(&app, &viewer, "/workspace/arturia/register.csv").await;
    assert_eq!(register.status(), 200);
    let text = register.text().await.unwrap();
    assert!(text.contains("DPA signed on") && text.contains("Notes"));
    assert!(!text.contains("argon2") && !text.contains("cb_session"));
    let register = get_response(&app, &viewer, "/workspace/arturia/register.xlsx").await;
    assert_eq!(register.status(), 200);
    let anonymous = app.get("/workspace/arturia/ropa.csv").await;
    assert_eq!(anonymous.status(), 303);
}

/// Every version of GitHub's published list (2018–2026), imported in order into one
/// organisation: each commits, the next one only adds and changes what differs, and importing a
/// version again changes nothing.
#[actix_web::test]
async fn githubs_list_imported_version_after_version() {
    use crossborder::registry::bulk::{self, Input};
    let app = spawn_app().await;
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/github-subprocessors"
    );
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    let mut conn = app.conn();
    let mut imported = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(path).unwrap();
        let input = Input {
            bytes: &bytes,
            name: Some(&name),
        };
        let dry = bulk::plan(&mut conn, "jamendo", input).unwrap();
        if dry.rows == 0 {
            // The versions that only link to the list elsewhere.
            assert_eq!(dry.problems.len(), 1, "{name}");
            continue;
        }
        assert!(dry.problems.is_empty(), "{name}: {:?}", dry.problems);
        let done = bulk::commit(&mut conn, "jamendo", input, "test").unwrap();
        assert_eq!(done.created(), dry.created(), "{name}");
        let again = bulk::plan(&mut conn, "jamendo", input).unwrap();
        assert!(!again.writes(), "{name}: {:?}", again.vendors);
        imported += 1;
    }
    assert!(imported > 40, "{imported} versions imported");
    let registry = organisation::registry(&mut conn, "jamendo")
        .unwrap()
        .unwrap();
    assert!(registry.vendors.iter().any(|v| {
        v.key == "fireworks-ai"
            && v.transfers
                .iter()
                .filter_map(|t| t.country)
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                == ["US", "IS", "DE"]
    }));
}
