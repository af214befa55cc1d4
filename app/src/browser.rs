//! Browser-only calls to the portal's JSON API (hydrate only): the few responses that must not
//! be server-function responses, because they carry the key (`no-store`, shown once, never kept).

use gloo_net::http::Request;
use serde::Deserialize;

#[derive(Deserialize)]
struct ApiKeyBody {
    #[serde(rename = "apiKey")]
    api_key: String,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: String,
}

#[derive(Deserialize)]
struct MfaSetupBody {
    secret: String,
    #[serde(rename = "otpauthUri")]
    otpauth_uri: String,
}

async fn error_of(response: gloo_net::http::Response) -> String {
    response
        .json::<ErrorBody>()
        .await
        .map(|b| b.error)
        .unwrap_or_else(|_| "The portal could not answer. Reload the page and try again.".into())
}

pub async fn fetch_api_key() -> Result<String, String> {
    let response = Request::get("/api/subscriber/apikey")
        .send()
        .await
        .map_err(|_| "The portal could not be reached.".to_string())?;
    if !response.ok() {
        return Err(error_of(response).await);
    }
    response
        .json::<ApiKeyBody>()
        .await
        .map(|b| b.api_key)
        .map_err(|_| "The portal's answer could not be read.".into())
}

pub async fn start_mfa_setup() -> Result<(String, String), String> {
    let response = Request::post("/api/auth/mfa/setup")
        .send()
        .await
        .map_err(|_| "The portal could not be reached.".to_string())?;
    if !response.ok() {
        return Err(error_of(response).await);
    }
    response
        .json::<MfaSetupBody>()
        .await
        .map(|b| (b.secret, b.otpauth_uri))
        .map_err(|_| "The portal's answer could not be read.".into())
}
