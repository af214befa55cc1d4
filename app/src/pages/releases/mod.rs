//! Release pages: the list, organizations and teams (setup), a new release, and one release with
//! Verify Before Launch and Launch.

pub mod detail;
pub mod form;
pub mod setup;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::load_release_workspace;
use crate::contract::{PageData, Release, ReleaseStatus, ReleaseWorkspace};
use crate::session::RequireSignIn;

pub fn status_badge(r: &Release) -> (String, &'static str) {
    let class = match r.status {
        ReleaseStatus::Validated | ReleaseStatus::Deployed => "passed",
        ReleaseStatus::Launching => "warning",
        ReleaseStatus::Failed => "failed",
        ReleaseStatus::Draft => "pending",
    };
    (r.status.as_str().to_owned(), class)
}

pub fn org_name(w: &ReleaseWorkspace, id: &str) -> String {
    w.organizations
        .iter()
        .find(|o| o.id == id)
        .map(|o| o.name.clone())
        .unwrap_or_default()
}

#[component]
pub fn ReleasesPage() -> impl IntoView {
    view! {
        <h1>"Releases"</h1>
        <RequireSignIn>
            <ReleaseList/>
        </RequireSignIn>
    }
}

#[component]
fn ReleaseList() -> impl IntoView {
    let workspace = Resource::new(|| (), |_| load_release_workspace());
    let query = use_query_map();
    view! {
        {move || query.read().get("deleted").map(|_| view! { <p class="notice" role="status">"The release was deleted."</p> })}
        <p class="lead">"A release is what Fastish deploys to a synthesizer: a web application or a Druid cluster. Verify Before Launch checks the target account first."</p>
        <p class="inline-form">
            <a class="button" href="/releases/new?type=webapp">"New webapp release"</a>
            <a class="button secondary" href="/releases/new?type=druid">"New druid release"</a>
            <a class="button secondary" href="/releases/setup">"Organizations and teams"</a>
        </p>
        <Suspense fallback=|| view! { <p class="muted">"Loading your releases…"</p> }>
            {move || workspace.get().map(|r| match r {
                Ok(PageData::Ready(w)) if w.releases.is_empty() => view! {
                    <div class="empty-state" data-testid="no-releases">
                        <p>"No releases yet."</p>
                        <p class="muted">"Create an organization and a team first, then a release on a verified synthesizer."</p>
                    </div>
                }.into_any(),
                Ok(PageData::Ready(w)) => view! {
                    <table class="table" data-testid="release-list">
                        <thead><tr><th scope="col">"Name"</th><th scope="col">"Type"</th><th scope="col">"Organization"</th><th scope="col">"Environment"</th><th scope="col">"Status"</th></tr></thead>
                        <tbody>
                            {w.releases.iter().map(|r| {
                                let (text, class) = status_badge(r);
                                view! {
                                    <tr>
                                        <td><a href=format!("/releases/{}/{}", r.release_type.as_str(), r.id)>{r.fields.name.clone()}</a></td>
                                        <td>{r.release_type.as_str()}</td>
                                        <td>{org_name(&w, &r.fields.organization)}</td>
                                        <td>{r.fields.environment.clone()}</td>
                                        <td><span class=format!("badge {class}")>{text}</span></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
                Ok(_) => view! { <p>"Sign in to see your releases."</p> }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Suspense>
    }
}
