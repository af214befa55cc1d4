//! Organizations and teams: list, create, edit a team's quotas and resource counts, delete.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::load_release_workspace;
use crate::contract::{PageData, ReleaseWorkspace, Team};
use crate::pages::fields::{SelectField, TextField};
use crate::pages::synthesizers::form::FormError;
use crate::session::RequireSignIn;

#[component]
pub fn ReleaseSetupPage() -> impl IntoView {
    view! {
        <h1>"Organizations and teams"</h1>
        <RequireSignIn>
            <Setup/>
        </RequireSignIn>
    }
}

fn tags_text(tags: &Option<serde_json::Value>) -> String {
    match tags {
        Some(serde_json::Value::Object(m)) => m
            .iter()
            .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
            .collect::<Vec<_>>()
            .join(", "),
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

fn count(v: Option<u32>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}

#[component]
fn Setup() -> impl IntoView {
    let workspace = Resource::new(|| (), |_| load_release_workspace());
    let query = use_query_map();
    view! {
        {move || query.read().get("saved").map(|what| view! { <p class="notice" role="status">{format!("The {what} was saved.")}</p> })}
        <FormError/>
        <p><a href="/releases">"Back to releases"</a></p>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || workspace.get().map(|r| match r {
                Ok(PageData::Ready(w)) => view! { <Lists w/> }.into_any(),
                Ok(_) => view! { <p>"Sign in first."</p> }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Lists(w: ReleaseWorkspace) -> impl IntoView {
    let orgs: Vec<(String, String)> = w
        .organizations
        .iter()
        .map(|o| (o.id.clone(), o.name.clone()))
        .collect();
    view! {
        <section class="card" aria-labelledby="orgs-heading">
            <h2 id="orgs-heading">"Organizations"</h2>
            <ul data-testid="organization-list">
                {w.organizations.iter().map(|o| view! {
                    <li class="inline-form">
                        <strong>{o.name.clone()}</strong>
                        <span class="muted small">{tags_text(&o.tags)}</span>
                        <form method="post" action=format!("/api/subscriber/organization/{}/delete", o.id)>
                            <button type="submit" class="button secondary">{format!("Delete {}", o.name)}</button>
                        </form>
                    </li>
                }).collect_view()}
            </ul>
            <form class="form narrow" method="post" action="/api/subscriber/organization">
                <TextField form="org" path="name" label="Organization name" required=true hint="A slug, e.g. acme-corp."/>
                <TextField form="org" path="tags" label="Tags" hint="Optional: key=value pairs separated by commas."/>
                <button type="submit" class="button">"Create organization"</button>
            </form>
        </section>
        <section class="card" aria-labelledby="teams-heading">
            <h2 id="teams-heading">"Teams"</h2>
            {w.teams.iter().map(|t| view! { <TeamEditor t=t.clone() orgs=orgs.clone()/> }).collect_view()}
            {if orgs.is_empty() {
                view! { <p class="muted">"Create an organization first."</p> }.into_any()
            } else {
                view! {
                    <h3>"New team"</h3>
                    <form class="form narrow" method="post" action="/api/subscriber/team">
                        <TextField form="team" path="name" label="Team name" required=true/>
                        <SelectField form="team" path="organization" label="Organization" options=orgs.clone()/>
                        <TextField form="team" path="quotas.maxLambdaFunctions" label="Quota: Lambda functions" hint="Optional."/>
                        <TextField form="team" path="quotas.maxDynamoDBTables" label="Quota: DynamoDB tables" hint="Optional."/>
                        <TextField form="team" path="resources.lambdaFunctions" label="Lambda functions now" value="0".into()/>
                        <TextField form="team" path="resources.dynamodbTables" label="DynamoDB tables now" value="0".into()/>
                        <button type="submit" class="button">"Create team"</button>
                    </form>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn TeamEditor(t: Team, orgs: Vec<(String, String)>) -> impl IntoView {
    let q = t.quotas.clone().unwrap_or_default();
    let form = t.id.clone();
    view! {
        <details class="team" data-testid="team">
            <summary><strong>{t.name.clone()}</strong>
                <span class="muted small">{format!(" · {} Lambda functions, {} DynamoDB tables", t.resources.lambda_functions, t.resources.dynamodb_tables)}</span>
            </summary>
            <form class="form narrow" method="post" action=format!("/api/subscriber/team/{}", t.id)>
                <input type="hidden" name="name" value=t.name.clone()/>
                <SelectField form=form.clone() path="organization" label="Organization" options=orgs value=t.organization.clone()/>
                <TextField form=form.clone() path="quotas.maxLambdaFunctions" label="Quota: Lambda functions" value=count(q.max_lambda_functions)/>
                <TextField form=form.clone() path="quotas.maxDynamoDBTables" label="Quota: DynamoDB tables" value=count(q.max_dynamodb_tables)/>
                <TextField form=form.clone() path="resources.lambdaFunctions" label="Lambda functions now" value=t.resources.lambda_functions.to_string()/>
                <TextField form=form.clone() path="resources.dynamodbTables" label="DynamoDB tables now" value=t.resources.dynamodb_tables.to_string()/>
                <button type="submit" class="button">{format!("Save {}", t.name)}</button>
            </form>
            <form method="post" action=format!("/api/subscriber/team/{}/delete", t.id)>
                <button type="submit" class="button secondary">{format!("Delete {}", t.name)}</button>
            </form>
        </details>
    }
}
