//! The identity service: signup with the subscriber API key, sign-in (with TOTP), sessions,
//! reauthentication, the key's reveal and rotation, and the `X-Api-Key` authorizer.
//! HTTP handlers and server functions both call this; neither talks to Cognito directly.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::http::{header, HeaderMap};
use serde_json::json;

use super::api_key::{fingerprint_of_hash, ApiKey};
use super::cognito::{CognitoDirectory, CognitoError, SignInStep, Tokens};
use super::cookies::{self, CookiePolicy};
use super::model::{MfaChallenge, Session, Subscriber, SubscriberStatus};
use super::rate_limit::FailureLimiter;
use super::tokens::TokenVerifier;
use crate::store::{AuditEntry, SharedStore, StoreError};

/// A session lives one hour (the specification), like the Cognito access token behind it.
pub const SESSION_SECONDS: i64 = 3600;
/// Sensitive actions need a password (and code) entered within this many seconds.
pub const REAUTH_SECONDS: i64 = 300;
/// How long the password step of an MFA sign-in stays valid.
pub const CHALLENGE_SECONDS: i64 = 300;

#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("{message}")]
    Invalid {
        message: String,
        fields: BTreeMap<String, String>,
    },
    #[error("An account with this email already exists. Sign in instead.")]
    EmailTaken,
    #[error("The email or password is incorrect.")]
    BadCredentials,
    #[error("That code is not valid. Enter the current 6-digit code from your authenticator app.")]
    BadCode,
    #[error("Sign in to continue.")]
    Unauthenticated,
    #[error("This account is suspended. Contact Fastish support.")]
    Suspended,
    #[error("Confirm your password first: this action needs a sign-in from the last 5 minutes.")]
    ReauthRequired,
    #[error("Too many attempts. Try again in {} seconds.", .0.as_secs())]
    RateLimited(Duration),
    #[error("The sign-in service is unavailable right now. Try again in a minute.")]
    Unavailable,
}

impl IdentityError {
    fn field(field: &str, message: &str) -> Self {
        let mut fields = BTreeMap::new();
        fields.insert(field.to_owned(), message.to_owned());
        Self::Invalid {
            message: "Some fields need attention.".into(),
            fields,
        }
    }
}

fn unavailable(context: &str, e: impl std::fmt::Display) -> IdentityError {
    tracing::error!(error = %e, "{context}");
    IdentityError::Unavailable
}

fn store_err(context: &'static str) -> impl Fn(StoreError) -> IdentityError {
    move |e| unavailable(context, e)
}

pub enum LoginOutcome {
    /// Signed in: the `Set-Cookie` value of the new session.
    SignedIn { set_cookie: String },
    /// The password was right; the TOTP code is next. The challenge cookie to set.
    MfaRequired { set_cookie: String },
}

#[derive(Clone, Debug)]
pub struct Authenticated {
    pub session: Session,
    pub subscriber: Subscriber,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorizerContext {
    pub subscriber_id: String,
    pub subscription: String,
}

pub struct Identity {
    store: SharedStore,
    cognito: CognitoDirectory,
    verifier: TokenVerifier,
    pub cookies: CookiePolicy,
    login_by_account: FailureLimiter,
    login_by_address: FailureLimiter,
    codes_by_account: FailureLimiter,
    keys_by_address: FailureLimiter,
}

pub fn now() -> i64 {
    crate::store::sqlite::now()
}

fn audit(actor: &str, action: &str, subject: &str) -> AuditEntry {
    AuditEntry {
        actor: actor.to_owned(),
        action: action.to_owned(),
        subject: subject.to_owned(),
        at: now(),
    }
}

/// An email is `local@domain` with a DNS-name domain; Cognito has the last word on the rest.
pub fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && email.len() <= 254
        && !local.chars().any(|c| c.is_whitespace() || c == '@')
        && domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

impl Identity {
    pub fn new(
        store: SharedStore,
        cognito: CognitoDirectory,
        verifier: TokenVerifier,
        cookies: CookiePolicy,
    ) -> Self {
        let fifteen_minutes = Duration::from_secs(15 * 60);
        Self {
            store,
            cognito,
            verifier,
            cookies,
            login_by_account: FailureLimiter::new(5, fifteen_minutes),
            login_by_address: FailureLimiter::new(20, fifteen_minutes),
            codes_by_account: FailureLimiter::new(5, fifteen_minutes),
            keys_by_address: FailureLimiter::new(10, Duration::from_secs(5 * 60)),
        }
    }

    pub fn verifier(&self) -> &TokenVerifier {
        &self.verifier
    }

    fn credentials(email: &str, password: &str) -> Result<String, IdentityError> {
        let email = email.trim().to_lowercase();
        let mut fields = BTreeMap::new();
        if !valid_email(&email) {
            fields.insert(
                "email".into(),
                "Enter an email address such as you@example.com.".into(),
            );
        }
        if password.is_empty() {
            fields.insert("password".into(), "Enter your password.".into());
        }
        if fields.is_empty() {
            Ok(email)
        } else {
            Err(IdentityError::Invalid {
                message: "Some fields need attention.".into(),
                fields,
            })
        }
    }

    // ---- signup ---------------------------------------------------------------------------

    /// Creates the Cognito user (with a fresh API key) and the subscriber record; if either
    /// write fails, the other is undone.
    pub async fn sign_up(&self, email: &str, password: &str) -> Result<String, IdentityError> {
        let email = Self::credentials(email, password)?;
        let policy = self.cognito.password_policy().await.ok();
        if let Some(rules) = policy.as_ref().map(|p| p.broken_rules(password)) {
            if !rules.is_empty() {
                return Err(IdentityError::field(
                    "password",
                    &format!("The password needs {}.", rules.join(", ")),
                ));
            }
        }
        let key = ApiKey::generate();
        let sub = match self.cognito.create_subscriber(&email, password, &key).await {
            Ok(sub) => sub,
            Err(CognitoError::UsernameExists) => return Err(IdentityError::EmailTaken),
            Err(CognitoError::InvalidPassword) => {
                return Err(IdentityError::field(
                    "password",
                    "The password does not meet the password policy: use at least 12 characters with upper- and lowercase letters, a number and a symbol.",
                ))
            }
            Err(CognitoError::Invalid(detail)) => {
                tracing::warn!(%detail, "signup refused by Cognito");
                return Err(IdentityError::field("email", "Cognito refused this email address."));
            }
            Err(e) => return Err(unavailable("signup: creating the Cognito user failed", e)),
        };
        let at = now();
        let record = Subscriber {
            id: sub.clone(),
            email: email.clone(),
            status: SubscriberStatus::Active,
            subscription: "free".into(),
            key_hash: key.hash(),
            key_generation: 1,
            key_created_at: at,
            mfa_enabled: false,
            created_at: at,
        };
        if let Err(e) = self.store.insert_subscriber(record).await {
            // No half-created subscriber: take the Cognito user back.
            if let Err(undo) = self.cognito.delete_user(&email).await {
                tracing::error!(error = %undo, subscriber = %sub, "signup: undoing the Cognito user failed");
            }
            return Err(match e {
                StoreError::Conflict(_) => IdentityError::EmailTaken,
                other => unavailable("signup: storing the subscriber failed", other),
            });
        }
        self.record(&sub, "subscriber.signed_up", &sub).await;
        tracing::info!(subscriber = %sub, key = %key.fingerprint(), "subscriber signed up");
        Ok(email)
    }

    // ---- sign-in --------------------------------------------------------------------------

    pub async fn log_in(
        &self,
        email: &str,
        password: &str,
        client: &str,
    ) -> Result<LoginOutcome, IdentityError> {
        let email = Self::credentials(email, password)?;
        let address_key = format!("addr:{client}");
        self.login_by_account
            .check(&email)
            .and_then(|_| self.login_by_address.check(&address_key))
            .map_err(IdentityError::RateLimited)?;
        match self.cognito.sign_in(&email, password).await {
            Ok(SignInStep::Done(tokens)) => {
                self.login_by_account.clear(&email);
                let set_cookie = self.start_session(&email, tokens).await?;
                Ok(LoginOutcome::SignedIn { set_cookie })
            }
            Ok(SignInStep::SoftwareTokenMfa { session }) => {
                let token = cookies::new_token();
                let challenge = MfaChallenge {
                    id_hash: cookies::hash_token(&token),
                    email,
                    cognito_session: session,
                    expires_at: now() + CHALLENGE_SECONDS,
                };
                self.store
                    .insert_challenge(challenge)
                    .await
                    .map_err(store_err("storing the MFA challenge failed"))?;
                Ok(LoginOutcome::MfaRequired {
                    set_cookie: self.cookies.set(
                        self.cookies.challenge_name(),
                        &token,
                        CHALLENGE_SECONDS,
                    ),
                })
            }
            Err(CognitoError::NotAuthorized) => {
                self.login_by_account.record_failure(&email);
                self.login_by_address.record_failure(&address_key);
                Err(IdentityError::BadCredentials)
            }
            Err(e) => Err(unavailable("sign-in: Cognito failed", e)),
        }
    }

    /// The second step of an MFA sign-in. Returns the session cookie, and the challenge cookie's
    /// clearing value.
    pub async fn answer_mfa(
        &self,
        headers: &HeaderMap,
        code: &str,
    ) -> Result<[String; 2], IdentityError> {
        let token = cookies::read(headers, self.cookies.challenge_name())
            .ok_or(IdentityError::Unauthenticated)?;
        let challenge = self
            .store
            .take_challenge(&cookies::hash_token(&token))
            .await
            .map_err(store_err("reading the MFA challenge failed"))?
            .filter(|c| c.expires_at > now())
            .ok_or(IdentityError::Unauthenticated)?;
        let code = code.trim();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            self.store.insert_challenge(challenge).await.ok();
            return Err(IdentityError::field(
                "code",
                "Enter the 6-digit code from your authenticator app.",
            ));
        }
        self.codes_by_account
            .check(&challenge.email)
            .map_err(IdentityError::RateLimited)?;
        match self
            .cognito
            .answer_mfa(&challenge.email, &challenge.cognito_session, code)
            .await
        {
            Ok(tokens) => {
                let session_cookie = self.start_session(&challenge.email, tokens).await?;
                Ok([
                    session_cookie,
                    self.cookies.clear(self.cookies.challenge_name()),
                ])
            }
            Err(CognitoError::CodeMismatch | CognitoError::NotAuthorized) => {
                self.codes_by_account.record_failure(&challenge.email);
                // The subscriber may try again with the next code, within the limits.
                self.store.insert_challenge(challenge).await.ok();
                Err(IdentityError::BadCode)
            }
            Err(e) => Err(unavailable("MFA sign-in: Cognito failed", e)),
        }
    }

    async fn start_session(&self, email: &str, tokens: Tokens) -> Result<String, IdentityError> {
        let claims = self
            .verifier
            .verify_access(&tokens.access_token)
            .await
            .map_err(|e| unavailable("sign-in: Cognito's own access token did not verify", e))?;
        let subscriber = self.subscriber_for(&claims.sub, email).await?;
        if subscriber.status != SubscriberStatus::Active {
            return Err(IdentityError::Suspended);
        }
        let token = cookies::new_token();
        let at = now();
        let session = Session {
            id_hash: cookies::hash_token(&token),
            subscriber_id: subscriber.id.clone(),
            access_token: tokens.access_token,
            created_at: at,
            expires_at: at + SESSION_SECONDS,
            reauth_at: None,
        };
        self.store
            .insert_session(session)
            .await
            .map_err(store_err("storing the session failed"))?;
        self.record(&subscriber.id, "session.signed_in", &subscriber.id)
            .await;
        Ok(self
            .cookies
            .set(self.cookies.session_name(), &token, SESSION_SECONDS))
    }

    /// The store's subscriber for a Cognito user; a user created outside the portal (by an
    /// operator, or the dev seed) is recorded on first sign-in from Cognito's admin view.
    async fn subscriber_for(&self, sub: &str, email: &str) -> Result<Subscriber, IdentityError> {
        if let Some(s) = self
            .store
            .subscriber(sub)
            .await
            .map_err(store_err("reading the subscriber failed"))?
        {
            return Ok(s);
        }
        let record = self
            .cognito
            .subscriber_record(email)
            .await
            .map_err(|e| unavailable("reading the Cognito user failed", e))?;
        let key = match record.api_key {
            Some(key) => key,
            None => {
                let key = ApiKey::generate();
                self.cognito
                    .set_api_key(email, &key)
                    .await
                    .map_err(|e| unavailable("giving the Cognito user an API key failed", e))?;
                key
            }
        };
        let at = now();
        let subscriber = Subscriber {
            id: sub.to_owned(),
            email: record.email,
            status: SubscriberStatus::Active,
            subscription: record.subscription,
            key_hash: key.hash(),
            key_generation: 1,
            key_created_at: at,
            mfa_enabled: false,
            created_at: at,
        };
        match self.store.insert_subscriber(subscriber.clone()).await {
            Ok(()) => Ok(subscriber),
            // Two first sign-ins at once: the other one recorded it.
            Err(StoreError::Conflict(_)) => self
                .store
                .subscriber(sub)
                .await
                .map_err(store_err("reading the subscriber failed"))?
                .ok_or(IdentityError::Unavailable),
            Err(e) => Err(unavailable("recording the subscriber failed", e)),
        }
    }

    /// The signed-in subscriber behind this request's session cookie, checked in full: the
    /// session exists and is younger than an hour, its Cognito access token verifies, the
    /// subscriber is active.
    pub async fn authenticate(&self, headers: &HeaderMap) -> Result<Authenticated, IdentityError> {
        let token = cookies::read(headers, self.cookies.session_name())
            .ok_or(IdentityError::Unauthenticated)?;
        let id_hash = cookies::hash_token(&token);
        let session = self
            .store
            .session(&id_hash)
            .await
            .map_err(store_err("reading the session failed"))?
            .ok_or(IdentityError::Unauthenticated)?;
        if session.expires_at <= now() {
            self.store.delete_session(&id_hash).await.ok();
            return Err(IdentityError::Unauthenticated);
        }
        let claims = match self.verifier.verify_access(&session.access_token).await {
            Ok(c) => c,
            Err(e) => {
                tracing::info!(reason = %e, "session refused: its access token did not verify");
                return Err(IdentityError::Unauthenticated);
            }
        };
        let subscriber = self
            .store
            .subscriber(&session.subscriber_id)
            .await
            .map_err(store_err("reading the subscriber failed"))?
            .filter(|s| s.id == claims.sub && s.status == SubscriberStatus::Active)
            .ok_or(IdentityError::Unauthenticated)?;
        Ok(Authenticated {
            session,
            subscriber,
        })
    }

    pub async fn log_out(&self, auth: &Authenticated) -> Result<String, IdentityError> {
        if let Err(e) = self
            .cognito
            .global_sign_out(&auth.session.access_token)
            .await
        {
            tracing::warn!(error = %e, "sign-out: Cognito GlobalSignOut failed; the portal session ends anyway");
        }
        self.store
            .delete_session(&auth.session.id_hash)
            .await
            .map_err(store_err("deleting the session failed"))?;
        self.record(
            &auth.subscriber.id,
            "session.signed_out",
            &auth.subscriber.id,
        )
        .await;
        Ok(self.cookies.clear(self.cookies.session_name()))
    }

    // ---- reauthentication and the key -------------------------------------------------------

    /// Re-checks the password (and the TOTP code when MFA is enrolled) and opens a 5-minute
    /// window for sensitive actions in this session.
    pub async fn reauthenticate(
        &self,
        auth: &Authenticated,
        password: &str,
        code: Option<&str>,
    ) -> Result<(), IdentityError> {
        let email = auth.subscriber.email.clone();
        if password.is_empty() {
            return Err(IdentityError::field("password", "Enter your password."));
        }
        self.login_by_account
            .check(&email)
            .map_err(IdentityError::RateLimited)?;
        let step = match self.cognito.sign_in(&email, password).await {
            Ok(step) => step,
            Err(CognitoError::NotAuthorized) => {
                self.login_by_account.record_failure(&email);
                return Err(IdentityError::BadCredentials);
            }
            Err(e) => return Err(unavailable("reauthentication: Cognito failed", e)),
        };
        if let SignInStep::SoftwareTokenMfa { session } = step {
            let code = code
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .ok_or_else(|| {
                    IdentityError::field(
                        "code",
                        "Enter the 6-digit code from your authenticator app.",
                    )
                })?;
            self.codes_by_account
                .check(&email)
                .map_err(IdentityError::RateLimited)?;
            match self.cognito.answer_mfa(&email, &session, code).await {
                Ok(_) => {}
                Err(CognitoError::CodeMismatch | CognitoError::NotAuthorized) => {
                    self.codes_by_account.record_failure(&email);
                    return Err(IdentityError::BadCode);
                }
                Err(e) => return Err(unavailable("reauthentication: Cognito MFA failed", e)),
            }
        }
        self.store
            .mark_reauthenticated(&auth.session.id_hash, now())
            .await
            .map_err(store_err("recording the reauthentication failed"))?;
        self.record(
            &auth.subscriber.id,
            "session.reauthenticated",
            &auth.subscriber.id,
        )
        .await;
        Ok(())
    }

    pub fn require_recent_reauth(auth: &Authenticated) -> Result<(), IdentityError> {
        match auth.session.reauth_at {
            Some(at) if now() - at <= REAUTH_SECONDS => Ok(()),
            _ => Err(IdentityError::ReauthRequired),
        }
    }

    /// The raw key, read from Cognito with the portal's credentials. Only inside a
    /// reauthentication window.
    pub async fn reveal_key(&self, auth: &Authenticated) -> Result<ApiKey, IdentityError> {
        Self::require_recent_reauth(auth)?;
        let key = self.current_key(auth).await?;
        self.record(&auth.subscriber.id, "api_key.revealed", &auth.subscriber.id)
            .await;
        Ok(key)
    }

    /// The key, for the portal's own use (the External ID of a verification). Never returned to
    /// a client by the caller.
    pub async fn current_key(&self, auth: &Authenticated) -> Result<ApiKey, IdentityError> {
        let record = self
            .cognito
            .subscriber_record(&auth.subscriber.email)
            .await
            .map_err(|e| unavailable("reading the API key from Cognito failed", e))?;
        record
            .api_key
            .filter(|k| k.matches_hash(&auth.subscriber.key_hash))
            .ok_or_else(|| {
                unavailable(
                    "the API key in Cognito and the store disagree",
                    "hash mismatch",
                )
            })
    }

    /// A new key in Cognito and the store together; the old key fails from the next request on.
    pub async fn rotate_key(&self, auth: &Authenticated) -> Result<i64, IdentityError> {
        Self::require_recent_reauth(auth)?;
        let old = self.current_key(auth).await?;
        let new = ApiKey::generate();
        self.cognito
            .set_api_key(&auth.subscriber.email, &new)
            .await
            .map_err(|e| unavailable("rotation: writing the new key to Cognito failed", e))?;
        let at = now();
        if let Err(e) = self
            .store
            .rotate_key(&auth.subscriber.id, &new.hash(), at)
            .await
        {
            // Cognito and the store must agree: put the old key back.
            if let Err(undo) = self.cognito.set_api_key(&auth.subscriber.email, &old).await {
                tracing::error!(error = %undo, "rotation: restoring the old key in Cognito failed");
            }
            return Err(unavailable("rotation: storing the new key failed", e));
        }
        self.record(&auth.subscriber.id, "api_key.rotated", &auth.subscriber.id)
            .await;
        tracing::info!(subscriber = %auth.subscriber.id, key = %new.fingerprint(), "API key rotated");
        Ok(at)
    }

    /// The trust policy the subscriber's handshake role needs (it contains the key).
    pub async fn trust_policy(
        &self,
        auth: &Authenticated,
        platform_principal: &str,
    ) -> Result<serde_json::Value, IdentityError> {
        Self::require_recent_reauth(auth)?;
        let key = self.current_key(auth).await?;
        Ok(json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": { "AWS": platform_principal },
                "Action": "sts:AssumeRole",
                "Condition": { "StringEquals": { "sts:ExternalId": key.expose_secret() } }
            }]
        }))
    }

    pub fn key_fingerprint(subscriber: &Subscriber) -> String {
        fingerprint_of_hash(&subscriber.key_hash)
    }

    // ---- MFA enrolment ----------------------------------------------------------------------

    pub async fn start_totp(
        &self,
        auth: &Authenticated,
    ) -> Result<(String, String), IdentityError> {
        let secret = self
            .cognito
            .start_totp(&auth.session.access_token)
            .await
            .map_err(|e| unavailable("MFA setup: Cognito failed", e))?;
        let label = auth.subscriber.email.replace('@', "%40");
        let uri = format!(
            "otpauth://totp/Fastish%20Portal:{label}?secret={secret}&issuer=Fastish%20Portal"
        );
        Ok((secret, uri))
    }

    pub async fn enable_totp(&self, auth: &Authenticated, code: &str) -> Result<(), IdentityError> {
        let code = code.trim();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdentityError::field(
                "code",
                "Enter the 6-digit code from your authenticator app.",
            ));
        }
        match self
            .cognito
            .enable_totp(&auth.session.access_token, code)
            .await
        {
            Ok(()) => {}
            Err(CognitoError::CodeMismatch) => return Err(IdentityError::BadCode),
            Err(e) => return Err(unavailable("MFA enable: Cognito failed", e)),
        }
        self.store
            .set_mfa_enabled(&auth.subscriber.id, true)
            .await
            .map_err(store_err("recording MFA failed"))?;
        self.record(&auth.subscriber.id, "mfa.enabled", &auth.subscriber.id)
            .await;
        Ok(())
    }

    // ---- the backend API's authorizer ---------------------------------------------------------

    /// `X-Api-Key` **and** a Cognito access token of the same, active subscriber, who must be
    /// the one named in the path. Every failure looks the same to the caller and counts
    /// against the client's address.
    pub async fn authorize_backend(
        &self,
        headers: &HeaderMap,
        path_subscriber: &str,
        client: &str,
    ) -> Result<AuthorizerContext, IdentityError> {
        let address_key = format!("key:{client}");
        self.keys_by_address
            .check(&address_key)
            .map_err(IdentityError::RateLimited)?;
        match self
            .check_backend_credentials(headers, path_subscriber)
            .await
        {
            Ok(ctx) => Ok(ctx),
            Err(reason) => {
                tracing::info!(%reason, "backend API request refused");
                self.keys_by_address.record_failure(&address_key);
                Err(IdentityError::Unauthenticated)
            }
        }
    }

    async fn check_backend_credentials(
        &self,
        headers: &HeaderMap,
        path_subscriber: &str,
    ) -> Result<AuthorizerContext, &'static str> {
        let key = headers
            .get("x-api-key")
            .and_then(|v| v.to_str().ok())
            .and_then(ApiKey::parse)
            .ok_or("missing or malformed X-Api-Key")?;
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or("missing bearer token")?;
        let claims = self
            .verifier
            .verify_access(bearer.trim())
            .await
            .map_err(|_| "the access token did not verify")?;
        let subscriber = self
            .store
            .subscriber_by_key_hash(&key.hash())
            .await
            .map_err(|_| "the store failed")?
            .ok_or("unknown key")?;
        if !key.matches_hash(&subscriber.key_hash) {
            return Err("unknown key");
        }
        if subscriber.status != SubscriberStatus::Active {
            return Err("subscriber not active");
        }
        if subscriber.id != claims.sub || subscriber.id != path_subscriber {
            return Err("key, token and path name different subscribers");
        }
        Ok(AuthorizerContext {
            subscriber_id: subscriber.id,
            subscription: subscriber.subscription,
        })
    }

    pub async fn record(&self, actor: &str, action: &str, subject: &str) {
        if let Err(e) = self.store.record_audit(audit(actor, action, subject)).await {
            tracing::error!(error = %e, action, "writing the audit log failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_rules() {
        for ok in ["a@b.co", "first.last+tag@sub.example.com"] {
            assert!(valid_email(ok), "{ok}");
        }
        for bad in [
            "", "a", "a@", "@b.co", "a@b", "a b@c.co", "a@-b.co", "a@b..co", "a@b_c.co",
        ] {
            assert!(!valid_email(bad), "{bad}");
        }
    }
}
