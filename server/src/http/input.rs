//! Request bodies: JSON for API clients, `application/x-www-form-urlencoded` for the portal's
//! own HTML forms (which work without JavaScript). Malformed bodies get 400 with the problem
//! named, oversized ones 413 (the router's body limit), other types 415; never a 500.

use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use axum::{Form, Json};
use serde::de::DeserializeOwned;

use super::error::ApiError;

pub struct Input<T> {
    pub value: T,
    /// A browser form post: answer with a redirect rather than JSON.
    pub from_form: bool,
}

impl<S, T> FromRequest<S> for Input<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Default,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let has_body = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v != "0")
            || req.headers().contains_key(header::TRANSFER_ENCODING);
        if content_type.starts_with("application/json") {
            match Json::<T>::from_request(req, state).await {
                Ok(Json(value)) => Ok(Self {
                    value,
                    from_form: false,
                }),
                Err(rejection) => Err(rejected(rejection.status(), &rejection.body_text())),
            }
        } else if content_type.starts_with("application/x-www-form-urlencoded") {
            match Form::<T>::from_request(req, state).await {
                Ok(Form(value)) => Ok(Self {
                    value,
                    from_form: true,
                }),
                Err(rejection) => Err(rejected(rejection.status(), &rejection.body_text())),
            }
        } else if !has_body {
            Ok(Self {
                value: T::default(),
                from_form: false,
            })
        } else {
            Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Send the request body as JSON (Content-Type: application/json).",
            ))
        }
    }
}

fn rejected(status: StatusCode, detail: &str) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::new(status, "The request body is larger than 64 KiB.");
    }
    tracing::debug!(%detail, "request body refused");
    let reason = detail.rsplit_once(": ").map(|(_, r)| r).unwrap_or(detail);
    ApiError::new(
        StatusCode::BAD_REQUEST,
        format!("The request body could not be read: {reason}."),
    )
}
