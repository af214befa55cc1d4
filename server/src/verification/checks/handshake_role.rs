//! Check 1, Handshake Role: assume the subscriber's handshake role with their API key as the
//! External ID (session `fastish-verification`, 900 s). In the same run, two confused-deputy
//! probes try the role with no External ID and with a random wrong one: both must be denied,
//! because STS accepts any External ID when the trust policy does not require one.

use std::time::Duration;

use aws_sdk_sts::config::Credentials;
use serde_json::json;

use super::role_name;
use crate::identity::api_key::ApiKey;
use crate::verification::aws_error::{unreachable_action, AwsFailure};
use crate::verification::outcome::{failed, not_configured, passed, warning, WithDetails};
use app::contract::CheckResult;

pub const NAME: &str = "Handshake Role";
pub const SESSION_NAME: &str = "fastish-verification";
const SERVICE: &str = "AWS STS";

/// What a confused-deputy probe found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Probe {
    Denied,
    /// STS handed out credentials: the role does not require the External ID.
    Assumed,
    Inconclusive(AwsFailure),
}

pub struct Handshake {
    pub result: CheckResult,
    /// Only when the check passed (or warned): the credentials later checks act with.
    pub credentials: Option<Credentials>,
}

/// How the positive attempt may wait for IAM: delays between attempts, while the role was
/// saved moments ago and STS still denies it.
pub struct Propagation {
    pub delays: Vec<Duration>,
}

pub struct Context<'a> {
    pub role_arn: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    /// The principal the role must trust (the platform's).
    pub principal: &'a str,
}

async fn assume(
    sts: &aws_sdk_sts::Client,
    role_arn: &str,
    external_id: Option<&str>,
) -> Result<Credentials, AwsFailure> {
    let out = sts
        .assume_role()
        .role_arn(role_arn)
        .role_session_name(SESSION_NAME)
        .duration_seconds(900)
        .set_external_id(external_id.map(str::to_owned))
        .send()
        .await
        .map_err(|e| AwsFailure::of(&e))?;
    let c = out
        .credentials()
        .ok_or_else(|| AwsFailure::Other("STS returned no credentials".into()))?;
    Ok(Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_owned()),
        None,
        "fastish-handshake",
    ))
}

fn is_denied(f: &AwsFailure) -> bool {
    matches!(f.code(), Some("AccessDenied" | "AccessDeniedException"))
}

fn probe(result: Result<Credentials, AwsFailure>) -> Probe {
    match result {
        Ok(_) => Probe::Assumed,
        Err(f) if is_denied(&f) => Probe::Denied,
        Err(f) => Probe::Inconclusive(f),
    }
}

/// The positive attempt: the role with the subscriber's key as the External ID, retried while
/// `propagation` allows and STS denies it. Returns the answer and how many retries it took.
pub async fn assume_with_key(
    sts: &aws_sdk_sts::Client,
    ctx: &Context<'_>,
    key: &ApiKey,
    propagation: Option<Propagation>,
    progress: &(dyn Fn(String) + Send + Sync),
) -> (Result<Credentials, AwsFailure>, u32) {
    let mut retries = 0u32;
    let mut delays = propagation
        .map(|p| p.delays)
        .unwrap_or_default()
        .into_iter();
    loop {
        let attempt = assume(sts, ctx.role_arn, Some(key.expose_secret())).await;
        match (&attempt, delays.next()) {
            (Err(f), Some(delay)) if is_denied(f) => {
                retries += 1;
                progress(format!(
                    "Waiting for IAM to propagate: the synthesizer was saved moments ago and STS still denies the role. Trying again in {} s…",
                    delay.as_secs().max(1)
                ));
                tokio::time::sleep(delay).await;
            }
            _ => return (attempt, retries),
        }
    }
}

/// The two confused-deputy probes, concurrently: no External ID, and a random wrong one.
pub async fn probes(sts: &aws_sdk_sts::Client, ctx: &Context<'_>) -> (Probe, Probe) {
    let wrong = ApiKey::generate();
    tokio::join!(
        async { probe(assume(sts, ctx.role_arn, None).await) },
        async { probe(assume(sts, ctx.role_arn, Some(wrong.expose_secret())).await) },
    )
}

/// The whole check: the handshake and both probes concurrently.
pub async fn run(
    sts: &aws_sdk_sts::Client,
    ctx: &Context<'_>,
    key: &ApiKey,
    propagation: Option<Propagation>,
    progress: &(dyn Fn(String) + Send + Sync),
) -> Handshake {
    if ctx.role_arn.is_empty() {
        return not_configured_handshake();
    }
    let ((positive, retries), (no_id, wrong_id)) = tokio::join!(
        assume_with_key(sts, ctx, key, propagation, progress),
        probes(sts, ctx),
    );
    interpret(ctx, positive, &no_id, &wrong_id, retries)
}

pub fn not_configured_handshake() -> Handshake {
    Handshake {
        result: not_configured(NAME, "handshake role", "cdk.role.handshake"),
        credentials: None,
    }
}

fn trust_action(ctx: &Context<'_>) -> String {
    format!(
        "Edit the trust policy of role {name} in account {account}: allow {principal} to call sts:AssumeRole with the condition \"StringEquals\": {{\"sts:ExternalId\": \"<your API key>\"}} (the Account page shows the complete policy), then run: aws iam update-assume-role-policy --role-name {name} --policy-document file://trust-policy.json",
        name = role_name(ctx.role_arn),
        account = ctx.account,
        principal = ctx.principal,
    )
}

/// The check's verdict from the three AssumeRole answers.
pub fn interpret(
    ctx: &Context<'_>,
    positive: Result<Credentials, AwsFailure>,
    no_id: &Probe,
    wrong_id: &Probe,
    retries: u32,
) -> Handshake {
    let name = role_name(ctx.role_arn);
    let mut details = json!({ "roleArn": ctx.role_arn, "sessionName": SESSION_NAME });
    if retries > 0 {
        details["propagationRetries"] = json!(retries);
    }
    let open_to = match (no_id, wrong_id) {
        (Probe::Assumed, Probe::Assumed) => Some("with no External ID or with a wrong one"),
        (Probe::Assumed, _) => Some("with no External ID"),
        (_, Probe::Assumed) => Some("with a wrong External ID"),
        _ => None,
    };
    if let Some(how) = open_to {
        let result = failed(
            NAME,
            format!(
                "The handshake role {name} can be assumed without your External ID ({how}): its trust policy does not require sts:ExternalId, so anyone who can use the trusted principal could act in your account through Fastish (a confused deputy)."
            ),
            format!(
                "Add the condition \"StringEquals\": {{\"sts:ExternalId\": \"<your API key>\"}} to the statement of {name}'s trust policy that trusts {principal}: aws iam update-assume-role-policy --role-name {name} --policy-document file://trust-policy.json (the Account page shows the complete policy).",
                principal = ctx.principal
            ),
        );
        return Handshake {
            result: result.with_details(details),
            credentials: None,
        };
    }
    match positive {
        Err(f) if f.is_unreachable() => Handshake {
            result: failed(
                NAME,
                f.sentence(SERVICE, ctx.region),
                unreachable_action(SERVICE),
            ),
            credentials: None,
        },
        Err(f) => {
            let mut result = failed(NAME, f.sentence(SERVICE, ctx.region), trust_action(ctx))
                .with_details(details);
            if retries > 0 {
                result.message.push_str(&format!(
                    " (still denied after waiting {retries} times for IAM to propagate)"
                ));
            }
            Handshake {
                result,
                credentials: None,
            }
        }
        Ok(credentials) => {
            let inconclusive = [no_id, wrong_id].into_iter().find_map(|p| match p {
                Probe::Inconclusive(f) => Some(f.sentence(SERVICE, ctx.region)),
                _ => None,
            });
            let result = match inconclusive {
                None => passed(NAME, "Successfully assumed handshake role"),
                Some(why) => warning(
                    NAME,
                    format!("Assumed the handshake role, but could not confirm that it refuses requests without your External ID ({why})."),
                    "Verify again; if this persists, check that the trust policy of the handshake role requires sts:ExternalId.",
                ),
            };
            Handshake {
                result: result.with_details(details),
                credentials: Some(credentials),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::contract::CheckStatus;

    fn ctx() -> Context<'static> {
        Context {
            role_arn: "arn:aws:iam::210987654321:role/fastish-handshake-role",
            region: "us-west-2",
            account: "210987654321",
            principal: "arn:aws:iam::123456789012:root",
        }
    }

    fn creds() -> Result<Credentials, AwsFailure> {
        Ok(Credentials::new("AKIA", "secret", None, None, "test"))
    }

    fn denied() -> AwsFailure {
        AwsFailure::Service {
            code: "AccessDenied".into(),
            message: "User is not authorized to perform: sts:AssumeRole".into(),
            status: 403,
        }
    }

    #[test]
    fn passes_when_the_key_works_and_both_probes_are_denied() {
        let h = interpret(&ctx(), creds(), &Probe::Denied, &Probe::Denied, 0);
        assert_eq!(h.result.status, CheckStatus::Passed);
        assert_eq!(h.result.message, "Successfully assumed handshake role");
        assert!(h.credentials.is_some());
    }

    #[test]
    fn a_probe_that_gets_in_is_a_confused_deputy_even_when_the_key_works() {
        for (a, b) in [
            (Probe::Assumed, Probe::Denied),
            (Probe::Denied, Probe::Assumed),
            (Probe::Assumed, Probe::Assumed),
        ] {
            let h = interpret(&ctx(), creds(), &a, &b, 0);
            assert_eq!(h.result.status, CheckStatus::Failed);
            assert!(h.result.message.contains("without your External ID"));
            assert!(h
                .result
                .action
                .as_deref()
                .unwrap()
                .contains("sts:ExternalId"));
            assert!(
                h.credentials.is_none(),
                "no credentials from an unsafe role"
            );
        }
    }

    #[test]
    fn denied_names_the_code_and_says_how_to_fix_the_trust_policy() {
        let h = interpret(&ctx(), Err(denied()), &Probe::Denied, &Probe::Denied, 0);
        assert_eq!(h.result.status, CheckStatus::Failed);
        assert!(h.result.message.starts_with("AccessDenied: "));
        let action = h.result.action.unwrap();
        assert!(action.contains("fastish-handshake-role") && action.contains("<your API key>"));
        assert!(action.contains("arn:aws:iam::123456789012:root"));
    }

    #[test]
    fn unreachable_sts_says_so() {
        let h = interpret(
            &ctx(),
            Err(AwsFailure::Unreachable { timed_out: true }),
            &Probe::Inconclusive(AwsFailure::Unreachable { timed_out: true }),
            &Probe::Inconclusive(AwsFailure::Unreachable { timed_out: true }),
            0,
        );
        assert_eq!(h.result.status, CheckStatus::Failed);
        assert!(h
            .result
            .message
            .starts_with("Could not reach AWS STS in us-west-2"));
        assert!(h.result.action.is_some());
    }

    #[test]
    fn an_inconclusive_probe_is_a_warning() {
        let h = interpret(
            &ctx(),
            creds(),
            &Probe::Inconclusive(AwsFailure::Unreachable { timed_out: false }),
            &Probe::Denied,
            0,
        );
        assert_eq!(h.result.status, CheckStatus::Warning);
        assert!(h.result.action.is_some());
    }
}
