//! The JSON API of `shared/spec/api.md` and the guards every route shares.

pub mod auth;
pub mod error;
pub mod guard;
pub mod input;
pub mod openapi;
pub mod subscriber;
pub mod synthesizers;

use axum::routing::{get, post};
use axum::Router;

use crate::startup::AppState;

/// The `/api` and `/v1` routes.
pub fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi::openapi))
        .route("/api/platform", get(subscriber::platform))
        .route("/api/auth/signup", post(auth::signup))
        .route("/api/auth/login", post(auth::login))
        .route("/api/auth/mfa", post(auth::mfa))
        .route("/api/auth/logout", post(auth::logout))
        .route("/api/auth/reauth", post(auth::reauth))
        .route("/api/auth/mfa/setup", post(auth::mfa_setup))
        .route("/api/auth/mfa/enable", post(auth::mfa_enable))
        .route("/v1/api/subscriber/summary", get(subscriber::summary))
        .route("/api/subscriber/apikey", get(subscriber::reveal_api_key))
        .route(
            "/api/subscriber/apikey/rotate",
            post(subscriber::rotate_api_key),
        )
        .route(
            "/api/subscriber/trust-policy",
            get(subscriber::trust_policy),
        )
        .route(
            "/api/subscriber/synthesizer",
            get(synthesizers::list).post(synthesizers::create),
        )
        .route(
            "/api/subscriber/synthesizer/import",
            post(synthesizers::import),
        )
        .route(
            "/api/subscriber/synthesizer/{id}",
            get(synthesizers::get)
                .put(synthesizers::update)
                .post(synthesizers::update)
                .delete(synthesizers::delete),
        )
        .route(
            "/api/subscriber/synthesizer/{id}/delete",
            post(synthesizers::delete_form),
        )
        .route(
            "/api/subscriber/synthesizer/{id}/verify",
            post(synthesizers::verify),
        )
        .route(
            "/api/subscriber/synthesizer/{id}/verifications",
            get(synthesizers::verifications),
        )
        .route(
            "/v1/subscriber/{subscriber_id}/summary",
            get(subscriber::backend_summary),
        )
}
