//! The platform's own identity: the account the portal runs in, and the principal that
//! subscribers' handshake roles must trust.

use tokio::sync::OnceCell;

use app::contract::{CognitoPublic, PlatformInfo};

use crate::config::CognitoSettings;

#[derive(Debug, thiserror::Error)]
pub enum PlatformError {
    #[error("STS GetCallerIdentity failed: {0}")]
    CallerIdentity(String),
}

pub struct PlatformIdentity {
    sts: aws_sdk_sts::Client,
    configured_principal: Option<String>,
    region: String,
    cognito: CognitoPublic,
    resolved: OnceCell<(String, String)>,
}

impl PlatformIdentity {
    pub fn new(
        sdk: &aws_config::SdkConfig,
        configured_principal: Option<String>,
        cognito: &CognitoSettings,
    ) -> Self {
        Self {
            sts: aws_sdk_sts::Client::new(sdk),
            configured_principal,
            region: sdk
                .region()
                .map(|r| r.to_string())
                .unwrap_or_else(|| cognito.region.clone()),
            cognito: CognitoPublic {
                region: cognito.region.clone(),
                user_pool_id: cognito.user_pool_id.clone(),
                client_id: cognito.client_id.clone(),
            },
            resolved: OnceCell::new(),
        }
    }

    /// Asks STS once who the portal is; later calls are answered from memory.
    async fn account_and_principal(&self) -> Result<&(String, String), PlatformError> {
        self.resolved
            .get_or_try_init(|| async {
                let me = self.sts.get_caller_identity().send().await.map_err(|e| {
                    PlatformError::CallerIdentity(format!(
                        "{}",
                        aws_sdk_sts::error::DisplayErrorContext(&e)
                    ))
                })?;
                let account = me.account().unwrap_or_default().to_string();
                let partition = me
                    .arn()
                    .and_then(|arn| arn.split(':').nth(1))
                    .unwrap_or("aws")
                    .to_string();
                let principal = self
                    .configured_principal
                    .clone()
                    .unwrap_or_else(|| format!("arn:{partition}:iam::{account}:root"));
                Ok((account, principal))
            })
            .await
    }

    pub async fn info(&self) -> Result<PlatformInfo, PlatformError> {
        let (account, principal) = self.account_and_principal().await?;
        Ok(PlatformInfo {
            account: account.clone(),
            principal: principal.clone(),
            region: self.region.clone(),
            cognito: self.cognito.clone(),
        })
    }
}
