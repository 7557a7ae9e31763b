//! `crossborder seed` on a database in use (issue 12, item 7): run again after edits made in the
//! workspace or through the API, it only adds what is missing and reports, without changing
//! them, the records that differ from the seed; `--replace` reloads cleanly and says first what
//! it discards. The binary runs against the test app's own database (SQLite or PostgreSQL).

use assert_cmd::Command;
use chrono::Duration;
use crossborder::registry::settings::{self, SettingsChange};
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{ALL_SCOPES, TestApp, send, spawn_app, today};

/// Runs the binary on the app's database; its stdout, after checking it succeeded.
fn crossborder(app: &TestApp, args: &[&str]) -> String {
    let output = Command::cargo_bin("crossborder")
        .expect("the binary is built")
        .args(args)
        .args(["--database-url", &app.database.url])
        .env_remove("DATABASE_URL")
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "crossborder {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// Everything the database holds, as `crossborder export` writes it.
fn everything(app: &TestApp) -> Value {
    serde_json::from_str(&crossborder(app, &["export"])).expect("an export is JSON")
}

/// Arturia's public list today and as it will stand in 60 days.
async fn arturia(app: &TestApp) -> (Value, Value) {
    let later = today() + Duration::days(60);
    // The chain's head covers when each entry was recorded: it differs between two loads.
    let without_head = |mut v: Value| {
        v["history"]["head"] = Value::Null;
        v
    };
    (
        without_head(app.get_json("/arturia/subprocessors.json").await),
        without_head(
            app.get_json(&format!("/arturia/subprocessors.json?as_of={later}"))
                .await,
        ),
    )
}

/// The examples, then an officer's work: Google Analytics retired in 30 days, a transfer to
/// China added to Facebook, and the notice period and privacy contact changed.
async fn edited() -> TestApp {
    let app = spawn_app().await;
    let token = app.token("officer", ALL_SCOPES);
    let retire = app
        .api(
            Method::POST,
            "/api/v1/organisations/arturia/vendors/google-analytics/retire",
            &token,
        )
        .header("If-Match", "\"1\"")
        .json(&json!({"effective_on": (today() + Duration::days(30)).to_string()}));
    send(retire).await.ok(200);
    let transfer = app
        .api(
            Method::POST,
            "/api/v1/organisations/arturia/vendors/facebook/transfers",
            &token,
        )
        .json(&json!({"country": "CN", "data_categories": ["usage"], "mechanisms": []}));
    send(transfer).await.ok(201);
    settings::update(
        &mut app.conn(),
        "arturia",
        1,
        &SettingsChange {
            announce_days: 45,
            privacy_contact: Some("dpo@arturia.example".into()),
        },
        "officer",
    )
    .expect("the settings are saved");
    app
}

#[actix_web::test]
async fn seed_after_edits_changes_nothing_and_reports_the_differences() {
    let app = edited().await;
    let (today_before, later_before) = arturia(&app).await;
    let stored_before = everything(&app);

    let out = crossborder(&app, &["seed"]);

    assert_eq!(
        everything(&app),
        stored_before,
        "the database changed:\n{out}"
    );
    let (today_after, later_after) = arturia(&app).await;
    assert_eq!(today_after, today_before);
    assert_eq!(later_after, later_before);
    // The retirement and the transfer are still there.
    let names = |list: &Value| -> Vec<String> {
        list["vendors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["key"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(names(&later_after).iter().all(|k| k != "google-analytics"));
    let lines: Vec<&str> = out.lines().collect();
    for expected in [
        "arturia: nothing added; 4 records differ from the seed, left as is:",
        "arturia: organisation field announce_days differs from the seed (45 in the database, \
         30 in the seed); left as is",
        "arturia: organisation field privacy_contact differs from the seed (dpo@arturia.example \
         in the database, privacy-inquiries@arturia.com in the seed); left as is",
        "arturia: vendor facebook differs from the seed (transfers to CN only in the \
         database); left as is",
        "jamendo: unchanged",
        "qobuz: unchanged",
        "qtrax: unchanged",
        "spotify: unchanged",
    ] {
        assert!(lines.contains(&expected), "{expected:?} not in:\n{out}");
    }
    let retired = lines
        .iter()
        .find(|l| l.starts_with("arturia: vendor google-analytics differs from the seed ("))
        .unwrap_or_else(|| panic!("google-analytics not reported:\n{out}"));
    assert!(
        retired.contains("status: retired in the database, active in the seed")
            && retired.contains("retired_from: ")
            && retired.ends_with("); left as is"),
        "{retired}"
    );
    assert_eq!(lines.len(), 9, "{out}");

    // Again: the same report, still nothing changed.
    assert_eq!(crossborder(&app, &["seed"]), out);
    assert_eq!(everything(&app), stored_before);
}

#[actix_web::test]
async fn seed_adds_a_missing_vendor_and_leaves_the_others() {
    let app = edited().await;
    let dir = tempfile::tempdir().unwrap();
    let arturia = include_str!("../../seeds/organisations/arturia.toml");
    let extra = "\n[[vendor]]\nkey = \"new-cdn\"\nname = \"New CDN\"\nrole = \"processor\"\n\
                 categories = [\"cdn\"]\npurpose = \"Serving the website's files\"\n\
                 status = \"active\"\n\
                 \n[[vendor]]\nkey = \"old-cdn\"\nname = \"Old CDN\"\nrole = \"processor\"\n\
                 categories = [\"cdn\"]\npurpose = \"Serving files\"\nstatus = \"retired\"\n\
                 since = \"2018-06-01\"\nretired = \"2019-01-01\"\n";
    std::fs::write(dir.path().join("arturia.toml"), format!("{arturia}{extra}")).unwrap();
    let before = app.get_json("/arturia/subprocessors.json").await;

    let out = crossborder(&app, &["seed", "--dir", dir.path().to_str().unwrap()]);

    assert!(
        out.starts_with("arturia: 1 vendor added; 5 records differ from the seed, left as is:\n"),
        "{out}"
    );
    // Added to a published list as an officer would add it: announced today, listed from the
    // end of the notice period, never from a day already past.
    assert!(
        out.contains("arturia: vendor new-cdn announced today, takes effect "),
        "{out}"
    );
    let keys = |list: &Value| -> Vec<String> {
        let mut keys: Vec<String> = list["vendors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["key"].as_str().unwrap().to_string())
            .collect();
        keys.sort();
        keys
    };
    // A past vendor would rewrite the published history: not added, and said so.
    assert!(
        out.contains("arturia: vendor old-cdn differs from the seed (retired in the seed and not in the database: not added"),
        "{out}"
    );
    let today_list = app.get_json("/arturia/subprocessors.json").await;
    assert_eq!(keys(&today_list), keys(&before));
    assert!(
        today_list["upcoming_changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["vendor"] == "New CDN"),
        "{today_list}"
    );
    // The officer's work is still there: the new destination, announced, from its day.
    let later = crate::support::today() + chrono::Duration::days(60);
    let after = app
        .get_json(&format!("/arturia/subprocessors.json?as_of={later}"))
        .await;
    assert!(keys(&after).contains(&"new-cdn".to_string()), "{after}");
    let facebook = after["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["key"] == "facebook")
        .unwrap();
    assert!(
        facebook["transfers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["country"] == "CN")
    );
}

#[actix_web::test]
async fn seed_replace_says_what_it_discards_then_reloads_cleanly() {
    let app = edited().await;
    let before = everything(&app);
    let count = |stored: &Value, table: &str| stored["tables"][table].as_array().unwrap().len();

    let out = crossborder(&app, &["seed", "--replace"]);

    let lines: Vec<&str> = out.lines().collect();
    let discard = lines
        .iter()
        .position(|l| l.starts_with("arturia: --replace discards "))
        .unwrap_or_else(|| panic!("no discard line:\n{out}"));
    assert_eq!(
        lines[discard + 1],
        "arturia: reloaded from the seed with 9 vendors",
        "{out}"
    );
    let said = lines[discard];
    for words in [
        "9 vendors (",
        " transfers, ",
        "12 change-log entries, 0 intake requests, and resets the organisation's \
         announce_days, privacy_contact to the seed's; the audit log keeps its ",
    ] {
        assert!(said.contains(words), "{words:?} not in {said:?}");
    }
    for slug in ["jamendo", "qobuz", "qtrax", "spotify"] {
        let said = lines
            .iter()
            .position(|l| l.starts_with(&format!("{slug}: --replace discards ")))
            .unwrap_or_else(|| panic!("{slug}: no discard line:\n{out}"));
        assert!(!lines[said].contains("resets"), "{}", lines[said]);
        assert!(
            lines[said + 1].starts_with(&format!("{slug}: reloaded from the seed with ")),
            "{out}"
        );
    }

    // As a fresh load of the examples has it.
    let fresh = spawn_app().await;
    assert_eq!(arturia(&app).await, arturia(&fresh).await);
    // The audit log kept everything, and says what went.
    let stored = everything(&app);
    let events = stored["tables"]["audit_events"].as_array().unwrap();
    let kept = &events[..count(&before, "audit_events")];
    assert_eq!(kept, before["tables"]["audit_events"].as_array().unwrap());
    let deleted = events
        .iter()
        .filter(|e| e["action"] == "delete" && e["entity"] == "vendor")
        .count();
    assert_eq!(
        deleted,
        count(&before, "vendors"),
        "one per vendor discarded"
    );
    assert_eq!(count(&stored, "vendors"), count(&before, "vendors"));
}
