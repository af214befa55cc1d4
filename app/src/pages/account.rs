use leptos::prelude::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <h1>"Account"</h1>
        <div class="empty-state">
            <p>"Sign in to see your account."</p>
            <a class="button" href="/signin">"Sign in"</a>
        </div>
    }
}
