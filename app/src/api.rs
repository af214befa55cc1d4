//! Server function declarations. Their bodies run on the server only (`ssr`); the browser gets a
//! stub that POSTs to `/fn/...` (a prefix of its own, so that `/api/...` stays the JSON API).

use leptos::prelude::*;

use crate::contract::{
    AccountOverview, PageData, PlatformInfo, ReleaseDetail, ReleaseWorkspace, SynthesizerDetail,
    SynthesizerListItem,
};

#[server(prefix = "/fn", endpoint = "platform")]
pub async fn get_platform() -> Result<PlatformInfo, ServerFnError> {
    let services = crate::services::services()?;
    services
        .platform()
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}

#[cfg(feature = "ssr")]
async fn request_headers() -> Result<http::HeaderMap, ServerFnError> {
    leptos_axum::extract::<http::HeaderMap>()
        .await
        .map_err(|_| ServerFnError::new("The request could not be read."))
}

/// The account page's facts, or `None` when not signed in.
#[server(prefix = "/fn", endpoint = "account")]
pub async fn load_account() -> Result<Option<AccountOverview>, ServerFnError> {
    let services = crate::services::services()?;
    services
        .account(&request_headers().await?)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}

#[cfg(feature = "ssr")]
fn refused(e: crate::services::ServiceError) -> ServerFnError {
    ServerFnError::new(e.to_string())
}

#[server(prefix = "/fn", endpoint = "synthesizers")]
pub async fn list_synthesizers() -> Result<PageData<Vec<SynthesizerListItem>>, ServerFnError> {
    let services = crate::services::services()?;
    services
        .synthesizers(&request_headers().await?)
        .await
        .map_err(refused)
}

#[server(prefix = "/fn", endpoint = "synthesizer")]
pub async fn load_synthesizer(id: String) -> Result<PageData<SynthesizerDetail>, ServerFnError> {
    let services = crate::services::services()?;
    services
        .synthesizer(&request_headers().await?, &id)
        .await
        .map_err(refused)
}

/// Verify Configuration, live: one JSON `VerificationEvent` per line, as each check completes.
#[server(prefix = "/fn", endpoint = "verify_synthesizer", output = leptos::server_fn::codec::StreamingText)]
pub async fn verify_synthesizer(
    id: String,
) -> Result<leptos::server_fn::codec::TextStream, ServerFnError> {
    use futures::StreamExt;
    let services = crate::services::services()?;
    let events = services
        .verify_synthesizer(&request_headers().await?, &id)
        .await
        .map_err(refused)?;
    Ok(leptos::server_fn::codec::TextStream::new(events.map(|e| {
        let mut line = serde_json::to_string(&e).unwrap_or_default();
        line.push('\n');
        Ok(line)
    })))
}

/// Verify Before Launch, live: one JSON `VerificationEvent` per line.
#[server(prefix = "/fn", endpoint = "verify_release", output = leptos::server_fn::codec::StreamingText)]
pub async fn verify_release(
    release_type: String,
    id: String,
) -> Result<leptos::server_fn::codec::TextStream, ServerFnError> {
    use futures::StreamExt;
    let services = crate::services::services()?;
    let events = services
        .verify_release(&request_headers().await?, &release_type, &id)
        .await
        .map_err(refused)?;
    Ok(leptos::server_fn::codec::TextStream::new(events.map(|e| {
        let mut line = serde_json::to_string(&e).unwrap_or_default();
        line.push('\n');
        Ok(line)
    })))
}

#[server(prefix = "/fn", endpoint = "release_workspace")]
pub async fn load_release_workspace() -> Result<PageData<ReleaseWorkspace>, ServerFnError> {
    let services = crate::services::services()?;
    services
        .release_workspace(&request_headers().await?)
        .await
        .map_err(refused)
}

#[server(prefix = "/fn", endpoint = "release")]
pub async fn load_release(
    release_type: String,
    id: String,
) -> Result<PageData<ReleaseDetail>, ServerFnError> {
    let services = crate::services::services()?;
    services
        .release(&request_headers().await?, &release_type, &id)
        .await
        .map_err(refused)
}
