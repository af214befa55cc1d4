//! One module per check: its AWS call(s), the interpretation as a pure function, and the tests
//! of that interpretation beside it. Over-the-wire scenarios are in `server/tests/api`.
//!
//! Synthesizer checks: `handshake_role`, `assets_bucket`, `ecr_repository`, `kms_key`,
//! `deployment_role`, `bootstrap_version`. Release checks: `synthesizer_freshness`,
//! `domain_configuration`, `ses_email`, `team_quotas`, `stack_conflict`, `service_quotas`.

pub mod assets_bucket;
pub mod bootstrap_version;
pub mod deployment_role;
pub mod domain_configuration;
pub mod ecr_repository;
pub mod handshake_role;
pub mod kms_key;
pub mod service_quotas;
pub mod ses_email;
pub mod stack_conflict;
pub mod synthesizer_freshness;
pub mod team_quotas;

/// The last segment of a role ARN's path: its name.
pub fn role_name(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}
