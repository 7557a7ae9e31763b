//! The JWT test vectors (tests/jwt/vectors.json): they cover every case the tests rely on, and
//! each gets its expected status, with the static key set and the rotated one.

use super::{JwksServer, cases, check_vectors, spawn_with_jwks, vectors};

#[test]
fn the_vectors_cover_every_case_the_tests_rely_on() {
    let v = vectors();
    assert!(v["hs256_secret"].as_str().unwrap().len() >= 32);
    let kids = |doc: &str| -> Vec<String> {
        v[doc]["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["kid"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(kids("jwks"), ["rsa-1", "ec-1", "ed-1"]);
    assert_eq!(kids("jwks_rotated"), ["ec-1", "ed-1", "rsa-2"]);
    let names: Vec<String> = cases()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    for name in [
        "valid_hs256",
        "valid_rs256",
        "valid_es256",
        "valid_eddsa",
        "valid_rs256_rotated",
        "expired",
        "not_yet_valid",
        "wrong_audience",
        "wrong_issuer",
        "wrong_key_hs256",
        "wrong_key_rs256",
        "alg_none",
        "alg_none_with_kid",
        "hs256_with_rsa_public_key",
        "hs256_with_rsa_public_key_no_kid",
        "unknown_kid",
        "missing_exp",
        "missing_sub",
        "read_only",
        "no_scope",
        "tampered_payload",
    ] {
        assert!(names.iter().any(|n| n == name), "no vector {name}");
    }
}

#[actix_web::test]
async fn every_vector_gets_its_expected_status() {
    let v = vectors();
    let jwks = JwksServer::start(&v["jwks"]);
    let app = spawn_with_jwks(&jwks, None).await;
    assert_eq!(jwks.hits(), 1, "the JWKS is fetched once at start");
    check_vectors(&app, "expected_status").await;
    // Unknown kids (rsa-2, no-such-key) within the default 60 s window fetch nothing more.
    assert_eq!(jwks.hits(), 1, "no JWKS fetch per request");
    assert_eq!(app.state.verifier.jwks().unwrap().fetches(), 1);
}

#[actix_web::test]
async fn every_vector_against_the_rotated_key_set() {
    let v = vectors();
    let jwks = JwksServer::start(&v["jwks_rotated"]);
    let app = spawn_with_jwks(&jwks, None).await;
    check_vectors(&app, "expected_status_rotated").await;
    assert_eq!(jwks.hits(), 1, "no JWKS fetch per request");
}
