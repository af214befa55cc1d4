//! `make bench`: Verify Configuration against the local AWS, measured in one run.
//!
//! Prints the median and p95 wall time of one synthesizer verification (the verifier alone,
//! and end to end through the JSON API: session, key read from Cognito, store), the median
//! round trip of one AssumeRole and of each single call a check makes, and the ratio
//! verification / (AssumeRole + slowest single check call). Below 1.5 means the handshake's
//! probes and the five checks really run concurrently. Then the same for one release
//! verification (Verify Before Launch, end to end) on the seeded demo hosted zone and sender.
//!
//! The local AWS serves requests mostly one at a time (Python's GIL), where real AWS is bound by
//! network latency; so the figures are printed twice: as the emulator answers (0 ms), and with a
//! network round trip added to every AWS call (20 ms, `localaws/fastish_localaws/latency.py`),
//! which is closer to what the portal meets on real AWS.
//!
//! Needs the local AWS and its seed (scripts/bench.sh starts both): the demo user, its account,
//! and the portal's settings in the environment. `BENCH_ROUNDS` (default 40),
//! `BENCH_LATENCIES_MS` (default `0,20`).

use std::time::{Duration, Instant};

use app::contract::SynthesizerFields;
use serde_json::{json, Value};
use server::config::Settings;
use server::identity::api_key::ApiKey;
use server::startup::Portal;
use server::verification::clients::{self, CheckClients};
use server::verification::{RunInput, SynthesizerVerifier, VerifierSettings};

fn percentile(samples: &[Duration], p: f64) -> Duration {
    let mut s = samples.to_vec();
    s.sort();
    let i = ((s.len() as f64 - 1.0) * p).round() as usize;
    s[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn timed<F: std::future::Future>(f: F) -> (Duration, F::Output) {
    let t = Instant::now();
    let out = f.await;
    (t.elapsed(), out)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let demo: Value = serde_json::from_str(&std::fs::read_to_string(
        std::env::var("FASTISH_TEST_DEMO").unwrap_or_else(|_| ".local-aws/bench/demo.json".into()),
    )?)?;
    let data = tempfile::tempdir()?;
    let mut settings = Settings::from_env()?;
    settings.insecure_http = true;
    settings.addr = "127.0.0.1:0".parse()?;
    settings.data_dir = data.path().to_path_buf();
    let portal = Portal::build(settings).await?;
    let base = format!("http://{}", portal.local_addr()?);
    tokio::spawn(portal.run_until(std::future::pending()));

    // Sign in as the demo user and set up one synthesizer on the demo account.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let login = http
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"email": demo["email"], "password": demo["password"]}))
        .send()
        .await?;
    let cookie = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.contains("fastish_session="))
        .and_then(|v| v.split(';').next())
        .ok_or_else(|| anyhow::anyhow!("the demo user could not sign in"))?
        .to_owned();
    http.post(format!("{base}/api/auth/reauth"))
        .header("cookie", &cookie)
        .json(&json!({"password": demo["password"]}))
        .send()
        .await?
        .error_for_status()?;
    let key: Value = http
        .get(format!("{base}/api/subscriber/apikey"))
        .header("cookie", &cookie)
        .send()
        .await?
        .json()
        .await?;
    let key = ApiKey::parse(key["apiKey"].as_str().unwrap_or_default())
        .ok_or_else(|| anyhow::anyhow!("no key revealed"))?;
    let mut bench = demo["synthesizers"]["demo"].clone();
    bench["name"] = json!(format!("bench-{}", std::process::id()));
    let created: Value = http
        .post(format!("{base}/api/subscriber/synthesizer"))
        .header("cookie", &cookie)
        .json(&bench)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let id = created["id"].as_str().unwrap_or_default().to_owned();
    let fields: SynthesizerFields = serde_json::from_value(bench)?;
    let principal: Value = http
        .get(format!("{base}/api/platform"))
        .send()
        .await?
        .json()
        .await?;
    let principal = principal["principal"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let sdk = server::aws::load().await;
    let settings = VerifierSettings::default();
    let verifier = SynthesizerVerifier::new(sdk.clone(), settings.clone());
    let sts = clients::sts(&sdk, &fields.region, settings.call_timeout);
    let assume = || {
        sts.assume_role()
            .role_arn(&fields.cdk.role.handshake)
            .role_session_name("fastish-verification")
            .external_id(key.expose_secret())
            .duration_seconds(900)
            .send()
    };
    let c = assume()
        .await?
        .credentials()
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no credentials"))?;
    let creds = aws_sdk_sts::config::Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_owned()),
        None,
        "bench",
    );
    let cc = CheckClients::new(&sdk, creds, &fields.region, settings.call_timeout);
    let s = &fields.cdk.storage;
    let role_name = fields
        .cdk
        .role
        .deploy
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();

    let verify_run = || {
        verifier.run(
            RunInput {
                fields: &fields,
                key: &key,
                principal: &principal,
                saved_seconds_ago: 3600,
            },
            None,
        )
    };
    let verify_http = || {
        http.post(format!("{base}/api/subscriber/synthesizer/{id}/verify"))
            .header("cookie", &cookie)
            .send()
    };

    for _ in 0..5 {
        let checks = verify_run().await;
        anyhow::ensure!(
            checks
                .iter()
                .all(|c| c.status == app::contract::CheckStatus::Passed),
            "the demo synthesizer does not pass: {checks:#?}"
        );
        verify_http().await?.error_for_status()?;
    }

    let endpoint = std::env::var("AWS_ENDPOINT_URL").unwrap_or_default();
    let latencies: Vec<u64> = std::env::var("BENCH_LATENCIES_MS")
        .unwrap_or_else(|_| "0,20".into())
        .split(',')
        .filter_map(|v| v.trim().parse().ok())
        .collect();
    for latency in latencies {
        http.post(format!("{endpoint}/_fastish/latency"))
            .json(&json!({ "ms": latency }))
            .send()
            .await?
            .error_for_status()?;
        let names = [
            "HeadBucket",
            "GetBucketLocation",
            "DescribeRepositories",
            "DescribeKey",
            "GetRole",
            "GetParameter",
        ];
        let mut calls: Vec<Vec<Duration>> = vec![Vec::new(); names.len()];
        let (mut runs, mut ends, mut assumes) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..rounds {
            // Interleaved, so drift of the emulator affects every figure alike.
            runs.push(timed(verify_run()).await.0);
            let (t, r) = timed(verify_http()).await;
            r?.error_for_status()?;
            ends.push(t);
            let (t, r) = timed(assume()).await;
            r?;
            assumes.push(t);
            let (t, r) = timed(cc.s3.head_bucket().bucket(&s.assets_bucket).send()).await;
            r?;
            calls[0].push(t);
            let (t, r) = timed(cc.s3.get_bucket_location().bucket(&s.assets_bucket).send()).await;
            r?;
            calls[1].push(t);
            let (t, r) = timed(
                cc.ecr
                    .describe_repositories()
                    .repository_names(&s.images_repo)
                    .send(),
            )
            .await;
            r?;
            calls[2].push(t);
            let (t, r) = timed(cc.kms.describe_key().key_id(&fields.cdk.kms.alias).send()).await;
            r?;
            calls[3].push(t);
            let (t, r) = timed(cc.iam.get_role().role_name(&role_name).send()).await;
            r?;
            calls[4].push(t);
            let (t, r) = timed(
                cc.ssm
                    .get_parameter()
                    .name(&fields.cdk.ssm.parameter)
                    .send(),
            )
            .await;
            r?;
            calls[5].push(t);
        }

        // Where the time of one verification goes: phase 1 (handshake + two probes), building
        // the five clients, phase 2 (five checks, six calls, at once), and for comparison six
        // identical calls at once (what the emulator does with concurrent requests).
        let mut phases: Vec<[Duration; 4]> = Vec::new();
        for _ in 0..rounds.min(20) {
            use server::verification::checks::*;
            let ctx = handshake_role::Context {
                role_arn: &fields.cdk.role.handshake,
                region: &fields.region,
                account: &fields.account,
                principal: &principal,
            };
            let (t_hs, hs) = timed(handshake_role::run(&sts, &ctx, &key, None, &|_| {})).await;
            let creds = hs
                .credentials
                .ok_or_else(|| anyhow::anyhow!("handshake failed"))?;
            let (t_cc, cc2) = timed(async {
                CheckClients::new(&sdk, creds, &fields.region, settings.call_timeout)
            })
            .await;
            let (t_five, _) = timed(async {
                tokio::join!(
                    assets_bucket::run(&cc2, &fields),
                    ecr_repository::run(&cc2, &fields),
                    kms_key::run(&cc2, &fields),
                    deployment_role::run(&cc2, &fields),
                    bootstrap_version::run(&cc2, &fields)
                )
            })
            .await;
            let head = || cc.s3.head_bucket().bucket(&s.assets_bucket).send();
            let (t_six, _) =
                timed(async { tokio::join!(head(), head(), head(), head(), head(), head()) }).await;
            phases.push([t_hs, t_cc, t_five, t_six]);
        }
        let median = |v: &[Duration]| percentile(v, 0.5);
        println!("\nVerify Configuration against the local AWS, {latency} ms added to each AWS round trip, {rounds} rounds (median / p95, ms)");
        println!(
            "  verification, the verifier alone      {:8.2} / {:8.2}",
            ms(median(&runs)),
            ms(percentile(&runs, 0.95))
        );
        println!(
            "  verification, end to end (JSON API)   {:8.2} / {:8.2}",
            ms(median(&ends)),
            ms(percentile(&ends, 0.95))
        );
        println!(
            "  AssumeRole                            {:8.2}",
            ms(median(&assumes))
        );
        let mut slowest = (Duration::ZERO, "");
        for (name, samples) in names.iter().zip(&calls) {
            let m = median(samples);
            println!("  {name:<38}{:8.2}", ms(m));
            if m > slowest.0 {
                slowest = (m, name);
            }
        }
        let phase = |i: usize| median(&phases.iter().map(|p| p[i]).collect::<Vec<_>>());
        println!("  breakdown: handshake + 2 probes {:.2}, clients {:.2}, five checks {:.2}; six HeadBuckets at once {:.2}",
            ms(phase(0)), ms(phase(1)), ms(phase(2)), ms(phase(3)));
        let floor = median(&assumes) + slowest.0;
        println!(
            "  AssumeRole + slowest call ({})  {:8.2}",
            slowest.1,
            ms(floor)
        );
        println!(
            "  ratio verification / (AssumeRole + slowest call): {:.2} (verifier), {:.2} (end to end); target < 1.5",
            median(&runs).as_secs_f64() / floor.as_secs_f64(),
            median(&ends).as_secs_f64() / floor.as_secs_f64()
        );
    }

    // ---- Verify Before Launch ---------------------------------------------------------------
    let rel = &demo["release"];
    let org: Value = http
        .post(format!("{base}/api/subscriber/organization"))
        .header("cookie", &cookie)
        .json(&json!({"name": format!("bench-org-{}", std::process::id())}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let team: Value = http
        .post(format!("{base}/api/subscriber/team"))
        .header("cookie", &cookie)
        .json(&json!({"name": "bench", "organization": org["id"]}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let release: Value = http.post(format!("{base}/api/subscriber/release/webapp")).header("cookie", &cookie)
        .json(&json!({"name": "bench", "team": team["id"], "organization": org["id"], "synthesizer": id,
                      "environment": "production", "version": "v1",
                      "webapp": {"domain": rel["domain"], "ses": {"hostedZoneId": rel["hostedZoneId"], "email": rel["email"]}}}))
        .send().await?.error_for_status()?.json().await?;
    let release_id = release["id"].as_str().unwrap_or_default().to_owned();
    let stack = release["stackName"].as_str().unwrap_or_default().to_owned();
    let region = aws_config::Region::new(fields.region.clone());
    let creds2 = aws_sdk_sts::config::Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_owned()),
        None,
        "bench",
    );
    macro_rules! cli {
        ($k:ident, $r:expr) => {
            $k::Client::from_conf(
                $k::config::Builder::from(&sdk)
                    .region($r)
                    .credentials_provider(creds2.clone())
                    .build(),
            )
        };
    }
    let r53 = cli!(aws_sdk_route53, aws_config::Region::new("us-east-1"));
    let ses = cli!(aws_sdk_ses, region.clone());
    let cfn = cli!(aws_sdk_cloudformation, region.clone());
    let sq = cli!(aws_sdk_servicequotas, region.clone());
    let ec2 = cli!(aws_sdk_ec2, region.clone());
    let zone = rel["hostedZoneId"].as_str().unwrap_or_default().to_owned();
    let email = rel["email"].as_str().unwrap_or_default().to_owned();
    let verify_release = || {
        http.post(format!(
            "{base}/api/subscriber/release/webapp/{release_id}/verify"
        ))
        .header("cookie", &cookie)
        .send()
    };
    for latency in std::env::var("BENCH_LATENCIES_MS")
        .unwrap_or_else(|_| "0,20".into())
        .split(',')
        .filter_map(|v| v.trim().parse::<u64>().ok())
    {
        http.post(format!("{endpoint}/_fastish/latency"))
            .json(&json!({ "ms": latency }))
            .send()
            .await?
            .error_for_status()?;
        for _ in 0..3 {
            let r: Value = verify_release().await?.error_for_status()?.json().await?;
            anyhow::ensure!(r["valid"] == true, "the bench release does not pass: {r:#}");
        }
        let names = [
            "GetHostedZone",
            "GetIdentityVerificationAttributes",
            "DescribeStacks",
            "GetServiceQuota",
            "DescribeVpcs",
        ];
        let mut calls: Vec<Vec<Duration>> = vec![Vec::new(); names.len()];
        let (mut ends, mut assumes) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            let (t, r) = timed(verify_release()).await;
            r?.error_for_status()?;
            ends.push(t);
            assumes.push(timed(assume()).await.0);
            calls[0].push(timed(r53.get_hosted_zone().id(&zone).send()).await.0);
            calls[1].push(
                timed(
                    ses.get_identity_verification_attributes()
                        .identities(&email)
                        .send(),
                )
                .await
                .0,
            );
            calls[2].push(
                timed(cfn.describe_stacks().stack_name(&stack).send())
                    .await
                    .0,
            );
            calls[3].push(
                timed(
                    sq.get_service_quota()
                        .service_code("vpc")
                        .quota_code("L-F678F1CE")
                        .send(),
                )
                .await
                .0,
            );
            calls[4].push(timed(ec2.describe_vpcs().send()).await.0);
        }
        let median = |v: &[Duration]| percentile(v, 0.5);
        println!("\nVerify Before Launch against the local AWS, {latency} ms added to each AWS round trip, {rounds} rounds (median / p95, ms)");
        println!(
            "  release verification, end to end (JSON API) {:8.2} / {:8.2}",
            ms(median(&ends)),
            ms(percentile(&ends, 0.95))
        );
        println!(
            "  AssumeRole                                  {:8.2}",
            ms(median(&assumes))
        );
        let mut slowest = (Duration::ZERO, "");
        for (name, samples) in names.iter().zip(&calls) {
            let m = median(samples);
            println!("  {name:<44}{:8.2}", ms(m));
            if m > slowest.0 {
                slowest = (m, name);
            }
        }
        let floor = median(&assumes) + slowest.0;
        println!(
            "  ratio verification / (AssumeRole + slowest call, {}): {:.2}; target < 1.5",
            slowest.1,
            median(&ends).as_secs_f64() / floor.as_secs_f64()
        );
    }
    http.post(format!("{endpoint}/_fastish/latency"))
        .json(&json!({ "ms": 0 }))
        .send()
        .await?;
    Ok(())
}
