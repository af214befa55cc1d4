//! Check 4, KMS Key: DescribeKey by the configured alias (or key id when no alias is set); the
//! key must be enabled.

use serde_json::json;

use app::contract::{CheckResult, SynthesizerFields};

use crate::verification::aws_error::{unreachable_action, AwsFailure};
use crate::verification::clients::CheckClients;
use crate::verification::outcome::{failed, not_configured, passed, WithDetails};

pub const NAME: &str = "KMS Key";
const SERVICE: &str = "AWS KMS";

pub struct Metadata {
    pub key_id: String,
    pub enabled: bool,
    pub key_state: String,
}

/// The alias when set, else the key id.
pub fn lookup(f: &SynthesizerFields) -> &str {
    if f.cdk.kms.alias.is_empty() {
        &f.cdk.kms.key
    } else {
        &f.cdk.kms.alias
    }
}

pub async fn run(clients: &CheckClients, f: &SynthesizerFields) -> CheckResult {
    let id = lookup(f);
    if id.is_empty() {
        return not_configured(NAME, "KMS key alias", "cdk.kms.alias");
    }
    let answer = clients
        .kms
        .describe_key()
        .key_id(id)
        .send()
        .await
        .map_err(|e| AwsFailure::of(&e))
        .and_then(|o| {
            o.key_metadata()
                .map(|m| Metadata {
                    key_id: m.key_id().to_owned(),
                    enabled: m.enabled(),
                    key_state: m
                        .key_state()
                        .map(|s| s.as_str().to_owned())
                        .unwrap_or_default(),
                })
                .ok_or_else(|| AwsFailure::Other("DescribeKey returned no key metadata".into()))
        });
    interpret(f, answer)
}

pub fn interpret(f: &SynthesizerFields, answer: Result<Metadata, AwsFailure>) -> CheckResult {
    let id = lookup(f);
    let region = &f.region;
    match answer {
        Ok(m) if m.enabled => passed(NAME, "KMS key exists and enabled")
            .with_details(json!({ "keyId": m.key_id, "keyState": m.key_state })),
        Ok(m) => failed(
            NAME,
            format!("KMS key exists but is disabled (key state {})", m.key_state),
            format!("Enable it: aws kms enable-key --key-id {} --region {region}", m.key_id),
        )
        .with_details(json!({ "keyId": m.key_id, "keyState": m.key_state })),
        Err(e) if e.is_unreachable() => {
            failed(NAME, e.sentence(SERVICE, region), unreachable_action(SERVICE))
        }
        Err(e) if e.code() == Some("NotFoundException") => failed(
            NAME,
            format!("NotFoundException: no KMS key {id} in account {} ({region}).", f.account),
            format!("Create the alias for your assets key (aws kms create-alias --alias-name {id} --target-key-id <key id> --region {region}), or set cdk.kms.alias to an existing alias."),
        ),
        Err(e) => failed(
            NAME,
            e.sentence(SERVICE, region),
            format!("Grant the handshake role kms:DescribeKey on {id}."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::contract::CheckStatus;

    fn fields() -> SynthesizerFields {
        let mut f = SynthesizerFields {
            account: "210987654321".into(),
            region: "us-west-2".into(),
            ..Default::default()
        };
        f.cdk.kms.alias = "alias/fastish-assets".into();
        f
    }

    #[test]
    fn enabled_passes_with_key_id_and_state() {
        let r = interpret(
            &fields(),
            Ok(Metadata {
                key_id: "k1".into(),
                enabled: true,
                key_state: "Enabled".into(),
            }),
        );
        assert_eq!(r.status, CheckStatus::Passed);
        assert_eq!(
            r.details.unwrap(),
            json!({"keyId": "k1", "keyState": "Enabled"})
        );
    }

    #[test]
    fn disabled_fails_with_the_enable_command() {
        let r = interpret(
            &fields(),
            Ok(Metadata {
                key_id: "k1".into(),
                enabled: false,
                key_state: "Disabled".into(),
            }),
        );
        assert_eq!(r.status, CheckStatus::Failed);
        assert!(r.message.starts_with("KMS key exists but is disabled"));
        assert!(r
            .action
            .unwrap()
            .contains("enable-key --key-id k1 --region us-west-2"));
    }

    #[test]
    fn the_alias_is_preferred_over_the_key_id() {
        let mut f = fields();
        f.cdk.kms.key = "k1".into();
        assert_eq!(lookup(&f), "alias/fastish-assets");
        f.cdk.kms.alias.clear();
        assert_eq!(lookup(&f), "k1");
    }
}
