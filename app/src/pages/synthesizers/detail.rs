//! One synthesizer: its facts, Verify Configuration with the latest report, the edit form, and
//! delete.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::form::{FormError, SynthesizerForm};
use super::state_text;
use super::verify::{Summary, Target, VerifyPanel};
use crate::api::load_synthesizer;
use crate::contract::{PageData, SynthesizerDetail, SYNTHESIZER_CHECKS};
use crate::pages::not_found::NotFoundPage;
use crate::session::RequireSignIn;

pub fn use_synthesizer_id() -> String {
    use_params_map()
        .get_untracked()
        .get("id")
        .unwrap_or_default()
}

#[component]
pub fn SynthesizerPage() -> impl IntoView {
    view! {
        <RequireSignIn>
            <SynthesizerView/>
        </RequireSignIn>
    }
}

#[component]
fn SynthesizerView() -> impl IntoView {
    let id = use_synthesizer_id();
    let detail = Resource::new(move || id.clone(), load_synthesizer);
    view! {
        <Suspense fallback=|| view! { <h1>"Synthesizer"</h1><p class="muted">"Loading…"</p> }>
            {move || detail.get().map(|r| match r {
                Ok(PageData::Ready(d)) => view! { <Detail d/> }.into_any(),
                Ok(PageData::NotFound) => view! { <NotFoundPage/> }.into_any(),
                Ok(PageData::SignedOut) => view! { <p>"Sign in to see this synthesizer."</p> }.into_any(),
                Err(e) => view! { <h1>"Synthesizer"</h1><p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Detail(d: SynthesizerDetail) -> impl IntoView {
    let s = d.synthesizer.clone();
    let query = use_query_map();
    let fresh = RwSignal::new(None::<Summary>);
    let (stored_text, stored_class) = state_text(&s, d.verified_ago.as_deref());
    let state = move || match fresh.get() {
        Some(r) if r.valid => ("Verified · just now".to_string(), "passed"),
        Some(_) => ("Not valid · just now".to_string(), "failed"),
        None => (stored_text.clone(), stored_class),
    };
    let notice = move || {
        let q = query.read();
        if q.get("imported").is_some() {
            Some("Imported. Check the fields below (add the handshake role ARN if it is empty), then press Verify Configuration.")
        } else if q.get("saved").is_some() {
            Some("Saved. Verify the configuration to check it against your AWS account.")
        } else if q.get("verified").is_some() {
            Some("Verification finished; the report is below.")
        } else {
            None
        }
    };
    let id = s.id.clone();
    let f = s.fields.clone();
    // Live verifications of this page view add to the stored count.
    let stored_reports = d.history.len();
    let live_runs = RwSignal::new(0usize);
    Effect::new(move |_| {
        if fresh.get().is_some() {
            live_runs.update(|n| *n += 1);
        }
    });
    view! {
        <h1>{f.name.clone()}</h1>
        {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <FormError/>
        <dl class="facts">
            <dt>"Account"</dt><dd><code>{f.account.clone()}</code></dd>
            <dt>"Region"</dt><dd>{f.region.clone()}</dd>
            <dt>"Handshake role"</dt><dd><code>{if f.cdk.role.handshake.is_empty() { "not set".to_string() } else { f.cdk.role.handshake.clone() }}</code></dd>
            <dt>"Verification"</dt>
            <dd>{move || { let (t, c) = state(); view! { <span class=format!("badge {c}") data-testid="synthesizer-state">{t}</span> } }}</dd>
            {s.key_fingerprint.clone().map(|k| view! { <dt>"Verified with key"</dt><dd><code>{k}</code></dd> })}
        </dl>
        {s.needs_verification.then(|| view! {
            <p class="error" role="alert">"Your API key was rotated after the last verification. Put the new key in the handshake role's trust policy (Account page), then verify again."</p>
        })}

        <section class="card" aria-labelledby="verify-heading">
            <h2 id="verify-heading">"Verify Configuration"</h2>
            <VerifyPanel
                target=Target::Synthesizer(id.clone())
                checks=&SYNTHESIZER_CHECKS
                label="Verify Configuration"
                latest=d.history.first().map(|r| Summary { valid: r.report.valid, at: r.report.verified_at.clone(), checks: r.report.checks.clone() })
                fresh/>
            <p class="small"><a href=format!("/synthesizers/{id}/history")>{move || format!("All reports ({})", stored_reports + live_runs.get())}</a></p>
        </section>

        <section class="card" aria-labelledby="edit-heading">
            <h2 id="edit-heading">"Configuration"</h2>
            <p class="muted small">"Saving a change clears the verification: verify again afterwards."</p>
            <SynthesizerForm action=format!("/api/subscriber/synthesizer/{id}") initial=f.clone() submit="Save changes"/>
        </section>

        <section class="card danger" aria-labelledby="delete-heading">
            <h2 id="delete-heading">"Delete"</h2>
            <form method="post" action=format!("/api/subscriber/synthesizer/{id}/delete") class="inline-form">
                <input type="checkbox" id="confirm-delete" name="confirm" value="yes" required/>
                <label for="confirm-delete">{format!("Delete {} and its reports", f.name)}</label>
                <button type="submit" class="button secondary">"Delete synthesizer"</button>
            </form>
        </section>
    }
}
