//! The subscriber's routes (api.md, "The subscriber" and "Platform"), and the backend API's
//! authorizer route.

use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::{header, request::Parts, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use app::contract::{PlatformInfo, SubscriberSummary};

use super::auth::{see_other, ClientAddress, NoBody, SignedIn};
use super::error::ApiError;
use super::input::Input;
use crate::identity::model::Subscriber;
use crate::identity::AuthorizerContext;
use crate::startup::AppState;

fn no_store(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

pub async fn summary_of(
    state: &AppState,
    subscriber: &Subscriber,
) -> Result<SubscriberSummary, ApiError> {
    Ok(SubscriberSummary {
        subscriber_id: subscriber.id.clone(),
        email: subscriber.email.clone(),
        subscription: subscriber.subscription.clone(),
        synthesizers: state.synthesizers.counts(subscriber).await?,
        releases: state.releases.counts(subscriber).await?,
    })
}

async fn platform_info(state: &AppState) -> Result<PlatformInfo, ApiError> {
    state.platform.info().await.map_err(|e| {
        tracing::error!(error = %e, "platform identity unavailable");
        ApiError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "The platform's AWS identity could not be read right now. Try again in a minute.",
        )
    })
}

pub async fn platform(State(state): State<AppState>) -> Result<Response, ApiError> {
    Ok(Json(platform_info(&state).await?).into_response())
}

pub async fn summary(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
) -> Result<Json<SubscriberSummary>, ApiError> {
    Ok(Json(summary_of(&state, &auth.subscriber).await?))
}

/// The backend API's authorizer (the specification's Lambda authorizer): `X-Api-Key` and a
/// bearer token of the same active subscriber, who must be the `{subscriber_id}` of the path.
/// It runs before the handler and leaves the caller's context in the request's extensions.
pub struct BackendCaller(pub AuthorizerContext);

impl FromRequestParts<AppState> for BackendCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Path(subscriber_id) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::not_found())?;
        let ClientAddress(client) = ClientAddress::from_request_parts(parts, state)
            .await
            .unwrap_or_else(|never| match never {});
        let ctx = state
            .identity
            .authorize_backend(&parts.headers, &subscriber_id, &client)
            .await?;
        parts.extensions.insert(ctx.clone());
        Ok(Self(ctx))
    }
}

pub async fn backend_summary(
    State(state): State<AppState>,
    BackendCaller(ctx): BackendCaller,
) -> Result<Json<SubscriberSummary>, ApiError> {
    let subscriber = state
        .store
        .subscriber(&ctx.subscriber_id)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "reading the subscriber failed");
            ApiError::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "The portal's store is unavailable. Try again in a minute.",
            )
        })?
        .ok_or_else(|| {
            ApiError::new(axum::http::StatusCode::UNAUTHORIZED, "Sign in to continue.")
        })?;
    Ok(Json(summary_of(&state, &subscriber).await?))
}

pub async fn reveal_api_key(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
) -> Result<Response, ApiError> {
    let key = state.identity.reveal_key(&auth).await?;
    Ok(no_store(
        Json(json!({ "apiKey": key.expose_secret() })).into_response(),
    ))
}

pub async fn rotate_api_key(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    input: Input<NoBody>,
) -> Response {
    match state.identity.rotate_key(&auth).await {
        Ok(_) if input.from_form => see_other("/account?rotated=1"),
        Ok(at) => Json(json!({ "rotatedAt": crate::time::rfc3339(at) })).into_response(),
        Err(e) => {
            let e = ApiError::from(e);
            if input.from_form {
                see_other(&format!("/account?error={}", e.code()))
            } else {
                e.into_response()
            }
        }
    }
}

#[derive(Deserialize)]
pub struct TrustPolicyQuery {
    synthesizer: Option<String>,
}

pub async fn trust_policy(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Query(q): Query<TrustPolicyQuery>,
) -> Result<Response, ApiError> {
    if let Some(id) = &q.synthesizer {
        // The policy is the subscriber's (one key); the id must still be one of theirs.
        state.synthesizers.get(&auth, id).await?;
    }
    let principal = platform_info(&state).await?.principal;
    let policy = state.identity.trust_policy(&auth, &principal).await?;
    Ok(no_store(Json(policy).into_response()))
}
