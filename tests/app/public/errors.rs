//! An unknown organisation is a 404; a bad parameter a 400 that names it.

use crate::support::spawn_app;
use serde_json::Value;

#[actix_web::test]
async fn an_unknown_organisation_is_a_404() {
    let app = spawn_app().await;
    let (status, html) = app.get_text("/nobody/subprocessors").await;
    assert_eq!(status, 404);
    assert!(
        html.contains("<html lang=\"en\">") && html.contains("organisation &#39;nobody&#39;")
            || html.contains("organisation 'nobody'"),
        "{html}"
    );

    let response = app.get("/nobody/subprocessors.json").await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["status"], 404);

    // Any other address gets the site's page too, not an empty answer.
    for path in [
        "/no/such/page",
        "/favicon.ico",
        "/arturia/subprocessors/extra",
    ] {
        let (status, html) = app.get_text(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(
            html.contains("<html lang=\"en\">") && html.contains("Not found"),
            "{path}: {html}"
        );
    }
}

#[actix_web::test]
async fn a_bad_parameter_is_a_400_that_names_it() {
    let app = spawn_app().await;
    for (query, field, words) in [
        ("as_of=2024-13-01", "as_of", "is not a date"),
        ("country=XX", "country", "unknown country code"),
        ("category=cloud", "category", "unknown category"),
        ("flagged=perhaps", "flagged", "not true or false"),
    ] {
        let (status, html) = app
            .get_text(&format!("/arturia/subprocessors?{query}"))
            .await;
        assert_eq!(status, 400, "{query}");
        assert!(
            html.contains(&format!("Parameter {field}:")) && html.contains(words),
            "{query}: {html}"
        );

        for format in ["json", "csv", "atom"] {
            let response = app
                .get(&format!("/arturia/subprocessors.{format}?{query}"))
                .await;
            assert_eq!(response.status(), 400, "{format} {query}");
            assert_eq!(
                response.headers()["content-type"],
                "application/problem+json"
            );
            let problem: Value = response.json().await.unwrap();
            assert_eq!(problem["errors"][0]["field"], field);
            assert!(
                problem["errors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .contains(words)
            );
            assert_eq!(problem["title"], "Invalid parameter");
        }
    }
}
