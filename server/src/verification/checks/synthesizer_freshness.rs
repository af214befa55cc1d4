//! Release check 1, Synthesizer Verification: the release's synthesizer must be verified; a
//! verification older than 7 days, or made with an API key that has since been rotated, is a
//! warning. No AWS call.

use app::contract::{CheckResult, Synthesizer};

use crate::verification::outcome::{failed, passed, warning};

pub const NAME: &str = "Synthesizer Verification";
pub const MAX_AGE_SECONDS: i64 = 7 * 24 * 3600;

/// `verified_at`: the latest report's time (Unix seconds), if any.
pub fn interpret(s: &Synthesizer, verified_at: Option<i64>, now: i64) -> CheckResult {
    let name = &s.fields.name;
    let verify = format!("Verify synthesizer {name} before deploying release (Synthesizers → {name} → Verify Configuration).");
    let (Some(at), Some(true)) = (verified_at, s.last_report_valid) else {
        return failed(NAME, "Synthesizer has not been verified", verify);
    };
    if s.needs_verification {
        return warning(
            NAME,
            "Synthesizer was verified with an API key that has since been rotated",
            format!("Put the new key in the handshake role's trust policy, then re-verify synthesizer {name}."),
        );
    }
    let age = (now - at).max(0);
    if age > MAX_AGE_SECONDS {
        return warning(
            NAME,
            "Synthesizer verification is older than 7 days",
            format!("Re-verify synthesizer {name} to ensure configuration is current."),
        );
    }
    passed(
        NAME,
        format!("Synthesizer verified {} days ago", age / 86_400),
    )
}
