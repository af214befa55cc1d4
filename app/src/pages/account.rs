use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::load_account;
use crate::contract::AccountOverview;
use crate::pages::sign_in::error_message;
use crate::session::RequireSignIn;

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <h1>"Account"</h1>
        <RequireSignIn>
            <AccountDetails/>
        </RequireSignIn>
    }
}

#[component]
fn AccountDetails() -> impl IntoView {
    let overview = Resource::new(|| (), |_| load_account());
    let query = use_query_map();
    let notice = move || {
        let q = query.read();
        if q.get("rotated").is_some() {
            Some("Your API key was rotated. Update the External ID in your handshake role's trust policy, then verify your synthesizers again.")
        } else if q.get("mfa").is_some() {
            Some("Multi-factor authentication is on. Sign-ins and sensitive actions now ask for a code.")
        } else {
            None
        }
    };
    let error = move || query.read().get("error");
    view! {
        {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
        {move || error().map(|code| {
            let text = match code.as_str() {
                "forbidden" => "Confirm your password first: this action needs a sign-in from the last 5 minutes.",
                "credentials" => "The password or code is incorrect.",
                other => error_message(other),
            };
            view! { <p class="error" role="alert">{text}</p> }
        })}
        <Suspense fallback=|| view! { <p class="muted">"Loading your account…"</p> }>
            {move || overview.get().map(|o| match o {
                Ok(Some(o)) => view! { <Overview o/> }.into_any(),
                Ok(None) => view! { <p>"Sign in to see your account."</p> }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Overview(o: AccountOverview) -> impl IntoView {
    let window_open = o.reauth_seconds_left > 0;
    let minutes_left = (o.reauth_seconds_left + 59) / 60;
    let mfa = o.mfa_enabled;
    view! {
        <section class="card" aria-labelledby="identity-heading">
            <h2 id="identity-heading">"Identity"</h2>
            <dl class="facts">
                <dt>"Email"</dt><dd data-testid="account-email">{o.email.clone()}</dd>
                <dt>"Subscriber id"</dt><dd><code>{o.subscriber_id.clone()}</code></dd>
                <dt>"Subscription"</dt><dd>{o.subscription.clone()}</dd>
                <dt>"Multi-factor authentication"</dt>
                <dd data-testid="mfa-state">{if mfa { "On (authenticator app)" } else { "Off" }}</dd>
            </dl>
        </section>

        <section class="card" aria-labelledby="key-heading">
            <h2 id="key-heading">"API key"</h2>
            <p>
                "Your handshake role's trust policy requires this key as its External ID. The portal
                never shows it unless you confirm your password (and code) first."
            </p>
            <dl class="facts">
                <dt>"Fingerprint"</dt><dd><code data-testid="key-fingerprint">{o.key_fingerprint.clone()}</code></dd>
                <dt>"Created"</dt><dd>{o.key_created_at.clone()}</dd>
            </dl>
            {if window_open {
                view! {
                    <p class="notice" role="status" data-testid="reauth-open">
                        {format!("Password confirmed: sensitive actions are open for about {minutes_left} more minute(s).")}
                    </p>
                    <RevealKey/>
                    <form method="post" action="/api/subscriber/apikey/rotate" class="inline-form">
                        <button type="submit" class="button secondary">"Rotate key"</button>
                        <span class="muted small">" The old key stops working at once; update your trust policy afterwards."</span>
                    </form>
                }.into_any()
            } else {
                view! { <ReauthForm mfa/> }.into_any()
            }}
        </section>

        <section class="card" aria-labelledby="trust-heading">
            <h2 id="trust-heading">"Handshake role trust policy"</h2>
            <p>"Attach this trust policy to the handshake role in your AWS account, with your API key as the External ID."</p>
            <pre class="code-block"><code>{trust_policy_template(&o.platform_principal)}</code></pre>
        </section>

        <section class="card" aria-labelledby="mfa-heading">
            <h2 id="mfa-heading">"Multi-factor authentication"</h2>
            {if mfa {
                view! { <p>"Sign-ins and sensitive actions ask for a code from your authenticator app."</p> }.into_any()
            } else {
                view! { <MfaSetup/> }.into_any()
            }}
        </section>
    }
}

fn trust_policy_template(principal: &str) -> String {
    format!(
        r#"{{
  "Version": "2012-10-17",
  "Statement": [{{
    "Effect": "Allow",
    "Principal": {{ "AWS": "{principal}" }},
    "Action": "sts:AssumeRole",
    "Condition": {{ "StringEquals": {{ "sts:ExternalId": "<your API key>" }} }}
  }}]
}}"#
    )
}

#[component]
fn ReauthForm(mfa: bool) -> impl IntoView {
    view! {
        <form class="form narrow" method="post" action="/api/auth/reauth">
            <input type="hidden" name="next" value="/account"/>
            <p>"Confirm your password to reveal or rotate the key."</p>
            <label for="reauth-password">"Password"</label>
            <input id="reauth-password" name="password" type="password" autocomplete="current-password" required/>
            {mfa.then(|| view! {
                <label for="reauth-code">"Authenticator code"</label>
                <input id="reauth-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required/>
            })}
            <button type="submit" class="button">"Confirm password"</button>
        </form>
    }
}

/// Fetches the key from `GET /api/subscriber/apikey` (a `no-store` response) and shows it in the
/// page only; it is never kept anywhere in the browser.
#[component]
fn RevealKey() -> impl IntoView {
    let (key, set_key) = signal(None::<Result<String, String>>);
    let reveal = move |_| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            set_key.set(Some(crate::browser::fetch_api_key().await));
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = set_key;
    };
    view! {
        <div class="reveal">
            <button type="button" class="button" on:click=reveal>"Reveal key"</button>
            <noscript><a href="/api/subscriber/apikey">"Show the key (JSON)"</a></noscript>
            {move || key.get().map(|k| match k {
                Ok(k) => view! { <p><code data-testid="revealed-key">{k}</code></p> }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
            })}
        </div>
    }
}

#[component]
fn MfaSetup() -> impl IntoView {
    // (secret, otpauth URI, QR code SVG)
    let (setup, set_setup) = signal(None::<Result<(String, String, String), String>>);
    let start = move |_| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let setup = crate::browser::start_mfa_setup()
                .await
                .map(|s| (s.secret, s.otpauth_uri, s.qr_svg));
            set_setup.set(Some(setup));
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = set_setup;
    };
    view! {
        <p>"Protect sign-in and key actions with an authenticator app (TOTP)."</p>
        <button type="button" class="button secondary" on:click=start>"Set up MFA"</button>
        <noscript><p class="muted">"Setting up MFA needs JavaScript."</p></noscript>
        {move || setup.get().map(|s| match s {
            Ok((secret, uri, qr)) => view! {
                <div class="mfa-setup">
                    <p>"Scan this code with your authenticator app (or open the link on your phone), then enter the code it shows."</p>
                    <div class="qr" data-testid="mfa-qr" inner_html=qr></div>
                    <p>"Or type the secret: "<code data-testid="mfa-secret">{secret}</code></p>
                    <p><a href=uri.clone() data-testid="mfa-uri">"Open in authenticator app"</a></p>
                    <form class="form narrow" method="post" action="/api/auth/mfa/enable">
                        <label for="mfa-code">"Code"</label>
                        <input id="mfa-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required/>
                        <button type="submit" class="button">"Turn on MFA"</button>
                    </form>
                </div>
            }.into_any(),
            Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
        })}
    }
}
