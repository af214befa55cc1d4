//! One module per check: its AWS call(s), the interpretation as a pure function, and the tests
//! of that interpretation beside it. Over-the-wire scenarios are in `server/tests/api`.

pub mod assets_bucket;
pub mod bootstrap_version;
pub mod deployment_role;
pub mod ecr_repository;
pub mod handshake_role;
pub mod kms_key;

/// The last segment of a role ARN's path: its name.
pub fn role_name(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}
