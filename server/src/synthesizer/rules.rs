//! The input rules of domain.md for a synthesizer, as one parser: a JSON value in (API clients,
//! or a browser form turned into the same shape), `SynthesizerFields` or every problem out, each
//! under the JSON path of its field. Once `parse` has returned fields, they are valid.

use std::collections::BTreeMap;

use serde_json::Value;

use app::contract::SynthesizerFields;

/// The bootstrap version parameter of CDK's default qualifier, used when none is given.
pub const DEFAULT_SSM_PARAMETER: &str = "/cdk-bootstrap/hnb659fds/version";

/// Field path → what is wrong with it.
pub type FieldErrors = BTreeMap<String, String>;

/// AWS's region codes (commercial, GovCloud, China).
const REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-south-1",
    "eu-south-2",
    "eu-north-1",
    "il-central-1",
    "me-south-1",
    "me-central-1",
    "mx-central-1",
    "sa-east-1",
    "us-gov-east-1",
    "us-gov-west-1",
    "cn-north-1",
    "cn-northwest-1",
];

pub fn is_region(code: &str) -> bool {
    REGIONS.contains(&code)
}

/// The ARN partition a region belongs to.
pub fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

struct Reader<'a> {
    root: &'a Value,
    errors: FieldErrors,
}

impl Reader<'_> {
    fn at(&self, path: &str) -> Option<&Value> {
        path.split('.').try_fold(self.root, |v, key| v.get(key))
    }

    /// The trimmed string at `path` ("" when absent or null). Numbers are accepted where
    /// `numbers` says so (a version typed as 21).
    fn text(&mut self, path: &str, numbers: bool) -> String {
        match self.at(path) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.trim().to_owned(),
            Some(Value::Number(n)) if numbers => n.to_string(),
            Some(_) => {
                self.errors
                    .insert(path.to_owned(), "Must be a string.".to_owned());
                String::new()
            }
        }
    }

    fn object(&mut self, path: &str) {
        if let Some(v) = self.at(path) {
            if !v.is_object() && !v.is_null() {
                self.errors
                    .insert(path.to_owned(), "Must be an object.".to_owned());
            }
        }
    }

    fn check(&mut self, path: &str, value: &str, rule: impl FnOnce(&str) -> Result<(), String>) {
        if self.errors.contains_key(path) {
            return;
        }
        if let Err(e) = rule(value) {
            self.errors.insert(path.to_owned(), e);
        }
    }
}

/// Parses and validates a synthesizer. `Err` carries every problem, not only the first.
pub fn parse(input: &Value) -> Result<SynthesizerFields, FieldErrors> {
    let mut r = Reader {
        root: input,
        errors: FieldErrors::new(),
    };
    if !input.is_object() {
        r.errors.insert("$".into(), "Send a JSON object.".into());
        return Err(r.errors);
    }
    for path in ["cdk", "cdk.kms", "cdk.ssm", "cdk.role", "cdk.storage"] {
        r.object(path);
    }
    let mut f = SynthesizerFields {
        name: r.text("name", false),
        account: r.text("account", false),
        region: r.text("region", false),
        ..Default::default()
    };
    f.cdk.version = r.text("cdk.version", true);
    f.cdk.kms.key = r.text("cdk.kms.key", false);
    f.cdk.kms.alias = r.text("cdk.kms.alias", false);
    f.cdk.ssm.parameter = r.text("cdk.ssm.parameter", false);
    f.cdk.role.handshake = r.text("cdk.role.handshake", false);
    f.cdk.role.exec = r.text("cdk.role.exec", false);
    f.cdk.role.deploy = r.text("cdk.role.deploy", false);
    f.cdk.role.lookup = r.text("cdk.role.lookup", false);
    f.cdk.role.file_publish = r.text("cdk.role.filePublish", false);
    f.cdk.role.image_publish = r.text("cdk.role.imagePublish", false);
    f.cdk.storage.assets_bucket = r.text("cdk.storage.assetsBucket", false);
    f.cdk.storage.images_repo = r.text("cdk.storage.imagesRepo", false);
    if f.cdk.ssm.parameter.is_empty() {
        f.cdk.ssm.parameter = DEFAULT_SSM_PARAMETER.to_owned();
    }

    r.check("name", &f.name, slug);
    r.check("account", &f.account, account);
    r.check("region", &f.region, region);
    let (acct, reg) = (f.account.clone(), f.region.clone());
    let acct_ok = account(&acct).is_ok();
    let reg_ok = region(&reg).is_ok();
    r.check("cdk.version", &f.cdk.version, optional(version));
    let roles = [
        ("cdk.role.handshake", f.cdk.role.handshake.clone()),
        ("cdk.role.exec", f.cdk.role.exec.clone()),
        ("cdk.role.deploy", f.cdk.role.deploy.clone()),
        ("cdk.role.lookup", f.cdk.role.lookup.clone()),
        ("cdk.role.filePublish", f.cdk.role.file_publish.clone()),
        ("cdk.role.imagePublish", f.cdk.role.image_publish.clone()),
    ];
    for (path, arn) in &roles {
        r.check(
            path,
            arn,
            optional(|v| role_arn(v, acct_ok.then_some(acct.as_str()))),
        );
    }
    let kms_scope = (
        acct_ok.then_some(acct.as_str()),
        reg_ok.then_some(reg.as_str()),
    );
    r.check(
        "cdk.kms.key",
        &f.cdk.kms.key,
        optional(|v| kms_key(v, kms_scope)),
    );
    r.check(
        "cdk.kms.alias",
        &f.cdk.kms.alias,
        optional(|v| kms_key(v, kms_scope)),
    );
    r.check("cdk.ssm.parameter", &f.cdk.ssm.parameter, ssm_parameter);
    r.check(
        "cdk.storage.assetsBucket",
        &f.cdk.storage.assets_bucket,
        optional(bucket),
    );
    r.check(
        "cdk.storage.imagesRepo",
        &f.cdk.storage.images_repo,
        optional(repository),
    );
    if r.errors.is_empty() {
        Ok(f)
    } else {
        Err(r.errors)
    }
}

fn optional(
    rule: impl FnOnce(&str) -> Result<(), String>,
) -> impl FnOnce(&str) -> Result<(), String> {
    move |v| if v.is_empty() { Ok(()) } else { rule(v) }
}

pub fn slug(v: &str) -> Result<(), String> {
    let ok = (1..=63).contains(&v.len())
        && v.starts_with(|c: char| c.is_ascii_lowercase())
        && v.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if v.is_empty() {
        Err("Required: a name such as production.".into())
    } else if ok {
        Ok(())
    } else {
        Err("Use 1-63 lowercase letters, digits and hyphens, starting with a letter.".into())
    }
}

fn account(v: &str) -> Result<(), String> {
    if v.is_empty() {
        Err("Required: the 12-digit AWS account id.".into())
    } else if v.len() == 12 && v.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err("An AWS account id is exactly 12 digits.".into())
    }
}

fn region(v: &str) -> Result<(), String> {
    if v.is_empty() {
        Err("Required: an AWS region such as us-west-2.".into())
    } else if is_region(v) {
        Ok(())
    } else {
        Err(format!(
            "{v:?} is not an AWS region code (for example us-west-2 or eu-central-1)."
        ))
    }
}

fn version(v: &str) -> Result<(), String> {
    if v.len() <= 4 && v.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err("The bootstrap version is a whole number, such as 21.".into())
    }
}

fn iam_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)
}

/// `arn:<partition>:iam::<account>:role/<path/>name`, in `account` when it is known.
pub fn role_arn(v: &str, account: Option<&str>) -> Result<(), String> {
    let shape = "Use a role ARN: arn:aws:iam::<account>:role/<name>.";
    let parts: Vec<&str> = v.splitn(6, ':').collect();
    let [arn, partition, service, region, acct, resource] = parts[..] else {
        return Err(shape.into());
    };
    if arn != "arn"
        || !matches!(partition, "aws" | "aws-cn" | "aws-us-gov")
        || service != "iam"
        || !region.is_empty()
        || acct.len() != 12
        || !acct.chars().all(|c| c.is_ascii_digit())
    {
        return Err(shape.into());
    }
    let Some(path) = resource.strip_prefix("role/") else {
        return Err(shape.into());
    };
    let segments: Vec<&str> = path.split('/').collect();
    let name = segments.last().copied().unwrap_or("");
    if name.is_empty()
        || name.len() > 64
        || !segments
            .iter()
            .all(|s| !s.is_empty() && s.chars().all(iam_name_char))
    {
        return Err("The role name may use letters, digits and +=,.@_- (at most 64).".into());
    }
    match account {
        Some(expected) if expected != acct => Err(format!(
            "This role is in account {acct}; the synthesizer's roles must be in its account {expected}."
        )),
        _ => Ok(()),
    }
}

fn is_uuid(v: &str) -> bool {
    let groups: Vec<&str> = v.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

fn is_key_id(v: &str) -> bool {
    is_uuid(v)
        || v.strip_prefix("mrk-")
            .is_some_and(|h| h.len() == 32 && h.chars().all(|c| c.is_ascii_hexdigit()))
}

fn is_alias_name(v: &str) -> bool {
    v.strip_prefix("alias/").is_some_and(|n| {
        !n.is_empty()
            && n.len() <= 250
            && !n.starts_with("aws/")
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || "/_-".contains(c))
    })
}

/// `alias/...`, a key id, or a key/alias ARN (in the synthesizer's account and region).
pub fn kms_key(v: &str, (account, region): (Option<&str>, Option<&str>)) -> Result<(), String> {
    if is_alias_name(v) || is_key_id(v) {
        return Ok(());
    }
    let shape = "Use alias/<name>, a key id, or a KMS key or alias ARN.";
    let parts: Vec<&str> = v.splitn(6, ':').collect();
    let [arn, _partition, service, reg, acct, resource] = parts[..] else {
        return Err(shape.into());
    };
    let resource_ok =
        resource.strip_prefix("key/").is_some_and(is_key_id) || is_alias_name(resource);
    if arn != "arn" || service != "kms" || !resource_ok {
        return Err(shape.into());
    }
    if let Some(expected) = account.filter(|a| *a != acct) {
        return Err(format!(
            "This key is in account {acct}, not the synthesizer's {expected}."
        ));
    }
    if let Some(expected) = region.filter(|r| *r != reg) {
        return Err(format!(
            "This key is in {reg}, not the synthesizer's region {expected}."
        ));
    }
    Ok(())
}

fn ssm_parameter(v: &str) -> Result<(), String> {
    if v.starts_with('/')
        && v.len() <= 2048
        && v.len() > 1
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_.-".contains(c))
    {
        Ok(())
    } else {
        Err(
            "An SSM parameter name starts with / (for example /cdk-bootstrap/hnb659fds/version)."
                .into(),
        )
    }
}

/// S3 bucket naming rules.
pub fn bucket(v: &str) -> Result<(), String> {
    let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let is_ip = v.split('.').count() == 4 && v.split('.').all(|p| p.parse::<u8>().is_ok());
    if !(3..=63).contains(&v.len()) {
        return Err("A bucket name has 3-63 characters.".into());
    }
    if !v
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
        || !edge_ok(v.chars().next())
        || !edge_ok(v.chars().last())
        || v.contains("..")
    {
        return Err("A bucket name uses lowercase letters, digits, dots and hyphens, and starts and ends with a letter or digit.".into());
    }
    if is_ip {
        return Err("A bucket name cannot be an IP address.".into());
    }
    Ok(())
}

/// ECR repository naming rules: 2-256 characters, lowercase, digits, `._-/`.
pub fn repository(v: &str) -> Result<(), String> {
    let component_ok = |s: &str| {
        let alnum =
            |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        alnum(s.chars().next())
            && alnum(s.chars().last())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
    };
    if (2..=256).contains(&v.len()) && v.split('/').all(component_ok) {
        Ok(())
    } else {
        Err("A repository name has 2-256 lowercase letters, digits and . _ - /, each part starting and ending with a letter or digit.".into())
    }
}

/// A browser form (`cdk.role.handshake=...`) as the JSON object `parse` reads.
pub fn form_to_json(form: &BTreeMap<String, String>) -> Value {
    let mut root = Value::Object(Default::default());
    for (key, value) in form {
        let mut node = &mut root;
        let parts: Vec<&str> = key.split('.').collect();
        for (i, part) in parts.iter().enumerate() {
            let Value::Object(map) = node else { break };
            if i + 1 == parts.len() {
                map.insert((*part).to_owned(), Value::String(value.clone()));
                break;
            }
            node = map
                .entry((*part).to_owned())
                .or_insert_with(|| Value::Object(Default::default()));
        }
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn valid() -> Value {
        json!({
            "name": "production",
            "account": "210987654321",
            "region": "us-west-2",
            "cdk": {
                "version": 21,
                "kms": {"key": "1234abcd-12ab-34cd-56ef-1234567890ab", "alias": "alias/fastish-assets"},
                "ssm": {"parameter": "/cdk-bootstrap/hnb659fds/version"},
                "role": {
                    "handshake": "arn:aws:iam::210987654321:role/fastish-handshake-role",
                    "deploy": "arn:aws:iam::210987654321:role/cdk/cdk-hnb659fds-deploy-role-210987654321-us-west-2"
                },
                "storage": {"assetsBucket": "cdk-hnb659fds-assets-210987654321-us-west-2",
                            "imagesRepo": "cdk-hnb659fds-container-assets-210987654321-us-west-2"}
            }
        })
    }

    fn with(path: &str, value: Value) -> Value {
        let mut v = valid();
        let mut node = &mut v;
        let parts: Vec<&str> = path.split('.').collect();
        for p in &parts[..parts.len() - 1] {
            node = node.get_mut(*p).unwrap();
        }
        node[parts[parts.len() - 1]] = value;
        v
    }

    #[test]
    fn a_valid_synthesizer_parses_and_the_version_number_becomes_text() {
        let f = parse(&valid()).unwrap();
        assert_eq!(f.cdk.version, "21");
        assert_eq!(f.cdk.role.exec, "");
        assert_eq!(
            f.cdk.storage.assets_bucket,
            "cdk-hnb659fds-assets-210987654321-us-west-2"
        );
    }

    #[test]
    fn the_ssm_parameter_defaults_to_cdks_qualifier() {
        let mut v = valid();
        v["cdk"]["ssm"] = json!({});
        assert_eq!(parse(&v).unwrap().cdk.ssm.parameter, DEFAULT_SSM_PARAMETER);
    }

    #[test]
    fn each_bad_input_names_its_field() {
        let cases: &[(&str, Value)] = &[
            ("name", json!("")),
            ("name", json!("Production")),
            ("name", json!("1st")),
            ("name", json!("a".repeat(64))),
            ("name", json!(7)),
            ("account", json!("12345678901")),
            ("account", json!("12345678901a")),
            ("account", json!(210987654321u64)),
            ("region", json!("us-west-9")),
            ("region", json!("")),
            ("cdk.version", json!("twenty")),
            ("cdk.role.handshake", json!("fastish-handshake-role")),
            (
                "cdk.role.handshake",
                json!("arn:aws:iam::999999999999:role/x"),
            ),
            ("cdk.role.deploy", json!("arn:aws:iam::210987654321:user/x")),
            ("cdk.role.lookup", json!("arn:aws:s3:::210987654321:role/x")),
            (
                "cdk.role.exec",
                json!("arn:aws:iam::210987654321:role/bad name"),
            ),
            ("cdk.kms.alias", json!("fastish-assets")),
            (
                "cdk.kms.key",
                json!(
                    "arn:aws:kms:us-west-2:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                ),
            ),
            (
                "cdk.kms.key",
                json!(
                    "arn:aws:kms:eu-west-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                ),
            ),
            ("cdk.ssm.parameter", json!("cdk-bootstrap/version")),
            ("cdk.storage.assetsBucket", json!("ab")),
            ("cdk.storage.assetsBucket", json!("Upper-Case")),
            ("cdk.storage.assetsBucket", json!("192.168.1.1")),
            ("cdk.storage.assetsBucket", json!("-leading")),
            ("cdk.storage.imagesRepo", json!("Repo")),
            ("cdk.storage.imagesRepo", json!("a")),
            ("cdk.storage.imagesRepo", json!("a//b")),
            ("cdk.role", json!("not an object")),
        ];
        for (path, value) in cases {
            let errors = parse(&with(path, value.clone())).unwrap_err();
            assert!(errors.contains_key(*path), "{path} = {value}: {errors:?}");
            assert_eq!(errors.len(), 1, "{path} = {value}: {errors:?}");
        }
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let errors = parse(&json!({"name": "", "account": "1", "region": "mars-1"})).unwrap_err();
        assert_eq!(
            errors.keys().collect::<Vec<_>>(),
            vec!["account", "name", "region"]
        );
    }

    #[test]
    fn accepted_forms() {
        for arn in [
            "arn:aws:iam::210987654321:role/x",
            "arn:aws:iam::210987654321:role/a/b/c+=,.@_-",
            "arn:aws-us-gov:iam::210987654321:role/x",
        ] {
            role_arn(arn, Some("210987654321")).unwrap();
        }
        let scope = (Some("210987654321"), Some("us-west-2"));
        for key in [
            "alias/fastish-assets",
            "1234abcd-12ab-34cd-56ef-1234567890ab",
            "mrk-1234abcd12ab34cd56ef1234567890ab",
            "arn:aws:kms:us-west-2:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:kms:us-west-2:210987654321:alias/fastish-assets",
        ] {
            kms_key(key, scope).unwrap();
        }
        for b in [
            "abc",
            "my.bucket-1",
            "cdk-hnb659fds-assets-210987654321-us-west-2",
        ] {
            bucket(b).unwrap();
        }
        for r in ["ab", "team/app_1", "a.b-c/d"] {
            repository(r).unwrap();
        }
        assert!(is_region("us-gov-west-1") && is_region("eu-central-1"));
    }

    #[test]
    fn a_form_becomes_nested_json() {
        let mut form = BTreeMap::new();
        form.insert("name".to_owned(), "prod".to_owned());
        form.insert("cdk.role.handshake".to_owned(), "arn".to_owned());
        form.insert("cdk.storage.assetsBucket".to_owned(), "b".to_owned());
        assert_eq!(
            form_to_json(&form),
            json!({"name": "prod", "cdk": {"role": {"handshake": "arn"}, "storage": {"assetsBucket": "b"}}})
        );
    }
}
