//! Puts a subscriber's AWS account in a known state on the local AWS: a fresh account id per
//! test (so tests never share resources), created through the fixture-only header
//! `x-moto-account-id` (see shared/notes/local-aws.md). The portal itself never sends it.

use aws_config::SdkConfig;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextMut;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use serde_json::{json, Value};

pub const REGION: &str = "us-west-2";
const QUALIFIER: &str = "hnb659fds";

#[derive(Debug)]
struct InAccount(String);

impl Intercept for InAccount {
    fn name(&self) -> &'static str {
        "InAccount"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        context
            .request_mut()
            .headers_mut()
            .insert("x-moto-account-id", self.0.clone());
        Ok(())
    }
}

/// What a trust policy demands of `sts:ExternalId`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ExternalId {
    Required,
    /// No condition at all: STS accepts any External ID, or none.
    Absent,
    /// CDK bootstrap v29+'s `Null` condition (forbids one).
    Forbidden,
}

#[derive(Clone, Debug)]
pub struct Options {
    pub handshake: Option<ExternalId>,
    pub deploy: Option<ExternalId>,
    /// `None`: no bucket at all.
    pub bucket_region: Option<&'static str>,
    pub ecr: bool,
    /// `None`: no alias; `Some(false)`: the key is disabled.
    pub kms_enabled: Option<bool>,
    /// `None`: no parameter.
    pub bootstrap_version: Option<&'static str>,
}

impl Default for Options {
    /// A correct bootstrap.
    fn default() -> Self {
        Self {
            handshake: Some(ExternalId::Required),
            deploy: Some(ExternalId::Required),
            bucket_region: Some(REGION),
            ecr: true,
            kms_enabled: Some(true),
            bootstrap_version: Some("21"),
        }
    }
}

pub struct Bootstrap {
    pub account: String,
    pub handshake: String,
    pub deploy: String,
    pub bucket: String,
    pub repo: String,
    pub alias: String,
    pub parameter: String,
    sdk: SdkConfig,
}

pub fn random_account() -> String {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).unwrap();
    format!(
        "{:012}",
        400_000_000_000 + u64::from_le_bytes(b) % 500_000_000_000
    )
}

macro_rules! client_in {
    ($krate:ident, $sdk:expr, $account:expr, $region:expr) => {
        $krate::Client::from_conf(
            $krate::config::Builder::from($sdk)
                .region(aws_config::Region::new($region.to_owned()))
                .interceptor(InAccount($account.to_owned()))
                .build(),
        )
    };
}

fn policy(principal: &str, key: &str, rule: ExternalId) -> String {
    let mut statement = json!({
        "Effect": "Allow",
        "Principal": {"AWS": principal},
        "Action": "sts:AssumeRole",
    });
    match rule {
        ExternalId::Required => {
            statement["Condition"] = json!({"StringEquals": {"sts:ExternalId": key}})
        }
        ExternalId::Forbidden => {
            statement["Condition"] = json!({"Null": {"sts:ExternalId": "true"}})
        }
        ExternalId::Absent => {}
    }
    json!({"Version": "2012-10-17", "Statement": [statement]}).to_string()
}

impl Bootstrap {
    /// Bootstraps a fresh account trusting `principal` with `key`, as `options` say.
    pub async fn create(key: &str, principal: &str, options: Options) -> Self {
        let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .load()
            .await;
        let account = random_account();
        let b = Self {
            handshake: format!("arn:aws:iam::{account}:role/fastish-handshake-role"),
            deploy: format!(
                "arn:aws:iam::{account}:role/cdk-{QUALIFIER}-deploy-role-{account}-{REGION}"
            ),
            bucket: format!("cdk-{QUALIFIER}-assets-{account}-{REGION}"),
            repo: format!("cdk-{QUALIFIER}-container-assets-{account}-{REGION}"),
            alias: "alias/fastish-assets".into(),
            parameter: format!("/cdk-bootstrap/{QUALIFIER}/version"),
            account,
            sdk,
        };
        if let Some(rule) = options.handshake {
            b.put_role("fastish-handshake-role", &policy(principal, key, rule))
                .await;
        }
        if let Some(rule) = options.deploy {
            b.put_role(crate_role_name(&b.deploy), &policy(principal, key, rule))
                .await;
        }
        if let Some(region) = options.bucket_region {
            let s3 = b.s3(region);
            let mut req = s3.create_bucket().bucket(&b.bucket);
            if region != "us-east-1" {
                req = req.create_bucket_configuration(
                    aws_sdk_s3::types::CreateBucketConfiguration::builder()
                        .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::from(
                            region,
                        ))
                        .build(),
                );
            }
            req.send().await.expect("create the assets bucket");
        }
        if options.ecr {
            client_in!(aws_sdk_ecr, &b.sdk, b.account, REGION)
                .create_repository()
                .repository_name(&b.repo)
                .send()
                .await
                .expect("create the repository");
        }
        if let Some(enabled) = options.kms_enabled {
            let kms = client_in!(aws_sdk_kms, &b.sdk, b.account, REGION);
            let key_id = kms
                .create_key()
                .send()
                .await
                .expect("create a KMS key")
                .key_metadata()
                .unwrap()
                .key_id()
                .to_owned();
            kms.create_alias()
                .alias_name(&b.alias)
                .target_key_id(&key_id)
                .send()
                .await
                .expect("create the alias");
            if !enabled {
                kms.disable_key().key_id(&key_id).send().await.unwrap();
            }
        }
        if let Some(version) = options.bootstrap_version {
            b.put_version(version).await;
        }
        b
    }

    fn s3(&self, region: &str) -> aws_sdk_s3::Client {
        aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&self.sdk)
                .region(aws_config::Region::new(region.to_owned()))
                .interceptor(InAccount(self.account.clone()))
                .force_path_style(true)
                .build(),
        )
    }

    pub async fn put_role(&self, name: &str, trust: &str) {
        let iam = client_in!(aws_sdk_iam, &self.sdk, self.account, REGION);
        if iam
            .create_role()
            .role_name(name)
            .assume_role_policy_document(trust)
            .max_session_duration(3600)
            .send()
            .await
            .is_err()
        {
            iam.update_assume_role_policy()
                .role_name(name)
                .policy_document(trust)
                .send()
                .await
                .expect("update the trust policy");
        }
    }

    pub async fn put_version(&self, version: &str) {
        client_in!(aws_sdk_ssm, &self.sdk, self.account, REGION)
            .put_parameter()
            .name(&self.parameter)
            .value(version)
            .r#type(aws_sdk_ssm::types::ParameterType::String)
            .overwrite(true)
            .send()
            .await
            .expect("put the bootstrap version");
    }

    /// A Route 53 hosted zone for `domain`; returns its id (without `/hostedzone/`).
    pub async fn hosted_zone(&self, domain: &str) -> String {
        let out = client_in!(aws_sdk_route53, &self.sdk, self.account, "us-east-1")
            .create_hosted_zone()
            .name(domain)
            .caller_reference(random_account())
            .send()
            .await
            .expect("create a hosted zone");
        out.hosted_zone()
            .unwrap()
            .id()
            .trim_start_matches("/hostedzone/")
            .to_owned()
    }

    pub async fn verified_email(&self, email: &str) {
        client_in!(aws_sdk_ses, &self.sdk, self.account, REGION)
            .verify_email_identity()
            .email_address(email)
            .send()
            .await
            .expect("verify an SES identity");
    }

    pub async fn stack(&self, name: &str) {
        client_in!(aws_sdk_cloudformation, &self.sdk, self.account, REGION)
            .create_stack()
            .stack_name(name)
            .template_body(r#"{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}"#)
            .send()
            .await
            .expect("create a stack");
    }

    pub async fn vpcs(&self, extra: usize) {
        let ec2 = client_in!(aws_sdk_ec2, &self.sdk, self.account, REGION);
        for i in 0..extra {
            ec2.create_vpc()
                .cidr_block(format!("10.{}.0.0/16", i + 1))
                .send()
                .await
                .expect("create a VPC");
        }
    }

    /// One of the local AWS's fixture hooks (localaws/fastish_localaws/states.py).
    pub async fn put_state(&self, body: Value) {
        let endpoint = std::env::var("AWS_ENDPOINT_URL").expect("AWS_ENDPOINT_URL");
        let r = reqwest::Client::new()
            .post(format!("{endpoint}/_fastish/state"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }

    /// The synthesizer JSON for `POST /api/subscriber/synthesizer`.
    pub fn synthesizer(&self, name: &str) -> Value {
        json!({
            "name": name,
            "account": self.account,
            "region": REGION,
            "cdk": {
                "version": "21",
                "kms": {"alias": self.alias},
                "ssm": {"parameter": self.parameter},
                "role": {"handshake": self.handshake, "deploy": self.deploy},
                "storage": {"assetsBucket": self.bucket, "imagesRepo": self.repo}
            }
        })
    }
}

fn crate_role_name(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap()
}
