//! Release check 2, Domain Configuration (webapp only): the Route 53 hosted zone exists and its
//! name (without the trailing dot Route 53 adds) is the release's domain. Route 53 is global:
//! the call goes to us-east-1.

use serde_json::json;

use app::contract::{CheckResult, WebappSettings};

use crate::verification::aws_error::{unreachable_action, AwsFailure};
use crate::verification::outcome::{failed, passed, WithDetails};

pub const NAME: &str = "Domain Configuration";
const SERVICE: &str = "Amazon Route 53";

pub fn zone_id(configured: &str) -> &str {
    configured
        .strip_prefix("/hostedzone/")
        .unwrap_or(configured)
}

pub async fn run(
    route53: &aws_sdk_route53::Client,
    w: &WebappSettings,
    account: &str,
) -> CheckResult {
    let answer = route53
        .get_hosted_zone()
        .id(zone_id(&w.ses.hosted_zone_id))
        .send()
        .await
        .map_err(|e| AwsFailure::of(&e))
        .map(|o| {
            o.hosted_zone()
                .map(|z| z.name().to_owned())
                .unwrap_or_default()
        });
    interpret(w, account, answer)
}

pub fn interpret(
    w: &WebappSettings,
    account: &str,
    answer: Result<String, AwsFailure>,
) -> CheckResult {
    let id = zone_id(&w.ses.hosted_zone_id);
    match answer {
        Ok(name) => {
            let zone = name.trim_end_matches('.');
            if zone.eq_ignore_ascii_case(&w.domain) {
                passed(NAME, format!("Hosted zone {id} configured for {}", w.domain))
                    .with_details(json!({ "hostedZoneId": id, "zone": zone }))
            } else {
                failed(
                    NAME,
                    format!("Hosted zone is for {zone}, but release domain is {}", w.domain),
                    format!("Set the release's domain to {zone}, or its hosted zone id to the zone of {}.", w.domain),
                )
                .with_details(json!({ "hostedZoneId": id, "zone": zone }))
            }
        }
        Err(e) if e.is_unreachable() => failed(NAME, e.sentence(SERVICE, "us-east-1"), unreachable_action(SERVICE)),
        Err(e) => failed(
            NAME,
            format!("{}: hosted zone {id} not found or inaccessible", e.code().unwrap_or("Error")),
            format!("Verify hosted zone ID and ensure it exists in the target account {account} (aws route53 get-hosted-zone --id {id}), and that the handshake role may call route53:GetHostedZone."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::contract::{CheckStatus, SesSettings};

    fn w() -> WebappSettings {
        WebappSettings {
            domain: "acme.com".into(),
            ses: SesSettings {
                hosted_zone_id: "/hostedzone/Z123".into(),
                email: "a@acme.com".into(),
            },
        }
    }

    #[test]
    fn the_trailing_dot_is_ignored() {
        let r = interpret(&w(), "1", Ok("acme.com.".into()));
        assert_eq!(r.status, CheckStatus::Passed);
        assert_eq!(r.message, "Hosted zone Z123 configured for acme.com");
    }

    #[test]
    fn another_zone_or_none() {
        let r = interpret(&w(), "1", Ok("other.org.".into()));
        assert_eq!(
            r.message,
            "Hosted zone is for other.org, but release domain is acme.com"
        );
        assert!(r.action.is_some());
        let e = AwsFailure::Service {
            code: "NoSuchHostedZone".into(),
            message: "x".into(),
            status: 404,
        };
        let r = interpret(&w(), "1", Err(e));
        assert_eq!(r.status, CheckStatus::Failed);
        assert!(r
            .message
            .starts_with("NoSuchHostedZone: hosted zone Z123 not found"));
    }
}
