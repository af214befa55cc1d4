use leptos::prelude::*;

#[component]
pub fn ReleasesPage() -> impl IntoView {
    view! {
        <h1>"Releases"</h1>
        <div class="empty-state">
            <p>"No releases yet."</p>
            <p class="muted">
                "A release is what will be deployed to a synthesizer. Creating and verifying releases
                is not available in this version of the portal yet."
            </p>
        </div>
    }
}
