//! Server function declarations. Their bodies run on the server only (`ssr`); the browser gets a
//! stub that POSTs to `/fn/...` (a prefix of its own, so that `/api/...` stays the JSON API).

use leptos::prelude::*;

use crate::contract::PlatformInfo;

#[server(prefix = "/fn", endpoint = "platform")]
pub async fn get_platform() -> Result<PlatformInfo, ServerFnError> {
    let services = crate::services::services()?;
    services
        .platform()
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}
