//! One AWS SDK configuration for the whole process, from the SDK's standard sources only
//! (`AWS_REGION`, `AWS_ENDPOINT_URL`, the credential chain). Every client shares its HTTP/TLS
//! stack and has bounded timeouts, so no AWS call can hang a request.

use std::time::Duration;

use aws_config::{timeout::TimeoutConfig, BehaviorVersion, SdkConfig};

pub async fn load() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(3))
                .operation_attempt_timeout(Duration::from_secs(5))
                .operation_timeout(Duration::from_secs(10))
                .build(),
        )
        .load()
        .await
}
