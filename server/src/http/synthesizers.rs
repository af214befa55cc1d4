//! The synthesizer routes of api.md ("Synthesizers"). Browser forms (which work without
//! JavaScript) post here too and are answered with redirects; HTML forms cannot PUT or DELETE,
//! so they post to `/{id}` (update) and `/{id}/delete`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

use super::auth::{see_other, SignedIn};
use super::error::ApiError;
use super::input::Input;
use crate::startup::AppState;
use crate::synthesizer::rules::form_to_json;
use crate::synthesizer::SynthesizerError;

impl From<SynthesizerError> for ApiError {
    fn from(e: SynthesizerError) -> Self {
        let message = e.to_string();
        match e {
            SynthesizerError::Invalid { message, fields } => Self {
                fields,
                ..Self::new(StatusCode::BAD_REQUEST, message)
            },
            SynthesizerError::NotFound => Self::not_found(),
            SynthesizerError::NameTaken(_) => Self {
                fields: [(
                    "name".to_owned(),
                    "Already used by another of your synthesizers.".to_owned(),
                )]
                .into(),
                ..Self::new(StatusCode::CONFLICT, message)
            },
            SynthesizerError::InUse => Self::new(StatusCode::CONFLICT, message),
            SynthesizerError::Identity(e) => e.into(),
            SynthesizerError::Unavailable => Self::new(StatusCode::SERVICE_UNAVAILABLE, message),
        }
    }
}

/// The body as JSON; a form's flat `cdk.role.handshake=...` names become the same nested object.
pub fn document(input: &Input<Value>) -> Value {
    if !input.from_form {
        return input.value.clone();
    }
    let flat = input
        .value
        .as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    form_to_json(&flat)
}

/// For a form post: back to `page` with the error code, what was typed (so nothing is lost),
/// and a sentence per field that needs attention. Only the synthesizer's own configuration is
/// carried: it is not secret (no key, no credentials), and a long paste is left out.
pub fn form_refusal(page: &str, e: ApiError, submitted: Option<&Value>) -> Response {
    let separator = if page.contains('?') { '&' } else { '?' };
    let mut location = format!("{page}{separator}error={}", e.code());
    let mut push = |k: &str, v: &str| {
        location.push('&');
        location.push_str(&urlencoding::encode(k));
        location.push('=');
        location.push_str(&urlencoding::encode(v));
    };
    if let Some(Value::Object(fields)) = submitted {
        for (k, v) in fields {
            match v.as_str() {
                Some(v) if !v.is_empty() && v.len() <= 512 && k != "outputs" && k != "confirm" => {
                    push(k, v)
                }
                _ => {}
            }
        }
    }
    for (path, message) in &e.fields {
        push(&format!("e.{path}"), message);
    }
    see_other(&location)
}

fn answer<T: serde::Serialize>(
    result: Result<T, SynthesizerError>,
    input: &Input<Value>,
    status: StatusCode,
    done: impl FnOnce(&T) -> String,
    page_on_error: &str,
) -> Response {
    match result {
        Ok(v) if input.from_form => see_other(&done(&v)),
        Ok(v) => (status, Json(v)).into_response(),
        Err(e) if input.from_form => form_refusal(page_on_error, e.into(), Some(&input.value)),
        Err(e) => ApiError::from(e).into_response(),
    }
}

pub async fn list(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
) -> Result<Response, ApiError> {
    Ok(Json(state.synthesizers.list(&auth).await?).into_response())
}

pub async fn create(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    input: Input<Value>,
) -> Response {
    let result = state.synthesizers.create(&auth, &document(&input)).await;
    answer(
        result,
        &input,
        StatusCode::CREATED,
        |s| format!("/synthesizers/{}?saved=1", s.id),
        "/synthesizers/new",
    )
}

pub async fn import(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    input: Input<Value>,
) -> Response {
    let result = state.synthesizers.import(&auth, &document(&input)).await;
    answer(
        result,
        &input,
        StatusCode::CREATED,
        |s| format!("/synthesizers/{}?imported=1", s.id),
        "/synthesizers/new",
    )
}

pub async fn get(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(state.synthesizers.get(&auth, &id).await?).into_response())
}

pub async fn update(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
    input: Input<Value>,
) -> Response {
    let result = state
        .synthesizers
        .update(&auth, &id, &document(&input))
        .await;
    let page = format!("/synthesizers/{id}");
    answer(
        result,
        &input,
        StatusCode::OK,
        |s| format!("/synthesizers/{}?saved=1", s.id),
        &page,
    )
}

pub async fn delete(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    state.synthesizers.delete(&auth, &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The no-JavaScript delete button (a form post); other clients get the JSON answers.
pub async fn delete_form(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
    input: Input<Value>,
) -> Response {
    match state.synthesizers.delete(&auth, &id).await {
        Ok(()) if input.from_form => see_other("/synthesizers?deleted=1"),
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) if input.from_form => form_refusal(&format!("/synthesizers/{id}"), e.into(), None),
        Err(e) => ApiError::from(e).into_response(),
    }
}

pub async fn verify(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
    input: Input<super::auth::NoBody>,
) -> Response {
    match state.synthesizers.verify(&auth, &id).await {
        Ok(_) if input.from_form => see_other(&format!("/synthesizers/{id}?verified=1#report")),
        Ok(report) => Json(report).into_response(),
        Err(e) if input.from_form => form_refusal(&format!("/synthesizers/{id}"), e.into(), None),
        Err(e) => ApiError::from(e).into_response(),
    }
}

pub async fn verifications(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(state.synthesizers.history(&auth, &id).await?).into_response())
}
