//! The JSON API of `shared/spec/api.md` and the guards every route shares.

pub mod auth;
pub mod error;
pub mod guard;
pub mod input;
pub mod openapi;
pub mod releases;
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
            "/api/subscriber/organization",
            get(releases::organizations).post(releases::create_organization),
        )
        .route(
            "/api/subscriber/organization/{id}",
            get(releases::organization)
                .put(releases::update_organization)
                .post(releases::update_organization)
                .delete(releases::delete_organization),
        )
        .route(
            "/api/subscriber/organization/{id}/delete",
            post(releases::delete_organization),
        )
        .route(
            "/api/subscriber/team",
            get(releases::teams).post(releases::create_team),
        )
        .route(
            "/api/subscriber/team/{id}",
            get(releases::team)
                .put(releases::update_team)
                .post(releases::update_team)
                .delete(releases::delete_team),
        )
        .route(
            "/api/subscriber/team/{id}/delete",
            post(releases::delete_team),
        )
        .route(
            "/api/subscriber/release/{type}",
            get(releases::releases).post(releases::create_release),
        )
        .route(
            "/api/subscriber/release/{type}/{id}",
            get(releases::release)
                .put(releases::update_release)
                .post(releases::update_release)
                .delete(releases::delete_release),
        )
        .route(
            "/api/subscriber/release/{type}/{id}/delete",
            post(releases::delete_release),
        )
        .route(
            "/api/subscriber/release/{type}/{id}/verify",
            post(releases::verify_release),
        )
        .route(
            "/api/subscriber/release/{type}/{id}/verifications",
            get(releases::release_verifications),
        )
        .route(
            "/api/subscriber/release/{type}/{id}/launch",
            post(releases::launch_release),
        )
        .route(
            "/v1/subscriber/{subscriber_id}/summary",
            get(subscriber::backend_summary),
        )
}
