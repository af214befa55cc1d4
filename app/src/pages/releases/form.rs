//! The release form (create and edit), a plain HTML form posting to the JSON routes.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::load_release_workspace;
use crate::contract::{PageData, ReleaseFields, ReleaseType, ReleaseWorkspace};
use crate::pages::fields::{SelectField, TextField};
use crate::pages::synthesizers::form::FormError;
use crate::session::RequireSignIn;

#[component]
pub fn ReleaseForm(
    kind: ReleaseType,
    action: String,
    initial: Option<ReleaseFields>,
    workspace: ReleaseWorkspace,
    submit: &'static str,
) -> impl IntoView {
    let f = initial.clone();
    let get = move |pick: fn(&ReleaseFields) -> String| f.as_ref().map(pick).unwrap_or_default();
    let w = &workspace;
    let orgs: Vec<(String, String)> = w
        .organizations
        .iter()
        .map(|o| (o.id.clone(), o.name.clone()))
        .collect();
    let teams: Vec<(String, String)> = w
        .teams
        .iter()
        .map(|t| {
            let org = w
                .organizations
                .iter()
                .find(|o| o.id == t.organization)
                .map(|o| o.name.as_str())
                .unwrap_or("");
            (t.id.clone(), format!("{} ({org})", t.name))
        })
        .collect();
    let synths: Vec<(String, String)> = w
        .synthesizers
        .iter()
        .map(|s| {
            (
                s.id.clone(),
                format!(
                    "{} ({} {}){}",
                    s.fields.name,
                    s.fields.account,
                    s.fields.region,
                    if s.verified { "" } else { " · not verified" }
                ),
            )
        })
        .collect();
    view! {
        <form class="form synth-form" method="post" action=action novalidate>
            <fieldset>
                <legend>"What and where"</legend>
                <TextField path="name" label="Name" required=true hint="Lowercase letters, digits and hyphens, e.g. storefront." value=get(|f| f.name.clone())/>
                <SelectField path="organization" label="Organization" options=orgs value=get(|f| f.organization.clone())/>
                <SelectField path="team" label="Team" options=teams value=get(|f| f.team.clone())/>
                <SelectField path="synthesizer" label="Synthesizer" options=synths value=get(|f| f.synthesizer.clone())/>
                <TextField path="environment" label="Environment" required=true hint="e.g. production or staging." value=get(|f| f.environment.clone())/>
                <TextField path="version" label="Version" required=true hint="e.g. v1." value=get(|f| f.version.clone())/>
            </fieldset>
            {match kind {
                ReleaseType::Webapp => view! {
                    <fieldset>
                        <legend>"Web application"</legend>
                        <TextField path="webapp.domain" label="Domain" required=true hint="e.g. app.example.com." value=get(|f| f.webapp.as_ref().map(|w| w.domain.clone()).unwrap_or_default())/>
                        <TextField path="webapp.ses.hostedZoneId" label="Route 53 hosted zone id" required=true hint="Z followed by letters and digits." value=get(|f| f.webapp.as_ref().map(|w| w.ses.hosted_zone_id.clone()).unwrap_or_default())/>
                        <TextField path="webapp.ses.email" label="Sender email (SES)" required=true value=get(|f| f.webapp.as_ref().map(|w| w.ses.email.clone()).unwrap_or_default())/>
                    </fieldset>
                }.into_any(),
                ReleaseType::Druid => {
                    let kafka = initial.as_ref().and_then(|f| f.druid.as_ref()).is_some_and(|d| d.kafka_enabled);
                    view! {
                        <fieldset>
                            <legend>"Druid cluster"</legend>
                            <SelectField path="druid.clusterSize" label="Cluster size"
                                options=vec![("small".into(), "small".into()), ("medium".into(), "medium".into()), ("large".into(), "large".into())]
                                value=get(|f| f.druid.as_ref().map(|d| d.cluster_size.clone()).unwrap_or_default())/>
                            <TextField path="druid.storageSize" label="Storage size (GB)" required=true value=get(|f| f.druid.as_ref().map(|d| d.storage_size.to_string()).unwrap_or_default())/>
                            <span class="inline-form">
                                <input type="checkbox" id="f-druid-kafkaEnabled" name="druid.kafkaEnabled" value="true" checked=kafka/>
                                <label for="f-druid-kafkaEnabled">"Kafka ingestion"</label>
                            </span>
                        </fieldset>
                    }.into_any()
                }
            }}
            <button type="submit" class="button">{submit}</button>
        </form>
    }
}

#[component]
pub fn NewReleasePage() -> impl IntoView {
    let query = use_query_map();
    let kind = query
        .get_untracked()
        .get("type")
        .and_then(|t| ReleaseType::parse(&t))
        .unwrap_or(ReleaseType::Webapp);
    view! {
        <h1>{format!("New {} release", kind.as_str())}</h1>
        <RequireSignIn>
            <FormError/>
            <NewRelease kind/>
        </RequireSignIn>
    }
}

#[component]
fn NewRelease(kind: ReleaseType) -> impl IntoView {
    let workspace = Resource::new(|| (), |_| load_release_workspace());
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || workspace.get().map(|r| match r {
                Ok(PageData::Ready(w)) if w.teams.is_empty() || w.synthesizers.is_empty() => view! {
                    <div class="empty-state">
                        <p>"A release needs an organization, a team and a synthesizer."</p>
                        <p><a href="/releases/setup">"Create an organization and a team"</a>" · "<a href="/synthesizers/new">"Create a synthesizer"</a></p>
                    </div>
                }.into_any(),
                Ok(PageData::Ready(w)) => view! {
                    <ReleaseForm kind action=format!("/api/subscriber/release/{}", kind.as_str()) initial=None workspace=w submit="Create release"/>
                }.into_any(),
                Ok(_) => view! { <p>"Sign in first."</p> }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Suspense>
    }
}
