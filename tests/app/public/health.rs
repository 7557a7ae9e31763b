//! Health and readiness; security headers on every answer.

use crate::support::spawn_app;

#[actix_web::test]
async fn health_and_readiness() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/readyz").await.status(), 200);
}

#[actix_web::test]
async fn answers_carry_security_headers_and_the_workspace_cannot_be_framed() {
    let app = spawn_app().await;
    let public = app.get("/arturia/subprocessors").await;
    assert_eq!(public.headers()["x-content-type-options"], "nosniff");
    let policy = public.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(policy.contains("default-src 'self'") && policy.contains("form-action 'self'"));
    assert!(
        public.headers().get("x-frame-options").is_none(),
        "the public list may be embedded"
    );

    let login = app.get("/workspace/login").await;
    assert_eq!(login.headers()["x-frame-options"], "DENY");
    let policies: Vec<&str> = login
        .headers()
        .get_all("content-security-policy")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(policies.contains(&"frame-ancestors 'none'"), "{policies:?}");
    assert!(
        policies.iter().any(|p| p.contains("default-src 'self'")),
        "{policies:?}"
    );
}
