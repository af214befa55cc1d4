//! Synthesizer pages: the list, a new one (form or import), one synthesizer with Verify
//! Configuration, and its verification history.

pub mod detail;
pub mod form;
pub mod history;
pub mod report;
pub mod verify;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::list_synthesizers;
use crate::contract::{PageData, Synthesizer, SynthesizerFields, SynthesizerListItem};
use crate::session::RequireSignIn;
use form::{FormError, ImportForm, SynthesizerForm};

/// "Verified", "Not valid", "Needs verification", "Not verified", with when.
pub fn state_text(s: &Synthesizer, ago: Option<&str>) -> (String, &'static str) {
    let when = ago.map(|a| format!(" · {a}")).unwrap_or_default();
    if s.needs_verification {
        (
            format!("Needs verification: API key rotated{when}"),
            "warning",
        )
    } else if s.verified {
        (format!("Verified{when}"), "passed")
    } else if s.last_report_valid == Some(false) {
        (format!("Not valid{when}"), "failed")
    } else {
        ("Not verified".into(), "pending")
    }
}

#[component]
pub fn SynthesizersPage() -> impl IntoView {
    view! {
        <h1>"Synthesizers"</h1>
        <RequireSignIn>
            <SynthesizerList/>
        </RequireSignIn>
    }
}

#[component]
fn SynthesizerList() -> impl IntoView {
    let list = Resource::new(|| (), |_| list_synthesizers());
    let query = use_query_map();
    view! {
        {move || query.read().get("deleted").map(|_| view! { <p class="notice" role="status">"The synthesizer was deleted."</p> })}
        <p class="lead">"A synthesizer is one AWS account and region with its CDK bootstrap resources: where Fastish deploys."</p>
        <p><a class="button" href="/synthesizers/new">"New synthesizer"</a></p>
        <Suspense fallback=|| view! { <p class="muted">"Loading your synthesizers…"</p> }>
            {move || list.get().map(|r| match r {
                Ok(PageData::Ready(items)) if items.is_empty() => view! {
                    <div class="empty-state" data-testid="no-synthesizers">
                        <p>"No synthesizers yet."</p>
                        <p class="muted">"Create one from your CDKToolkit stack outputs, then press Verify Configuration."</p>
                    </div>
                }.into_any(),
                Ok(PageData::Ready(items)) => view! { <Table items/> }.into_any(),
                Ok(_) => view! { <p>"Sign in to see your synthesizers."</p> }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Table(items: Vec<SynthesizerListItem>) -> impl IntoView {
    view! {
        <table class="table" data-testid="synthesizer-list">
            <thead><tr><th scope="col">"Name"</th><th scope="col">"Account"</th><th scope="col">"Region"</th><th scope="col">"Verification"</th></tr></thead>
            <tbody>
                {items.into_iter().map(|item| {
                    let s = item.synthesizer;
                    let (text, class) = state_text(&s, item.verified_ago.as_deref());
                    view! {
                        <tr>
                            <td><a href=format!("/synthesizers/{}", s.id)>{s.fields.name.clone()}</a></td>
                            <td><code>{s.fields.account.clone()}</code></td>
                            <td>{s.fields.region.clone()}</td>
                            <td><span class=format!("badge {class}")>{text}</span></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn NewSynthesizerPage() -> impl IntoView {
    view! {
        <h1>"New synthesizer"</h1>
        <RequireSignIn>
            <FormError/>
            <section class="card" aria-labelledby="import-heading">
                <h2 id="import-heading">"Import from your bootstrap"</h2>
                <p>"The quickest way: paste what CDK bootstrap produced, and the portal fills in the form."</p>
                <ImportForm/>
            </section>
            <section class="card" aria-labelledby="manual-heading">
                <h2 id="manual-heading">"Or fill it in"</h2>
                <SynthesizerForm action="/api/subscriber/synthesizer".into() initial=SynthesizerFields::default() submit="Create synthesizer"/>
            </section>
        </RequireSignIn>
    }
}
