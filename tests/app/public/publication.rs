//! What the public list shows of the assessments and the evidence, chosen per organisation by
//! its admins (issue 17, point 9): the page, the JSON, the CSV and the feed all follow, at once
//! (cached renderings are dropped with the organisation's revision).

use crate::support::{
    audited, field_error, form_fields, get_as, location, post_as, send, sign_in, spawn_app,
};
use crossborder::auth::users::Role;
use reqwest::Method;
use serde_json::{Value, json};

const SETTINGS: &str = "/workspace/admin/organisations/spotify";
const JSON: &str = "/spotify/subprocessors.json?as_of=2026-06-01";

fn transfers(json: &Value) -> Vec<&Value> {
    json["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| v["transfers"].as_array().unwrap())
        .collect()
}

fn evidence(json: &Value) -> Vec<&Value> {
    transfers(json)
        .into_iter()
        .flat_map(|t| t["evidence"].as_array().unwrap())
        .collect()
}

#[actix_web::test]
async fn by_default_verdicts_and_reasons_are_public_hints_and_evidence_documents_are_not() {
    let app = spawn_app().await;
    let json = app.get_json(JSON).await;
    assert_eq!(
        json["publication"],
        json!({"verdicts": true, "reasons": true, "hints": false, "evidence_documents": false})
    );
    let all = transfers(&json);
    assert!(!all.is_empty());
    for t in &all {
        let a = &t["assessment"];
        assert!(a["verdict"].is_string() && a["reason"].is_string(), "{t}");
        assert!(a.get("hints").is_none(), "hints are internal: {a}");
    }
    let quotes = evidence(&json);
    assert!(!quotes.is_empty());
    for e in quotes {
        assert!(e["quote"].is_string());
        assert!(e.get("document").is_none(), "a file name is internal: {e}");
    }
    assert!(json["summary"]["flagged"].is_number());
    let (_, csv) = app.get_text("/spotify/subprocessors.csv").await;
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(",verdict,flagged,severity,reason")
    );
}

#[actix_web::test]
async fn an_admin_hides_the_verdicts_and_every_public_format_follows_at_once() {
    let app = spawn_app().await;
    let admin = sign_in(&app, "admin@example.com", Role::Admin).await;
    // Rendered and cached before the change.
    let (_, before) = app
        .get_text("/spotify/subprocessors?as_of=2026-06-01")
        .await;
    assert!(
        before.contains("legend-verdict-"),
        "badges linked to the legend"
    );
    app.get_json(JSON).await;
    app.get_text("/spotify/subprocessors.csv").await;

    let (status, page) = get_as(&app, &admin, SETTINGS).await;
    assert_eq!(status, 200);
    assert!(page.contains("<legend>On the public list"), "{page}");
    let fields = form_fields(&page, SETTINGS);
    let ticked = |name: &str| fields.iter().any(|(k, _)| k == name);
    assert!(ticked("publish_verdicts") && ticked("publish_reasons"));
    assert!(!ticked("publish_hints") && !ticked("publish_evidence_documents"));

    // Reasons without verdicts: refused, naming the field; nothing saved.
    let mut form: Vec<(String, String)> = fields
        .iter()
        .filter(|(k, _)| k != "publish_verdicts")
        .cloned()
        .collect();
    let as_pairs = |form: &[(String, String)]| -> Vec<(String, String)> { form.to_vec() };
    let post = |form: Vec<(String, String)>| {
        let admin = &admin;
        let app = &app;
        async move {
            let pairs: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            post_as(app, admin, SETTINGS, &pairs).await
        }
    };
    let refused = post(as_pairs(&form)).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        field_error(&html, "publish_reasons")
            .unwrap()
            .contains("only with the verdicts"),
        "{html}"
    );
    assert!(audited(&app, "organisation", "update").is_empty());

    // Neither verdicts nor reasons, but the evidence documents' names.
    form.retain(|(k, _)| k != "publish_reasons");
    form.push(("publish_evidence_documents".into(), "1".into()));
    let saved = post(form).await;
    assert_eq!(saved.status(), 303);
    assert!(location(&saved).starts_with(SETTINGS));
    let (_, page) = get_as(&app, &admin, SETTINGS).await;
    let now = form_fields(&page, SETTINGS);
    assert!(now.iter().any(|(k, _)| k == "publish_evidence_documents"));
    assert!(!now.iter().any(|(k, _)| k == "publish_verdicts"));

    let json = app.get_json(JSON).await;
    assert_eq!(json["publication"]["verdicts"], false);
    for t in transfers(&json) {
        assert!(t.get("assessment").is_none(), "{t}");
    }
    assert!(json["summary"].get("flagged").is_none());
    assert!(json["summary"]["vendors"].is_number());
    assert!(evidence(&json).iter().all(|e| e["document"].is_string()));

    let (_, csv) = app.get_text("/spotify/subprocessors.csv").await;
    let header = csv.lines().next().unwrap();
    assert!(header.ends_with(",data_categories,mechanisms"), "{header}");
    let columns = header.split(',').count();
    assert!(csv.lines().skip(1).all(|l| l.split(',').count() >= columns));

    let (_, html) = app
        .get_text("/spotify/subprocessors?as_of=2026-06-01")
        .await;
    assert!(!html.contains("legend-verdict-"), "no badge, no legend");
    assert!(!html.contains("Flagged transfers"));
    assert!(!html.contains("f-flagged"));
    assert!(html.contains("Locations and mechanisms"));
    let (status, body) = app.get_text("/spotify/subprocessors?flagged=true").await;
    assert_eq!(status, 400);
    assert!(body.contains("flagged"), "{body}");
    let response = app.get("/spotify/subprocessors.json?flagged=true").await;
    assert_eq!(response.status(), 400);

    // Audited with the settings before and after.
    let updates = audited(&app, "organisation", "update");
    assert_eq!(updates.len(), 1);
    let (before, after) = (&updates[0].2, &updates[0].3);
    assert_eq!(before.as_ref().unwrap()["publication"]["verdicts"], true);
    assert_eq!(after.as_ref().unwrap()["publication"]["verdicts"], false);
    assert_eq!(
        after.as_ref().unwrap()["publication"]["evidence_documents"],
        true
    );
}

#[actix_web::test]
async fn the_api_reads_and_changes_the_settings_with_if_match() {
    let app = spawn_app().await;
    let token = app.token("operator", "organisations:manage registry:read");
    let path = "/api/v1/organisations/spotify";
    let read = send(app.api(Method::GET, path, &token)).await;
    let body = read.ok(200).clone();
    assert_eq!(body["publication"]["hints"], false);
    let etag = read.etag.clone().unwrap();
    let put = |body: Value, etag: &str| {
        app.api(Method::PUT, path, &token)
            .header("If-Match", etag)
            .json(&body)
    };
    let mut edit = json!({
        "name": body["name"], "legal_name": body["legal_name"], "country": body["country"],
        "privacy_contact": body["privacy_contact"], "policy_title": body["policy_title"],
    });

    // Reasons kept but verdicts hidden: 422 naming the nested field; unknown fields refused.
    edit["publication"] = json!({"verdicts": false});
    let refused = send(put(edit.clone(), &etag)).await;
    refused.problem(422);
    assert_eq!(refused.fields(), ["publication.reasons"]);
    edit["publication"] = json!({"comments": true});
    let unknown = send(put(edit.clone(), &etag)).await;
    unknown.problem(422);
    assert_eq!(unknown.fields(), ["publication.comments"]);

    // Hints published: a field left out keeps its value.
    edit["publication"] = json!({"hints": true});
    let saved = send(put(edit.clone(), &etag)).await;
    let out = saved.ok(200);
    assert_eq!(
        out["publication"],
        json!({"verdicts": true, "reasons": true, "hints": true, "evidence_documents": false})
    );
    let json = app.get_json(JSON).await;
    assert!(
        transfers(&json)
            .iter()
            .any(|t| !t["assessment"]["hints"].as_array().unwrap().is_empty())
    );
    // The old version is stale now; leaving `publication` out keeps it.
    assert_eq!(send(put(edit.clone(), &etag)).await.status, 412);
    edit.as_object_mut().unwrap().remove("publication");
    edit["name"] = json!("Spotify (renamed)");
    let kept = send(put(edit, saved.etag.as_deref().unwrap())).await;
    assert_eq!(kept.ok(200)["publication"]["hints"], true);
}
