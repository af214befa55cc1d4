//! The signed-in user. The server resolves it before rendering (from the session cookie, see
//! `server::http::guard::resolve_page_user`) and hands it to the page as a plain value; the page
//! carries it to the browser for hydration (`SharedValue`), so no component waits on it.
//!
//! (An earlier version loaded it as a `Resource` read inside `<Suspense>`; under concurrent
//! server-side renders some responses never completed.)

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use crate::contract::SessionUser;

/// Put in the Leptos context by the server for each page request.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct PageUser(pub Option<SessionUser>);

#[derive(Clone, Debug)]
struct CurrentUser(Option<SessionUser>);

pub fn provide_user() {
    let user = SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        {
            use_context::<PageUser>().and_then(|u| u.0)
        }
        #[cfg(not(feature = "ssr"))]
        {
            None::<SessionUser>
        }
    });
    provide_context(CurrentUser(user.into_inner()));
}

pub fn use_user() -> Option<SessionUser> {
    use_context::<CurrentUser>().and_then(|u| u.0)
}

/// Renders `children` for a signed-in user; sends anyone else to sign-in, with the way back.
#[component]
pub fn RequireSignIn(children: Children) -> impl IntoView {
    if use_user().is_some() {
        return children().into_any();
    }
    let target = format!("/signin?next={}", use_location().pathname.get_untracked());
    // On the server the response itself becomes the redirect (no JavaScript needed); in the
    // browser the router navigates.
    #[cfg(feature = "ssr")]
    {
        leptos_axum::redirect(&target);
        if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
            r.set_status(http::StatusCode::SEE_OTHER);
        }
    }
    view! { <Redirect path=target/> }.into_any()
}
