//! `import-vendors` and `ropa` on a seeded database: the dry run names each bad cell and exits 2,
//! the commit imports once, again changes nothing; GitHub's published list imports whole; the
//! Art. 30 record reads back the same as CSV and XLSX.

use calamine::{Data, Reader};

use super::run;

fn seeded() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("import.db").display());
    assert!(run(&["seed", "--database-url", &url]).status.success());
    (dir, url)
}

fn out(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn import_vendors_checks_then_imports_once() {
    let (dir, url) = seeded();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "Vendor,Purpose,Country,TIA on\nAcme Cloud,Hosting,Germany,\nZed Mail,Email,Atlantis,2024-02-30\n",
    )
    .unwrap();
    let refused = run(&[
        "import-vendors",
        bad.to_str().unwrap(),
        "--org",
        "arturia",
        "--dry-run",
        "--database-url",
        &url,
    ]);
    assert_eq!(refused.status.code(), Some(2));
    let stdout = out(&refused);
    assert!(
        stdout.contains("row 3, column C (Country): 'Atlantis' not a country"),
        "{stdout}"
    );
    assert!(
        stdout.contains("row 3, column D (TIA on): '2024-02-30' is not a date"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("2 problems in the file"));
    // Without --dry-run, a file with a problem writes nothing either.
    let refused = run(&[
        "import-vendors",
        bad.to_str().unwrap(),
        "--org",
        "arturia",
        "--database-url",
        &url,
    ]);
    assert_eq!(refused.status.code(), Some(2));

    let good = dir.path().join("good.csv");
    std::fs::write(&good, "Vendor,Purpose,Country,Mechanism\nAcme Cloud,Hosting,Germany,\nZed Mail,Email,United States,SCCs\n").unwrap();
    let args = [
        "import-vendors",
        good.to_str().unwrap(),
        "--org",
        "arturia",
        "--database-url",
        &url,
    ];
    let dry = run(&[&args[..], &["--dry-run"]].concat());
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    assert!(
        out(&dry).contains("Dry run, nothing written: 2 to create, 0 to change, 0 unchanged."),
        "{}",
        out(&dry)
    );
    let done = run(&args);
    assert!(done.status.success());
    assert!(
        out(&done).contains("Imported: 2 created, 0 changed, 0 unchanged."),
        "{}",
        out(&done)
    );
    assert!(
        out(&done)
            .contains("row 3: Zed Mail — create as zed-mail (active, announced, takes effect on")
    );
    let again = run(&args);
    assert!(
        out(&again).contains("Imported: 0 created, 0 changed, 2 unchanged."),
        "{}",
        out(&again)
    );
    let nobody = run(&[
        "import-vendors",
        good.to_str().unwrap(),
        "--org",
        "nobody",
        "--database-url",
        &url,
    ]);
    assert_eq!(nobody.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&nobody.stderr).contains("--org: no organisation 'nobody'"));
}

#[test]
fn githubs_published_list_imports_whole_and_again_changes_nothing() {
    let (_dir, url) = seeded();
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/github-subprocessors/2026-03-11-7e4eebc.md"
    );
    let args = [
        "import-vendors",
        file,
        "--org",
        "arturia",
        "--database-url",
        &url,
    ];
    let done = run(&args);
    assert!(
        done.status.success(),
        "{}\n{}",
        out(&done),
        String::from_utf8_lossy(&done.stderr)
    );
    let text = out(&done);
    assert!(
        text.contains(": 30 rows in 2 tables, 29 vendors."),
        "{text}"
    );
    assert!(
        text.contains("Microsoft (Azure) — create as microsoft-azure"),
        "{text}"
    );
    assert!(
        text.contains("transfers to United States, Iceland, Germany"),
        "{text}"
    );
    let again = run(&args);
    assert!(
        out(&again).contains(" 0 created, 0 changed,"),
        "{}",
        out(&again)
    );
}

#[test]
fn ropa_writes_the_same_rows_as_csv_and_xlsx() {
    let (dir, url) = seeded();
    let csv = run(&[
        "ropa",
        "--org",
        "arturia",
        "--as-of",
        "2026-06-01",
        "--database-url",
        &url,
    ]);
    assert!(
        csv.status.success(),
        "{}",
        String::from_utf8_lossy(&csv.stderr)
    );
    let text = String::from_utf8(csv.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert!(headers.contains(&"Safeguard claimed (Art. 46/49)".to_string()));
    assert!(!rows.is_empty());

    let path = dir.path().join("ropa.xlsx");
    let xlsx = run(&[
        "ropa",
        "--org",
        "arturia",
        "--as-of",
        "2026-06-01",
        "--format",
        "xlsx",
        "--output",
        path.to_str().unwrap(),
        "--database-url",
        &url,
    ]);
    assert!(xlsx.status.success());
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let range = book.worksheet_range("Art. 30 transfers").unwrap();
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
    assert_eq!(read[0], headers);
    assert_eq!(&read[1..], &rows[..]);

    let register = run(&[
        "ropa",
        "--org",
        "arturia",
        "--register",
        "--database-url",
        &url,
    ]);
    assert!(String::from_utf8_lossy(&register.stdout).contains("DPA signed on"));
    let no_file = run(&[
        "ropa",
        "--org",
        "arturia",
        "--format",
        "xlsx",
        "--database-url",
        &url,
    ]);
    assert_eq!(no_file.status.code(), Some(2));
    let bad_date = run(&[
        "ropa",
        "--org",
        "arturia",
        "--as-of",
        "2026-02-30",
        "--database-url",
        &url,
    ]);
    assert_eq!(bad_date.status.code(), Some(2));
}
