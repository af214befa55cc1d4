//! Verifies Cognito access tokens, following the checklist of AWS's own verifier
//! (shared/notes/security.md): three parts; `kid` required; RS256 only; signature; `exp` (and
//! `nbf` when present) with a small skew; exact `iss`; `token_use` = `access`; `client_id`.
//!
//! The key set is fetched once and cached; an unknown `kid` triggers one refetch (concurrent
//! refetches are merged behind one lock); if the refetched set still lacks it, no new fetch for
//! 10 s. Callers learn only that a token is invalid, never why (the reason goes to the log).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use tokio::sync::{Mutex, RwLock};

use crate::jwks::JwksSource;

const UNKNOWN_KID_PENALTY: Duration = Duration::from_secs(10);
const CLOCK_SKEW_SECONDS: u64 = 5;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the token is malformed")]
    Malformed,
    #[error("the token's algorithm is not RS256")]
    Algorithm,
    #[error("the token has no kid")]
    NoKid,
    #[error("the token's kid is not in the key set")]
    UnknownKid,
    #[error("the key set is unavailable: {0}")]
    KeySetUnavailable(String),
    #[error("the token failed validation: {0}")]
    Invalid(String),
    #[error("the token is not an access token")]
    NotAccess,
    #[error("the token was issued to another client")]
    WrongClient,
}

#[derive(Clone, Debug, Deserialize)]
pub struct AccessClaims {
    pub sub: String,
    pub token_use: String,
    pub client_id: String,
    #[serde(default)]
    pub username: Option<String>,
    pub exp: u64,
}

pub struct TokenVerifier {
    source: JwksSource,
    issuer: String,
    client_id: String,
    keys: RwLock<HashMap<String, DecodingKey>>,
    /// Held while fetching (merges concurrent fetches); remembers the last fruitless fetch.
    fetch: Mutex<Option<Instant>>,
}

impl TokenVerifier {
    pub fn new(source: JwksSource, region: &str, user_pool_id: &str, client_id: &str) -> Self {
        Self {
            source,
            issuer: format!("https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"),
            client_id: client_id.to_owned(),
            keys: RwLock::new(HashMap::new()),
            fetch: Mutex::new(None),
        }
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    pub async fn verify_access(&self, token: &str) -> Result<AccessClaims, TokenError> {
        if token.split('.').count() != 3 {
            return Err(TokenError::Malformed);
        }
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
        if header.alg != Algorithm::RS256 {
            return Err(TokenError::Algorithm);
        }
        let kid = header.kid.ok_or(TokenError::NoKid)?;
        let key = self.key_for(&kid).await?;

        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[&self.issuer]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.validate_aud = false; // Cognito access tokens carry client_id, not aud.
        validation.leeway = CLOCK_SKEW_SECONDS;
        let data = jsonwebtoken::decode::<AccessClaims>(token, &key, &validation)
            .map_err(|e| TokenError::Invalid(e.to_string()))?;
        let claims = data.claims;
        if claims.token_use != "access" {
            return Err(TokenError::NotAccess);
        }
        if claims.client_id != self.client_id {
            return Err(TokenError::WrongClient);
        }
        Ok(claims)
    }

    async fn key_for(&self, kid: &str) -> Result<DecodingKey, TokenError> {
        if let Some(key) = self.keys.read().await.get(kid) {
            return Ok(key.clone());
        }
        let mut last_miss = self.fetch.lock().await;
        // Another request may have fetched while this one waited for the lock.
        if let Some(key) = self.keys.read().await.get(kid) {
            return Ok(key.clone());
        }
        if last_miss.is_some_and(|at| at.elapsed() < UNKNOWN_KID_PENALTY) {
            return Err(TokenError::UnknownKid);
        }
        let set = self
            .source
            .fetch()
            .await
            .map_err(|e| TokenError::KeySetUnavailable(e.to_string()))?;
        let mut fresh = HashMap::new();
        for jwk in set.keys {
            let usable = jwk.kty == "RSA"
                && jwk.use_.as_deref().is_none_or(|u| u == "sig")
                && jwk.alg.as_deref().is_none_or(|a| a == "RS256");
            if let (true, Some(kid), Some(n), Some(e)) = (usable, jwk.kid, jwk.n, jwk.e) {
                if let Ok(key) = DecodingKey::from_rsa_components(&n, &e) {
                    fresh.insert(kid, key);
                }
            }
        }
        let found = fresh.get(kid).cloned();
        *self.keys.write().await = fresh;
        match found {
            Some(key) => {
                *last_miss = None;
                Ok(key)
            }
            None => {
                *last_miss = Some(Instant::now());
                Err(TokenError::UnknownKid)
            }
        }
    }
}
