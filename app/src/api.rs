//! Server function declarations. Their bodies run on the server only (`ssr`); the browser gets a
//! stub that POSTs to `/fn/...` (a prefix of its own, so that `/api/...` stays the JSON API).

use leptos::prelude::*;

use crate::contract::{AccountOverview, PlatformInfo};

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
