//! The Fastish Portal's UI: the `App` component and its shell, routing, the contract types shared
//! with the server, and the server function declarations. Built twice: with `ssr` into the server,
//! with `hydrate` into the browser's WASM. See ARCHITECTURE.md.

pub mod api;
pub mod contract;
mod layout;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod services;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    StaticSegment,
};

use layout::Layout;
use pages::{
    account::AccountPage, home::HomePage, not_found::NotFoundPage, releases::ReleasesPage,
    sign_in::SignInPage, synthesizers::SynthesizersPage,
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

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href=format!("/pkg/{OUTPUT_NAME}.css")/>
        <Title formatter=|page: String| if page.is_empty() { "Fastish Portal".to_string() } else { format!("{page} · Fastish Portal") }/>
        <Router>
            <Layout>
                <Routes fallback=|| view! { <Title text="Not found"/><NotFoundPage/> }>
                    <Route path=StaticSegment("") view=|| view! { <Title text=""/><HomePage/> }/>
                    <Route path=StaticSegment("signin") view=|| view! { <Title text="Sign in"/><SignInPage/> }/>
                    <Route path=StaticSegment("synthesizers") view=|| view! { <Title text="Synthesizers"/><SynthesizersPage/> }/>
                    <Route path=StaticSegment("releases") view=|| view! { <Title text="Releases"/><ReleasesPage/> }/>
                    <Route path=StaticSegment("account") view=|| view! { <Title text="Account"/><AccountPage/> }/>
                </Routes>
            </Layout>
        </Router>
    }
}
