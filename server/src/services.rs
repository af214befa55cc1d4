//! The server's implementation of the UI's service port (`app::services::PortalServices`).

use app::contract::PlatformInfo;
use app::services::{PortalServices, ServiceError};

use crate::platform::PlatformIdentity;

pub struct Services {
    pub platform: PlatformIdentity,
}

#[async_trait::async_trait]
impl PortalServices for Services {
    async fn platform(&self) -> Result<PlatformInfo, ServiceError> {
        self.platform.info().await.map_err(|e| {
            tracing::error!(error = %e, "platform identity unavailable");
            ServiceError::Unavailable(
                "The platform's AWS identity could not be read right now. Try again in a minute."
                    .into(),
            )
        })
    }
}
