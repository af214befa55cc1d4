//! Request guards and response hardening for every route, server functions included.
//!
//! * Cross-site refusal: a state-changing request whose `Sec-Fetch-Site` is `cross-site`, or
//!   whose `Origin` is not this portal's, gets 403. Requests with neither header (curl, CI) are
//!   judged by their credentials alone.
//! * Headers: `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`,
//!   `X-Frame-Options: DENY`, HSTS in Secure mode, and a strict Content-Security-Policy on any
//!   HTML response that does not already carry one (pages set theirs, with a nonce).

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;

#[derive(Clone, Copy)]
pub struct Hardening {
    pub secure: bool,
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether `headers` show a request from another site (or another origin of this site).
///
/// `Sec-Fetch-Site` decides when the browser sends it: only `same-origin` and `none` (typed by the
/// user) pass. `Origin` is the fallback for browsers without it. It cannot be the first test:
/// under `Referrer-Policy: no-referrer` Chromium sends `Origin: null` even on a same-origin form post.
pub fn is_cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !(site.eq_ignore_ascii_case("same-origin") || site.eq_ignore_ascii_case("none"));
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    origin_host != Some(host)
}

pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    if is_state_changing(request.method()) && is_cross_site(request.headers()) {
        tracing::warn!(path = %request.uri().path(), "refused a cross-site state-changing request");
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "Cross-site requests are refused. Use the portal's own pages or an API client.",
        )
        .into_response();
    }
    next.run(request).await
}

pub const FALLBACK_CSP: &str = "default-src 'self'; script-src 'none'; object-src 'none'; \
     base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

pub async fn harden_responses(
    State(h): State<Hardening>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if h.secure {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html && !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(FALLBACK_CSP),
        );
    }
    response
}

/// Paths that are not pages: no session lookup for them here (their handlers do their own).
fn is_page_path(path: &str) -> bool {
    ![
        "/api/", "/v1/", "/fn/", "/pkg/", "/healthz", "/readyz", "/favicon",
    ]
    .iter()
    .any(|p| path.starts_with(p))
}

/// For page requests, resolves the signed-in user before rendering and leaves it in the
/// request's extensions (read by the Leptos context, `startup::router`).
pub async fn resolve_page_user(
    State(identity): State<std::sync::Arc<crate::identity::Identity>>,
    mut request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::GET && is_page_path(request.uri().path()) {
        let user = identity
            .authenticate(request.headers())
            .await
            .ok()
            .map(|a| app::contract::SessionUser {
                email: a.subscriber.email,
            });
        request
            .extensions_mut()
            .insert(app::session::PageUser(user));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    #[test]
    fn cross_site_is_recognised() {
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&headers(&[
            ("host", "portal.test"),
            ("origin", "https://evil.test")
        ])));
        assert!(is_cross_site(&headers(&[
            ("host", "portal.test"),
            ("origin", "null")
        ])));
        assert!(!is_cross_site(&headers(&[
            ("host", "portal.test"),
            ("origin", "https://portal.test")
        ])));
        assert!(!is_cross_site(&headers(&[
            ("sec-fetch-site", "same-origin"),
            ("host", "a"),
            ("origin", "http://a")
        ])));
        assert!(!is_cross_site(&headers(&[])), "curl and CI send neither");
    }
}
