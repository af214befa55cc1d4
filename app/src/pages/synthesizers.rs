use leptos::prelude::*;

use crate::session::RequireSignIn;

#[component]
pub fn SynthesizersPage() -> impl IntoView {
    view! {
        <h1>"Synthesizers"</h1>
        <RequireSignIn>
        <div class="empty-state">
            <p>"No synthesizers yet."</p>
            <p class="muted">
                "A synthesizer is one AWS account and region with its CDK bootstrap resources.
                Creating and verifying synthesizers is not available in this version of the portal yet."
            </p>
        </div>
        </RequireSignIn>
    }
}
