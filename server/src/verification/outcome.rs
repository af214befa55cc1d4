//! Building check results: every `failed` or `warning` result carries an action.

use app::contract::{CheckResult, CheckStatus};
use serde_json::Value;

pub fn passed(check: &str, message: impl Into<String>) -> CheckResult {
    result(check, CheckStatus::Passed, message.into(), None)
}

pub fn failed(check: &str, message: impl Into<String>, action: impl Into<String>) -> CheckResult {
    result(
        check,
        CheckStatus::Failed,
        message.into(),
        Some(action.into()),
    )
}

pub fn warning(check: &str, message: impl Into<String>, action: impl Into<String>) -> CheckResult {
    result(
        check,
        CheckStatus::Warning,
        message.into(),
        Some(action.into()),
    )
}

pub const SKIPPED_AFTER_HANDSHAKE: &str = "Skipped due to handshake role failure";

pub fn skipped(check: &str) -> CheckResult {
    skipped_with(check, SKIPPED_AFTER_HANDSHAKE)
}

pub fn skipped_with(check: &str, message: &str) -> CheckResult {
    result(check, CheckStatus::Skipped, message.into(), None)
}

fn result(
    check: &str,
    status: CheckStatus,
    message: String,
    action: Option<String>,
) -> CheckResult {
    CheckResult {
        check: check.to_owned(),
        status,
        // Defence in depth: nothing shaped like an API key leaves a check (an AWS message that
        // quoted a policy, say).
        message: crate::identity::api_key::redact(&message),
        details: None,
        action: action.map(|a| crate::identity::api_key::redact(&a)),
    }
}

pub trait WithDetails {
    fn with_details(self, details: Value) -> Self;
}

impl WithDetails for CheckResult {
    fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }
}

/// A check whose field is empty: failed, saying which field to set.
pub fn not_configured(check: &str, what: &str, field: &str) -> CheckResult {
    failed(
        check,
        format!("No {what} is configured for this synthesizer."),
        format!("Edit the synthesizer and set {field} (the CDKToolkit stack outputs have it; Import fills it in)."),
    )
}
