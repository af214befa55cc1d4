//! Verify Configuration over the wire: the real portal, the local AWS (STS evaluates trust
//! policies), one scenario per outcome of each check.

use std::time::Duration;

use serde_json::{json, Value};

use crate::aws_fixture::{Bootstrap, ExternalId, Options};
use crate::helpers::{spawn_app_with, TestApp};

pub struct Subscriber {
    pub app: TestApp,
    pub cookie: String,
    pub key: String,
    pub principal: String,
}

/// A signed-in subscriber on a portal that does not wait for IAM propagation (tests create
/// roles before they verify, so a denied handshake is final).
pub async fn subscriber() -> Subscriber {
    subscriber_with(Duration::ZERO).await
}

pub async fn subscriber_with(propagation_window: Duration) -> Subscriber {
    let app = spawn_app_with(|s| s.verification.propagation_window = propagation_window).await;
    let (_, cookie) = app.new_subscriber().await;
    let key = app.reveal_key(&cookie).await;
    let platform: Value = app.get("/api/platform", None).await.json().await.unwrap();
    Subscriber {
        principal: platform["principal"].as_str().unwrap().to_owned(),
        app,
        cookie,
        key,
    }
}

impl Subscriber {
    pub async fn create(&self, body: Value) -> String {
        let r = self
            .app
            .post_json("/api/subscriber/synthesizer", body, Some(&self.cookie))
            .await;
        assert_eq!(r.status(), 201, "create: {}", r.text().await.unwrap());
        r.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn verify(&self, id: &str) -> Value {
        let r = self
            .app
            .post_json(
                &format!("/api/subscriber/synthesizer/{id}/verify"),
                json!({}),
                Some(&self.cookie),
            )
            .await;
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }

    pub async fn bootstrap(&self, options: Options) -> Bootstrap {
        Bootstrap::create(&self.key, &self.principal, options).await
    }
}

pub fn check<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == name)
        .unwrap_or_else(|| panic!("no {name} in {report:#}"))
}

const NAMES: [&str; 6] = [
    "Handshake Role",
    "S3 Assets Bucket",
    "ECR Repository",
    "KMS Key",
    "Deployment Role",
    "CDK Bootstrap Version",
];

fn assert_check(report: &Value, name: &str, status: &str, message: &str) {
    let c = check(report, name);
    assert_eq!(c["status"], status, "{name}: {c:#}");
    let text = c["message"].as_str().unwrap();
    assert!(text.contains(message), "{name}: {text:?} lacks {message:?}");
    if status == "failed" || status == "warning" {
        let action = c["action"].as_str().unwrap_or_default();
        assert!(
            !action.is_empty(),
            "{name} {status} without an action: {c:#}"
        );
    }
}

#[tokio::test]
async fn a_correct_bootstrap_passes_all_six_checks_and_is_stored() {
    let s = subscriber().await;
    let b = s.bootstrap(Options::default()).await;
    let id = s.create(b.synthesizer("production")).await;
    let report = s.verify(&id).await;

    assert_eq!(report["synthesizerId"], id.as_str());
    assert_eq!(report["valid"], true, "{report:#}");
    let names: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    assert_eq!(names, NAMES, "the report lists the six checks in order");
    assert_check(
        &report,
        "Handshake Role",
        "passed",
        "Successfully assumed handshake role",
    );
    assert_check(
        &report,
        "S3 Assets Bucket",
        "passed",
        "Bucket exists and accessible in us-west-2",
    );
    assert_check(
        &report,
        "ECR Repository",
        "passed",
        &format!("Repository {} exists", b.repo),
    );
    assert_check(&report, "KMS Key", "passed", "KMS key exists and enabled");
    assert_check(
        &report,
        "Deployment Role",
        "passed",
        "Deployment role exists with correct trust policy",
    );
    assert_check(
        &report,
        "CDK Bootstrap Version",
        "passed",
        "Bootstrap version 21 is current",
    );
    let ecr = &check(&report, "ECR Repository")["details"];
    assert!(ecr["repositoryArn"].as_str().unwrap().ends_with(&b.repo));
    assert!(ecr["createdAt"].as_str().is_some_and(|t| t.ends_with('Z')));
    let kms = &check(&report, "KMS Key")["details"];
    assert_eq!(kms["keyState"], "Enabled");
    assert!(kms["keyId"].as_str().is_some_and(|k| !k.is_empty()));
    assert!(report["verifiedAt"].as_str().unwrap().ends_with('Z'));
    assert!(
        !report.to_string().contains(&s.key),
        "the report never carries the key"
    );

    // The synthesizer follows the report; the history and the summary count it.
    let synth: Value = s
        .app
        .get(
            &format!("/api/subscriber/synthesizer/{id}"),
            Some(&s.cookie),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(synth["verified"], true);
    assert_eq!(synth["verifiedAt"], report["verifiedAt"]);
    let history: Value = s
        .app
        .get(
            &format!("/api/subscriber/synthesizer/{id}/verifications"),
            Some(&s.cookie),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_eq!(history[0]["checks"], report["checks"]);
    let summary: Value = s
        .app
        .get("/v1/api/subscriber/summary", Some(&s.cookie))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(summary["synthesizers"], json!({"total": 1, "verified": 1}));

    // The audit log records who verified what.
    let actions: Vec<(String, String)> = {
        let c = s.app.store_file();
        let mut stmt = c
            .prepare("SELECT actor, action FROM audit_log WHERE subject = ?1")
            .unwrap();
        stmt.query_map([&id], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let subscriber_id = s.app.subscriber_id(&s.cookie).await;
    assert!(
        actions.contains(&(subscriber_id, "synthesizer.verified.valid".into())),
        "{actions:?}"
    );
}

#[tokio::test]
async fn a_wrong_external_id_fails_the_handshake_and_skips_the_rest() {
    let s = subscriber().await;
    let other_key = format!("sk_{}", "0".repeat(32));
    let b = Bootstrap::create(&other_key, &s.principal, Options::default()).await;
    let id = s.create(b.synthesizer("wrong-key")).await;
    let report = s.verify(&id).await;
    assert_eq!(report["valid"], false);
    assert_check(&report, "Handshake Role", "failed", "AccessDenied");
    let action = check(&report, "Handshake Role")["action"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        action.contains("fastish-handshake-role") && action.contains("<your API key>"),
        "{action}"
    );
    for name in &NAMES[1..] {
        assert_check(
            &report,
            name,
            "skipped",
            "Skipped due to handshake role failure",
        );
    }
    let synth: Value = s
        .app
        .get(
            &format!("/api/subscriber/synthesizer/{id}"),
            Some(&s.cookie),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(synth["verified"], false);
    assert_eq!(synth["lastReportValid"], false);
}

#[tokio::test]
async fn a_trust_policy_without_an_external_id_condition_is_a_confused_deputy() {
    let s = subscriber().await;
    let b = s
        .bootstrap(Options {
            handshake: Some(ExternalId::Absent),
            ..Default::default()
        })
        .await;
    let id = s.create(b.synthesizer("open-door")).await;
    let report = s.verify(&id).await;
    assert_eq!(report["valid"], false);
    assert_check(
        &report,
        "Handshake Role",
        "failed",
        "can be assumed without your External ID",
    );
    assert!(check(&report, "Handshake Role")["action"]
        .as_str()
        .unwrap()
        .contains("sts:ExternalId"));
    assert_check(
        &report,
        "S3 Assets Bucket",
        "skipped",
        "Skipped due to handshake role failure",
    );
}

#[tokio::test]
async fn a_missing_handshake_role_is_denied() {
    let s = subscriber().await;
    let b = s
        .bootstrap(Options {
            handshake: None,
            ..Default::default()
        })
        .await;
    let report = s.verify(&s.create(b.synthesizer("no-role")).await).await;
    assert_check(&report, "Handshake Role", "failed", "AccessDenied");
}

/// Each broken resource, one check's outcome each; the other checks are unaffected.
#[tokio::test]
async fn each_resource_checks_failure_and_warning_outcomes() {
    let s = subscriber().await;
    let cases: Vec<(&str, Options, &str, &str, &str)> = vec![
        ("no-bucket", Options { bucket_region: None, ..Default::default() }, "S3 Assets Bucket", "failed", "NoSuchBucket"),
        ("bucket-eu", Options { bucket_region: Some("eu-west-1"), ..Default::default() }, "S3 Assets Bucket", "failed", "Bucket is in eu-west-1, expected us-west-2"),
        ("bucket-use1", Options { bucket_region: Some("us-east-1"), ..Default::default() }, "S3 Assets Bucket", "failed", "Bucket is in us-east-1, expected us-west-2"),
        ("no-ecr", Options { ecr: false, ..Default::default() }, "ECR Repository", "failed", "RepositoryNotFoundException"),
        ("no-kms", Options { kms_enabled: None, ..Default::default() }, "KMS Key", "failed", "NotFoundException"),
        ("kms-off", Options { kms_enabled: Some(false), ..Default::default() }, "KMS Key", "failed", "KMS key exists but is disabled"),
        ("no-deploy", Options { deploy: None, ..Default::default() }, "Deployment Role", "failed", "NoSuchEntity"),
        ("deploy-null", Options { deploy: Some(ExternalId::Forbidden), ..Default::default() }, "Deployment Role", "warning", "Null condition on sts:ExternalId"),
        ("deploy-open", Options { deploy: Some(ExternalId::Absent), ..Default::default() }, "Deployment Role", "warning", "Role exists but External ID condition not found in trust policy"),
        ("no-ssm", Options { bootstrap_version: None, ..Default::default() }, "CDK Bootstrap Version", "failed", "CDK bootstrap parameter /cdk-bootstrap/hnb659fds/version not found. Run cdk bootstrap first."),
        ("ssm-20", Options { bootstrap_version: Some("20"), ..Default::default() }, "CDK Bootstrap Version", "warning", "Bootstrap version 20 is outdated. Recommended: 21+ (the current CDK bootstrap version is 32)"),
        ("ssm-nan", Options { bootstrap_version: Some("latest"), ..Default::default() }, "CDK Bootstrap Version", "failed", "not a number"),
    ];
    for (name, options, failing, status, message) in cases {
        let b = s.bootstrap(options).await;
        let report = s.verify(&s.create(b.synthesizer(name)).await).await;
        assert_check(&report, failing, status, message);
        assert_eq!(report["valid"], status != "failed", "{name}: {report:#}");
        for other in NAMES.iter().filter(|n| **n != failing) {
            assert_eq!(
                check(&report, other)["status"],
                "passed",
                "{name}: {other} {report:#}"
            );
        }
    }
}

#[tokio::test]
async fn a_rotated_key_makes_a_verified_synthesizer_need_verification_again() {
    let s = subscriber().await;
    let b = s.bootstrap(Options::default()).await;
    let id = s.create(b.synthesizer("rotating")).await;
    assert_eq!(s.verify(&id).await["valid"], true);
    let r = s
        .app
        .post_json("/api/subscriber/apikey/rotate", json!({}), Some(&s.cookie))
        .await;
    assert_eq!(r.status(), 200);
    let synth: Value = s
        .app
        .get(
            &format!("/api/subscriber/synthesizer/{id}"),
            Some(&s.cookie),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(synth["verified"], false);
    assert_eq!(synth["needsVerification"], true);
    assert_eq!(synth["lastReportValid"], true);
    // The role still trusts the old key: the next verification says so.
    assert_check(
        &s.verify(&id).await,
        "Handshake Role",
        "failed",
        "AccessDenied",
    );
}

/// Through the page's streaming server function: the live view hears that the handshake is
/// waiting for IAM, then every check, then the stored report.
#[tokio::test]
async fn a_just_saved_synthesizer_waits_for_iam_to_propagate_and_the_live_view_says_so() {
    let s = subscriber_with(Duration::from_secs(120)).await;
    let b = s
        .bootstrap(Options {
            handshake: None,
            ..Default::default()
        })
        .await;
    let id = s.create(b.synthesizer("fresh")).await;
    // The role appears two seconds after the verification starts, as IAM's eventual
    // consistency makes a new trust policy appear.
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": s.principal}, "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"sts:ExternalId": s.key}}}]})
    .to_string();
    let stream = async {
        let r = s
            .app
            .http
            .post(s.app.url("/fn/verify_synthesizer"))
            .header("cookie", &s.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("id={id}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.text().await.unwrap()
    };
    let (body, ()) = tokio::join!(stream, async {
        tokio::time::sleep(Duration::from_secs(2)).await;
        b.put_role("fastish-handshake-role", &trust).await;
    });
    let events: Vec<Value> = body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(events[0]["event"], "started");
    assert_eq!(events[0]["checks"], json!(NAMES));
    let waiting = events
        .iter()
        .position(|e| {
            e["event"] == "progress"
                && e["message"]
                    .as_str()
                    .unwrap()
                    .contains("Waiting for IAM to propagate")
        })
        .unwrap_or_else(|| panic!("no propagation notice in {body}"));
    let checked: Vec<&Value> = events.iter().filter(|e| e["event"] == "checked").collect();
    assert_eq!(checked.len(), 6, "{body}");
    let first_checked = events.iter().position(|e| e["event"] == "checked").unwrap();
    assert!(
        waiting < first_checked,
        "the notice comes while the handshake is pending"
    );
    let last = events.last().unwrap();
    assert_eq!(last["event"], "finished");
    let report = &last["report"];
    assert_check(
        report,
        "Handshake Role",
        "passed",
        "Successfully assumed handshake role",
    );
    let retries = check(report, "Handshake Role")["details"]["propagationRetries"]
        .as_u64()
        .unwrap();
    assert!(retries >= 1, "{report:#}");
    assert_eq!(report["valid"], true);
    assert!(!body.contains(&s.key), "the stream never carries the key");
    // The streamed verification was stored like any other.
    let history: Value = s
        .app
        .get(
            &format!("/api/subscriber/synthesizer/{id}/verifications"),
            Some(&s.cookie),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history[0]["checks"], report["checks"]);
}

#[tokio::test]
async fn the_live_stream_refuses_strangers_and_unknown_ids() {
    let s = subscriber().await;
    let post = |cookie: Option<String>, id: &str| {
        let mut r = s
            .app
            .http
            .post(s.app.url("/fn/verify_synthesizer"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("id={id}"));
        if let Some(c) = cookie {
            r = r.header("cookie", c);
        }
        r.send()
    };
    let r = post(Some(s.cookie.clone()), "syn_0000000000000000")
        .await
        .unwrap();
    assert!(r.status().is_server_error() || r.status().is_client_error());
    assert!(r.text().await.unwrap().contains("Not found"));
    let r = post(None, "syn_0000000000000000").await.unwrap();
    assert!(r.text().await.unwrap().contains("Sign in"));
}
