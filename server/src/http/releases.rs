//! The routes of api.md "Organizations, teams, releases", plus Launch. Browser forms post here
//! too (answered with redirects); HTML forms cannot PUT or DELETE, so they post to `/{id}`
//! (update) and `/{id}/delete`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

use app::contract::ReleaseType;

use super::auth::{see_other, SignedIn};
use super::error::ApiError;
use super::input::Input;
use super::synthesizers::{document, form_refusal};
use crate::release::ReleaseError;
use crate::startup::AppState;

impl From<ReleaseError> for ApiError {
    fn from(e: ReleaseError) -> Self {
        let message = e.to_string();
        match e {
            ReleaseError::Invalid { message, fields } => Self {
                fields,
                ..Self::new(StatusCode::BAD_REQUEST, message)
            },
            ReleaseError::NotFound => Self::not_found(),
            ReleaseError::Conflict { field, .. } => Self {
                fields: field
                    .map(|f| [(f.to_owned(), "Already used; choose another.".to_owned())].into())
                    .unwrap_or_default(),
                ..Self::new(StatusCode::CONFLICT, message)
            },
            ReleaseError::NotLaunchable(_) => Self::new(StatusCode::CONFLICT, message),
            ReleaseError::Identity(e) => e.into(),
            ReleaseError::Unavailable | ReleaseError::LaunchFailed => {
                Self::new(StatusCode::SERVICE_UNAVAILABLE, message)
            }
        }
    }
}

fn kind(text: &str) -> Result<ReleaseType, ApiError> {
    ReleaseType::parse(text).ok_or_else(ApiError::not_found)
}

/// JSON for API clients; for a browser form, a redirect to `done` or back to `page`.
fn answer<T: serde::Serialize>(
    result: Result<T, ReleaseError>,
    input: &Input<Value>,
    status: StatusCode,
    done: impl FnOnce(&T) -> String,
    page: &str,
) -> Response {
    match result {
        Ok(v) if input.from_form => see_other(&done(&v)),
        Ok(v) => (status, Json(v)).into_response(),
        Err(e) if input.from_form => form_refusal(page, e.into(), Some(&input.value)),
        Err(e) => ApiError::from(e).into_response(),
    }
}

fn deleted(
    result: Result<(), ReleaseError>,
    input: &Input<Value>,
    done: &str,
    page: &str,
) -> Response {
    match result {
        Ok(()) if input.from_form => see_other(done),
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) if input.from_form => form_refusal(page, e.into(), None),
        Err(e) => ApiError::from(e).into_response(),
    }
}

// ---- organizations ---------------------------------------------------------------------------

pub async fn organizations(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
) -> Result<Response, ApiError> {
    Ok(Json(state.releases.organizations(&auth).await?).into_response())
}

pub async fn create_organization(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    input: Input<Value>,
) -> Response {
    let r = state
        .releases
        .create_organization(&auth, &document(&input))
        .await;
    answer(
        r,
        &input,
        StatusCode::CREATED,
        |_| "/releases/setup?saved=organization".into(),
        "/releases/setup",
    )
}

pub async fn organization(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(state.releases.organization(&auth, &id).await?).into_response())
}

pub async fn update_organization(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
    input: Input<Value>,
) -> Response {
    let r = state
        .releases
        .update_organization(&auth, &id, &document(&input))
        .await;
    answer(
        r,
        &input,
        StatusCode::OK,
        |_| "/releases/setup?saved=organization".into(),
        "/releases/setup",
    )
}

pub async fn delete_organization(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
    input: Input<Value>,
) -> Response {
    deleted(
        state.releases.delete_organization(&auth, &id).await,
        &input,
        "/releases/setup?deleted=1",
        "/releases/setup",
    )
}

// ---- teams -----------------------------------------------------------------------------------

pub async fn teams(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
) -> Result<Response, ApiError> {
    Ok(Json(state.releases.teams(&auth).await?).into_response())
}

pub async fn create_team(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    input: Input<Value>,
) -> Response {
    let r = state.releases.create_team(&auth, &document(&input)).await;
    answer(
        r,
        &input,
        StatusCode::CREATED,
        |_| "/releases/setup?saved=team".into(),
        "/releases/setup",
    )
}

pub async fn team(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(state.releases.team(&auth, &id).await?).into_response())
}

pub async fn update_team(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
    input: Input<Value>,
) -> Response {
    let r = state
        .releases
        .update_team(&auth, &id, &document(&input))
        .await;
    answer(
        r,
        &input,
        StatusCode::OK,
        |_| "/releases/setup?saved=team".into(),
        "/releases/setup",
    )
}

pub async fn delete_team(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
    input: Input<Value>,
) -> Response {
    deleted(
        state.releases.delete_team(&auth, &id).await,
        &input,
        "/releases/setup?deleted=1",
        "/releases/setup",
    )
}

// ---- releases --------------------------------------------------------------------------------

pub async fn releases(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(t): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(state.releases.releases(&auth, Some(kind(&t)?)).await?).into_response())
}

pub async fn create_release(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(t): Path<String>,
    input: Input<Value>,
) -> Response {
    let Ok(k) = kind(&t) else {
        return ApiError::not_found().into_response();
    };
    let r = state
        .releases
        .create_release(&auth, k, &document(&input))
        .await;
    answer(
        r,
        &input,
        StatusCode::CREATED,
        |r| format!("/releases/{t}/{}?saved=1", r.id),
        &format!("/releases/new?type={t}"),
    )
}

pub async fn release(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path((t, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    Ok(Json(state.releases.release(&auth, kind(&t)?, &id).await?).into_response())
}

pub async fn update_release(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path((t, id)): Path<(String, String)>,
    input: Input<Value>,
) -> Response {
    let Ok(k) = kind(&t) else {
        return ApiError::not_found().into_response();
    };
    let r = state
        .releases
        .update_release(&auth, k, &id, &document(&input))
        .await;
    answer(
        r,
        &input,
        StatusCode::OK,
        |r| format!("/releases/{t}/{}?saved=1", r.id),
        &format!("/releases/{t}/{id}"),
    )
}

pub async fn delete_release(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path((t, id)): Path<(String, String)>,
    input: Input<Value>,
) -> Response {
    let Ok(k) = kind(&t) else {
        return ApiError::not_found().into_response();
    };
    deleted(
        state.releases.delete_release(&auth, k, &id).await,
        &input,
        "/releases?deleted=1",
        &format!("/releases/{t}/{id}"),
    )
}

pub async fn verify_release(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path((t, id)): Path<(String, String)>,
    input: Input<Value>,
) -> Response {
    let Ok(k) = kind(&t) else {
        return ApiError::not_found().into_response();
    };
    let r = state.releases.verify(&auth, k, &id).await;
    answer(
        r,
        &input,
        StatusCode::OK,
        |_| format!("/releases/{t}/{id}?verified=1#report"),
        &format!("/releases/{t}/{id}"),
    )
}

pub async fn release_verifications(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path((t, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    Ok(Json(state.releases.history(&auth, kind(&t)?, &id).await?).into_response())
}

pub async fn launch_release(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path((t, id)): Path<(String, String)>,
    input: Input<Value>,
) -> Response {
    let Ok(k) = kind(&t) else {
        return ApiError::not_found().into_response();
    };
    let r = state.releases.launch(&auth, k, &id).await;
    answer(
        r,
        &input,
        StatusCode::OK,
        |_| format!("/releases/{t}/{id}?launched=1"),
        &format!("/releases/{t}/{id}"),
    )
}
