//! Import: what `aws cloudformation describe-stacks --stack-name CDKToolkit` prints (the whole
//! answer, one stack, or just its `Outputs` array), or the Fastish bootstrap output JSON
//! (`{"account","region","cdk":{...}}`), turned into the JSON a synthesizer is parsed from.
//! Anything else is refused with a sentence saying what was expected.

use serde_json::{json, Map, Value};

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("Paste the output of `aws cloudformation describe-stacks --stack-name CDKToolkit` (or its Outputs array), or the Fastish bootstrap output JSON.")]
    UnknownShape,
    #[error("These CDKToolkit outputs have no {0}; paste the whole stack description.")]
    Missing(&'static str),
}

/// The synthesizer JSON (without `name`) that `outputs` describe.
pub fn synthesizer_json(outputs: &Value) -> Result<Value, ImportError> {
    if let Some(obj) = outputs.as_object() {
        if obj.contains_key("cdk") && (obj.contains_key("account") || obj.contains_key("region")) {
            return Ok(fastish(obj));
        }
        if let Some(stacks) = obj.get("Stacks").and_then(Value::as_array) {
            let stack = stacks
                .iter()
                .find(|s| s.get("StackName").and_then(Value::as_str) == Some("CDKToolkit"))
                .or_else(|| stacks.first())
                .ok_or(ImportError::UnknownShape)?;
            return cdk_toolkit(stack);
        }
        if obj.contains_key("Outputs") {
            return cdk_toolkit(outputs);
        }
        return Err(ImportError::UnknownShape);
    }
    if outputs.is_array() {
        return cdk_toolkit(&json!({ "Outputs": outputs }));
    }
    Err(ImportError::UnknownShape)
}

fn fastish(obj: &Map<String, Value>) -> Value {
    let mut out = Map::new();
    for key in ["account", "region", "cdk"] {
        if let Some(v) = obj.get(key) {
            out.insert(key.to_owned(), v.clone());
        }
    }
    Value::Object(out)
}

/// Account and region from a stack ARN: `arn:aws:cloudformation:<region>:<account>:stack/...`.
fn from_stack_id(stack: &Value) -> Option<(String, String)> {
    let id = stack.get("StackId")?.as_str()?;
    let parts: Vec<&str> = id.split(':').collect();
    (parts.len() >= 6 && parts[2] == "cloudformation")
        .then(|| (parts[4].to_owned(), parts[3].to_owned()))
}

/// `cdk-<qualifier>-assets-<account>-<region>`, CDK's default bucket name.
fn from_bucket_name(bucket: &str) -> Option<(String, String, String)> {
    let rest = bucket.strip_prefix("cdk-")?;
    let (qualifier, rest) = rest.split_once("-assets-")?;
    let (account, region) = rest.split_once('-')?;
    (account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()))
        .then(|| (qualifier.to_owned(), account.to_owned(), region.to_owned()))
}

fn cdk_toolkit(stack: &Value) -> Result<Value, ImportError> {
    let outputs = stack
        .get("Outputs")
        .and_then(Value::as_array)
        .ok_or(ImportError::UnknownShape)?;
    let mut by_key = Map::new();
    for o in outputs {
        match (
            o.get("OutputKey").and_then(Value::as_str),
            o.get("OutputValue"),
        ) {
            (Some(k), Some(v)) => {
                by_key.insert(k.to_owned(), v.clone());
            }
            _ => return Err(ImportError::UnknownShape),
        }
    }
    let text = |k: &str| by_key.get(k).and_then(Value::as_str).map(str::to_owned);
    let bucket = text("BucketName").ok_or(ImportError::Missing("BucketName"))?;
    let parsed = from_bucket_name(&bucket);
    let (account, region) = from_stack_id(stack)
        .or_else(|| parsed.as_ref().map(|(_, a, r)| (a.clone(), r.clone())))
        .unwrap_or_default();
    let qualifier = parsed
        .map(|(q, _, _)| q)
        .unwrap_or_else(|| "hnb659fds".to_owned());
    let role = |kind: &str| {
        if account.is_empty() || region.is_empty() {
            String::new()
        } else {
            format!("arn:aws:iam::{account}:role/cdk-{qualifier}-{kind}-role-{account}-{region}")
        }
    };
    let version = by_key
        .get("BootstrapVersion")
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .unwrap_or_default();
    let kms_key = text("FileAssetKeyArn")
        .filter(|k| k.starts_with("arn:"))
        .unwrap_or_default();
    Ok(json!({
        "account": account,
        "region": region,
        "cdk": {
            "version": version,
            "kms": { "key": kms_key },
            "ssm": { "parameter": format!("/cdk-bootstrap/{qualifier}/version") },
            "role": {
                "exec": role("cfn-exec"),
                "deploy": role("deploy"),
                "lookup": role("lookup"),
                "filePublish": role("file-publishing"),
                "imagePublish": role("image-publishing"),
            },
            "storage": {
                "assetsBucket": bucket,
                "imagesRepo": text("ImageRepositoryName").unwrap_or_default(),
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn describe_stacks() -> Value {
        json!({"Stacks": [{
            "StackName": "CDKToolkit",
            "StackId": "arn:aws:cloudformation:eu-central-1:210987654321:stack/CDKToolkit/abc",
            "Outputs": [
                {"OutputKey": "BucketName", "OutputValue": "cdk-q1-assets-210987654321-eu-central-1"},
                {"OutputKey": "BucketDomainName", "OutputValue": "x.s3.amazonaws.com"},
                {"OutputKey": "ImageRepositoryName", "OutputValue": "cdk-q1-container-assets-210987654321-eu-central-1"},
                {"OutputKey": "FileAssetKeyArn", "OutputValue": "AWS_MANAGED_KEY"},
                {"OutputKey": "BootstrapVersion", "OutputValue": "21"}
            ]
        }]})
    }

    #[test]
    fn describe_stacks_fills_account_region_storage_and_cdks_role_names() {
        let v = synthesizer_json(&describe_stacks()).unwrap();
        assert_eq!(v["account"], "210987654321");
        assert_eq!(v["region"], "eu-central-1");
        assert_eq!(v["cdk"]["version"], "21");
        assert_eq!(v["cdk"]["ssm"]["parameter"], "/cdk-bootstrap/q1/version");
        assert_eq!(
            v["cdk"]["role"]["deploy"],
            "arn:aws:iam::210987654321:role/cdk-q1-deploy-role-210987654321-eu-central-1"
        );
        assert_eq!(
            v["cdk"]["kms"]["key"], "",
            "AWS_MANAGED_KEY is not a key ARN"
        );
        let parsed = crate::synthesizer::rules::parse(&{
            let mut v = v;
            v["name"] = json!("prod");
            v
        })
        .unwrap();
        assert_eq!(
            parsed.cdk.storage.images_repo,
            "cdk-q1-container-assets-210987654321-eu-central-1"
        );
    }

    #[test]
    fn the_outputs_array_alone_takes_account_and_region_from_the_bucket_name() {
        let outputs = describe_stacks()["Stacks"][0]["Outputs"].clone();
        let v = synthesizer_json(&outputs).unwrap();
        assert_eq!(v["account"], "210987654321");
        assert_eq!(v["region"], "eu-central-1");
    }

    #[test]
    fn the_fastish_bootstrap_output_is_taken_as_it_is() {
        let input = json!({"account": "210987654321", "region": "us-west-2",
                           "cdk": {"storage": {"assetsBucket": "b-1"}}, "other": 1});
        let v = synthesizer_json(&input).unwrap();
        assert_eq!(
            v,
            json!({"account": "210987654321", "region": "us-west-2",
                             "cdk": {"storage": {"assetsBucket": "b-1"}}})
        );
    }

    #[test]
    fn unknown_or_malformed_input_is_refused() {
        for bad in [
            json!("text"),
            json!(42),
            json!({"hello": "world"}),
            json!({"Stacks": []}),
            json!([{"OutputKey": "BucketName"}]),
            json!([{"nope": 1}]),
        ] {
            assert_eq!(
                synthesizer_json(&bad),
                Err(ImportError::UnknownShape),
                "{bad}"
            );
        }
        assert_eq!(
            synthesizer_json(&json!([{"OutputKey": "BootstrapVersion", "OutputValue": "21"}])),
            Err(ImportError::Missing("BucketName"))
        );
    }
}
