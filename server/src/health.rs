//! `/healthz` (the process serves) and `/readyz` (the store and Cognito's key set answer).

use axum::{extract::State, http::StatusCode, response::IntoResponse, Json};
use serde_json::json;

use crate::startup::AppState;

pub async fn healthz() -> impl IntoResponse {
    (StatusCode::OK, Json(json!({"status": "ok"})))
}

pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let timeout = state.readiness_timeout;
    let store = tokio::time::timeout(timeout, state.store.ping());
    let jwks = tokio::time::timeout(timeout, state.jwks.fetch());
    let (store, jwks) = tokio::join!(store, jwks);
    let store_ok = match store {
        Ok(Ok(())) => true,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: store unavailable");
            false
        }
        Err(_) => {
            tracing::warn!("readiness: store did not answer in time");
            false
        }
    };
    let jwks_ok = match jwks {
        Ok(Ok(_)) => true,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: Cognito key set unavailable");
            false
        }
        Err(_) => {
            tracing::warn!(
                url = state.jwks.url(),
                "readiness: Cognito key set did not answer in time"
            );
            false
        }
    };
    let word = |ok| if ok { "ok" } else { "unavailable" };
    let status = if store_ok && jwks_ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(json!({
            "status": word(store_ok && jwks_ok),
            "store": word(store_ok),
            "cognitoKeys": word(jwks_ok),
        })),
    )
}
