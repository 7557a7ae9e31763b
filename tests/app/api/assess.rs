//! `POST /api/v1/assess`: the same answer as the command line, bad facts named field by field.

use super::{app_and_token, post};
use serde_json::{Value, json};

/// What `crossborder assess --json` prints for these arguments.
fn cli_assessment(args: &[&str]) -> Value {
    let output = assert_cmd::Command::cargo_bin("crossborder")
        .unwrap()
        .arg("assess")
        .args(args)
        .arg("--json")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&output).expect("one JSON document")
}

/// The API's answer has the CLI's verdict, reason, mechanism, hints and references.
#[track_caller]
fn same_as_cli(api: &Value, cli: &Value) {
    for field in [
        "verdict",
        "flagged",
        "severity",
        "reason",
        "mechanism",
        "hints",
    ] {
        assert_eq!(api[field], cli[field], "{field}");
    }
    let refs = |v: &Value| -> Vec<(Value, Value, Value)> {
        v["references"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["rule"].clone(),
                    r["reference"].clone(),
                    r["confidence"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(refs(api), refs(cli), "references");
}

#[actix_web::test]
async fn assess_answers_as_the_command_line_does() {
    let (app, token) = app_and_token().await;

    let reply = post(
        &app,
        &token,
        "/api/v1/assess",
        &json!({"exporter": "FR", "importer": "US", "mechanisms": [{"id": "privacy_shield"}], "as_of": "2021-01-01"}),
    )
    .await;
    let body = reply.ok(200);
    assert_eq!(body["verdict"], "unsafeguarded");
    assert_eq!(body["flagged"], true);
    assert_eq!(body["severity"], "critical");
    assert_eq!(
        body["reason"],
        "[EU/EEA law] The EU-US Privacy Shield was invalidated on 2020-07-16 (CJEU C-311/18)."
    );
    assert_eq!(body["regime"], "eu");
    assert!(body["mechanism"].is_null());
    same_as_cli(
        body,
        &cli_assessment(&[
            "--exporter",
            "FR",
            "--importer",
            "US",
            "--mechanism",
            "privacy_shield",
            "--as-of",
            "2021-01-01",
        ]),
    );

    let reply = post(
        &app,
        &token,
        "/api/v1/assess",
        &json!({
            "exporter": "fr", "importer": "us",
            "mechanisms": [{"id": "scc_2010", "signed_on": "2019-01-01"}],
            "certified": ["privacy_shield"], "tia": true, "as_of": "2020-01-01"
        }),
    )
    .await;
    let body = reply.ok(200);
    assert_eq!(body["verdict"], "adequate");
    assert_eq!(body["flagged"], false);
    assert_eq!(body["mechanism"], "privacy_shield");
    same_as_cli(
        body,
        &cli_assessment(&[
            "--exporter",
            "FR",
            "--importer",
            "US",
            "--mechanism",
            "scc_2010:2019-01-01",
            "--certified",
            "privacy_shield",
            "--tia",
            "--as-of",
            "2020-01-01",
        ]),
    );

    let reply = post(
        &app,
        &token,
        "/api/v1/assess",
        &json!({"exporter": "DE", "importer": "FR", "as_of": "2022-06-01"}),
    )
    .await;
    assert_eq!(reply.ok(200)["verdict"], "intra_eea");
}

#[actix_web::test]
async fn assess_with_invalid_facts_is_422_listing_each_field() {
    let (app, token) = app_and_token().await;
    let reply = post(
        &app,
        &token,
        "/api/v1/assess",
        &json!({
            "exporter": "ZZ", "importer": "QQ",
            "mechanisms": [{"id": "pinky_promise"}],
            "certified": ["scc_2021"], "as_of": "2021-01-01"
        }),
    )
    .await;
    reply.problem(422);
    assert_eq!(
        reply.fields(),
        ["certified", "exporter", "importer", "mechanisms"],
        "{:#}",
        reply.body
    );

    let reply = post(
        &app,
        &token,
        "/api/v1/assess",
        &json!({"exporter": "FR", "importer": "US", "mechanisms": [{"id": "nope"}]}),
    )
    .await;
    reply.problem(422);
    assert_eq!(reply.fields(), ["mechanisms"]);
    assert!(
        reply.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("nope")
    );

    // A date that is not a date cannot be read at all: 400.
    let reply = post(
        &app,
        &token,
        "/api/v1/assess",
        &json!({"exporter": "FR", "importer": "US", "as_of": "2021-02-30"}),
    )
    .await;
    reply.problem(400);
}

#[actix_web::test]
async fn assess_names_the_regime_and_refuses_combinations_no_regime_can_assess() {
    let (app, token) = app_and_token().await;
    let reply = post(
        &app,
        &token,
        "/api/v1/assess",
        &json!({"exporter": "GB", "importer": "US", "certified": ["dpf"], "as_of": "2024-01-01"}),
    )
    .await;
    let body = reply.ok(200);
    assert_eq!(body["regime"], "uk");
    assert_eq!(body["verdict"], "adequate");
    let reply = post(
        &app,
        &token,
        "/api/v1/assess",
        &json!({"exporter": "FR", "importer": "KR", "outside_scope": ["kr_political_party"],
                "mechanisms": [{"id": "unnamed_safeguard"}], "as_of": "2024-01-01"}),
    )
    .await;
    let body = reply.ok(200);
    assert_eq!(body["verdict"], "unverified");
    assert_eq!(body["flagged"], true);
    assert_eq!(body["severity"], "warning");

    for (facts, field) in [
        (json!({"exporter": "IO-EPO", "importer": "US"}), "exporter"),
        (
            json!({"exporter": "CH", "importer": "IN", "mechanisms": [{"id": "uk_addendum"}]}),
            "mechanisms",
        ),
        (
            json!({"exporter": "FR", "importer": "JP", "outside_scope": ["kr_religious"]}),
            "outside_scope",
        ),
        (
            json!({"exporter": "FR", "importer": "KR", "outside_scope": ["kr_atheist"]}),
            "outside_scope",
        ),
    ] {
        let reply = post(&app, &token, "/api/v1/assess", &facts).await;
        reply.problem(422);
        assert_eq!(reply.fields(), [field], "{:#}", reply.body);
    }
}
