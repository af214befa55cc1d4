//! Organizations, teams and releases over HTTP, and Verify Before Launch and Launch against the
//! local AWS (its fixture hooks put SES, CloudFormation and quota states in place).

use serde_json::{json, Value};

use crate::aws_fixture::{Bootstrap, Options};
use crate::helpers::spawn_app_with;
use crate::verification::{check, Subscriber};

struct World {
    s: Subscriber,
    b: Bootstrap,
    org: String,
    team: String,
    synth: String,
}

async fn post(s: &Subscriber, path: &str, body: Value) -> reqwest::Response {
    s.app.post_json(path, body, Some(&s.cookie)).await
}

async fn created(s: &Subscriber, path: &str, body: Value) -> Value {
    let r = post(s, path, body).await;
    assert_eq!(r.status(), 201, "{path}: {}", r.text().await.unwrap());
    r.json().await.unwrap()
}

/// A subscriber with a verified synthesizer on a correct bootstrap, an organization and a team.
async fn world(bus: Option<String>) -> World {
    let app = spawn_app_with(|s| {
        s.verification.propagation_window = std::time::Duration::ZERO;
        if let Some(b) = bus {
            s.launch_event_bus = b;
        }
    })
    .await;
    let (_, cookie) = app.new_subscriber().await;
    let key = app.reveal_key(&cookie).await;
    let platform: Value = app.get("/api/platform", None).await.json().await.unwrap();
    let s = Subscriber {
        principal: platform["principal"].as_str().unwrap().to_owned(),
        app,
        cookie,
        key,
    };
    let b = s.bootstrap(Options::default()).await;
    let synth = s.create(b.synthesizer("production")).await;
    assert_eq!(s.verify(&synth).await["valid"], true);
    let org = created(
        &s,
        "/api/subscriber/organization",
        json!({"name": "acme-corp", "tags": {"env": "prod"}}),
    )
    .await;
    let team = created(&s, "/api/subscriber/team", json!({"name": "web", "organization": org["id"],
        "quotas": {"maxLambdaFunctions": 20, "maxDynamoDBTables": 10}, "resources": {"lambdaFunctions": 15, "dynamodbTables": 9}})).await;
    World {
        org: org["id"].as_str().unwrap().into(),
        team: team["id"].as_str().unwrap().into(),
        synth,
        s,
        b,
    }
}

impl World {
    fn webapp(&self, name: &str, domain: &str, zone: &str, email: &str) -> Value {
        json!({"name": name, "team": self.team, "organization": self.org, "synthesizer": self.synth,
               "environment": "production", "version": "v1",
               "webapp": {"domain": domain, "ses": {"hostedZoneId": zone, "email": email}}})
    }

    async fn verify(&self, kind: &str, id: &str) -> Value {
        let r = post(
            &self.s,
            &format!("/api/subscriber/release/{kind}/{id}/verify"),
            json!({}),
        )
        .await;
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }

    async fn release(&self, kind: &str, id: &str) -> Value {
        self.s
            .app
            .get(
                &format!("/api/subscriber/release/{kind}/{id}"),
                Some(&self.s.cookie),
            )
            .await
            .json()
            .await
            .unwrap()
    }
}

fn assert_check(report: &Value, name: &str, status: &str, message: &str) {
    let c = check(report, name);
    assert_eq!(c["status"], status, "{name}: {c:#}");
    assert!(
        c["message"].as_str().unwrap().contains(message),
        "{name}: {c:#} lacks {message:?}"
    );
    if status == "failed" || status == "warning" {
        assert!(
            c["action"].as_str().is_some_and(|a| !a.is_empty()),
            "{name} without an action: {c:#}"
        );
    }
}

#[tokio::test]
async fn a_ready_webapp_release_passes_validates_and_launches_over_eventbridge() {
    // The platform's bus routes launch events to a queue the test reads.
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .load()
        .await;
    let bus = format!("launches-{}", crate::aws_fixture::random_account());
    let eb = aws_sdk_eventbridge::Client::new(&sdk);
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    eb.create_event_bus().name(&bus).send().await.unwrap();
    let queue = sqs
        .create_queue()
        .queue_name(&bus)
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_owned();
    let queue_arn = sqs
        .get_queue_attributes()
        .queue_url(&queue)
        .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
        .send()
        .await
        .unwrap()
        .attributes()
        .unwrap()[&aws_sdk_sqs::types::QueueAttributeName::QueueArn]
        .clone();
    eb.put_rule()
        .name("launches")
        .event_bus_name(&bus)
        .event_pattern(
            r#"{"source": ["fastish.portal"], "detail-type": ["ReleaseLaunchRequested"]}"#,
        )
        .send()
        .await
        .unwrap();
    eb.put_targets()
        .rule("launches")
        .event_bus_name(&bus)
        .targets(
            aws_sdk_eventbridge::types::Target::builder()
                .id("queue")
                .arn(&queue_arn)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();

    let w = world(Some(bus)).await;
    let zone = w.b.hosted_zone("acme.com").await;
    w.b.verified_email("noreply@acme.com").await;
    let rel = created(
        &w.s,
        "/api/subscriber/release/webapp",
        w.webapp(
            "storefront",
            "acme.com",
            &format!("/hostedzone/{zone}"),
            "noreply@acme.com",
        ),
    )
    .await;
    let id = rel["id"].as_str().unwrap().to_owned();
    assert_eq!(rel["status"], "draft");
    assert_eq!(rel["stackName"], "acme-corp-storefront-webapp");
    assert_eq!(rel["launchable"], false);
    // Not yet verified: Launch is refused.
    assert_eq!(
        post(
            &w.s,
            &format!("/api/subscriber/release/webapp/{id}/launch"),
            json!({})
        )
        .await
        .status(),
        409
    );

    let report = w.verify("webapp", &id).await;
    assert_eq!(report["releaseId"], id.as_str());
    assert_eq!(report["valid"], true, "{report:#}");
    assert_eq!(report["readyToDeploy"], true);
    assert_check(
        &report,
        "Synthesizer Verification",
        "passed",
        "Synthesizer verified 0 days ago",
    );
    assert_check(
        &report,
        "Domain Configuration",
        "passed",
        &format!("Hosted zone {zone} configured for acme.com"),
    );
    assert_check(
        &report,
        "SES Email Verification",
        "passed",
        "Email noreply@acme.com is verified",
    );
    assert_check(
        &report,
        "Team Resource Quotas",
        "passed",
        "Deployment within team quotas",
    );
    assert_check(
        &report,
        "Stack Name Conflict",
        "passed",
        "Stack name acme-corp-storefront-webapp available",
    );
    assert_check(&report, "AWS Service Quotas", "passed", "Service quotas OK");
    // moto has no Lambda quota: the default is assumed, and the details say so.
    let lambda = &check(&report, "AWS Service Quotas")["details"][0];
    assert_eq!(lambda["limit"], 1000.0);
    assert!(
        lambda["source"].as_str().unwrap().contains("AWS's default"),
        "{lambda}"
    );
    let after = w.release("webapp", &id).await;
    assert_eq!(after["status"], "validated");
    assert_eq!(after["launchable"], true);
    let summary: Value =
        w.s.app
            .get("/v1/api/subscriber/summary", Some(&w.s.cookie))
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(summary["releases"], json!({"total": 1, "readyToDeploy": 1}));

    let r = post(
        &w.s,
        &format!("/api/subscriber/release/webapp/{id}/launch"),
        json!({}),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "launching");
    let mut message = None;
    for _ in 0..20 {
        let out = sqs
            .receive_message()
            .queue_url(&queue)
            .wait_time_seconds(1)
            .send()
            .await
            .unwrap();
        if let Some(m) = out.messages().first() {
            message = m.body().map(str::to_owned);
            break;
        }
    }
    let body = message.expect("the launch event reached the queue");
    assert!(!body.contains(&w.s.key), "the event never carries the key");
    let event: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(event["source"], "fastish.portal");
    assert_eq!(event["detail-type"], "ReleaseLaunchRequested");
    let d = &event["detail"];
    assert_eq!(d["releaseId"], id.as_str());
    assert_eq!(d["synthesizerId"], w.synth.as_str());
    assert_eq!(
        d["subscriberId"],
        w.s.app.subscriber_id(&w.s.cookie).await.as_str()
    );
    assert_eq!(
        (
            d["organization"].as_str(),
            d["environment"].as_str(),
            d["version"].as_str()
        ),
        (Some("acme-corp"), Some("production"), Some("v1"))
    );
    let history: Value =
        w.s.app
            .get(
                &format!("/api/subscriber/release/webapp/{id}/verifications"),
                Some(&w.s.cookie),
            )
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(history.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn each_release_check_outcome_over_the_wire() {
    let w = world(None).await;
    let zone = w.b.hosted_zone("shop.acme.com").await;
    let other_zone = w.b.hosted_zone("elsewhere.org").await;
    w.b.verified_email("ok@acme.com").await;
    for (identity, status) in [("wait@acme.com", "Pending"), ("bad@acme.com", "Failed")] {
        w.b.put_state(
            json!({"ses": {"account": w.b.account, "identity": identity, "status": status}}),
        )
        .await;
    }
    let cases: Vec<(&str, &str, &str, &str, &str, &str, &str)> = vec![
        // name, domain, zone, email, check, status, message
        (
            "dom-mismatch",
            "shop.acme.com",
            &other_zone,
            "ok@acme.com",
            "Domain Configuration",
            "failed",
            "Hosted zone is for elsewhere.org, but release domain is shop.acme.com",
        ),
        (
            "dom-missing",
            "shop.acme.com",
            "Z0000000000NOPE",
            "ok@acme.com",
            "Domain Configuration",
            "failed",
            "hosted zone Z0000000000NOPE not found or inaccessible",
        ),
        (
            "ses-pending",
            "shop.acme.com",
            &zone,
            "wait@acme.com",
            "SES Email Verification",
            "warning",
            "Email wait@acme.com verification pending",
        ),
        (
            "ses-failed",
            "shop.acme.com",
            &zone,
            "bad@acme.com",
            "SES Email Verification",
            "failed",
            "Email bad@acme.com is not verified",
        ),
        (
            "ses-unknown",
            "shop.acme.com",
            &zone,
            "who@acme.com",
            "SES Email Verification",
            "failed",
            "Email who@acme.com is not verified",
        ),
    ];
    for (name, domain, zone_id, email, name_of_check, status, message) in cases {
        let rel = created(
            &w.s,
            "/api/subscriber/release/webapp",
            w.webapp(name, domain, zone_id, email),
        )
        .await;
        let report = w.verify("webapp", rel["id"].as_str().unwrap()).await;
        assert_check(&report, name_of_check, status, message);
        assert_eq!(report["valid"], status != "failed", "{name}: {report:#}");
        assert_eq!(report["readyToDeploy"], report["valid"]);
    }

    // Stacks in the states a deployment meets.
    for (name, state, message) in [
        ("exists", None, "already exists"),
        (
            "rolled-back",
            Some("ROLLBACK_COMPLETE"),
            "exists in FAILED state",
        ),
        (
            "create-failed",
            Some("CREATE_FAILED"),
            "exists in FAILED state",
        ),
        ("deleting", Some("DELETE_IN_PROGRESS"), "is being deleted"),
    ] {
        let stack = format!("acme-corp-{name}-webapp");
        w.b.stack(&stack).await;
        if let Some(status) = state {
            w.b.put_state(json!({"stack": {"account": w.b.account, "region": "us-west-2", "name": stack, "status": status}})).await;
        }
        let rel = created(
            &w.s,
            "/api/subscriber/release/webapp",
            w.webapp(name, "shop.acme.com", &zone, "ok@acme.com"),
        )
        .await;
        let report = w.verify("webapp", rel["id"].as_str().unwrap()).await;
        assert_check(&report, "Stack Name Conflict", "warning", message);
        assert_eq!(
            report["valid"], true,
            "a warning does not block: {report:#}"
        );
    }

    // Service quotas: a low Lambda concurrency is a warning; VPCs at the limit minus one fail.
    w.b.put_state(json!({"quota": {"account": w.b.account, "region": "us-west-2", "service": "lambda", "code": "L-B99A9384", "value": 400}})).await;
    let rel = created(
        &w.s,
        "/api/subscriber/release/webapp",
        w.webapp("low-lambda", "shop.acme.com", &zone, "ok@acme.com"),
    )
    .await;
    let report = w.verify("webapp", rel["id"].as_str().unwrap()).await;
    assert_check(
        &report,
        "AWS Service Quotas",
        "warning",
        "Some quotas near limit",
    );
    w.b.vpcs(3).await; // with the default VPC: 4 of 5
    let report = w.verify("webapp", rel["id"].as_str().unwrap()).await;
    assert_check(
        &report,
        "AWS Service Quotas",
        "failed",
        "Service quota limits exceeded",
    );
    assert_eq!(
        check(&report, "AWS Service Quotas")["details"][1]["current"],
        "4/5"
    );
}

#[tokio::test]
async fn synthesizer_freshness_team_quotas_and_a_druid_release() {
    let w = world(None).await;
    // A druid release: the webapp-only checks are skipped, the rest run.
    let druid = created(
        &w.s,
        "/api/subscriber/release/druid",
        json!({"name": "events", "team": "web", "organization": "acme-corp",
        "synthesizer": "production", "environment": "staging", "version": "2024.06",
        "druid": {"clusterSize": "medium", "storageSize": 500, "kafkaEnabled": true}}),
    )
    .await;
    assert_eq!(
        druid["team"],
        w.team.as_str(),
        "references may be given by name and are stored as ids"
    );
    assert_eq!(druid["stackName"], "acme-corp-events-druid");
    let id = druid["id"].as_str().unwrap().to_owned();
    let report = w.verify("druid", &id).await;
    assert_check(
        &report,
        "Domain Configuration",
        "skipped",
        "Not applicable to druid releases",
    );
    assert_check(
        &report,
        "SES Email Verification",
        "skipped",
        "Not applicable to druid releases",
    );
    assert_check(
        &report,
        "Stack Name Conflict",
        "passed",
        "Stack name acme-corp-events-druid available",
    );
    assert_eq!(report["valid"], true, "{report:#}");
    assert_eq!(w.release("druid", &id).await["status"], "validated");

    // Editing a validated release returns it to draft.
    let mut edited = druid.clone();
    edited["version"] = json!("2024.07");
    let r =
        w.s.app
            .http
            .put(w.s.app.url(&format!("/api/subscriber/release/druid/{id}")))
            .header("cookie", &w.s.cookie)
            .json(&edited)
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "draft");

    // The team one Lambda function over its quota: 16 + 5 > 20.
    let r = w.s.app.http.put(w.s.app.url(&format!("/api/subscriber/team/{}", w.team))).header("cookie", &w.s.cookie)
        .json(&json!({"name": "web", "organization": w.org, "quotas": {"maxLambdaFunctions": 20}, "resources": {"lambdaFunctions": 16}}))
        .send().await.unwrap();
    assert_eq!(r.status(), 200);
    let report = w.verify("druid", &id).await;
    assert_check(
        &report,
        "Team Resource Quotas",
        "failed",
        "Deployment would exceed team quotas",
    );
    assert_eq!(
        check(&report, "Team Resource Quotas")["details"],
        json!(["Lambda functions: 21/20"])
    );

    // A synthesizer edited since its verification is not verified: the release check fails.
    let mut synth: Value =
        w.s.app
            .get(
                &format!("/api/subscriber/synthesizer/{}", w.synth),
                Some(&w.s.cookie),
            )
            .await
            .json()
            .await
            .unwrap();
    synth["cdk"]["version"] = json!("22");
    w.s.app
        .http
        .put(
            w.s.app
                .url(&format!("/api/subscriber/synthesizer/{}", w.synth)),
        )
        .header("cookie", &w.s.cookie)
        .json(&synth)
        .send()
        .await
        .unwrap();
    let report = w.verify("druid", &id).await;
    assert_check(
        &report,
        "Synthesizer Verification",
        "failed",
        "Synthesizer has not been verified",
    );
    assert_eq!(report["readyToDeploy"], false);
    // A synthesizer with releases cannot be deleted.
    let r =
        w.s.app
            .http
            .delete(
                w.s.app
                    .url(&format!("/api/subscriber/synthesizer/{}", w.synth)),
            )
            .header("cookie", &w.s.cookie)
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 409);
}

#[tokio::test]
async fn release_inputs_are_refused_field_by_field_and_references_must_be_yours() {
    let w = world(None).await;
    let good = w.webapp("site", "acme.com", "Z123ABC", "noreply@acme.com");
    let set = |path: &str, v: Value| {
        let mut x = good.clone();
        let parts: Vec<&str> = path.split('.').collect();
        let mut node = &mut x;
        for p in &parts[..parts.len() - 1] {
            node = &mut node[*p];
        }
        node[parts[parts.len() - 1]] = v;
        x
    };
    for (path, value) in [
        ("name", json!("Bad Name")),
        ("environment", json!("")),
        ("version", json!("v 1")),
        ("webapp.domain", json!("not a domain")),
        ("webapp.ses.hostedZoneId", json!("abc")),
        ("webapp.ses.email", json!("nobody")),
        ("team", json!("team_missing")),
        ("organization", json!("no-such-org")),
        ("synthesizer", json!("syn_0000000000000000")),
    ] {
        let r = post(
            &w.s,
            "/api/subscriber/release/webapp",
            set(path, value.clone()),
        )
        .await;
        assert_eq!(r.status(), 400, "{path} = {value}");
        let e: Value = r.json().await.unwrap();
        assert!(e["fields"][path].is_string(), "{path}: {e}");
    }
    let r = post(&w.s, "/api/subscriber/release/druid", json!({"name": "d", "team": w.team, "organization": w.org, "synthesizer": w.synth,
        "environment": "prod", "version": "v1", "druid": {"clusterSize": "huge", "storageSize": 0, "kafkaEnabled": "maybe"}})).await;
    let e: Value = r.json().await.unwrap();
    for f in [
        "druid.clusterSize",
        "druid.storageSize",
        "druid.kafkaEnabled",
    ] {
        assert!(e["fields"][f].is_string(), "{f}: {e}");
    }
    for (path, body) in [
        ("/api/subscriber/organization", json!({"name": "Acme Corp"})),
        (
            "/api/subscriber/organization",
            json!({"name": "ok", "tags": 5}),
        ),
        (
            "/api/subscriber/team",
            json!({"name": "t", "organization": w.org, "quotas": {"maxLambdaFunctions": -1}}),
        ),
        (
            "/api/subscriber/team",
            json!({"name": "t", "organization": "org_nope"}),
        ),
    ] {
        assert_eq!(
            post(&w.s, path, body.clone()).await.status(),
            400,
            "{path} {body}"
        );
    }

    // Another subscriber can neither see these nor point at them.
    let rel = created(&w.s, "/api/subscriber/release/webapp", good.clone()).await;
    let id = rel["id"].as_str().unwrap();
    let (_, other) = w.s.app.new_subscriber().await;
    let app = &w.s.app;
    for path in [
        format!("/api/subscriber/release/webapp/{id}"),
        format!("/api/subscriber/release/webapp/{id}/verifications"),
        format!("/api/subscriber/release/druid/{id}"),
        format!("/api/subscriber/organization/{}", w.org),
        format!("/api/subscriber/team/{}", w.team),
    ] {
        assert_eq!(app.get(&path, Some(&other)).await.status(), 404, "{path}");
    }
    for path in [
        format!("/api/subscriber/release/webapp/{id}/verify"),
        format!("/api/subscriber/release/webapp/{id}/launch"),
    ] {
        assert_eq!(
            app.post_json(&path, json!({}), Some(&other)).await.status(),
            404,
            "{path}"
        );
    }
    assert_eq!(
        app.http
            .delete(app.url(&format!("/api/subscriber/release/webapp/{id}")))
            .header("cookie", &other)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let r = app
        .post_json("/api/subscriber/release/webapp", good.clone(), Some(&other))
        .await;
    assert_eq!(
        r.status(),
        400,
        "another subscriber's team, organization and synthesizer are refused"
    );
    let list: Value = app
        .get("/api/subscriber/release/webapp", Some(&other))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list, json!([]));
    // The organization is in use by its team and release.
    assert_eq!(
        app.http
            .delete(app.url(&format!("/api/subscriber/organization/{}", w.org)))
            .header("cookie", &w.s.cookie)
            .send()
            .await
            .unwrap()
            .status(),
        409
    );
}
