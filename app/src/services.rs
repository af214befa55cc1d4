//! The port between the UI's server functions and the server's services (server-only).
//!
//! Server function bodies in this crate reach AWS, the store and the key only through this trait;
//! the `server` crate implements it and provides it as Leptos context. That keeps every
//! server-only dependency out of `app` and so out of the WASM bundle.

use std::pin::Pin;
use std::sync::Arc;

use crate::contract::{
    AccountOverview, PageData, PlatformInfo, ReleaseDetail, ReleaseWorkspace, SynthesizerDetail,
    SynthesizerListItem, VerificationEvent,
};

/// A failure a user can act on, already phrased for them. Details go to the server's log.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Unavailable(String),
    /// Not signed in, not found, not allowed: the sentence says which.
    #[error("{0}")]
    Refused(String),
}

/// A live verification: its events, the last one `Finished` or `Failed`.
pub type EventStream = Pin<Box<dyn futures::Stream<Item = VerificationEvent> + Send>>;

#[async_trait::async_trait]
pub trait PortalServices: Send + Sync + 'static {
    /// The platform's own account and the principal subscribers' handshake roles must trust.
    async fn platform(&self) -> Result<PlatformInfo, ServiceError>;
    /// The account page's facts; `None` when the request is not signed in.
    async fn account(
        &self,
        headers: &http::HeaderMap,
    ) -> Result<Option<AccountOverview>, ServiceError>;
    async fn synthesizers(
        &self,
        headers: &http::HeaderMap,
    ) -> Result<PageData<Vec<SynthesizerListItem>>, ServiceError>;
    async fn synthesizer(
        &self,
        headers: &http::HeaderMap,
        id: &str,
    ) -> Result<PageData<SynthesizerDetail>, ServiceError>;
    /// Starts Verify Configuration and streams its events.
    async fn verify_synthesizer(
        &self,
        headers: &http::HeaderMap,
        id: &str,
    ) -> Result<EventStream, ServiceError>;
    /// Organizations, teams, synthesizers and releases, for the release pages.
    async fn release_workspace(
        &self,
        headers: &http::HeaderMap,
    ) -> Result<PageData<ReleaseWorkspace>, ServiceError>;
    async fn release(
        &self,
        headers: &http::HeaderMap,
        release_type: &str,
        id: &str,
    ) -> Result<PageData<ReleaseDetail>, ServiceError>;
    /// Starts Verify Before Launch and streams its events.
    async fn verify_release(
        &self,
        headers: &http::HeaderMap,
        release_type: &str,
        id: &str,
    ) -> Result<EventStream, ServiceError>;
}

pub type SharedServices = Arc<dyn PortalServices>;

/// The services, from the request's Leptos context (provided by the server's router).
pub fn services() -> Result<SharedServices, leptos::prelude::ServerFnError> {
    leptos::prelude::use_context::<SharedServices>().ok_or_else(|| {
        leptos::prelude::ServerFnError::new("The portal is not fully started; try again shortly.")
    })
}
