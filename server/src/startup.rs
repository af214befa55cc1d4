//! Builds the application from settings: the store, AWS clients, services, and the router.
//! `Portal::build` binds the listener first, so tests start the real app on port 0.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::{extract::DefaultBodyLimit, extract::FromRef, routing::get, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

use app::services::SharedServices;
use app::{shell, App, OUTPUT_NAME};

use crate::config::Settings;
use crate::http::guard::{self, Hardening};
use crate::identity::cognito::CognitoDirectory;
use crate::identity::cookies::CookiePolicy;
use crate::identity::tokens::TokenVerifier;
use crate::identity::Identity;
use crate::jwks::JwksSource;
use crate::platform::PlatformIdentity;
use crate::release::launch::Launcher;
use crate::release::ReleaseService;
use crate::services::Services;
use crate::store::{SharedStore, SqliteStore};
use crate::synthesizer::SynthesizerService;
use crate::verification::{ReleaseVerifier, SynthesizerVerifier};
use crate::{aws, health};

/// Request bodies above this get 413 (api.md).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: SharedStore,
    pub jwks: JwksSource,
    pub identity: Arc<Identity>,
    pub platform: Arc<PlatformIdentity>,
    pub services: SharedServices,
    pub synthesizers: Arc<SynthesizerService>,
    pub releases: Arc<ReleaseService>,
    pub readiness_timeout: Duration,
    pub hardening: Hardening,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

pub fn leptos_options(settings: &Settings) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(settings.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(settings.addr)
        .reload_port(settings.reload_port.unwrap_or(3001))
        .build()
}

/// The whole HTTP surface. Everything a request can reach is wired here.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let services = state.services.clone();
    let options = state.leptos_options.clone();
    let hardening = state.hardening;
    let identity = state.identity.clone();
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .merge(crate::http::api_routes())
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(services.clone());
                if let Some(user) = use_context::<http::request::Parts>()
                    .and_then(|parts| parts.extensions.get::<app::session::PageUser>().cloned())
                {
                    provide_context(user);
                }
                // A fresh nonce per response: the hydration script carries it, the page's CSP
                // header names it (app::App).
                leptos::nonce::provide_nonce();
            },
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            identity,
            guard::resolve_page_user,
        ))
        .layer(axum::middleware::from_fn(guard::refuse_cross_site))
        .layer(axum::middleware::from_fn_with_state(
            hardening,
            guard::harden_responses,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

pub struct Portal {
    listener: TcpListener,
    router: Router,
    tls: Option<axum_server::tls_rustls::RustlsConfig>,
}

/// How long requests in flight may take to finish after a shutdown signal (TLS mode).
const GRACE: Duration = Duration::from_secs(10);

impl Portal {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let store: SharedStore =
            Arc::new(SqliteStore::open(&settings.data_dir).context("opening the store")?);
        let sdk = aws::load().await;
        let platform = Arc::new(PlatformIdentity::new(
            &sdk,
            settings.platform_principal.clone(),
            &settings.cognito,
        ));
        let jwks = JwksSource::new(
            settings.cognito.jwks_url.clone(),
            settings.readiness_timeout,
        );
        let c = &settings.cognito;
        let identity = Arc::new(Identity::new(
            store.clone(),
            CognitoDirectory::new(&sdk, c),
            TokenVerifier::new(jwks.clone(), &c.region, &c.user_pool_id, &c.client_id),
            CookiePolicy {
                secure: !settings.insecure_http,
            },
        ));
        let synthesizers = Arc::new(SynthesizerService::new(
            store.clone(),
            identity.clone(),
            platform.clone(),
            SynthesizerVerifier::new(sdk.clone(), settings.verification.clone()),
        ));
        let releases = Arc::new(ReleaseService::new(
            store.clone(),
            identity.clone(),
            platform.clone(),
            synthesizers.clone(),
            ReleaseVerifier::new(sdk.clone(), settings.verification.clone()),
            Launcher::new(&sdk, settings.launch_event_bus.clone()),
        ));
        let services = Services {
            platform: platform.clone(),
            identity: identity.clone(),
            synthesizers: synthesizers.clone(),
            releases: releases.clone(),
        };
        let state = AppState {
            leptos_options: leptos_options(&settings),
            store,
            jwks,
            identity,
            platform,
            services: Arc::new(services),
            synthesizers,
            releases,
            readiness_timeout: settings.readiness_timeout,
            hardening: Hardening {
                secure: !settings.insecure_http,
            },
        };
        let tls = match &settings.tls {
            Some(files) => Some(
                axum_server::tls_rustls::RustlsConfig::from_pem_file(&files.cert, &files.key)
                    .await
                    .with_context(|| {
                        format!(
                            "reading the TLS certificate {} and key {}",
                            files.cert.display(),
                            files.key.display()
                        )
                    })?,
            ),
            None => None,
        };
        let listener = TcpListener::bind(settings.addr)
            .await
            .with_context(|| format!("binding {}", settings.addr))?;
        Ok(Self {
            listener,
            router: router(state),
            tls,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves (HTTPS when TLS files were given) until `shutdown` completes, then finishes the
    /// requests in flight.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let app = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        match self.tls {
            None => {
                axum::serve(self.listener, app)
                    .with_graceful_shutdown(shutdown)
                    .await
            }
            Some(config) => {
                let handle = axum_server::Handle::new();
                let on_signal = handle.clone();
                tokio::spawn(async move {
                    shutdown.await;
                    on_signal.graceful_shutdown(Some(GRACE));
                });
                axum_server::from_tcp_rustls(self.listener.into_std()?, config)?
                    .handle(handle)
                    .serve(app)
                    .await
            }
        }
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
