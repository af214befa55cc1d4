//! Types shared by the browser and the server: what crosses the wire, in the JSON shapes of
//! `shared/spec/api.md`. Nothing secret is ever a field of these types.

use serde::{Deserialize, Serialize};

/// `GET /api/platform`: what a subscriber's handshake role must trust, and the public Cognito ids.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlatformInfo {
    pub account: String,
    pub principal: String,
    pub region: String,
    pub cognito: CognitoPublic,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CognitoPublic {
    pub region: String,
    pub user_pool_id: String,
    pub client_id: String,
}

/// `GET /v1/api/subscriber/summary`. Never the key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriberSummary {
    pub subscriber_id: String,
    pub email: String,
    pub subscription: String,
    pub synthesizers: Counts,
    pub releases: ReleaseCounts,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    pub total: u32,
    pub verified: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseCounts {
    pub total: u32,
    pub ready_to_deploy: u32,
}

/// Who is signed in, for the header. Nothing secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionUser {
    pub email: String,
}

/// The account page: the subscriber's identity facts. The key appears only as a fingerprint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountOverview {
    pub email: String,
    pub subscriber_id: String,
    pub subscription: String,
    pub mfa_enabled: bool,
    pub key_fingerprint: String,
    /// RFC 3339.
    pub key_created_at: String,
    /// Seconds left in the reauthentication window (0 when closed).
    pub reauth_seconds_left: i64,
    pub platform_principal: String,
}

// ---- Synthesizers ---------------------------------------------------------------------------

/// What a subscriber configures for a synthesizer (domain.md). Empty strings are "not set".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SynthesizerFields {
    pub name: String,
    pub account: String,
    pub region: String,
    pub cdk: CdkSettings,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CdkSettings {
    /// The bootstrap version the subscriber claims (informational).
    pub version: String,
    pub kms: KmsSettings,
    pub ssm: SsmSettings,
    pub role: RoleSettings,
    pub storage: StorageSettings,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct KmsSettings {
    pub key: String,
    pub alias: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SsmSettings {
    pub parameter: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RoleSettings {
    pub handshake: String,
    pub exec: String,
    pub deploy: String,
    pub lookup: String,
    pub file_publish: String,
    pub image_publish: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct StorageSettings {
    pub assets_bucket: String,
    pub images_repo: String,
}

/// A synthesizer as the API returns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Synthesizer {
    pub id: String,
    #[serde(flatten)]
    pub fields: SynthesizerFields,
    /// The latest report is valid and was made with the subscriber's current API key.
    pub verified: bool,
    /// RFC 3339 time of the latest report, if any.
    pub verified_at: Option<String>,
    /// Whether the latest report passed (true even when a key rotation since then means it must
    /// be verified again).
    pub last_report_valid: Option<bool>,
    /// The fingerprint of the API key the latest report was made with (never the key).
    pub key_fingerprint: Option<String>,
    /// The key was rotated since the latest report: the trust policy needs the new key.
    pub needs_verification: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    Passed,
    Warning,
    Failed,
    Skipped,
}

impl CheckStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Passed => "passed",
            Self::Warning => "warning",
            Self::Failed => "failed",
            Self::Skipped => "skipped",
        }
    }
}

/// One check's outcome: `{check, status, message, details?, action?}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckResult {
    pub check: String,
    pub status: CheckStatus,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
    /// What to run or change; present on every failed or warning check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
}

/// `POST /api/subscriber/synthesizer/{id}/verify`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerificationReport {
    pub synthesizer_id: String,
    pub valid: bool,
    pub checks: Vec<CheckResult>,
    pub verified_at: String,
}

/// A stored report (the history), with who ran it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerificationRecord {
    #[serde(flatten)]
    pub report: VerificationReport,
    pub verified_by: String,
}

/// The live verification stream: one JSON object per line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "camelCase")]
pub enum VerificationEvent {
    /// The checks that will run, in order; all pending.
    Started { checks: Vec<String> },
    /// A check is still running and has something to say (e.g. waiting for IAM to propagate).
    Progress { check: String, message: String },
    /// A check finished.
    Checked { result: CheckResult },
    /// The stored report.
    Finished { report: VerificationReport },
    /// The stored report of a release verification.
    ReleaseFinished { report: ReleaseReport },
    /// The verification could not run (not found, store unavailable...).
    Failed { error: String },
}

/// What a page's loader found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PageData<T> {
    SignedOut,
    NotFound,
    Ready(T),
}

/// A row of the synthesizer list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SynthesizerListItem {
    pub synthesizer: Synthesizer,
    /// "3 minutes ago", computed by the server (so the hydrated page shows the same text).
    pub verified_ago: Option<String>,
}

/// The synthesizer page: the synthesizer and its reports, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SynthesizerDetail {
    pub synthesizer: Synthesizer,
    pub verified_ago: Option<String>,
    pub history: Vec<VerificationRecord>,
}

/// The release pages' data: everything a release form and page refer to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseWorkspace {
    pub organizations: Vec<Organization>,
    pub teams: Vec<Team>,
    pub synthesizers: Vec<Synthesizer>,
    pub releases: Vec<Release>,
}

/// One release's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseDetail {
    pub release: Release,
    pub workspace: ReleaseWorkspace,
    pub history: Vec<ReleaseVerificationRecord>,
}

/// The six synthesizer checks, in the order the report lists them.
pub const SYNTHESIZER_CHECKS: [&str; 6] = [
    "Handshake Role",
    "S3 Assets Bucket",
    "ECR Repository",
    "KMS Key",
    "Deployment Role",
    "CDK Bootstrap Version",
];

// ---- Organizations, teams, releases ---------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    pub id: String,
    pub name: String,
    /// Optional tags: an object of strings (`{"env": "prod"}`), or a list of strings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<serde_json::Value>,
    pub created_at: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamQuotas {
    #[serde(
        rename = "maxLambdaFunctions",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub max_lambda_functions: Option<u32>,
    #[serde(
        rename = "maxDynamoDBTables",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub max_dynamodb_tables: Option<u32>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamResources {
    #[serde(rename = "lambdaFunctions", default)]
    pub lambda_functions: u32,
    #[serde(rename = "dynamodbTables", default)]
    pub dynamodb_tables: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Team {
    pub id: String,
    pub name: String,
    /// The organization's id.
    pub organization: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quotas: Option<TeamQuotas>,
    pub resources: TeamResources,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReleaseType {
    Webapp,
    Druid,
}

impl ReleaseType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Webapp => "webapp",
            Self::Druid => "druid",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "webapp" => Some(Self::Webapp),
            "druid" => Some(Self::Druid),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReleaseStatus {
    Draft,
    Validated,
    Launching,
    Deployed,
    Failed,
}

impl ReleaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Validated => "validated",
            Self::Launching => "launching",
            Self::Deployed => "deployed",
            Self::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Draft,
            Self::Validated,
            Self::Launching,
            Self::Deployed,
            Self::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SesSettings {
    pub hosted_zone_id: String,
    pub email: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebappSettings {
    pub domain: String,
    pub ses: SesSettings,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DruidSettings {
    /// `small` | `medium` | `large`
    pub cluster_size: String,
    /// GB.
    pub storage_size: u32,
    pub kafka_enabled: bool,
}

/// What a subscriber configures for a release.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseFields {
    pub name: String,
    /// Ids of the subscriber's team, organization and synthesizer.
    pub team: String,
    pub organization: String,
    pub synthesizer: String,
    pub environment: String,
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webapp: Option<WebappSettings>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub druid: Option<DruidSettings>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Release {
    pub id: String,
    #[serde(rename = "type")]
    pub release_type: ReleaseType,
    #[serde(flatten)]
    pub fields: ReleaseFields,
    pub status: ReleaseStatus,
    /// The CloudFormation stack the release deploys: `{organization}-{release}-{type}`.
    pub stack_name: String,
    pub verified_at: Option<String>,
    /// The latest report is valid (no check failed).
    pub ready_to_deploy: bool,
    /// The latest report is valid, younger than an hour, and the synthesizer is still verified.
    pub launchable: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// `POST /api/subscriber/release/{type}/{id}/verify`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseReport {
    pub release_id: String,
    pub valid: bool,
    pub checks: Vec<CheckResult>,
    pub verified_at: String,
    pub ready_to_deploy: bool,
}

/// A stored release report, with who ran it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseVerificationRecord {
    #[serde(flatten)]
    pub report: ReleaseReport,
    pub verified_by: String,
}

/// The six release checks, in the order the report lists them.
pub const RELEASE_CHECKS: [&str; 6] = [
    "Synthesizer Verification",
    "Domain Configuration",
    "SES Email Verification",
    "Team Resource Quotas",
    "Stack Name Conflict",
    "AWS Service Quotas",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_synthesizer_serialises_flat_with_camel_case_fields() {
        let mut fields = SynthesizerFields {
            name: "production".into(),
            account: "210987654321".into(),
            region: "us-west-2".into(),
            ..Default::default()
        };
        fields.cdk.role.file_publish = "arn:aws:iam::210987654321:role/f".into();
        fields.cdk.storage.assets_bucket = "bucket".into();
        let s = Synthesizer {
            id: "syn_1".into(),
            fields,
            verified: false,
            verified_at: None,
            last_report_valid: None,
            key_fingerprint: None,
            needs_verification: false,
            created_at: "t".into(),
            updated_at: "t".into(),
        };
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["name"], "production");
        assert_eq!(
            json["cdk"]["role"]["filePublish"],
            "arn:aws:iam::210987654321:role/f"
        );
        assert_eq!(json["cdk"]["storage"]["assetsBucket"], "bucket");
        assert_eq!(json["verifiedAt"], serde_json::Value::Null);
        let back: Synthesizer = serde_json::from_value(json).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn events_are_tagged() {
        let e = VerificationEvent::Progress {
            check: "Handshake Role".into(),
            message: "waiting".into(),
        };
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["event"], "progress");
        assert_eq!(
            serde_json::from_value::<VerificationEvent>(json).unwrap(),
            e
        );
    }

    #[test]
    fn platform_info_uses_the_contract_field_names() {
        let info = PlatformInfo {
            account: "123456789012".into(),
            principal: "arn:aws:iam::123456789012:root".into(),
            region: "us-west-2".into(),
            cognito: CognitoPublic {
                region: "us-west-2".into(),
                user_pool_id: "us-west-2_abc".into(),
                client_id: "client".into(),
            },
        };
        let json = serde_json::to_value(&info).unwrap();
        assert_eq!(json["cognito"]["userPoolId"], "us-west-2_abc");
        assert_eq!(json["cognito"]["clientId"], "client");
        assert_eq!(json["principal"], "arn:aws:iam::123456789012:root");
    }
}
