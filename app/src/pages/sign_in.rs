use leptos::prelude::*;

/// Sign-in. A plain form post, so it works before (and without) hydration.
#[component]
pub fn SignInPage() -> impl IntoView {
    view! {
        <h1>"Sign in"</h1>
        <form class="form narrow" method="post" action="/auth/login">
            <label for="email">"Email"</label>
            <input id="email" name="email" type="email" autocomplete="username" required/>
            <label for="password">"Password"</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required/>
            <button type="submit" class="button">"Sign in"</button>
        </form>
    }
}
