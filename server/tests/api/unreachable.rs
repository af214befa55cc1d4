//! An AWS endpoint that accepts connections and never answers: the verification still ends
//! within its deadline, every check accounted for.

use std::time::{Duration, Instant};

use aws_types::service_config::{LoadServiceConfig, ServiceConfigKey};
use server::identity::api_key::ApiKey;
use server::verification::{RunInput, SynthesizerVerifier, VerifierSettings};

use crate::aws_fixture::{Bootstrap, Options};
use crate::verification::subscriber;

/// A listener that accepts and then says nothing, forever.
async fn black_hole() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    format!("http://{addr}")
}

/// Every service but STS at `endpoint` (the SDK's per-service endpoint configuration, the same
/// mechanism as `AWS_ENDPOINT_URL_S3` and friends).
#[derive(Debug)]
struct AllButSts(String);

impl LoadServiceConfig for AllButSts {
    fn load_config(&self, key: ServiceConfigKey<'_>) -> Option<String> {
        (key.env() == "AWS_ENDPOINT_URL" && !key.service_id().eq_ignore_ascii_case("sts"))
            .then(|| self.0.clone())
    }
}

fn settings() -> VerifierSettings {
    VerifierSettings {
        call_timeout: Duration::from_millis(800),
        deadline: Duration::from_secs(4),
        propagation_window: Duration::ZERO,
    }
}

#[tokio::test]
async fn unreachable_services_fail_their_checks_within_the_deadline() {
    let s = subscriber().await;
    let b = Bootstrap::create(&s.key, &s.principal, Options::default()).await;
    let fields: app::contract::SynthesizerFields =
        serde_json::from_value(b.synthesizer("unreachable")).unwrap();
    let key = ApiKey::parse(&s.key).unwrap();
    let hole = black_hole().await;

    // STS answers, the five services behind the handshake do not.
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .load()
        .await;
    let sdk = sdk
        .into_builder()
        .service_config(AllButSts(hole.clone()))
        .build();
    let started = Instant::now();
    let checks = SynthesizerVerifier::new(sdk, settings())
        .run(
            RunInput {
                fields: &fields,
                key: &key,
                principal: &s.principal,
                saved_seconds_ago: 3600,
            },
            None,
        )
        .await;
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(checks[0].check, "Handshake Role");
    assert_eq!(
        checks[0].status,
        app::contract::CheckStatus::Passed,
        "{checks:#?}"
    );
    for c in &checks[1..] {
        assert_eq!(c.status, app::contract::CheckStatus::Failed, "{c:?}");
        assert!(c.message.starts_with("Could not reach"), "{c:?}");
        assert!(c.action.is_some());
    }
    assert_eq!(checks.len(), 6);

    // Nothing answers at all: the handshake fails the same way and the rest are skipped.
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(&hole)
        .load()
        .await;
    let started = Instant::now();
    let checks = SynthesizerVerifier::new(sdk, settings())
        .run(
            RunInput {
                fields: &fields,
                key: &key,
                principal: &s.principal,
                saved_seconds_ago: 3600,
            },
            None,
        )
        .await;
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "took {:?}",
        started.elapsed()
    );
    assert!(
        checks[0].message.starts_with("Could not reach AWS STS"),
        "{checks:#?}"
    );
    assert!(checks[1..]
        .iter()
        .all(|c| c.status == app::contract::CheckStatus::Skipped));
}
