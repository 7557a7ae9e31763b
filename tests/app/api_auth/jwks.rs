//! A rotated JWKS is fetched again for a new key id, but never once a request.

use super::{JwksServer, ORGANISATIONS, get_with, spawn_with_jwks, token, vectors};
use reqwest::Method;
use std::time::Duration;

#[actix_web::test]
async fn a_rotated_jwks_is_fetched_again_for_a_new_kid_but_never_per_request() {
    const MIN_REFRESH: Duration = Duration::from_secs(2);
    let v = vectors();
    let jwks = JwksServer::start(&v["jwks"]);
    let app = spawn_with_jwks(&jwks, Some(MIN_REFRESH)).await;
    assert_eq!(jwks.hits(), 1, "the JWKS is fetched once at start");
    let rotated = token("valid_rs256_rotated");
    let known = token("valid_rs256");

    // rsa-2 is not in the set yet: 401 (a refetch, if the window passed, still lacks it).
    assert_eq!(get_with(&app, &rotated).await.status(), 401);
    let before = jwks.hits();
    assert!(before <= 2, "{before} fetches");

    // Known kids never fetch.
    for _ in 0..20 {
        assert_eq!(get_with(&app, &known).await.status(), 200);
    }
    assert_eq!(
        jwks.hits(),
        before,
        "20 requests with a known kid fetched the JWKS"
    );

    // Once the window has passed, a burst of unknown kids (concurrent) fetches exactly once.
    actix_web::rt::time::sleep(MIN_REFRESH + Duration::from_millis(300)).await;
    let started = std::time::Instant::now();
    let burst: Vec<_> = (0..10)
        .map(|i| {
            let request = app.api(
                Method::GET,
                ORGANISATIONS,
                &if i % 2 == 0 {
                    token("unknown_kid")
                } else {
                    rotated.clone()
                },
            );
            actix_web::rt::spawn(async move { request.send().await.unwrap().status().as_u16() })
        })
        .collect();
    for handle in burst {
        assert_eq!(handle.await.unwrap(), 401);
    }
    assert!(started.elapsed() < MIN_REFRESH, "the burst took too long");
    assert_eq!(
        jwks.hits(),
        before + 1,
        "10 unknown-kid requests within the window"
    );

    // The identity provider rotates: rsa-2 added, rsa-1 removed.
    jwks.serve(&v["jwks_rotated"]);
    let before_rotation = jwks.hits();
    actix_web::rt::time::sleep(MIN_REFRESH + Duration::from_millis(300)).await;
    let response = get_with(&app, &rotated).await;
    assert_eq!(response.status(), 200, "rsa-2 after the rotation");
    assert_eq!(jwks.hits(), before_rotation + 1, "one refetch for rsa-2");
    for _ in 0..20 {
        assert_eq!(get_with(&app, &rotated).await.status(), 200);
    }
    assert_eq!(jwks.hits(), before_rotation + 1, "rsa-2 is now cached");
    // rsa-1 left the set with the refetch.
    assert_eq!(
        get_with(&app, &known).await.status(),
        401,
        "rsa-1 after removal"
    );
    assert!(jwks.hits() <= before_rotation + 2);
    // The app's own count agrees with what the server saw.
    assert_eq!(app.state.verifier.jwks().unwrap().fetches(), jwks.hits());
}
