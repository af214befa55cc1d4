use leptos::prelude::*;

use crate::session::RequireSignIn;

#[component]
pub fn ReleasesPage() -> impl IntoView {
    view! {
        <h1>"Releases"</h1>
        <RequireSignIn>
        <div class="empty-state">
            <p>"No releases yet."</p>
            <p class="muted">
                "A release is what will be deployed to a synthesizer. Creating and verifying releases
                is not available in this version of the portal yet."
            </p>
        </div>
        </RequireSignIn>
    }
}
