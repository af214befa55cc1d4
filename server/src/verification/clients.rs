//! SDK clients for one verification: built from the process's shared `SdkConfig` (one HTTP/TLS
//! stack, the standard endpoint configuration), with the synthesizer's region, the verification's
//! timeouts and, after the handshake, the handshake role's credentials.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{Region, SdkConfig};
use aws_sdk_sts::config::Credentials;

/// The timeouts of one AWS call (retries included): nothing waits longer than `call`.
pub fn timeouts(call: Duration) -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(call.min(Duration::from_secs(3)))
        .operation_attempt_timeout(call)
        .operation_timeout(call)
        .build()
}

fn retries() -> RetryConfig {
    RetryConfig::standard().with_max_attempts(2)
}

pub fn sts(sdk: &SdkConfig, region: &str, call: Duration) -> aws_sdk_sts::Client {
    aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::config::Builder::from(sdk)
            .region(Region::new(region.to_owned()))
            .timeout_config(timeouts(call))
            .retry_config(retries())
            .build(),
    )
}

/// The clients the five resource checks use, acting as the handshake role.
pub struct CheckClients {
    pub s3: aws_sdk_s3::Client,
    pub ecr: aws_sdk_ecr::Client,
    pub kms: aws_sdk_kms::Client,
    pub iam: aws_sdk_iam::Client,
    pub ssm: aws_sdk_ssm::Client,
}

impl CheckClients {
    pub fn new(sdk: &SdkConfig, credentials: Credentials, region: &str, call: Duration) -> Self {
        let region = Region::new(region.to_owned());
        macro_rules! client {
            ($krate:ident $(, $extra:ident($arg:expr))*) => {
                $krate::Client::from_conf(
                    $krate::config::Builder::from(sdk)
                        .region(region.clone())
                        .credentials_provider(credentials.clone())
                        .timeout_config(timeouts(call))
                        .retry_config(retries())
                        $(.$extra($arg))*
                        .build(),
                )
            };
        }
        Self {
            // An endpoint override (the local AWS on loopback) cannot answer virtual-hosted
            // bucket names, so it gets path-style addressing; real AWS keeps the SDK's default.
            s3: client!(aws_sdk_s3, force_path_style(sdk.endpoint_url().is_some())),
            ecr: client!(aws_sdk_ecr),
            kms: client!(aws_sdk_kms),
            iam: client!(aws_sdk_iam),
            ssm: client!(aws_sdk_ssm),
        }
    }
}
