//! One release: its facts and stack name, Verify Before Launch (live), Launch, edit, delete, and
//! its reports.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::form::ReleaseForm;
use super::{org_name, status_badge};
use crate::api::load_release;
use crate::contract::{PageData, ReleaseDetail, ReleaseType, RELEASE_CHECKS};
use crate::pages::not_found::NotFoundPage;
use crate::pages::synthesizers::form::FormError;
use crate::pages::synthesizers::report::{rows_of, CheckRows, Verdict};
use crate::pages::synthesizers::verify::{Summary, Target, VerifyPanel};
use crate::session::RequireSignIn;

#[component]
pub fn ReleasePage() -> impl IntoView {
    view! {
        <RequireSignIn>
            <ReleaseView/>
        </RequireSignIn>
    }
}

#[component]
fn ReleaseView() -> impl IntoView {
    let params = use_params_map().get_untracked();
    let (kind, id) = (
        params.get("type").unwrap_or_default(),
        params.get("id").unwrap_or_default(),
    );
    let detail = Resource::new(
        move || (kind.clone(), id.clone()),
        |(k, i)| load_release(k, i),
    );
    view! {
        <Suspense fallback=|| view! { <h1>"Release"</h1><p class="muted">"Loading…"</p> }>
            {move || detail.get().map(|r| match r {
                Ok(PageData::Ready(d)) => view! { <Detail d/> }.into_any(),
                Ok(PageData::NotFound) => view! { <NotFoundPage/> }.into_any(),
                Ok(PageData::SignedOut) => view! { <p>"Sign in to see this release."</p> }.into_any(),
                Err(e) => view! { <h1>"Release"</h1><p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Detail(d: ReleaseDetail) -> impl IntoView {
    let r = d.release.clone();
    let w = d.workspace.clone();
    let kind: ReleaseType = r.release_type;
    let query = use_query_map();
    let fresh = RwSignal::new(None::<Summary>);
    let (status_text, status_class) = status_badge(&r);
    let team = w
        .teams
        .iter()
        .find(|t| t.id == r.fields.team)
        .map(|t| t.name.clone())
        .unwrap_or_default();
    let synth = w
        .synthesizers
        .iter()
        .find(|s| s.id == r.fields.synthesizer)
        .cloned();
    let notice = move || {
        let q = query.read();
        if q.get("launched").is_some() {
            Some("Launch requested: the deployment pipeline has the release.")
        } else if q.get("saved").is_some() {
            Some("Saved. Verify Before Launch to check the target account.")
        } else if q.get("verified").is_some() {
            Some("Verification finished; the report is below.")
        } else {
            None
        }
    };
    // Launch is offered while the stored report allows it; a live verification decides anew
    // after a reload (the server checks again either way).
    let launchable = r.launchable;
    let live_says = move || fresh.get().map(|s| s.valid);
    let base = format!("/api/subscriber/release/{}/{}", kind.as_str(), r.id);
    view! {
        <h1>{r.fields.name.clone()}</h1>
        {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <FormError/>
        <dl class="facts">
            <dt>"Type"</dt><dd>{kind.as_str()}</dd>
            <dt>"Organization"</dt><dd>{org_name(&w, &r.fields.organization)}</dd>
            <dt>"Team"</dt><dd>{team}</dd>
            <dt>"Synthesizer"</dt><dd>{synth.as_ref().map(|s| view! { <a href=format!("/synthesizers/{}", s.id)>{s.fields.name.clone()}</a> })}</dd>
            <dt>"Environment"</dt><dd>{r.fields.environment.clone()}</dd>
            <dt>"Version"</dt><dd>{r.fields.version.clone()}</dd>
            <dt>"CloudFormation stack"</dt><dd><code data-testid="stack-name">{r.stack_name.clone()}</code></dd>
            <dt>"Status"</dt><dd><span class=format!("badge {status_class}") data-testid="release-status">{status_text}</span></dd>
        </dl>

        <section class="card" aria-labelledby="verify-heading">
            <h2 id="verify-heading">"Verify Before Launch"</h2>
            <VerifyPanel
                target=Target::Release(kind, r.id.clone())
                checks=&RELEASE_CHECKS
                label="Verify Before Launch"
                latest=d.history.first().map(|h| Summary { valid: h.report.valid, at: h.report.verified_at.clone(), checks: h.report.checks.clone() })
                fresh/>
            <form method="post" action=format!("{base}/launch") class="verify-form">
                <button type="submit" class="button" data-testid="launch"
                    disabled=move || !live_says().unwrap_or(launchable)>"Launch"</button>
                <span class="muted small">"Enabled while the latest verification is valid and less than an hour old, and the synthesizer is verified."</span>
            </form>
        </section>

        <section class="card" aria-labelledby="edit-heading">
            <h2 id="edit-heading">"Configuration"</h2>
            <p class="muted small">"Saving a change returns the release to draft: verify it again afterwards."</p>
            <ReleaseForm kind action=base.clone() initial=Some(r.fields.clone()) workspace=w.clone() submit="Save changes"/>
        </section>

        {(!d.history.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="history-heading">
                <h2 id="history-heading">{format!("Reports ({})", d.history.len())}</h2>
                {d.history.iter().map(|h| view! {
                    <details data-testid="history-entry">
                        <summary><Verdict valid=h.report.valid at=h.report.verified_at.clone()/></summary>
                        <p class="muted small">{format!("Run by {}", h.verified_by)}</p>
                        <CheckRows rows=rows_of(&h.report.checks)/>
                    </details>
                }).collect_view()}
            </section>
        })}

        <section class="card danger" aria-labelledby="delete-heading">
            <h2 id="delete-heading">"Delete"</h2>
            <form method="post" action=format!("{base}/delete") class="inline-form">
                <input type="checkbox" id="confirm-delete" name="confirm" value="yes" required/>
                <label for="confirm-delete">{format!("Delete {} and its reports", r.fields.name)}</label>
                <button type="submit" class="button secondary">"Delete release"</button>
            </form>
        </section>
    }
}
