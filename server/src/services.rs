//! The server's implementation of the UI's service port (`app::services::PortalServices`).

use std::sync::Arc;

use app::contract::{AccountOverview, PlatformInfo};
use app::services::{PortalServices, ServiceError};

use crate::identity::service::{now, REAUTH_SECONDS};
use crate::identity::{Identity, IdentityError};
use crate::platform::PlatformIdentity;

pub struct Services {
    pub platform: Arc<PlatformIdentity>,
    pub identity: Arc<Identity>,
}

fn platform_unavailable(e: impl std::fmt::Display) -> ServiceError {
    tracing::error!(error = %e, "platform identity unavailable");
    ServiceError::Unavailable(
        "The platform's AWS identity could not be read right now. Try again in a minute.".into(),
    )
}

#[async_trait::async_trait]
impl PortalServices for Services {
    async fn platform(&self) -> Result<PlatformInfo, ServiceError> {
        self.platform.info().await.map_err(platform_unavailable)
    }

    async fn account(
        &self,
        headers: &http::HeaderMap,
    ) -> Result<Option<AccountOverview>, ServiceError> {
        let auth = match self.identity.authenticate(headers).await {
            Ok(a) => a,
            Err(IdentityError::Unauthenticated) => return Ok(None),
            Err(e) => return Err(ServiceError::Unavailable(e.to_string())),
        };
        let principal = self
            .platform
            .info()
            .await
            .map_err(platform_unavailable)?
            .principal;
        let s = &auth.subscriber;
        let reauth_seconds_left = auth
            .session
            .reauth_at
            .map(|at| (at + REAUTH_SECONDS - now()).max(0))
            .unwrap_or(0);
        Ok(Some(AccountOverview {
            email: s.email.clone(),
            subscriber_id: s.id.clone(),
            subscription: s.subscription.clone(),
            mfa_enabled: s.mfa_enabled,
            key_fingerprint: Identity::key_fingerprint(s),
            key_created_at: crate::time::rfc3339(s.key_created_at),
            reauth_seconds_left,
            platform_principal: principal,
        }))
    }
}
