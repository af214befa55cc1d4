//! The JSON API's error shape (api.md): `{"error": "<sentence>", "fields": {...}}`.

use std::collections::BTreeMap;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::identity::IdentityError;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub fields: BTreeMap<String, String>,
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            fields: BTreeMap::new(),
            retry_after: None,
        }
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "Not found.")
    }

    /// A short code for browser form posts, which are answered with a redirect.
    pub fn code(&self) -> &'static str {
        match self.status {
            StatusCode::BAD_REQUEST => "invalid",
            StatusCode::UNAUTHORIZED => "credentials",
            StatusCode::FORBIDDEN => "forbidden",
            StatusCode::CONFLICT => "exists",
            StatusCode::TOO_MANY_REQUESTS => "rate_limited",
            _ => "unavailable",
        }
    }
}

impl From<IdentityError> for ApiError {
    fn from(e: IdentityError) -> Self {
        let message = e.to_string();
        match e {
            IdentityError::Invalid { message, fields } => Self {
                status: StatusCode::BAD_REQUEST,
                message,
                fields,
                retry_after: None,
            },
            IdentityError::EmailTaken => Self::new(StatusCode::CONFLICT, message),
            IdentityError::BadCredentials
            | IdentityError::BadCode
            | IdentityError::Unauthenticated => Self::new(StatusCode::UNAUTHORIZED, message),
            IdentityError::Suspended | IdentityError::ReauthRequired => {
                Self::new(StatusCode::FORBIDDEN, message)
            }
            IdentityError::RateLimited(wait) => Self {
                retry_after: Some(wait.as_secs().max(1)),
                ..Self::new(StatusCode::TOO_MANY_REQUESTS, message)
            },
            IdentityError::Unavailable => Self::new(StatusCode::SERVICE_UNAVAILABLE, message),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = if self.fields.is_empty() {
            json!({ "error": self.message })
        } else {
            json!({ "error": self.message, "fields": self.fields })
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
