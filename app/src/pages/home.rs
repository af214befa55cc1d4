use leptos::prelude::*;

use crate::contract::PlatformInfo;

/// The landing page: what the portal does, and what a subscriber's handshake role must trust.
#[component]
pub fn HomePage() -> impl IntoView {
    let load = ServerAction::<crate::api::GetPlatform>::new();
    let pending = load.pending();
    let result = load.value();
    view! {
        <h1>"Verify your AWS account before you deploy"</h1>
        <p class="lead">
            "Fastish deploys AWS CDK infrastructure into your own AWS account. Describe where it goes
            (a synthesizer) and what goes there (a release); the portal checks your account for real
            and tells you what is right, what is wrong and how to fix it."
        </p>
        <ol class="steps">
            <li><strong>"Synthesizer"</strong>" — your account, region and CDK bootstrap resources. Press "<em>"Verify Configuration"</em>"."</li>
            <li><strong>"Release"</strong>" — what will be deployed there. Press "<em>"Verify Before Launch"</em>"."</li>
        </ol>
        <section class="card" aria-labelledby="platform-heading">
            <h2 id="platform-heading">"Trusting the Fastish platform"</h2>
            <p>
                "Your handshake role trusts one platform principal and requires your API key as its
                External ID."
            </p>
            <button
                type="button"
                class="button"
                disabled=pending
                on:click=move |_| { load.dispatch(crate::api::GetPlatform {}); }
            >
                {move || if pending.get() { "Loading…" } else { "Show platform details" }}
            </button>
            <div class="platform-details" aria-live="polite">
                {move || result.get().map(|outcome| match outcome {
                    Ok(info) => view! { <PlatformDetails info/> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                })}
            </div>
        </section>
    }
}

#[component]
fn PlatformDetails(info: PlatformInfo) -> impl IntoView {
    view! {
        <dl class="facts" data-testid="platform-details">
            <dt>"Platform account"</dt><dd><code>{info.account}</code></dd>
            <dt>"Principal to trust"</dt><dd><code>{info.principal}</code></dd>
            <dt>"Region"</dt><dd><code>{info.region}</code></dd>
        </dl>
    }
}
