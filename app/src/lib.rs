//! The Fastish Portal's UI: the `App` component and its shell, routing, the contract types shared
//! with the server, and the server function declarations. Built twice: with `ssr` into the server,
//! with `hydrate` into the browser's WASM. See ARCHITECTURE.md.

pub mod api;
#[cfg(feature = "hydrate")]
mod browser;
pub mod contract;
mod layout;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod services;
pub mod session;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    ParamSegment, SsrMode, StaticSegment,
};

use layout::Layout;
use pages::{
    account::AccountPage,
    home::HomePage,
    not_found::NotFoundPage,
    releases::{detail::ReleasePage, form::NewReleasePage, setup::ReleaseSetupPage, ReleasesPage},
    sign_in::{MfaPage, SignInPage, SignUpPage},
    synthesizers::{
        detail::SynthesizerPage, history::SynthesizerHistoryPage, NewSynthesizerPage,
        SynthesizersPage,
    },
};

/// The name cargo-leptos gives the bundle (`/pkg/<name>.js|.wasm|.css`).
pub const OUTPUT_NAME: &str = "fastish-portal";

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The page's Content-Security-Policy: scripts only from this origin or carrying this response's
/// nonce (the hydration script), WASM compilation allowed, no framing.
#[cfg(feature = "ssr")]
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        if let Ok(value) = http::HeaderValue::from_str(&content_security_policy(&nonce)) {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
    session::provide_user();
    view! {
        <Stylesheet id="leptos" href=format!("/pkg/{OUTPUT_NAME}.css")/>
        <Title formatter=|page: String| if page.is_empty() { "Fastish Portal".to_string() } else { format!("{page} · Fastish Portal") }/>
        <Router>
            <Layout>
                <Routes fallback=|| view! { <Title text="Not found"/><NotFoundPage/> }>
                    // Async: each page is sent whole, once its data is loaded, so it works without
                    // JavaScript (no out-of-order streaming that needs a script to assemble it).
                    <Route path=StaticSegment("") view=|| view! { <Title text=""/><HomePage/> } ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("signin") view=|| view! { <Title text="Sign in"/><SignInPage/> } ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("signin"), StaticSegment("mfa")) view=|| view! { <Title text="Enter your code"/><MfaPage/> } ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("signup") view=|| view! { <Title text="Create account"/><SignUpPage/> } ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("synthesizers") view=|| view! { <Title text="Synthesizers"/><SynthesizersPage/> } ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("synthesizers"), StaticSegment("new")) view=|| view! { <Title text="New synthesizer"/><NewSynthesizerPage/> } ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("synthesizers"), ParamSegment("id")) view=|| view! { <Title text="Synthesizer"/><SynthesizerPage/> } ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("synthesizers"), ParamSegment("id"), StaticSegment("history")) view=|| view! { <Title text="Verification history"/><SynthesizerHistoryPage/> } ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("releases") view=|| view! { <Title text="Releases"/><ReleasesPage/> } ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("releases"), StaticSegment("setup")) view=|| view! { <Title text="Organizations and teams"/><ReleaseSetupPage/> } ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("releases"), StaticSegment("new")) view=|| view! { <Title text="New release"/><NewReleasePage/> } ssr=SsrMode::InOrder/>
                    <Route path=(StaticSegment("releases"), ParamSegment("type"), ParamSegment("id")) view=|| view! { <Title text="Release"/><ReleasePage/> } ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("account") view=|| view! { <Title text="Account"/><AccountPage/> } ssr=SsrMode::InOrder/>
                </Routes>
            </Layout>
        </Router>
    }
}
