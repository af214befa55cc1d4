//! The input rules of domain.md for organizations, teams and releases: JSON in, the domain's
//! fields or every problem (by JSON path) out. References (team, organization, synthesizer) are
//! resolved against the subscriber's own records by the service, not here.

use serde_json::Value;

use app::contract::{
    DruidSettings, ReleaseType, SesSettings, TeamQuotas, TeamResources, WebappSettings,
};

use crate::synthesizer::rules::{slug, FieldErrors};

fn text(v: &Value, path: &str, errors: &mut FieldErrors) -> String {
    match path.split('.').try_fold(v, |v, k| v.get(k)) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(_) => {
            errors.insert(path.into(), "Must be a string.".into());
            String::new()
        }
    }
}

fn check(errors: &mut FieldErrors, path: &str, result: Result<(), String>) {
    if let Err(e) = result {
        errors.entry(path.to_owned()).or_insert(e);
    }
}

fn required(what: &'static str) -> impl Fn(&str) -> Result<(), String> {
    move |v| {
        if v.is_empty() {
            Err(format!("Required: {what}."))
        } else {
            Ok(())
        }
    }
}

fn object(v: &Value) -> Result<(), FieldErrors> {
    if v.is_object() {
        Ok(())
    } else {
        Err(FieldErrors::from([(
            "$".to_owned(),
            "Send a JSON object.".to_owned(),
        )]))
    }
}

pub struct OrganizationInput {
    pub name: String,
    pub tags: Option<Value>,
}

/// Tags: an object of strings, or a list of strings; at most 50, each at most 256 characters.
fn tags(v: &Value) -> Result<Option<Value>, String> {
    let ok_text = |s: &str| !s.is_empty() && s.len() <= 256;
    match v {
        Value::Null => Ok(None),
        // From a form: "env=prod, owner=web" or "blue, green".
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => {
            let parts: Vec<&str> = s
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect();
            let value = if parts.iter().all(|p| p.contains('=')) {
                Value::Object(
                    parts
                        .iter()
                        .filter_map(|p| p.split_once('='))
                        .map(|(k, v)| (k.trim().to_owned(), Value::String(v.trim().to_owned())))
                        .collect(),
                )
            } else {
                Value::Array(
                    parts
                        .iter()
                        .map(|p| Value::String((*p).to_owned()))
                        .collect(),
                )
            };
            tags(&value)
        }
        Value::Object(m)
            if m.len() <= 50
                && m.iter()
                    .all(|(k, v)| ok_text(k) && v.as_str().is_some_and(|s| s.len() <= 256)) =>
        {
            Ok(Some(v.clone()))
        }
        Value::Array(a) if a.len() <= 50 && a.iter().all(|t| t.as_str().is_some_and(ok_text)) => {
            Ok(Some(v.clone()))
        }
        _ => Err(
            "Tags are an object of strings ({\"env\": \"prod\"}) or a list of strings, at most 50."
                .into(),
        ),
    }
}

pub fn organization(v: &Value) -> Result<OrganizationInput, FieldErrors> {
    object(v)?;
    let mut errors = FieldErrors::new();
    let name = text(v, "name", &mut errors);
    check(&mut errors, "name", slug(&name));
    let tags = match tags(v.get("tags").unwrap_or(&Value::Null)) {
        Ok(t) => t,
        Err(e) => {
            errors.insert("tags".into(), e);
            None
        }
    };
    if errors.is_empty() {
        Ok(OrganizationInput { name, tags })
    } else {
        Err(errors)
    }
}

pub struct TeamInput {
    pub name: String,
    /// The organization's id or name, as given.
    pub organization: String,
    pub quotas: Option<TeamQuotas>,
    pub resources: TeamResources,
}

fn count(v: &Value, path: &str, errors: &mut FieldErrors) -> Option<u32> {
    match path.split('.').try_fold(v, |v, k| v.get(k)) {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) if n.as_u64().is_some_and(|n| n <= 1_000_000) => {
            n.as_u64().map(|n| n as u32)
        }
        Some(Value::String(s)) if s.trim().parse::<u32>().is_ok_and(|n| n <= 1_000_000) => {
            s.trim().parse().ok()
        }
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(_) => {
            errors.insert(
                path.into(),
                "Must be a whole number from 0 to 1000000.".into(),
            );
            None
        }
    }
}

pub fn team(v: &Value) -> Result<TeamInput, FieldErrors> {
    object(v)?;
    let mut errors = FieldErrors::new();
    let name = text(v, "name", &mut errors);
    check(&mut errors, "name", slug(&name));
    let organization = text(v, "organization", &mut errors);
    check(
        &mut errors,
        "organization",
        required("the team's organization")(&organization),
    );
    for (path, what) in [("quotas", "quotas"), ("resources", "resources")] {
        if v.get(path).is_some_and(|q| !q.is_null() && !q.is_object()) {
            errors.insert(path.into(), format!("The {what} are an object."));
        }
    }
    let quotas = TeamQuotas {
        max_lambda_functions: count(v, "quotas.maxLambdaFunctions", &mut errors),
        max_dynamodb_tables: count(v, "quotas.maxDynamoDBTables", &mut errors),
    };
    let quotas = (quotas != TeamQuotas::default()).then_some(quotas);
    let resources = TeamResources {
        lambda_functions: count(v, "resources.lambdaFunctions", &mut errors).unwrap_or(0),
        dynamodb_tables: count(v, "resources.dynamodbTables", &mut errors).unwrap_or(0),
    };
    if errors.is_empty() {
        Ok(TeamInput {
            name,
            organization,
            quotas,
            resources,
        })
    } else {
        Err(errors)
    }
}

/// What a release names, before its references are resolved.
pub struct ReleaseInput {
    pub name: String,
    pub team: String,
    pub organization: String,
    pub synthesizer: String,
    pub environment: String,
    pub version: String,
    pub webapp: Option<WebappSettings>,
    pub druid: Option<DruidSettings>,
}

/// A DNS name: labels of letters, digits and hyphens, at least two labels, at most 253 characters.
pub fn dns_name(v: &str) -> bool {
    let v = v.strip_suffix('.').unwrap_or(v);
    v.len() <= 253
        && v.contains('.')
        && v.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// `Z` + uppercase letters and digits, optionally prefixed `/hostedzone/`.
pub fn hosted_zone_id(v: &str) -> bool {
    let id = v.strip_prefix("/hostedzone/").unwrap_or(v);
    id.len() >= 2
        && id.len() <= 32
        && id.starts_with('Z')
        && id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

fn version(v: &str) -> Result<(), String> {
    if v.is_empty() {
        Err("Required: a version such as v1.".into())
    } else if v.len() <= 63
        && v.starts_with(|c: char| c.is_ascii_alphanumeric())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        Ok(())
    } else {
        Err("Use letters, digits, dots, hyphens and underscores (at most 63), such as v1 or 2024.06.".into())
    }
}

pub fn release(v: &Value, kind: ReleaseType) -> Result<ReleaseInput, FieldErrors> {
    object(v)?;
    let mut errors = FieldErrors::new();
    let name = text(v, "name", &mut errors);
    let team = text(v, "team", &mut errors);
    let organization = text(v, "organization", &mut errors);
    let synthesizer = text(v, "synthesizer", &mut errors);
    let environment = text(v, "environment", &mut errors);
    let version_text = text(v, "version", &mut errors);
    check(&mut errors, "name", slug(&name));
    check(&mut errors, "team", required("the release's team")(&team));
    check(
        &mut errors,
        "organization",
        required("the release's organization")(&organization),
    );
    check(
        &mut errors,
        "synthesizer",
        required("the synthesizer it deploys to")(&synthesizer),
    );
    check(
        &mut errors,
        "environment",
        slug(&environment).map_err(|e| e.replace("production", "production or staging")),
    );
    check(&mut errors, "version", version(&version_text));
    let (mut webapp, mut druid) = (None, None);
    match kind {
        ReleaseType::Webapp => {
            if v.get("webapp").is_none_or(|w| !w.is_object()) {
                errors.insert(
                    "webapp".into(),
                    "Required: {\"domain\", \"ses\": {\"hostedZoneId\", \"email\"}}.".into(),
                );
            }
            let domain = text(v, "webapp.domain", &mut errors).to_ascii_lowercase();
            let zone = text(v, "webapp.ses.hostedZoneId", &mut errors);
            let email = text(v, "webapp.ses.email", &mut errors);
            check(
                &mut errors,
                "webapp.domain",
                if dns_name(&domain) {
                    Ok(())
                } else {
                    Err("A domain name such as app.example.com.".into())
                },
            );
            check(
                &mut errors,
                "webapp.ses.hostedZoneId",
                if hosted_zone_id(&zone) {
                    Ok(())
                } else {
                    Err(
                        "A Route 53 hosted zone id: Z followed by uppercase letters and digits."
                            .into(),
                    )
                },
            );
            check(
                &mut errors,
                "webapp.ses.email",
                if crate::identity::service::valid_email(&email) {
                    Ok(())
                } else {
                    Err("An email address whose domain is a DNS name.".into())
                },
            );
            webapp = Some(WebappSettings {
                domain,
                ses: SesSettings {
                    hosted_zone_id: zone,
                    email,
                },
            });
        }
        ReleaseType::Druid => {
            if v.get("druid").is_none_or(|w| !w.is_object()) {
                errors.insert(
                    "druid".into(),
                    "Required: {\"clusterSize\", \"storageSize\", \"kafkaEnabled\"}.".into(),
                );
            }
            let size = text(v, "druid.clusterSize", &mut errors);
            check(
                &mut errors,
                "druid.clusterSize",
                if ["small", "medium", "large"].contains(&size.as_str()) {
                    Ok(())
                } else {
                    Err("One of small, medium, large.".into())
                },
            );
            let storage = match v.pointer("/druid/storageSize") {
                Some(Value::Number(n)) if n.as_u64().is_some_and(|n| (1..=65_536).contains(&n)) => {
                    n.as_u64().unwrap_or(0) as u32
                }
                Some(Value::String(s))
                    if s.trim()
                        .parse::<u32>()
                        .is_ok_and(|n| (1..=65_536).contains(&n)) =>
                {
                    s.trim().parse().unwrap_or(0)
                }
                _ => {
                    errors.entry("druid.storageSize".into()).or_insert(
                        "The storage size in GB: a whole number from 1 to 65536.".into(),
                    );
                    0
                }
            };
            let kafka = match v.pointer("/druid/kafkaEnabled") {
                None | Some(Value::Null) => false,
                Some(Value::Bool(b)) => *b,
                Some(Value::String(s)) if s == "true" || s == "on" => true,
                Some(Value::String(s)) if s == "false" || s.is_empty() => false,
                Some(_) => {
                    errors.insert("druid.kafkaEnabled".into(), "true or false.".into());
                    false
                }
            };
            druid = Some(DruidSettings {
                cluster_size: size,
                storage_size: storage,
                kafka_enabled: kafka,
            });
        }
    }
    if errors.is_empty() {
        Ok(ReleaseInput {
            name,
            team,
            organization,
            synthesizer,
            environment,
            version: version_text,
            webapp,
            druid,
        })
    } else {
        Err(errors)
    }
}
