//! The synthesizer form (create and edit) and the import form: plain HTML forms posting to the
//! JSON routes, so they work with and without JavaScript. A refused post comes back to the page
//! with what was typed and a sentence per field (`?error=invalid&account=...&e.account=...`).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::contract::SynthesizerFields;
use crate::pages::sign_in::error_message;

struct Field {
    path: &'static str,
    label: &'static str,
    hint: &'static str,
    required: bool,
}

const fn field(path: &'static str, label: &'static str, hint: &'static str) -> Field {
    Field {
        path,
        label,
        hint,
        required: false,
    }
}

const fn required(path: &'static str, label: &'static str, hint: &'static str) -> Field {
    Field {
        path,
        label,
        hint,
        required: true,
    }
}

const SECTIONS: &[(&str, &[Field])] = &[
    (
        "Where deployments go",
        &[
            required(
                "name",
                "Name",
                "Lowercase letters, digits and hyphens, e.g. production.",
            ),
            required("account", "AWS account id", "12 digits."),
            required("region", "Region", "e.g. us-west-2."),
        ],
    ),
    (
        "Handshake",
        &[field(
            "cdk.role.handshake",
            "Handshake role ARN",
            "The role Fastish assumes with your API key as the External ID.",
        )],
    ),
    (
        "CDK bootstrap resources",
        &[
            field(
                "cdk.storage.assetsBucket",
                "Assets bucket",
                "CDKToolkit output BucketName.",
            ),
            field(
                "cdk.storage.imagesRepo",
                "Container image repository",
                "CDKToolkit output ImageRepositoryName.",
            ),
            field(
                "cdk.kms.alias",
                "KMS key alias",
                "e.g. alias/fastish-assets.",
            ),
            field(
                "cdk.kms.key",
                "KMS key id",
                "Optional when the alias is set.",
            ),
            field(
                "cdk.ssm.parameter",
                "Bootstrap version parameter",
                "Default /cdk-bootstrap/hnb659fds/version.",
            ),
            field(
                "cdk.version",
                "Bootstrap version",
                "The version you bootstrapped with (informational).",
            ),
        ],
    ),
    (
        "CDK roles",
        &[
            field(
                "cdk.role.deploy",
                "Deployment role ARN",
                "cdk-<qualifier>-deploy-role-<account>-<region>.",
            ),
            field("cdk.role.exec", "CloudFormation execution role ARN", ""),
            field("cdk.role.lookup", "Lookup role ARN", ""),
            field("cdk.role.filePublish", "File publishing role ARN", ""),
            field("cdk.role.imagePublish", "Image publishing role ARN", ""),
        ],
    ),
];

pub fn value_of(f: &SynthesizerFields, path: &str) -> String {
    let c = &f.cdk;
    match path {
        "name" => &f.name,
        "account" => &f.account,
        "region" => &f.region,
        "cdk.version" => &c.version,
        "cdk.kms.key" => &c.kms.key,
        "cdk.kms.alias" => &c.kms.alias,
        "cdk.ssm.parameter" => &c.ssm.parameter,
        "cdk.role.handshake" => &c.role.handshake,
        "cdk.role.exec" => &c.role.exec,
        "cdk.role.deploy" => &c.role.deploy,
        "cdk.role.lookup" => &c.role.lookup,
        "cdk.role.filePublish" => &c.role.file_publish,
        "cdk.role.imagePublish" => &c.role.image_publish,
        "cdk.storage.assetsBucket" => &c.storage.assets_bucket,
        "cdk.storage.imagesRepo" => &c.storage.images_repo,
        _ => "",
    }
    .to_owned()
}

fn input_id(path: &str) -> String {
    format!("f-{}", path.replace('.', "-"))
}

/// The page-level message for a refused post (`?error=`), if any.
#[component]
pub fn FormError() -> impl IntoView {
    let query = use_query_map();
    move || {
        query.read().get("error").map(|code| {
            let text = match code.as_str() {
                "exists" => "You already have a synthesizer with this name. Choose another name.",
                "forbidden" => "Confirm your password first (Account page): deleting needs a sign-in from the last 5 minutes when MFA is on.",
                "invalid" => "Some fields need attention; see the notes next to them.",
                other => error_message(other),
            };
            view! { <p class="error" role="alert" data-testid="form-error">{text}</p> }
        })
    }
}

#[component]
pub fn SynthesizerForm(
    action: String,
    initial: SynthesizerFields,
    submit: &'static str,
) -> impl IntoView {
    let query = use_query_map();
    let q = query.get_untracked();
    // Back from a refused post: show what was typed, not what is stored.
    let returned = q.get("error").is_some() && q.get("import").is_none();
    view! {
        <form class="form synth-form" method="post" action=action novalidate>
            {SECTIONS.iter().map(|(title, fields)| view! {
                <fieldset>
                    <legend>{*title}</legend>
                    {fields.iter().map(|f| {
                        let id = input_id(f.path);
                        let value = if returned { q.get(f.path).unwrap_or_default() } else { value_of(&initial, f.path) };
                        let error = q.get(&format!("e.{}", f.path));
                        let hint_id = format!("{id}-hint");
                        let err_id = format!("{id}-error");
                        let described = if error.is_some() { format!("{hint_id} {err_id}") } else { hint_id.clone() };
                        view! {
                            <label for=id.clone()>{f.label}{f.required.then_some(" (required)")}</label>
                            <input id=id name=f.path value=value aria-describedby=described
                                aria-invalid=if error.is_some() { "true" } else { "false" }
                                autocomplete="off" spellcheck="false"/>
                            {(!f.hint.is_empty()).then(|| view! { <span id=hint_id class="hint muted small">{f.hint}</span> })}
                            {error.map(|e| view! { <span id=err_id class="field-error" data-testid=format!("error-{}", f.path)>{e}</span> })}
                        }
                    }).collect_view()}
                </fieldset>
            }).collect_view()}
            <button type="submit" class="button">{submit}</button>
        </form>
    }
}

#[component]
pub fn ImportForm() -> impl IntoView {
    let query = use_query_map();
    let q = query.get_untracked();
    let from_import = q.get("import").is_some();
    let name = if from_import {
        q.get("name").unwrap_or_default()
    } else {
        String::new()
    };
    let error_for = |path: &str| {
        if from_import {
            q.get(&format!("e.{path}"))
        } else {
            None
        }
    };
    let (name_err, outputs_err, account_err, region_err) = (
        error_for("name"),
        error_for("outputs"),
        error_for("account"),
        error_for("region"),
    );
    view! {
        <form class="form" method="post" action="/api/subscriber/synthesizer/import">
            <input type="hidden" name="import" value="1"/>
            <label for="import-name">"Name (required)"</label>
            <input id="import-name" name="name" value=name autocomplete="off"/>
            {name_err.map(|e| view! { <span class="field-error" data-testid="error-import-name">{e}</span> })}
            <label for="import-outputs">"Stack outputs"</label>
            <textarea id="import-outputs" name="outputs" rows="8" spellcheck="false"
                aria-describedby="import-outputs-hint"></textarea>
            <span id="import-outputs-hint" class="hint muted small">
                "Paste the output of "<code>"aws cloudformation describe-stacks --stack-name CDKToolkit"</code>
                " (or its Outputs array), or the Fastish bootstrap output JSON."
            </span>
            {outputs_err.map(|e| view! { <span class="field-error" data-testid="error-outputs">{e}</span> })}
            <details>
                <summary>"Account and region (when the outputs do not say)"</summary>
                <label for="import-account">"AWS account id"</label>
                <input id="import-account" name="account" autocomplete="off"/>
                {account_err.map(|e| view! { <span class="field-error">{e}</span> })}
                <label for="import-region">"Region"</label>
                <input id="import-region" name="region" autocomplete="off"/>
                {region_err.map(|e| view! { <span class="field-error">{e}</span> })}
            </details>
            <button type="submit" class="button">"Import"</button>
        </form>
    }
}
