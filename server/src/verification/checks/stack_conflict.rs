//! Release check 5, Stack Name Conflict: DescribeStacks on the release's stack name. Missing:
//! passed. `DELETE_*`: wait. `*_FAILED` or `ROLLBACK_COMPLETE`: delete it first. Otherwise the
//! deployment will update the existing stack.

use serde_json::json;

use app::contract::CheckResult;

use crate::verification::aws_error::{unreachable_action, AwsFailure};
use crate::verification::outcome::{failed, passed, warning, WithDetails};

pub const NAME: &str = "Stack Name Conflict";
const SERVICE: &str = "AWS CloudFormation";

pub async fn run(cfn: &aws_sdk_cloudformation::Client, stack: &str, region: &str) -> CheckResult {
    let answer = cfn
        .describe_stacks()
        .stack_name(stack)
        .send()
        .await
        .map_err(|e| AwsFailure::of(&e))
        .map(|o| {
            o.stacks()
                .first()
                .and_then(|s| s.stack_status())
                .map(|s| s.as_str().to_owned())
        });
    interpret(stack, region, answer)
}

pub fn interpret(
    stack: &str,
    region: &str,
    answer: Result<Option<String>, AwsFailure>,
) -> CheckResult {
    let status = match answer {
        Ok(Some(status)) => status,
        Ok(None) => return passed(NAME, format!("Stack name {stack} available")),
        // CloudFormation answers a missing stack with ValidationError "Stack with id X does not exist".
        Err(AwsFailure::Service { code, message, .. })
            if code == "ValidationError" && message.contains("does not exist") =>
        {
            return passed(NAME, format!("Stack name {stack} available"))
        }
        Err(e) if e.is_unreachable() => {
            return failed(
                NAME,
                e.sentence(SERVICE, region),
                unreachable_action(SERVICE),
            )
        }
        Err(e) => {
            return failed(
                NAME,
                e.sentence(SERVICE, region),
                format!("Grant the handshake role cloudformation:DescribeStacks in {region}."),
            )
        }
    };
    let details = json!({ "stackName": stack, "stackStatus": status });
    let result = if status.starts_with("DELETE_") {
        warning(
            NAME,
            format!("Stack {stack} is being deleted ({status})"),
            format!("Wait for deletion to complete before deploying (aws cloudformation wait stack-delete-complete --stack-name {stack} --region {region})."),
        )
    } else if status.ends_with("_FAILED") || status == "ROLLBACK_COMPLETE" {
        warning(
            NAME,
            format!("Stack {stack} exists in FAILED state ({status})"),
            format!("Delete failed stack or choose different release name (aws cloudformation delete-stack --stack-name {stack} --region {region})."),
        )
    } else {
        warning(
            NAME,
            format!("Stack {stack} already exists ({status})"),
            "This deployment will update the existing stack.",
        )
    };
    result.with_details(details)
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::contract::CheckStatus;

    fn with(status: &str) -> CheckResult {
        interpret("acme-web-webapp", "us-west-2", Ok(Some(status.into())))
    }

    #[test]
    fn states() {
        let missing = AwsFailure::Service {
            code: "ValidationError".into(),
            message: "Stack with id acme-web-webapp does not exist".into(),
            status: 400,
        };
        let r = interpret("acme-web-webapp", "us-west-2", Err(missing));
        assert_eq!(
            (r.status, r.message.as_str()),
            (CheckStatus::Passed, "Stack name acme-web-webapp available")
        );
        assert!(with("CREATE_COMPLETE").message.contains("already exists"));
        assert!(with("UPDATE_COMPLETE")
            .action
            .unwrap()
            .contains("update the existing stack"));
        for s in ["DELETE_IN_PROGRESS", "DELETE_FAILED"] {
            assert!(with(s).message.contains("is being deleted"), "{s}");
        }
        for s in [
            "CREATE_FAILED",
            "ROLLBACK_COMPLETE",
            "UPDATE_ROLLBACK_FAILED",
        ] {
            let r = with(s);
            assert_eq!(r.status, CheckStatus::Warning);
            assert!(r.message.contains("FAILED state"), "{s}");
            assert!(r.action.unwrap().contains("delete-stack"));
        }
    }
}
