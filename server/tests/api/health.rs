use serde_json::Value;

use crate::helpers::{closed_port, spawn_app, spawn_app_with};

#[tokio::test]
async fn healthz_answers_200() {
    let app = spawn_app().await;
    let r = app.http.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn readyz_is_200_when_the_store_and_cognito_keys_answer() {
    let app = spawn_app().await;
    let r = app.http.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["store"], "ok");
    assert_eq!(body["cognitoKeys"], "ok");
}

#[tokio::test]
async fn readyz_is_503_when_the_local_aws_is_down() {
    let port = closed_port();
    let app = spawn_app_with(|s| {
        s.cognito.jwks_url = format!(
            "http://127.0.0.1:{port}/{}/.well-known/jwks.json",
            s.cognito.user_pool_id
        );
    })
    .await;
    let r = app.http.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 503);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["store"], "ok");
    assert_eq!(body["cognitoKeys"], "unavailable");
}
