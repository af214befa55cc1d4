//! The identity domain: subscribers, sessions and MFA challenges as the store keeps them.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubscriberStatus {
    Active,
    Suspended,
}

impl SubscriberStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "active" => Some(Self::Active),
            "suspended" => Some(Self::Suspended),
            _ => None,
        }
    }
}

/// A subscriber as the portal's store knows them. The raw API key is not here: only its hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subscriber {
    /// The Cognito `sub`.
    pub id: String,
    pub email: String,
    pub status: SubscriberStatus,
    pub subscription: String,
    pub key_hash: String,
    /// 1 at signup, +1 per rotation: synthesizers remember the generation they were verified with.
    pub key_generation: u32,
    pub key_created_at: i64,
    pub mfa_enabled: bool,
    pub created_at: i64,
}

/// A signed-in browser. The cookie carries a random id; the store keeps only its hash, so a copy
/// of the database does not let anyone sign in.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    pub id_hash: String,
    pub subscriber_id: String,
    /// Cognito's access token, kept server-side; checked on every request.
    pub access_token: String,
    pub created_at: i64,
    pub expires_at: i64,
    /// When the subscriber last re-entered their password (and MFA code) in this session.
    pub reauth_at: Option<i64>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("subscriber_id", &self.subscriber_id)
            .field("expires_at", &self.expires_at)
            .field("reauth_at", &self.reauth_at)
            .finish_non_exhaustive()
    }
}

/// A sign-in that passed the password step and waits for the TOTP code.
#[derive(Clone, PartialEq, Eq)]
pub struct MfaChallenge {
    pub id_hash: String,
    pub email: String,
    pub cognito_session: String,
    pub expires_at: i64,
}

impl fmt::Debug for MfaChallenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MfaChallenge")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}
