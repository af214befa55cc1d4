//! The verification runner: phase 1 runs the handshake and its two probes concurrently; phase 2
//! runs the five resource checks concurrently with the handshake credentials. Every AWS call has
//! its own timeout, and the whole run one deadline: a check still running then is `failed`.

use std::time::Duration;

use aws_config::SdkConfig;
use futures::future::BoxFuture;
use futures::stream::{FuturesUnordered, StreamExt};
use tokio::sync::mpsc::UnboundedSender;
use tokio::time::{timeout_at, Instant};

use app::contract::{CheckResult, SynthesizerFields, VerificationEvent, SYNTHESIZER_CHECKS};

use super::checks::{
    assets_bucket, bootstrap_version, deployment_role, ecr_repository, handshake_role, kms_key,
};
use super::clients::{self, CheckClients};
use super::outcome::{failed, skipped};
use crate::identity::api_key::ApiKey;

#[derive(Clone, Debug)]
pub struct VerifierSettings {
    /// One AWS call, retries included.
    pub call_timeout: Duration,
    /// The whole verification.
    pub deadline: Duration,
    /// A synthesizer saved this recently may be waiting for IAM: a denied handshake is retried.
    pub propagation_window: Duration,
}

impl Default for VerifierSettings {
    fn default() -> Self {
        Self {
            call_timeout: Duration::from_secs(5),
            deadline: Duration::from_secs(45),
            propagation_window: Duration::from_secs(120),
        }
    }
}

pub struct RunInput<'a> {
    pub fields: &'a SynthesizerFields,
    pub key: &'a ApiKey,
    /// The principal the handshake role must trust, for the actions' wording.
    pub principal: &'a str,
    /// Seconds since the synthesizer was last saved.
    pub saved_seconds_ago: u64,
}

#[derive(Clone)]
pub struct SynthesizerVerifier {
    sdk: SdkConfig,
    settings: VerifierSettings,
}

fn send(events: Option<&UnboundedSender<VerificationEvent>>, event: VerificationEvent) {
    if let Some(tx) = events {
        // A browser that went away does not stop the verification.
        let _ = tx.send(event);
    }
}

impl SynthesizerVerifier {
    pub fn new(sdk: SdkConfig, settings: VerifierSettings) -> Self {
        Self { sdk, settings }
    }

    pub fn settings(&self) -> &VerifierSettings {
        &self.settings
    }

    /// The delays between handshake attempts while IAM may still be propagating: doubling from
    /// one second, for as long as the deadline leaves room for the other checks.
    fn propagation_delays(&self, input: &RunInput<'_>) -> Option<handshake_role::Propagation> {
        if Duration::from_secs(input.saved_seconds_ago) >= self.settings.propagation_window {
            return None;
        }
        let budget = self
            .settings
            .deadline
            .saturating_sub(self.settings.call_timeout * 3);
        let mut delays = Vec::new();
        let (mut delay, mut total) = (Duration::from_secs(1), Duration::ZERO);
        while total + delay <= budget.min(Duration::from_secs(30)) {
            delays.push(delay);
            total += delay;
            delay = (delay * 2).min(Duration::from_secs(8));
        }
        Some(handshake_role::Propagation { delays })
    }

    /// Runs every check; the results come back in the report's order, and each is also sent as
    /// an event the moment it is known.
    pub async fn run(
        &self,
        input: RunInput<'_>,
        events: Option<&UnboundedSender<VerificationEvent>>,
    ) -> Vec<CheckResult> {
        let deadline = Instant::now() + self.settings.deadline;
        let f = input.fields;
        send(
            events,
            VerificationEvent::Started {
                checks: SYNTHESIZER_CHECKS.iter().map(|c| c.to_string()).collect(),
            },
        );
        let sts = clients::sts(&self.sdk, &f.region, self.settings.call_timeout);
        let ctx = handshake_role::Context {
            role_arn: &f.cdk.role.handshake,
            region: &f.region,
            account: &f.account,
            principal: input.principal,
        };
        let progress = |message: String| {
            send(
                events,
                VerificationEvent::Progress {
                    check: handshake_role::NAME.into(),
                    message,
                },
            )
        };
        let handshake = timeout_at(
            deadline,
            handshake_role::run(
                &sts,
                &ctx,
                input.key,
                self.propagation_delays(&input),
                &progress,
            ),
        )
        .await
        .unwrap_or_else(|_| handshake_role::Handshake {
            result: self.late(handshake_role::NAME, "AWS STS", &f.region),
            credentials: None,
        });
        send(
            events,
            VerificationEvent::Checked {
                result: handshake.result.clone(),
            },
        );
        let mut results = vec![handshake.result];
        let Some(credentials) = handshake.credentials else {
            for name in &SYNTHESIZER_CHECKS[1..] {
                let r = skipped(name);
                send(events, VerificationEvent::Checked { result: r.clone() });
                results.push(r);
            }
            return results;
        };

        let clients = CheckClients::new(
            &self.sdk,
            credentials,
            &f.region,
            self.settings.call_timeout,
        );
        let clients = &clients;
        let region = f.region.as_str();
        let mut pending: FuturesUnordered<BoxFuture<'_, CheckResult>> = FuturesUnordered::new();
        pending.push(Box::pin(self.bounded(
            deadline,
            assets_bucket::NAME,
            "Amazon S3",
            region,
            assets_bucket::run(clients, f),
        )));
        pending.push(Box::pin(self.bounded(
            deadline,
            ecr_repository::NAME,
            "Amazon ECR",
            region,
            ecr_repository::run(clients, f),
        )));
        pending.push(Box::pin(self.bounded(
            deadline,
            kms_key::NAME,
            "AWS KMS",
            region,
            kms_key::run(clients, f),
        )));
        pending.push(Box::pin(self.bounded(
            deadline,
            deployment_role::NAME,
            "AWS IAM",
            region,
            deployment_role::run(clients, f),
        )));
        pending.push(Box::pin(self.bounded(
            deadline,
            bootstrap_version::NAME,
            "AWS Systems Manager",
            region,
            bootstrap_version::run(clients, f),
        )));
        let mut done = Vec::new();
        while let Some(r) = pending.next().await {
            send(events, VerificationEvent::Checked { result: r.clone() });
            done.push(r);
        }
        for name in &SYNTHESIZER_CHECKS[1..] {
            if let Some(i) = done.iter().position(|r| r.check == *name) {
                results.push(done.swap_remove(i));
            }
        }
        results
    }

    async fn bounded(
        &self,
        deadline: Instant,
        check: &str,
        service: &str,
        region: &str,
        run: impl std::future::Future<Output = CheckResult>,
    ) -> CheckResult {
        timeout_at(deadline, run)
            .await
            .unwrap_or_else(|_| self.late(check, service, region))
    }

    fn late(&self, check: &str, service: &str, region: &str) -> CheckResult {
        failed(
            check,
            format!(
                "Could not reach {service} in {region} before the verification deadline ({} s).",
                self.settings.deadline.as_secs()
            ),
            super::aws_error::unreachable_action(service),
        )
    }
}
