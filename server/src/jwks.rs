//! The Cognito user pool's key set (JWKS), fetched over HTTPS from the configured URL.

use std::time::Duration;

use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum JwksError {
    #[error("the key set at {url} could not be fetched: {detail}")]
    Fetch { url: String, detail: String },
    #[error("the key set at {url} has no keys")]
    Empty { url: String },
}

#[derive(Clone, Debug, Deserialize)]
pub struct Jwk {
    pub kid: Option<String>,
    pub kty: String,
    #[serde(rename = "use")]
    pub use_: Option<String>,
    pub alg: Option<String>,
    pub n: Option<String>,
    pub e: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct JwkSet {
    pub keys: Vec<Jwk>,
}

#[derive(Clone)]
pub struct JwksSource {
    http: reqwest::Client,
    url: String,
}

impl JwksSource {
    pub fn new(url: String, timeout: Duration) -> Self {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .expect("a TLS client can be built");
        Self { http, url }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub async fn fetch(&self) -> Result<JwkSet, JwksError> {
        let fetch_err = |detail: String| JwksError::Fetch {
            url: self.url.clone(),
            detail,
        };
        let response = self
            .http
            .get(&self.url)
            .send()
            .await
            .map_err(|e| fetch_err(e.to_string()))?
            .error_for_status()
            .map_err(|e| fetch_err(e.to_string()))?;
        let set: JwkSet = response
            .json()
            .await
            .map_err(|e| fetch_err(e.to_string()))?;
        if set.keys.is_empty() {
            return Err(JwksError::Empty {
                url: self.url.clone(),
            });
        }
        Ok(set)
    }
}
