use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The message for an `?error=` code the auth routes redirect with.
pub fn error_message(code: &str) -> &'static str {
    match code {
        "credentials" => "The email or password is incorrect.",
        "rate_limited" => "Too many attempts. Wait a few minutes, then try again.",
        "invalid" => "Check the highlighted details and try again.",
        "expired" => "The sign-in took too long. Sign in again.",
        "exists" => "An account with this email already exists. Sign in instead.",
        "forbidden" => "This request was refused. Reload the page and try again.",
        _ => "The sign-in service is unavailable right now. Try again in a minute.",
    }
}

/// Where to go after signing in: `?next=`, else the account page (the server accepts only
/// local paths).
fn next_page(query: &leptos_router::params::ParamsMap) -> String {
    query.get("next").unwrap_or_else(|| "/account".into())
}

/// Sign-in: a plain form post, so it works before (and without) hydration.
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let error = move || query.read().get("error");
    let next = move || next_page(&query.read());
    let notice = move || {
        let q = query.read();
        if q.get("signed_up").is_some() {
            Some("Your account is ready. Sign in to continue.")
        } else if q.get("signed_out").is_some() {
            Some("You are signed out.")
        } else {
            None
        }
    };
    view! {
        <h1>"Sign in"</h1>
        {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
        {move || error().map(|code| view! { <p class="error" role="alert">{error_message(&code)}</p> })}
        <form class="form narrow" method="post" action="/api/auth/login">
            <input type="hidden" name="next" value=next/>
            <label for="email">"Email"</label>
            <input id="email" name="email" type="email" autocomplete="username" required/>
            <label for="password">"Password"</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required/>
            <button type="submit" class="button">"Sign in"</button>
        </form>
        <p>"New to Fastish? "<a href="/signup">"Create an account"</a>"."</p>
    }
}

/// The second sign-in step when TOTP MFA is enrolled.
#[component]
pub fn MfaPage() -> impl IntoView {
    let query = use_query_map();
    let error = move || query.read().get("error");
    let next = move || next_page(&query.read());
    view! {
        <h1>"Enter your code"</h1>
        <p>"Open your authenticator app and enter the 6-digit code for Fastish Portal."</p>
        {move || error().map(|code| {
            let text = if code == "credentials" { "That code is not valid. Enter the current code from your authenticator app." } else { error_message(&code) };
            view! { <p class="error" role="alert">{text}</p> }
        })}
        <form class="form narrow" method="post" action="/api/auth/mfa">
            <input type="hidden" name="next" value=next/>
            <label for="code">"Code"</label>
            <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required/>
            <button type="submit" class="button">"Verify"</button>
        </form>
    }
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let query = use_query_map();
    let error = move || query.read().get("error");
    view! {
        <h1>"Create your Fastish account"</h1>
        <p class="lead">
            "Your account comes with an API key. Your AWS handshake role will require it as its
            External ID; the portal keeps it server-side and shows it only after you confirm your password."
        </p>
        {move || error().map(|code| {
            let text = if code == "invalid" {
                "Check the email address, and use a password of at least 12 characters with upper- and lowercase letters, a number and a symbol."
            } else {
                error_message(&code)
            };
            view! { <p class="error" role="alert">{text}</p> }
        })}
        <form class="form narrow" method="post" action="/api/auth/signup">
            <label for="email">"Email"</label>
            <input id="email" name="email" type="email" autocomplete="username" required/>
            <label for="password">"Password"</label>
            <input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required aria-describedby="password-help"/>
            <p id="password-help" class="muted small">"At least 12 characters, with upper- and lowercase letters, a number and a symbol."</p>
            <button type="submit" class="button">"Create account"</button>
        </form>
        <p>"Already have an account? "<a href="/signin">"Sign in"</a>"."</p>
    }
}
