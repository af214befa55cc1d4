//! Verify Before Launch: the six release checks. The two that need no AWS (the synthesizer's
//! own verification, the team's quotas) are known at once; the AWS checks run concurrently with
//! the handshake role's credentials, each bounded like the synthesizer's. The webapp-only checks
//! are `skipped` for other release types.

use futures::future::BoxFuture;
use futures::stream::{FuturesUnordered, StreamExt};
use tokio::sync::mpsc::UnboundedSender;
use tokio::time::{timeout_at, Instant};

use app::contract::{
    CheckResult, CheckStatus, ReleaseFields, ReleaseType, Synthesizer, Team, VerificationEvent,
    RELEASE_CHECKS,
};
use aws_config::Region;

use super::checks::{
    domain_configuration, handshake_role, service_quotas, ses_email, stack_conflict,
    synthesizer_freshness, team_quotas,
};
use super::clients::{self, timeouts};
use super::outcome::{failed, skipped_with};
use super::runner::VerifierSettings;
use crate::identity::api_key::ApiKey;

pub struct ReleaseTarget<'a> {
    pub release_type: ReleaseType,
    pub fields: &'a ReleaseFields,
    pub stack_name: &'a str,
    pub synthesizer: &'a Synthesizer,
    /// Unix seconds of the synthesizer's latest report.
    pub synthesizer_verified_at: Option<i64>,
    pub team: &'a Team,
    pub key: &'a ApiKey,
    pub principal: &'a str,
    pub now: i64,
}

#[derive(Clone)]
pub struct ReleaseVerifier {
    sdk: aws_config::SdkConfig,
    settings: VerifierSettings,
}

fn send(events: Option<&UnboundedSender<VerificationEvent>>, result: &CheckResult) {
    if let Some(tx) = events {
        let _ = tx.send(VerificationEvent::Checked {
            result: result.clone(),
        });
    }
}

macro_rules! client {
    ($krate:ident, $sdk:expr, $creds:expr, $region:expr, $call:expr) => {
        $krate::Client::from_conf(
            $krate::config::Builder::from($sdk)
                .region(Region::new($region.to_owned()))
                .credentials_provider($creds.clone())
                .timeout_config(timeouts($call))
                .build(),
        )
    };
}

impl ReleaseVerifier {
    pub fn new(sdk: aws_config::SdkConfig, settings: VerifierSettings) -> Self {
        Self { sdk, settings }
    }

    pub async fn run(
        &self,
        t: ReleaseTarget<'_>,
        events: Option<&UnboundedSender<VerificationEvent>>,
    ) -> Vec<CheckResult> {
        let deadline = Instant::now() + self.settings.deadline;
        if let Some(tx) = events {
            let _ = tx.send(VerificationEvent::Started {
                checks: RELEASE_CHECKS.iter().map(|c| c.to_string()).collect(),
            });
        }
        let s = &t.synthesizer.fields;
        let region = s.region.as_str();
        let mut done: Vec<CheckResult> = Vec::new();
        let record = |r: CheckResult, done: &mut Vec<CheckResult>| {
            send(events, &r);
            done.push(r);
        };
        record(
            synthesizer_freshness::interpret(t.synthesizer, t.synthesizer_verified_at, t.now),
            &mut done,
        );
        record(team_quotas::interpret(t.team), &mut done);
        let webapp = match (t.release_type, &t.fields.webapp) {
            (ReleaseType::Webapp, Some(w)) => Some(w),
            _ => {
                for name in [domain_configuration::NAME, ses_email::NAME] {
                    record(
                        skipped_with(
                            name,
                            &format!("Not applicable to {} releases", t.release_type.as_str()),
                        ),
                        &mut done,
                    );
                }
                None
            }
        };

        // The handshake: the synthesizer's verification already probed the role for a confused
        // deputy; here only the credentials are needed.
        let ctx = handshake_role::Context {
            role_arn: &s.cdk.role.handshake,
            region,
            account: &s.account,
            principal: t.principal,
        };
        let sts = clients::sts(&self.sdk, region, self.settings.call_timeout);
        let credentials = if ctx.role_arn.is_empty() {
            Err("no handshake role is configured".to_owned())
        } else {
            match timeout_at(
                deadline,
                handshake_role::assume_with_key(&sts, &ctx, t.key, None, &|_| {}),
            )
            .await
            {
                Ok((Ok(c), _)) => Ok(c),
                Ok((Err(e), _)) => Err(e.sentence("AWS STS", region)),
                Err(_) => Err("AWS STS did not answer before the deadline".to_owned()),
            }
        };
        let aws_checks: Vec<&str> = [domain_configuration::NAME, ses_email::NAME]
            .into_iter()
            .filter(|_| webapp.is_some())
            .chain([stack_conflict::NAME, service_quotas::NAME])
            .collect();
        let credentials = match credentials {
            Ok(c) => c,
            Err(why) => {
                for name in aws_checks {
                    record(
                        failed(
                            name,
                            format!("Not checked: the handshake role could not be assumed ({why})"),
                            format!("Verify synthesizer {} (its Handshake Role check says what to fix), then verify this release again.", s.name),
                        ),
                        &mut done,
                    );
                }
                return order(done);
            }
        };
        let call = self.settings.call_timeout;
        let route53 = client!(aws_sdk_route53, &self.sdk, credentials, "us-east-1", call);
        let ses = client!(aws_sdk_ses, &self.sdk, credentials, region, call);
        let cfn = client!(aws_sdk_cloudformation, &self.sdk, credentials, region, call);
        let sq = client!(aws_sdk_servicequotas, &self.sdk, credentials, region, call);
        let ec2 = client!(aws_sdk_ec2, &self.sdk, credentials, region, call);
        let late = |name: &str| {
            failed(
                name,
                format!(
                    "Could not reach AWS in {region} before the verification deadline ({} s).",
                    self.settings.deadline.as_secs()
                ),
                super::aws_error::unreachable_action("AWS"),
            )
        };
        let mut pending: FuturesUnordered<BoxFuture<'_, CheckResult>> = FuturesUnordered::new();
        if let Some(w) = webapp {
            let (route53, ses) = (&route53, &ses);
            pending.push(Box::pin(async move {
                timeout_at(deadline, domain_configuration::run(route53, w, &s.account))
                    .await
                    .unwrap_or_else(|_| late(domain_configuration::NAME))
            }));
            pending.push(Box::pin(async move {
                timeout_at(deadline, ses_email::run(ses, w, region))
                    .await
                    .unwrap_or_else(|_| late(ses_email::NAME))
            }));
        }
        let (cfn, sq, ec2) = (&cfn, &sq, &ec2);
        pending.push(Box::pin(async move {
            timeout_at(deadline, stack_conflict::run(cfn, t.stack_name, region))
                .await
                .unwrap_or_else(|_| late(stack_conflict::NAME))
        }));
        pending.push(Box::pin(async move {
            timeout_at(deadline, service_quotas::run(sq, ec2, region))
                .await
                .unwrap_or_else(|_| late(service_quotas::NAME))
        }));
        while let Some(r) = pending.next().await {
            record(r, &mut done);
        }
        order(done)
    }
}

/// The report's order.
fn order(mut done: Vec<CheckResult>) -> Vec<CheckResult> {
    let mut out = Vec::new();
    for name in RELEASE_CHECKS {
        if let Some(i) = done.iter().position(|r| r.check == name) {
            out.push(done.swap_remove(i));
        }
    }
    out
}

/// `readyToDeploy`: no check failed.
pub fn valid(checks: &[CheckResult]) -> bool {
    !checks.iter().any(|c| c.status == CheckStatus::Failed)
}
