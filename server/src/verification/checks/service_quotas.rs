//! Release check 6, AWS Service Quotas: Lambda concurrent executions (`lambda`/`L-B99A9384`)
//! below 1000 is a warning; VPCs per region (`vpc`/`L-F678F1CE`) at the limit minus one is a
//! failure (a release adds one). A quota that cannot be read falls back to AWS's default, and
//! `details` says so. The three calls run concurrently.

use serde_json::{json, Value};

use app::contract::{CheckResult, CheckStatus};

use crate::verification::aws_error::{unreachable_action, AwsFailure};
use crate::verification::outcome::{failed, passed, warning, WithDetails};

pub const NAME: &str = "AWS Service Quotas";
pub const LAMBDA_DEFAULT: f64 = 1000.0;
pub const VPC_DEFAULT: f64 = 5.0;

async fn quota(
    sq: &aws_sdk_servicequotas::Client,
    service: &str,
    code: &str,
) -> Result<f64, AwsFailure> {
    sq.get_service_quota()
        .service_code(service)
        .quota_code(code)
        .send()
        .await
        .map_err(|e| AwsFailure::of(&e))?
        .quota()
        .and_then(|q| q.value())
        .ok_or_else(|| AwsFailure::Other("no value".into()))
}

pub async fn run(
    sq: &aws_sdk_servicequotas::Client,
    ec2: &aws_sdk_ec2::Client,
    region: &str,
) -> CheckResult {
    let (lambda, vpc, vpcs) = tokio::join!(
        quota(sq, "lambda", "L-B99A9384"),
        quota(sq, "vpc", "L-F678F1CE"),
        async {
            ec2.describe_vpcs()
                .send()
                .await
                .map_err(|e| AwsFailure::of(&e))
                .map(|o| o.vpcs().len() as u64)
        },
    );
    interpret(region, lambda, vpc, vpcs)
}

fn value_or_default(answer: &Result<f64, AwsFailure>, default: f64, region: &str) -> (f64, String) {
    match answer {
        Ok(v) => (*v, "your account's quota".into()),
        Err(e) => (
            default,
            format!(
                "could not be read ({}); AWS's default {default} assumed",
                e.code()
                    .map(str::to_owned)
                    .unwrap_or_else(|| e.sentence("Service Quotas", region))
            ),
        ),
    }
}

pub fn interpret(
    region: &str,
    lambda: Result<f64, AwsFailure>,
    vpc: Result<f64, AwsFailure>,
    vpcs: Result<u64, AwsFailure>,
) -> CheckResult {
    let (lambda_limit, lambda_source) = value_or_default(&lambda, LAMBDA_DEFAULT, region);
    let (vpc_limit, vpc_source) = value_or_default(&vpc, VPC_DEFAULT, region);
    let lambda_status = if lambda_limit < LAMBDA_DEFAULT {
        CheckStatus::Warning
    } else {
        CheckStatus::Passed
    };
    let mut entries: Vec<Value> = vec![json!({
        "service": "Lambda", "quota": "Concurrent executions", "limit": lambda_limit,
        "source": lambda_source, "status": lambda_status.as_str(),
    })];
    let vpc_status = match &vpcs {
        Ok(count) => {
            let at_limit = *count as f64 >= vpc_limit - 1.0;
            entries.push(json!({
                "service": "VPC", "quota": "VPCs per Region", "current": format!("{count}/{vpc_limit}"),
                "limit": vpc_limit, "source": vpc_source,
                "status": if at_limit { "failed" } else { "passed" },
            }));
            if at_limit {
                CheckStatus::Failed
            } else {
                CheckStatus::Passed
            }
        }
        Err(e) => {
            let unreachable = e.is_unreachable();
            entries.push(json!({
                "service": "VPC", "quota": "VPCs per Region", "limit": vpc_limit, "source": vpc_source,
                "status": "failed", "error": e.sentence("Amazon EC2", region),
            }));
            if unreachable {
                return failed(
                    NAME,
                    e.sentence("Amazon EC2", region),
                    unreachable_action("Amazon EC2"),
                )
                .with_details(json!(entries));
            }
            CheckStatus::Failed
        }
    };
    let details = json!(entries);
    if vpc_status == CheckStatus::Failed {
        let action = match &vpcs {
            Ok(_) => format!("At VPC limit. Delete unused VPCs in {region} or request a quota increase (Service Quotas → Amazon VPC → VPCs per Region)."),
            Err(_) => format!("Grant the handshake role ec2:DescribeVpcs in {region}."),
        };
        return failed(NAME, "Service quota limits exceeded", action).with_details(details);
    }
    if lambda_status == CheckStatus::Warning {
        return warning(
            NAME,
            format!("Some quotas near limit: Lambda concurrent executions is {lambda_limit}, below the default {LAMBDA_DEFAULT}"),
            format!("Consider requesting an increase (Service Quotas → AWS Lambda → Concurrent executions, {region})."),
        )
        .with_details(details);
    }
    passed(NAME, "Service quotas OK").with_details(details)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn missing() -> AwsFailure {
        AwsFailure::Service {
            code: "NoSuchResourceException".into(),
            message: String::new(),
            status: 400,
        }
    }

    #[test]
    fn defaults_are_assumed_and_said() {
        let r = interpret("us-west-2", Err(missing()), Err(missing()), Ok(1));
        assert_eq!(r.status, CheckStatus::Passed);
        assert_eq!(r.message, "Service quotas OK");
        let d = r.details.unwrap();
        assert_eq!(d[0]["limit"], 1000.0);
        assert!(d[0]["source"]
            .as_str()
            .unwrap()
            .contains("NoSuchResourceException"));
    }

    #[test]
    fn low_lambda_is_a_warning_and_vpcs_at_the_limit_minus_one_fail() {
        let r = interpret("us-west-2", Ok(400.0), Ok(5.0), Ok(3));
        assert_eq!(r.status, CheckStatus::Warning);
        assert!(r.action.is_some());
        let r = interpret("us-west-2", Ok(1000.0), Ok(5.0), Ok(4));
        assert_eq!(r.status, CheckStatus::Failed);
        assert_eq!(r.message, "Service quota limits exceeded");
        assert_eq!(r.details.unwrap()[1]["current"], "4/5");
        assert_eq!(
            interpret("us-west-2", Ok(1000.0), Ok(5.0), Ok(3)).status,
            CheckStatus::Passed
        );
    }
}
