//! Release check 3, SES Email Verification (webapp only): the sender address's SES v1
//! verification status in the synthesizer's region.

use app::contract::{CheckResult, WebappSettings};

use crate::verification::aws_error::{unreachable_action, AwsFailure};
use crate::verification::outcome::{failed, passed, warning};

pub const NAME: &str = "SES Email Verification";
const SERVICE: &str = "Amazon SES";

pub async fn run(ses: &aws_sdk_ses::Client, w: &WebappSettings, region: &str) -> CheckResult {
    let email = &w.ses.email;
    let answer = ses
        .get_identity_verification_attributes()
        .identities(email)
        .send()
        .await
        .map_err(|e| AwsFailure::of(&e))
        .map(|o| {
            o.verification_attributes()
                .get(email)
                .map(|a| a.verification_status().as_str().to_owned())
        });
    interpret(w, region, answer)
}

/// `answer`: the identity's status, `None` when SES does not know it.
pub fn interpret(
    w: &WebappSettings,
    region: &str,
    answer: Result<Option<String>, AwsFailure>,
) -> CheckResult {
    let email = &w.ses.email;
    let add = format!("Add and verify email in SES console (or: aws ses verify-email-identity --email-address {email} --region {region}), then click the link SES sends.");
    match answer {
        Ok(Some(s)) if s == "Success" => passed(NAME, format!("Email {email} is verified")),
        Ok(Some(s)) if s == "Pending" => warning(
            NAME,
            format!("Email {email} verification pending"),
            format!("Check the inbox of {email} and click the verification link from Amazon SES."),
        ),
        Ok(Some(s)) => failed(
            NAME,
            format!("Email {email} is not verified (status {s})"),
            add,
        ),
        Ok(None) => failed(NAME, format!("Email {email} is not verified"), add),
        Err(e) if e.is_unreachable() => failed(
            NAME,
            e.sentence(SERVICE, region),
            unreachable_action(SERVICE),
        ),
        Err(e) => failed(
            NAME,
            e.sentence(SERVICE, region),
            format!("Grant the handshake role ses:GetIdentityVerificationAttributes in {region}."),
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
                hosted_zone_id: "Z1".into(),
                email: "noreply@acme.com".into(),
            },
        }
    }

    #[test]
    fn statuses() {
        let r = interpret(&w(), "us-west-2", Ok(Some("Success".into())));
        assert_eq!(
            (r.status, r.message.as_str()),
            (CheckStatus::Passed, "Email noreply@acme.com is verified")
        );
        let r = interpret(&w(), "us-west-2", Ok(Some("Pending".into())));
        assert_eq!(
            (r.status, r.message.as_str()),
            (
                CheckStatus::Warning,
                "Email noreply@acme.com verification pending"
            )
        );
        for other in [
            Some("Failed".to_owned()),
            Some("TemporaryFailure".to_owned()),
            None,
        ] {
            let r = interpret(&w(), "us-west-2", Ok(other));
            assert_eq!(r.status, CheckStatus::Failed);
            assert!(r
                .message
                .starts_with("Email noreply@acme.com is not verified"));
            assert!(r.action.is_some());
        }
    }
}
