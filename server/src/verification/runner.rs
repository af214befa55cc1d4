//! The verification runner: phase 1 runs the handshake and its two probes concurrently; phase 2
//! runs the five resource checks concurrently with the handshake credentials. Every AWS call has
//! its own timeout, and the whole run one deadline: a check still running then is `failed`.

use std::time::Duration;

use aws_config::SdkConfig;
use futures::future::BoxFuture;
use futures::stream::{FuturesUnordered, StreamExt};
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::watch;
use tokio::time::{timeout_at, Instant};

use app::contract::{CheckResult, SynthesizerFields, VerificationEvent, SYNTHESIZER_CHECKS};

use super::aws_error::AwsFailure;
use super::checks::handshake_role::Probe;
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

/// The probes' answers, once known.
async fn verdict(rx: &mut watch::Receiver<Option<(Probe, Probe)>>) -> (Probe, Probe) {
    match rx.wait_for(Option::is_some).await {
        Ok(v) => v.clone().unwrap_or_else(inconclusive),
        Err(_) => inconclusive(),
    }
}

fn inconclusive() -> (Probe, Probe) {
    let p = || Probe::Inconclusive(AwsFailure::Other("the probes did not finish".into()));
    (p(), p())
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
    ///
    /// The five resource checks start as soon as the handshake itself succeeds, while the two
    /// probes may still be in flight; their results are shown only once the probes have been
    /// denied. If a probe gets in, the role is unsafe: the running checks are dropped and
    /// reported as skipped.
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
        let emit = |result: &CheckResult| {
            send(
                events,
                VerificationEvent::Checked {
                    result: result.clone(),
                },
            )
        };
        let with_rest_skipped = |handshake: CheckResult| {
            emit(&handshake);
            let mut results = vec![handshake];
            for name in &SYNTHESIZER_CHECKS[1..] {
                let r = skipped(name);
                emit(&r);
                results.push(r);
            }
            results
        };
        let ctx = handshake_role::Context {
            role_arn: &f.cdk.role.handshake,
            region: &f.region,
            account: &f.account,
            principal: input.principal,
        };
        if ctx.role_arn.is_empty() {
            return with_rest_skipped(handshake_role::not_configured_handshake().result);
        }
        let sts = clients::sts(&self.sdk, &f.region, self.settings.call_timeout);
        let progress = |message: String| {
            send(
                events,
                VerificationEvent::Progress {
                    check: handshake_role::NAME.into(),
                    message,
                },
            )
        };
        let (verdict_tx, mut verdict_rx) = watch::channel(None::<(Probe, Probe)>);
        let probing = async {
            let timed_out = || Probe::Inconclusive(AwsFailure::Unreachable { timed_out: true });
            let probes = timeout_at(deadline, handshake_role::probes(&sts, &ctx))
                .await
                .unwrap_or_else(|_| (timed_out(), timed_out()));
            let _ = verdict_tx.send(Some(probes));
        };
        let checking = async {
            let (positive, retries) = timeout_at(
                deadline,
                handshake_role::assume_with_key(
                    &sts,
                    &ctx,
                    input.key,
                    self.propagation_delays(&input),
                    &progress,
                ),
            )
            .await
            .unwrap_or((Err(AwsFailure::Unreachable { timed_out: true }), 0));
            let credentials = match &positive {
                Ok(c) => c.clone(),
                Err(_) => {
                    let (no_id, wrong_id) = verdict(&mut verdict_rx).await;
                    let h = handshake_role::interpret(&ctx, positive, &no_id, &wrong_id, retries);
                    return with_rest_skipped(h.result);
                }
            };
            let clients = CheckClients::new(
                &self.sdk,
                credentials.clone(),
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
            let mut handshake: Option<CheckResult> = None;
            let mut held = Vec::new();
            let mut done = Vec::new();
            loop {
                tokio::select! {
                    (no_id, wrong_id) = verdict(&mut verdict_rx), if handshake.is_none() => {
                        let h = handshake_role::interpret(&ctx, Ok(credentials.clone()), &no_id, &wrong_id, retries);
                        if h.credentials.is_none() {
                            // A probe got in: nothing found through this role counts.
                            return with_rest_skipped(h.result);
                        }
                        emit(&h.result);
                        for r in held.drain(..) {
                            emit(&r);
                        }
                        handshake = Some(h.result);
                    }
                    Some(r) = pending.next(), if !pending.is_empty() => {
                        if handshake.is_some() {
                            emit(&r);
                        } else {
                            held.push(r.clone());
                        }
                        done.push(r);
                    }
                    else => break,
                }
            }
            let mut results = vec![
                handshake.unwrap_or_else(|| self.late(handshake_role::NAME, "AWS STS", region))
            ];
            for name in &SYNTHESIZER_CHECKS[1..] {
                if let Some(i) = done.iter().position(|r| r.check == *name) {
                    results.push(done.swap_remove(i));
                }
            }
            results
        };
        let ((), results) = tokio::join!(probing, checking);
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
