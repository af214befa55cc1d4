//! The page frame: header with the product name and sign-in state, and the main navigation.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::session::use_user;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // At phone width the navigation folds behind a button; it is a real toggle only once the
    // page has hydrated (without JavaScript the links are shown, see style/main.css).
    let (menu_open, set_menu_open) = signal(false);
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <a class="brand" href="/">"Fastish Portal"</a>
            <button
                type="button"
                class="menu-toggle"
                aria-controls="site-nav"
                aria-expanded=move || if menu_open.get() { "true" } else { "false" }
                on:click=move |_| set_menu_open.update(|open| *open = !*open)
            >
                "Menu"
            </button>
            <nav id="site-nav" class="site-nav" class:open=menu_open aria-label="Main">
                <A href="/synthesizers">"Synthesizers"</A>
                <A href="/releases">"Releases"</A>
                <A href="/account">"Account"</A>
            </nav>
            <SessionState/>
        </header>
        <main id="main" class="content">{children()}</main>
        <footer class="site-footer">
            <p class="muted">"Fastish verifies your AWS account before anything is deployed to it."</p>
        </footer>
    }
}

/// The header's sign-in state: who is signed in and a sign-out button (a plain form post), or a
/// sign-in link.
#[component]
fn SessionState() -> impl IntoView {
    view! {
        <div class="session-state">
            {match use_user() {
                Some(u) => view! {
                    <span class="muted" data-testid="signed-in-as">{u.email}</span>
                    <form method="post" action="/api/auth/logout">
                        <button type="submit" class="button secondary">"Sign out"</button>
                    </form>
                }.into_any(),
                None => view! {
                    <span class="muted">"Not signed in"</span>
                    <A href="/signin" attr:class="button secondary">"Sign in"</A>
                }.into_any(),
            }}
        </div>
    }
}
