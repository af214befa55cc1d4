//! The synthesizer as the store keeps it.

use app::contract::{CheckResult, SynthesizerFields};

#[derive(Clone, Debug, PartialEq)]
pub struct SynthesizerRecord {
    pub id: String,
    pub subscriber_id: String,
    pub fields: SynthesizerFields,
    pub created_at: i64,
    pub updated_at: i64,
    /// The latest report's verdict; cleared when the configuration changes.
    pub verification: Option<VerificationState>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerificationState {
    pub valid: bool,
    pub at: i64,
    /// The subscriber's key generation the report was made with.
    pub key_generation: u32,
    pub key_fingerprint: String,
}

/// One stored verification report.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredReport {
    pub synthesizer_id: String,
    pub subscriber_id: String,
    /// Who ran it (the subscriber's email).
    pub actor: String,
    pub at: i64,
    pub valid: bool,
    pub checks: Vec<CheckResult>,
    pub key_generation: u32,
    pub key_fingerprint: String,
}
