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
    #[serde(rename = "qrSvg", default)]
    qr_svg: String,
}

/// What MFA setup shows: the secret, the otpauth URI and the URI as a QR code (SVG markup made
/// by the server from the URI alone).
pub struct MfaSetup {
    pub secret: String,
    pub otpauth_uri: String,
    pub qr_svg: String,
}

/// Sends `request` and reads the JSON answer, or the portal's error sentence.
async fn json_of<T: serde::de::DeserializeOwned>(
    request: Result<gloo_net::http::Response, gloo_net::Error>,
) -> Result<T, String> {
    let response = request.map_err(|_| "The portal could not be reached.".to_string())?;
    if !response.ok() {
        return Err(response
            .json::<ErrorBody>()
            .await
            .map(|b| b.error)
            .unwrap_or_else(|_| {
                "The portal could not answer. Reload the page and try again.".into()
            }));
    }
    response
        .json::<T>()
        .await
        .map_err(|_| "The portal's answer could not be read.".into())
}

pub async fn fetch_api_key() -> Result<String, String> {
    json_of::<ApiKeyBody>(Request::get("/api/subscriber/apikey").send().await)
        .await
        .map(|b| b.api_key)
}

pub async fn start_mfa_setup() -> Result<MfaSetup, String> {
    json_of::<MfaSetupBody>(Request::post("/api/auth/mfa/setup").send().await)
        .await
        .map(|b| MfaSetup {
            secret: b.secret,
            otpauth_uri: b.otpauth_uri,
            qr_svg: b.qr_svg,
        })
}
