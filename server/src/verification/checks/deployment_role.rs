//! Check 5, Deployment Role: GetRole on the deploy role; its trust policy (URL-encoded by IAM)
//! decoded and read: a `StringEquals`/`StringLike` (or `ForAnyValue:`) condition on
//! `sts:ExternalId` is a requirement; a `Null` condition on it (CDK bootstrap v29+) forbids one.

use serde_json::{json, Value};

use app::contract::{CheckResult, SynthesizerFields};

use super::role_name;
use crate::verification::aws_error::{unreachable_action, AwsFailure};
use crate::verification::clients::CheckClients;
use crate::verification::outcome::{failed, not_configured, passed, warning, WithDetails};

pub const NAME: &str = "Deployment Role";
const SERVICE: &str = "AWS IAM";

pub async fn run(clients: &CheckClients, f: &SynthesizerFields) -> CheckResult {
    let arn = f.cdk.role.deploy.as_str();
    if arn.is_empty() {
        return not_configured(NAME, "deployment role", "cdk.role.deploy");
    }
    let answer = clients
        .iam
        .get_role()
        .role_name(role_name(arn))
        .send()
        .await
        .map_err(|e| AwsFailure::of(&e))
        .map(|o| {
            o.role().map(|r| {
                r.assume_role_policy_document()
                    .unwrap_or_default()
                    .to_owned()
            })
        });
    interpret(f, answer)
}

/// What the trust policy says about `sts:ExternalId`.
#[derive(Debug, PartialEq, Eq)]
pub enum ExternalIdRule {
    Required,
    /// A `Null` condition: CDK's way of forbidding an External ID.
    Forbidden,
    Absent,
}

pub fn external_id_rule(policy: &Value) -> ExternalIdRule {
    let statements = match policy.get("Statement") {
        Some(Value::Array(s)) => s.clone(),
        Some(s @ Value::Object(_)) => vec![s.clone()],
        _ => vec![],
    };
    let mut rule = ExternalIdRule::Absent;
    for s in statements
        .iter()
        .filter(|s| s.get("Effect").and_then(Value::as_str) == Some("Allow"))
    {
        let Some(conditions) = s.get("Condition").and_then(Value::as_object) else {
            continue;
        };
        for (operator, keys) in conditions {
            let has_key = keys
                .as_object()
                .is_some_and(|k| k.keys().any(|k| k.eq_ignore_ascii_case("sts:ExternalId")));
            if !has_key {
                continue;
            }
            let base = operator
                .trim_start_matches("ForAnyValue:")
                .trim_start_matches("ForAllValues:")
                .trim_end_matches("IfExists");
            match base {
                "StringEquals" | "StringLike" => return ExternalIdRule::Required,
                "Null" => rule = ExternalIdRule::Forbidden,
                _ => {}
            }
        }
    }
    rule
}

pub fn interpret(f: &SynthesizerFields, answer: Result<Option<String>, AwsFailure>) -> CheckResult {
    let arn = &f.cdk.role.deploy;
    let name = role_name(arn);
    let raw = match answer {
        Ok(Some(doc)) => doc,
        Ok(None) => String::new(),
        Err(e) if e.is_unreachable() => {
            return failed(NAME, e.sentence(SERVICE, "the global endpoint"), unreachable_action(SERVICE))
        }
        Err(e) if e.code() == Some("NoSuchEntity") => {
            return failed(
                NAME,
                format!("NoSuchEntity: role {name} does not exist in account {}.", f.account),
                format!("Run `cdk bootstrap aws://{}/{}` to create the deployment role, or set cdk.role.deploy to the deploy role's ARN.", f.account, f.region),
            )
        }
        Err(e) => {
            return failed(
                NAME,
                e.sentence(SERVICE, "the global endpoint"),
                format!("Grant the handshake role iam:GetRole on {arn}."),
            )
        }
    };
    // IAM returns the document URL-encoded.
    let decoded = urlencoding::decode(&raw)
        .map(|c| c.into_owned())
        .unwrap_or(raw);
    let Ok(policy) = serde_json::from_str::<Value>(&decoded) else {
        return failed(
            NAME,
            format!("The trust policy of role {name} could not be read as JSON."),
            format!("Check the trust policy of {name} in the IAM console."),
        );
    };
    let details = json!({ "roleArn": arn });
    match external_id_rule(&policy) {
        ExternalIdRule::Required => {
            passed(NAME, "Deployment role exists with correct trust policy").with_details(details)
        }
        ExternalIdRule::Forbidden => warning(
            NAME,
            "Role exists, but its trust policy has a Null condition on sts:ExternalId (added by CDK bootstrap v29+), which forbids an External ID rather than requiring one",
            format!("If Fastish should assume {name} directly, replace the Null condition with \"StringEquals\": {{\"sts:ExternalId\": \"<your API key>\"}}: aws iam update-assume-role-policy --role-name {name} --policy-document file://deploy-trust.json"),
        )
        .with_details(details),
        ExternalIdRule::Absent => warning(
            NAME,
            "Role exists but External ID condition not found in trust policy",
            format!("Add \"Condition\": {{\"StringEquals\": {{\"sts:ExternalId\": \"<your API key>\"}}}} to the trust policy of {name}: aws iam update-assume-role-policy --role-name {name} --policy-document file://deploy-trust.json"),
        )
        .with_details(details),
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
        f.cdk.role.deploy = "arn:aws:iam::210987654321:role/cdk/deploy-x".into();
        f
    }

    fn encoded(condition: Value) -> Result<Option<String>, AwsFailure> {
        let doc = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "sts:AssumeRole", "Condition": condition}]});
        Ok(Some(urlencoding::encode(&doc.to_string()).into_owned()))
    }

    #[test]
    fn requirement_forms_pass() {
        for c in [
            json!({"StringEquals": {"sts:ExternalId": "x"}}),
            json!({"StringLike": {"sts:ExternalId": "x*"}}),
            json!({"ForAnyValue:StringEquals": {"sts:ExternalId": ["x"]}}),
        ] {
            let r = interpret(&fields(), encoded(c.clone()));
            assert_eq!(r.status, CheckStatus::Passed, "{c}");
            assert_eq!(
                r.message,
                "Deployment role exists with correct trust policy"
            );
        }
    }

    #[test]
    fn a_null_condition_is_not_a_requirement_and_is_messaged_differently() {
        let r = interpret(
            &fields(),
            encoded(json!({"Null": {"sts:ExternalId": "true"}})),
        );
        assert_eq!(r.status, CheckStatus::Warning);
        assert!(r.message.contains("Null condition"));
        assert!(r.action.unwrap().contains("deploy-x"));
        let r = interpret(&fields(), encoded(json!({})));
        assert_eq!(
            r.message,
            "Role exists but External ID condition not found in trust policy"
        );
    }

    #[test]
    fn missing_role() {
        let e = AwsFailure::Service {
            code: "NoSuchEntity".into(),
            message: "x".into(),
            status: 404,
        };
        let r = interpret(&fields(), Err(e));
        assert_eq!(r.status, CheckStatus::Failed);
        assert!(r.message.starts_with("NoSuchEntity: role deploy-x"));
    }
}
