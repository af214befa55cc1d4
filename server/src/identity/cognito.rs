//! The Cognito user pool, as the portal uses it: admin calls with the portal's own credentials
//! (the only way the API key is read or written) and the app client's sign-in flow.

use aws_sdk_cognitoidentityprovider as idp;
use idp::error::ProvideErrorMetadata;
use idp::types::{
    AttributeType, AuthFlowType, ChallengeNameType, MessageActionType, SoftwareTokenMfaSettingsType,
};

use super::api_key::{self, ApiKey};
use crate::config::CognitoSettings;

#[derive(Debug, thiserror::Error)]
pub enum CognitoError {
    #[error("a user with this email already exists")]
    UsernameExists,
    #[error("the password does not meet the pool's policy")]
    InvalidPassword,
    #[error("wrong credentials or token")]
    NotAuthorized,
    #[error("the code does not match")]
    CodeMismatch,
    #[error("Cognito refused the request: {0}")]
    Invalid(String),
    #[error("Cognito could not be reached or failed: {0}")]
    Unavailable(String),
}

fn classify<E: ProvideErrorMetadata + std::error::Error + 'static>(
    err: idp::error::SdkError<E>,
) -> CognitoError {
    let code = err.code().map(str::to_owned);
    let detail = api_key::redact(&format!("{}", idp::error::DisplayErrorContext(&err)));
    match code.as_deref() {
        Some("UsernameExistsException" | "AliasExistsException") => CognitoError::UsernameExists,
        Some("InvalidPasswordException") => CognitoError::InvalidPassword,
        Some("NotAuthorizedException" | "UserNotFoundException" | "UserNotConfirmedException") => {
            CognitoError::NotAuthorized
        }
        Some(
            "CodeMismatchException" | "EnableSoftwareTokenMFAException" | "ExpiredCodeException",
        ) => CognitoError::CodeMismatch,
        Some("InvalidParameterException") => CognitoError::Invalid(detail),
        _ => CognitoError::Unavailable(detail),
    }
}

/// Tokens from a completed sign-in. Kept server-side only.
#[derive(Clone)]
pub struct Tokens {
    pub access_token: String,
}

pub enum SignInStep {
    Done(Tokens),
    /// The pool wants the TOTP code; `session` is Cognito's challenge session.
    SoftwareTokenMfa {
        session: String,
    },
}

/// The rules of the pool's password policy, to say which one a password broke.
#[derive(Clone, Debug, Default)]
pub struct PasswordPolicy {
    pub minimum_length: usize,
    pub require_uppercase: bool,
    pub require_lowercase: bool,
    pub require_numbers: bool,
    pub require_symbols: bool,
}

impl PasswordPolicy {
    /// Every rule `password` breaks, as a sentence each.
    pub fn broken_rules(&self, password: &str) -> Vec<String> {
        let mut rules = Vec::new();
        if password.chars().count() < self.minimum_length {
            rules.push(format!("at least {} characters", self.minimum_length));
        }
        if self.require_uppercase && !password.chars().any(|c| c.is_ascii_uppercase()) {
            rules.push("an uppercase letter".into());
        }
        if self.require_lowercase && !password.chars().any(|c| c.is_ascii_lowercase()) {
            rules.push("a lowercase letter".into());
        }
        if self.require_numbers && !password.chars().any(|c| c.is_ascii_digit()) {
            rules.push("a number".into());
        }
        if self.require_symbols
            && !password
                .chars()
                .any(|c| "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-".contains(c))
        {
            rules.push("a symbol such as ! or -".into());
        }
        rules
    }
}

#[derive(Clone)]
pub struct CognitoDirectory {
    client: idp::Client,
    pool_id: String,
    client_id: String,
}

impl CognitoDirectory {
    pub fn new(sdk: &aws_config::SdkConfig, settings: &CognitoSettings) -> Self {
        let conf = idp::config::Builder::from(sdk)
            .region(idp::config::Region::new(settings.region.clone()))
            .build();
        Self {
            client: idp::Client::from_conf(conf),
            pool_id: settings.user_pool_id.clone(),
            client_id: settings.client_id.clone(),
        }
    }

    pub async fn password_policy(&self) -> Result<PasswordPolicy, CognitoError> {
        let pool = self
            .client
            .describe_user_pool()
            .user_pool_id(&self.pool_id)
            .send()
            .await
            .map_err(classify)?;
        let policy = pool
            .user_pool()
            .and_then(|p| p.policies())
            .and_then(|p| p.password_policy());
        Ok(match policy {
            Some(p) => PasswordPolicy {
                minimum_length: p.minimum_length().unwrap_or(8).max(0) as usize,
                require_uppercase: p.require_uppercase(),
                require_lowercase: p.require_lowercase(),
                require_numbers: p.require_numbers(),
                require_symbols: p.require_symbols(),
            },
            None => PasswordPolicy::default(),
        })
    }

    /// Creates a confirmed user with a permanent password and the subscriber attributes.
    /// Returns the user's `sub`. A user created here but whose password is refused is deleted.
    pub async fn create_subscriber(
        &self,
        email: &str,
        password: &str,
        key: &ApiKey,
    ) -> Result<String, CognitoError> {
        let attr = |name: &str, value: &str| {
            AttributeType::builder()
                .name(name)
                .value(value)
                .build()
                .expect("name is set")
        };
        let created = self
            .client
            .admin_create_user()
            .user_pool_id(&self.pool_id)
            .username(email)
            .message_action(MessageActionType::Suppress)
            .user_attributes(attr("email", email))
            .user_attributes(attr("email_verified", "true"))
            .user_attributes(attr("custom:apikey", key.expose_secret()))
            .user_attributes(attr("custom:role", ""))
            .user_attributes(attr("custom:subscription", "free"))
            .send()
            .await
            .map_err(classify)?;
        let sub = created
            .user()
            .and_then(|u| u.attributes().iter().find(|a| a.name() == "sub"))
            .and_then(|a| a.value())
            .map(str::to_owned);
        let set_password = self
            .client
            .admin_set_user_password()
            .user_pool_id(&self.pool_id)
            .username(email)
            .password(password)
            .permanent(true)
            .send()
            .await
            .map_err(classify);
        if let Err(e) = set_password {
            self.delete_user(email).await.ok();
            return Err(e);
        }
        match sub {
            Some(sub) => Ok(sub),
            None => {
                self.delete_user(email).await.ok();
                Err(CognitoError::Unavailable(
                    "AdminCreateUser returned no sub".into(),
                ))
            }
        }
    }

    pub async fn delete_user(&self, username: &str) -> Result<(), CognitoError> {
        self.client
            .admin_delete_user()
            .user_pool_id(&self.pool_id)
            .username(username)
            .send()
            .await
            .map_err(classify)
            .map(|_| ())
    }

    /// What the admin API knows of a user: `sub`, email, subscription and the API key.
    pub async fn subscriber_record(&self, username: &str) -> Result<UserRecord, CognitoError> {
        let user = self
            .client
            .admin_get_user()
            .user_pool_id(&self.pool_id)
            .username(username)
            .send()
            .await
            .map_err(classify)?;
        let get = |name: &str| {
            user.user_attributes()
                .iter()
                .find(|a| a.name() == name)
                .and_then(|a| a.value())
                .map(str::to_owned)
        };
        Ok(UserRecord {
            sub: get("sub").unwrap_or_default(),
            email: get("email").unwrap_or_else(|| username.to_owned()),
            subscription: get("custom:subscription").unwrap_or_else(|| "free".into()),
            api_key: get("custom:apikey").as_deref().and_then(ApiKey::parse),
        })
    }

    pub async fn set_api_key(&self, username: &str, key: &ApiKey) -> Result<(), CognitoError> {
        self.client
            .admin_update_user_attributes()
            .user_pool_id(&self.pool_id)
            .username(username)
            .user_attributes(
                AttributeType::builder()
                    .name("custom:apikey")
                    .value(key.expose_secret())
                    .build()
                    .expect("name is set"),
            )
            .send()
            .await
            .map_err(classify)
            .map(|_| ())
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Result<SignInStep, CognitoError> {
        let out = self
            .client
            .initiate_auth()
            .client_id(&self.client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", email)
            .auth_parameters("PASSWORD", password)
            .send()
            .await
            .map_err(classify)?;
        if let Some(result) = out.authentication_result() {
            return result
                .access_token()
                .map(|t| {
                    SignInStep::Done(Tokens {
                        access_token: t.to_owned(),
                    })
                })
                .ok_or_else(|| CognitoError::Unavailable("no access token in the answer".into()));
        }
        match (out.challenge_name(), out.session()) {
            (Some(ChallengeNameType::SoftwareTokenMfa), Some(session)) => {
                Ok(SignInStep::SoftwareTokenMfa {
                    session: session.to_owned(),
                })
            }
            (Some(other), _) => Err(CognitoError::Invalid(format!(
                "unsupported sign-in challenge {other}"
            ))),
            _ => Err(CognitoError::Unavailable(
                "neither tokens nor a challenge".into(),
            )),
        }
    }

    pub async fn answer_mfa(
        &self,
        email: &str,
        session: &str,
        code: &str,
    ) -> Result<Tokens, CognitoError> {
        let out = self
            .client
            .respond_to_auth_challenge()
            .client_id(&self.client_id)
            .challenge_name(ChallengeNameType::SoftwareTokenMfa)
            .session(session)
            .challenge_responses("USERNAME", email)
            .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", code)
            .send()
            .await
            .map_err(classify)?;
        out.authentication_result()
            .and_then(|r| r.access_token())
            .map(|t| Tokens {
                access_token: t.to_owned(),
            })
            .ok_or(CognitoError::NotAuthorized)
    }

    /// Revokes every token of the user's Cognito sessions.
    pub async fn global_sign_out(&self, access_token: &str) -> Result<(), CognitoError> {
        self.client
            .global_sign_out()
            .access_token(access_token)
            .send()
            .await
            .map_err(classify)
            .map(|_| ())
    }

    /// Starts TOTP enrolment; returns the shared secret.
    pub async fn start_totp(&self, access_token: &str) -> Result<String, CognitoError> {
        let out = self
            .client
            .associate_software_token()
            .access_token(access_token)
            .send()
            .await
            .map_err(classify)?;
        out.secret_code()
            .map(str::to_owned)
            .ok_or_else(|| CognitoError::Unavailable("no secret in the answer".into()))
    }

    /// Confirms TOTP enrolment with a code and makes TOTP the user's MFA method.
    pub async fn enable_totp(&self, access_token: &str, code: &str) -> Result<(), CognitoError> {
        let out = self
            .client
            .verify_software_token()
            .access_token(access_token)
            .user_code(code)
            .send()
            .await
            .map_err(classify)?;
        if out.status().map(|s| s.as_str()) != Some("SUCCESS") {
            return Err(CognitoError::CodeMismatch);
        }
        self.client
            .set_user_mfa_preference()
            .access_token(access_token)
            .software_token_mfa_settings(
                SoftwareTokenMfaSettingsType::builder()
                    .enabled(true)
                    .preferred_mfa(true)
                    .build(),
            )
            .send()
            .await
            .map_err(classify)
            .map(|_| ())
    }
}

pub struct UserRecord {
    pub sub: String,
    pub email: String,
    pub subscription: String,
    pub api_key: Option<ApiKey>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_rules_are_named() {
        let p = PasswordPolicy {
            minimum_length: 12,
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
        };
        assert!(p.broken_rules("Str0ng-Enough!").is_empty());
        let rules = p.broken_rules("short");
        assert!(rules.contains(&"at least 12 characters".to_string()));
        assert!(rules.contains(&"an uppercase letter".to_string()));
        assert!(rules.contains(&"a number".to_string()));
        assert!(!rules.contains(&"a lowercase letter".to_string()));
    }
}
