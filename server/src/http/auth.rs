//! `/api/auth/*` (api.md, "Identity"). JSON for API clients; the portal's own HTML forms post
//! here too and are answered with a redirect (303) to the next page, so sign-in and sign-out work
//! without JavaScript.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::{header, request::Parts, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::error::ApiError;
use super::input::Input;
use crate::identity::{Authenticated, IdentityError, LoginOutcome};
use crate::startup::AppState;

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct Credentials {
    email: String,
    password: String,
    /// Where a browser goes after signing in (a path on this portal).
    next: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct CodeBody {
    code: String,
    next: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ReauthBody {
    password: String,
    code: Option<String>,
    next: Option<String>,
}

#[derive(Default, Deserialize)]
pub struct NoBody {}

/// Only a path on this portal: never an open redirect.
pub fn local_path(next: Option<&str>, default: &str) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_owned(),
        _ => default.to_owned(),
    }
}

pub fn see_other(location: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

fn with_cookies(mut response: Response, cookies: &[String]) -> Response {
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

/// For a form post: back to `page` with `?error=<code>` (and `next` kept).
fn form_error(page: &str, e: &ApiError, next: Option<&str>) -> Response {
    let mut location = format!("{page}?error={}", e.code());
    if let Some(n) = next.filter(|n| n.starts_with('/') && !n.starts_with("//")) {
        location.push_str("&next=");
        location.push_str(
            &n.replace('%', "%25")
                .replace('&', "%26")
                .replace('?', "%3F")
                .replace('#', "%23"),
        );
    }
    with_retry_after(see_other(&location), e)
}

/// A refusal: JSON for API clients; for a browser's form post, a redirect back to `page`.
fn refused(e: impl Into<ApiError>, from_form: bool, page: &str, next: Option<&str>) -> Response {
    let e = e.into();
    if from_form {
        form_error(page, &e, next)
    } else {
        e.into_response()
    }
}

fn with_retry_after(mut r: Response, e: &ApiError) -> Response {
    if let Some(s) = e.retry_after {
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(s));
    }
    r
}

/// The client's address (the TCP peer), for per-address rate limits.
pub struct ClientAddress(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string())
                .unwrap_or_else(|| "unknown".into()),
        ))
    }
}

/// The signed-in subscriber, or 401.
pub struct SignedIn(pub Authenticated);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        state
            .identity
            .authenticate(&parts.headers)
            .await
            .map(SignedIn)
            .map_err(ApiError::from)
    }
}

pub async fn signup(State(state): State<AppState>, input: Input<Credentials>) -> Response {
    let Credentials {
        email, password, ..
    } = input.value;
    match state.identity.sign_up(&email, &password).await {
        Ok(_) if input.from_form => see_other("/signin?signed_up=1"),
        Ok(email) => (StatusCode::CREATED, Json(json!({ "email": email }))).into_response(),
        Err(e) => refused(e, input.from_form, "/signup", None),
    }
}

pub async fn login(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    input: Input<Credentials>,
) -> Response {
    let Credentials {
        email,
        password,
        next,
    } = input.value;
    let next = next.as_deref();
    match state.identity.log_in(&email, &password, &client).await {
        Ok(LoginOutcome::SignedIn { set_cookie }) => {
            let response = if input.from_form {
                see_other(&local_path(next, "/account"))
            } else {
                Json(json!({ "status": "signed_in" })).into_response()
            };
            with_cookies(response, &[set_cookie])
        }
        Ok(LoginOutcome::MfaRequired { set_cookie }) => {
            let response = if input.from_form {
                see_other(&format!(
                    "/signin/mfa?next={}",
                    local_path(next, "/account")
                ))
            } else {
                Json(json!({ "status": "mfa_required" })).into_response()
            };
            with_cookies(response, &[set_cookie])
        }
        Err(e) => refused(e, input.from_form, "/signin", next),
    }
}

pub async fn mfa(
    State(state): State<AppState>,
    headers: HeaderMap,
    input: Input<CodeBody>,
) -> Response {
    let CodeBody { code, next } = input.value;
    match state.identity.answer_mfa(&headers, &code).await {
        Ok(cookies) => {
            let response = if input.from_form {
                see_other(&local_path(next.as_deref(), "/account"))
            } else {
                Json(json!({ "status": "signed_in" })).into_response()
            };
            with_cookies(response, &cookies)
        }
        Err(IdentityError::Unauthenticated) if input.from_form => {
            see_other("/signin?error=expired")
        }
        Err(e) => refused(e, input.from_form, "/signin/mfa", next.as_deref()),
    }
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    input: Input<NoBody>,
) -> Response {
    let clear = state
        .identity
        .cookies
        .clear(state.identity.cookies.session_name());
    let outcome = match state.identity.authenticate(&headers).await {
        Ok(auth) => state.identity.log_out(&auth).await.map(|_| ()),
        // Signing out without a valid session still clears the browser's cookie.
        Err(IdentityError::Unauthenticated) => Ok(()),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) if input.from_form => with_cookies(see_other("/signin?signed_out=1"), &[clear]),
        Ok(()) => with_cookies(StatusCode::NO_CONTENT.into_response(), &[clear]),
        Err(e) => ApiError::from(e).into_response(),
    }
}

pub async fn reauth(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    input: Input<ReauthBody>,
) -> Response {
    let ReauthBody {
        password,
        code,
        next,
    } = input.value;
    match state
        .identity
        .reauthenticate(&auth, &password, code.as_deref())
        .await
    {
        Ok(()) if input.from_form => see_other(&local_path(next.as_deref(), "/account")),
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => refused(e, input.from_form, "/account", None),
    }
}

pub async fn mfa_setup(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
) -> Result<Response, ApiError> {
    let (secret, uri) = state.identity.start_totp(&auth).await?;
    let mut r =
        Json(json!({ "secret": secret, "otpauthUri": uri, "qrSvg": qr_svg(&uri) })).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

pub async fn mfa_enable(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    input: Input<CodeBody>,
) -> Response {
    match state.identity.enable_totp(&auth, &input.value.code).await {
        Ok(()) if input.from_form => see_other("/account?mfa=enabled"),
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => refused(e, input.from_form, "/account", None),
    }
}

/// The otpauth URI as a QR code (SVG markup), for authenticator apps to scan. Empty if the URI
/// does not fit a QR code (it always does at this length).
fn qr_svg(uri: &str) -> String {
    qrcode::QrCode::new(uri.as_bytes())
        .map(|code| {
            code.render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(200, 200)
                .quiet_zone(true)
                .build()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_code_is_an_svg_without_scripts() {
        let svg = qr_svg("otpauth://totp/Fastish%20Portal:a%40b.co?secret=JBSWY3DPEHPK3PXP&issuer=Fastish%20Portal");
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
        assert!(!svg.contains("<script") && !svg.contains("style="));
    }

    #[test]
    fn next_is_only_ever_a_local_path() {
        assert_eq!(
            local_path(Some("/synthesizers"), "/account"),
            "/synthesizers"
        );
        for bad in ["//evil.test", "https://evil.test", "evil", "/\\evil.test"] {
            assert_eq!(local_path(Some(bad), "/account"), "/account", "{bad}");
        }
        assert_eq!(local_path(None, "/account"), "/account");
    }
}
