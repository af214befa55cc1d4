//! The signed-in user, loaded once per page load and shared by the header and guarded pages.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use crate::api::current_user;
use crate::contract::SessionUser;

pub type UserResource = Resource<Result<Option<SessionUser>, ServerFnError>>;

pub fn provide_user() {
    let user: UserResource = Resource::new(|| (), |_| current_user());
    provide_context(user);
}

pub fn use_user() -> UserResource {
    expect_context::<UserResource>()
}

/// Renders `children` for a signed-in user; sends anyone else to sign-in, with the way back.
#[component]
pub fn RequireSignIn(children: ChildrenFn) -> impl IntoView {
    let user = use_user();
    let location = use_location();
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || {
                let children = children.clone();
                user.get().map(move |u| match u {
                    Ok(Some(_)) => children().into_any(),
                    Ok(None) => {
                        let target = format!("/signin?next={}", location.pathname.get_untracked());
                        // On the server the response itself becomes the redirect (no JavaScript
                        // needed); in the browser the router navigates.
                        #[cfg(feature = "ssr")]
                        {
                            leptos_axum::redirect(&target);
                            if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
                                r.set_status(http::StatusCode::SEE_OTHER);
                            }
                        }
                        view! { <Redirect path=target/> }.into_any()
                    }
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                })
            }}
        </Suspense>
    }
}
