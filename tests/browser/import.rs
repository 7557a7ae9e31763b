//! Importing a spreadsheet in a real browser: an editor uploads an XLSX with a bad cell, reads
//! the problem with its row and column, uploads the fixed file, checks the dry run and imports;
//! then downloads the Art. 30 export of the organisation and reads it back. Screenshots of the
//! dry run at desktop and phone width go to `target/screenshots/`.

use base64::Engine;
use calamine::{Data, Reader};
use crossborder::auth::users::Role;
use serde_json::json;

use crate::chromium::{ChromeDriver, chromedriver_or_skip, connect, save_screenshot, set_viewport};
use crate::support::{PASSWORD, create_user, spawn_app};
use crate::user::{
    click_button, field, find, heading, no_horizontal_scrolling, text_of, type_into, wait_for_path,
};

const EDITOR: &str = "importer@example.com";

/// A vendor spreadsheet as a team keeps one: a title row, then the header and the vendors.
fn spreadsheet(place_of_zed: &str) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .write_string(0, 0, "Vendors (kept by the privacy team)")
        .unwrap();
    for (c, h) in ["Vendor", "Purpose", "Location of processing", "Website"]
        .iter()
        .enumerate()
    {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    let rows = [
        [
            "Nimbus Hosting",
            "Hosting",
            "Germany, United States",
            "nimbus.example",
        ],
        [
            "Zed Analytics",
            "Audience measurement",
            place_of_zed,
            "zed.example",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 2, c as u16, *cell).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

#[actix_web::test]
async fn an_officer_imports_a_spreadsheet_and_downloads_the_art_30_record() {
    let Some(binary) = chromedriver_or_skip() else {
        return;
    };
    let app = spawn_app().await;
    create_user(&app, EDITOR, Role::Editor);
    let files = tempfile::tempdir().unwrap();
    let bad = files.path().join("vendors.xlsx");
    std::fs::write(&bad, spreadsheet("Narnia")).unwrap();
    let fixed = files.path().join("vendors-fixed.xlsx");
    std::fs::write(&fixed, spreadsheet("France")).unwrap();
    let profile = tempfile::tempdir().expect("a temporary Chromium profile");
    let driver = ChromeDriver::start(&binary);
    let client = connect(&driver, profile.path()).await;
    set_viewport(&client, 1280, 1000).await;

    client
        .goto(&format!("{}/workspace/jamendo/import", app.address))
        .await
        .unwrap();
    wait_for_path(&client, "/workspace/login").await;
    type_into(&client, "E-mail", EDITOR).await;
    type_into(&client, "Password", PASSWORD).await;
    click_button(&client, "Sign in").await;
    wait_for_path(&client, "/workspace/jamendo/import").await;
    assert_eq!(heading(&client).await, "Import vendors into Jamendo");

    // The dry run of the spreadsheet names the bad cell; nothing is offered to import.
    field(&client, "File")
        .await
        .send_keys(bad.to_str().unwrap())
        .await
        .unwrap();
    click_button(&client, "Check (dry run)").await;
    wait_for_path(&client, "/workspace/jamendo/import").await;
    let problems = text_of(
        &find(
            &client,
            "//table[contains(@class,'import-problems')]",
            "the problems",
        )
        .await,
    )
    .await;
    assert!(
        problems.contains("row 4")
            && problems.contains("C (Location of processing)")
            && problems.contains("'Narnia' not a country"),
        "{problems}"
    );
    assert!(
        client
            .find(fantoccini::Locator::Id("commit-form"))
            .await
            .is_err()
    );
    save_screenshot(&client, "import-problems-desktop.png").await;

    // Fixed, the dry run says what would be created, and the import does it.
    field(&client, "File")
        .await
        .send_keys(fixed.to_str().unwrap())
        .await
        .unwrap();
    click_button(&client, "Check (dry run)").await;
    wait_for_path(&client, "/workspace/jamendo/import").await;
    let summary = text_of(&find(&client, "//*[@id='import-summary']", "the summary").await).await;
    assert!(summary.contains("2 vendors to create"), "{summary}");
    save_screenshot(&client, "import-dry-run-desktop.png").await;
    set_viewport(&client, 390, 844).await;
    save_screenshot(&client, "import-dry-run-phone.png").await;
    no_horizontal_scrolling(&client, "the dry run on a phone").await;
    set_viewport(&client, 1280, 1000).await;
    click_button(&client, "Import: 2 to create, 0 to change").await;
    wait_for_path(&client, "/workspace/jamendo/import").await;
    let done = text_of(&find(&client, "//*[@id='import-done']", "the outcome").await).await;
    assert!(done.contains("Imported: 2 created"), "{done}");

    // The Art. 30 record, on a day after the notice period, downloaded as the page asks for it.
    client
        .goto(&format!("{}/workspace/jamendo/exports", app.address))
        .await
        .unwrap();
    wait_for_path(&client, "/workspace/jamendo/exports").await;
    let later = (chrono::Local::now().date_naive() + chrono::Duration::days(60)).to_string();
    client
        .execute(
            "document.getElementById('ropa-as-of').value = arguments[0];",
            vec![json!(later)],
        )
        .await
        .unwrap();
    let downloaded = client
        .execute(
            "const f = document.getElementById('ropa-form');\
             const url = f.action + '?' + new URLSearchParams(new FormData(f));\
             return fetch(url).then(r => r.arrayBuffer()).then(b => {\
               let s = ''; new Uint8Array(b).forEach(x => s += String.fromCharCode(x)); return btoa(s); });",
            vec![],
        )
        .await
        .unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(downloaded.as_str().unwrap())
        .unwrap();
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let text = |c: &Data| match c {
        Data::String(s) => s.clone(),
        other => other.to_string(),
    };
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(text).collect()).collect();
    assert_eq!(rows[0][2], "Recipient");
    let nimbus: Vec<&Vec<String>> = rows.iter().filter(|r| r[2] == "Nimbus Hosting").collect();
    assert_eq!(nimbus.len(), 2, "one row per destination");
    assert!(
        nimbus
            .iter()
            .any(|r| r[9] == "United States" && r[15] == "yes"),
        "{nimbus:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r[2] == "Zed Analytics" && r[9] == "France")
    );
    client.close().await.unwrap();
}
