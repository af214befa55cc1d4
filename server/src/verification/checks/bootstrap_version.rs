//! Check 6, CDK Bootstrap Version: the SSM parameter CDK bootstrap writes. Below 21: warning (the
//! current bootstrap version is 32); missing or not a number: failed.

use serde_json::json;

use app::contract::{CheckResult, SynthesizerFields};

use crate::verification::aws_error::{unreachable_action, AwsFailure};
use crate::verification::clients::CheckClients;
use crate::verification::outcome::{failed, passed, warning, WithDetails};

pub const NAME: &str = "CDK Bootstrap Version";
const SERVICE: &str = "AWS Systems Manager";
pub const MINIMUM: u32 = 21;
pub const CURRENT: u32 = 32;

pub async fn run(clients: &CheckClients, f: &SynthesizerFields) -> CheckResult {
    let answer = clients
        .ssm
        .get_parameter()
        .name(&f.cdk.ssm.parameter)
        .send()
        .await
        .map_err(|e| AwsFailure::of(&e))
        .map(|o| {
            o.parameter()
                .and_then(|p| p.value())
                .unwrap_or_default()
                .to_owned()
        });
    interpret(f, answer)
}

pub fn interpret(f: &SynthesizerFields, answer: Result<String, AwsFailure>) -> CheckResult {
    let name = &f.cdk.ssm.parameter;
    let bootstrap = format!(
        "Run `cdk bootstrap aws://{}/{}` (CDK bootstrap version {CURRENT}).",
        f.account, f.region
    );
    let value = match answer {
        Ok(v) => v,
        Err(e) if e.is_unreachable() => {
            return failed(NAME, e.sentence(SERVICE, &f.region), unreachable_action(SERVICE))
        }
        Err(e) if e.code() == Some("ParameterNotFound") => {
            return failed(
                NAME,
                format!("ParameterNotFound: CDK bootstrap parameter {name} not found. Run cdk bootstrap first."),
                bootstrap,
            )
        }
        Err(e) => {
            return failed(
                NAME,
                e.sentence(SERVICE, &f.region),
                format!("Grant the handshake role ssm:GetParameter on {name}."),
            )
        }
    };
    let Ok(version) = value.trim().parse::<u32>() else {
        return failed(
            NAME,
            format!("The bootstrap version in {name} is {value:?}, not a number."),
            bootstrap,
        );
    };
    let details = json!({ "parameter": name, "version": version });
    if version < MINIMUM {
        warning(
            NAME,
            format!("Bootstrap version {version} is outdated. Recommended: {MINIMUM}+ (the current CDK bootstrap version is {CURRENT})"),
            bootstrap,
        )
        .with_details(details)
    } else {
        passed(NAME, format!("Bootstrap version {version} is current")).with_details(details)
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
        f.cdk.ssm.parameter = "/cdk-bootstrap/hnb659fds/version".into();
        f
    }

    #[test]
    fn versions() {
        assert_eq!(
            interpret(&fields(), Ok("21".into())).status,
            CheckStatus::Passed
        );
        assert_eq!(
            interpret(&fields(), Ok("21".into())).message,
            "Bootstrap version 21 is current"
        );
        let old = interpret(&fields(), Ok("20".into()));
        assert_eq!(old.status, CheckStatus::Warning);
        assert!(old.message.contains("32") && old.action.is_some());
        let nan = interpret(&fields(), Ok("twenty".into()));
        assert_eq!(nan.status, CheckStatus::Failed);
        assert!(nan.action.is_some());
    }

    #[test]
    fn missing_parameter() {
        let e = AwsFailure::Service {
            code: "ParameterNotFound".into(),
            message: String::new(),
            status: 400,
        };
        let r = interpret(&fields(), Err(e));
        assert_eq!(r.status, CheckStatus::Failed);
        assert!(r.message.contains("Run cdk bootstrap first"));
    }
}
