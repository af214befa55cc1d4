//! The server's implementation of the UI's service port (`app::services::PortalServices`).

use std::sync::Arc;

use app::contract::{
    AccountOverview, PageData, PlatformInfo, ReleaseDetail, ReleaseType, ReleaseWorkspace,
    SynthesizerDetail, SynthesizerListItem,
};
use app::services::{EventStream, PortalServices, ServiceError};

use crate::identity::Authenticated;
use crate::synthesizer::SynthesizerError;

use crate::identity::service::{now, REAUTH_SECONDS};
use crate::identity::{Identity, IdentityError};
use crate::platform::PlatformIdentity;

pub struct Services {
    pub platform: Arc<PlatformIdentity>,
    pub identity: Arc<Identity>,
    pub synthesizers: Arc<crate::synthesizer::SynthesizerService>,
    pub releases: Arc<crate::release::ReleaseService>,
}

fn platform_unavailable(e: impl std::fmt::Display) -> ServiceError {
    tracing::error!(error = %e, "platform identity unavailable");
    ServiceError::Unavailable(
        "The platform's AWS identity could not be read right now. Try again in a minute.".into(),
    )
}

fn service_error(e: SynthesizerError) -> ServiceError {
    match e {
        SynthesizerError::Unavailable => ServiceError::Unavailable(e.to_string()),
        SynthesizerError::Identity(IdentityError::Unavailable) => {
            ServiceError::Unavailable(e.to_string())
        }
        e => ServiceError::Refused(e.to_string()),
    }
}

/// "just now", "5 minutes ago", "3 days ago".
pub fn ago(at_rfc3339_seconds: i64) -> String {
    let s = (now() - at_rfc3339_seconds).max(0);
    let (n, unit) = match s {
        0..=59 => return "just now".into(),
        60..=3599 => (s / 60, "minute"),
        3600..=86_399 => (s / 3600, "hour"),
        _ => (s / 86_400, "day"),
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

fn verified_ago(s: &app::contract::Synthesizer) -> Option<String> {
    s.verified_at
        .as_deref()
        .and_then(crate::time::parse_rfc3339)
        .map(ago)
}

impl Services {
    /// The signed-in subscriber, `None` when signed out.
    async fn signed_in(
        &self,
        headers: &http::HeaderMap,
    ) -> Result<Option<Authenticated>, ServiceError> {
        match self.identity.authenticate(headers).await {
            Ok(a) => Ok(Some(a)),
            Err(IdentityError::Unauthenticated) => Ok(None),
            Err(e) => Err(ServiceError::Unavailable(e.to_string())),
        }
    }
}

fn release_error(e: crate::release::ReleaseError) -> ServiceError {
    use crate::release::ReleaseError;
    match e {
        ReleaseError::Unavailable | ReleaseError::Identity(IdentityError::Unavailable) => {
            ServiceError::Unavailable(e.to_string())
        }
        e => ServiceError::Refused(e.to_string()),
    }
}

#[async_trait::async_trait]
impl PortalServices for Services {
    async fn release_workspace(
        &self,
        headers: &http::HeaderMap,
    ) -> Result<PageData<ReleaseWorkspace>, ServiceError> {
        let Some(auth) = self.signed_in(headers).await? else {
            return Ok(PageData::SignedOut);
        };
        Ok(PageData::Ready(
            self.releases
                .workspace(&auth)
                .await
                .map_err(release_error)?,
        ))
    }

    async fn release(
        &self,
        headers: &http::HeaderMap,
        release_type: &str,
        id: &str,
    ) -> Result<PageData<ReleaseDetail>, ServiceError> {
        let Some(auth) = self.signed_in(headers).await? else {
            return Ok(PageData::SignedOut);
        };
        let Some(kind) = ReleaseType::parse(release_type) else {
            return Ok(PageData::NotFound);
        };
        match self.releases.detail(&auth, kind, id).await {
            Ok(d) => Ok(PageData::Ready(d)),
            Err(crate::release::ReleaseError::NotFound) => Ok(PageData::NotFound),
            Err(e) => Err(release_error(e)),
        }
    }

    async fn verify_release(
        &self,
        headers: &http::HeaderMap,
        release_type: &str,
        id: &str,
    ) -> Result<EventStream, ServiceError> {
        let Some(auth) = self.signed_in(headers).await? else {
            return Err(ServiceError::Refused("Sign in to continue.".into()));
        };
        let kind = ReleaseType::parse(release_type)
            .ok_or_else(|| ServiceError::Refused("Not found.".into()))?;
        self.releases
            .release(&auth, kind, id)
            .await
            .map_err(release_error)?;
        let rx = self.releases.start_verification(auth, kind, id.to_owned());
        Ok(Box::pin(tokio_stream_of(rx)))
    }

    async fn synthesizers(
        &self,
        headers: &http::HeaderMap,
    ) -> Result<PageData<Vec<SynthesizerListItem>>, ServiceError> {
        let Some(auth) = self.signed_in(headers).await? else {
            return Ok(PageData::SignedOut);
        };
        let list = self.synthesizers.list(&auth).await.map_err(service_error)?;
        Ok(PageData::Ready(
            list.into_iter()
                .map(|s| SynthesizerListItem {
                    verified_ago: verified_ago(&s),
                    synthesizer: s,
                })
                .collect(),
        ))
    }

    async fn synthesizer(
        &self,
        headers: &http::HeaderMap,
        id: &str,
    ) -> Result<PageData<SynthesizerDetail>, ServiceError> {
        let Some(auth) = self.signed_in(headers).await? else {
            return Ok(PageData::SignedOut);
        };
        let synthesizer = match self.synthesizers.get(&auth, id).await {
            Ok(s) => s,
            Err(SynthesizerError::NotFound) => return Ok(PageData::NotFound),
            Err(e) => return Err(service_error(e)),
        };
        let history = self
            .synthesizers
            .history(&auth, id)
            .await
            .map_err(service_error)?;
        Ok(PageData::Ready(SynthesizerDetail {
            verified_ago: verified_ago(&synthesizer),
            synthesizer,
            history,
        }))
    }

    async fn verify_synthesizer(
        &self,
        headers: &http::HeaderMap,
        id: &str,
    ) -> Result<EventStream, ServiceError> {
        let Some(auth) = self.signed_in(headers).await? else {
            return Err(ServiceError::Refused("Sign in to continue.".into()));
        };
        // Not-found is answered before anything starts.
        self.synthesizers
            .get(&auth, id)
            .await
            .map_err(service_error)?;
        let rx = self.synthesizers.start_verification(auth, id.to_owned());
        Ok(Box::pin(tokio_stream_of(rx)))
    }

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

/// The receiver as a stream that ends when the verification's task drops its sender.
fn tokio_stream_of<T: Send + 'static>(
    mut rx: tokio::sync::mpsc::UnboundedReceiver<T>,
) -> impl futures::Stream<Item = T> + Send {
    futures::stream::poll_fn(move |cx| rx.poll_recv(cx))
}
