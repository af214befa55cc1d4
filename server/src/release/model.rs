//! Organizations, teams and releases as the store keeps them.

use app::contract::{
    CheckResult, ReleaseFields, ReleaseStatus, ReleaseType, TeamQuotas, TeamResources,
};
use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
pub struct OrganizationRecord {
    pub id: String,
    pub subscriber_id: String,
    pub name: String,
    pub tags: Option<Value>,
    pub created_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamRecord {
    pub id: String,
    pub subscriber_id: String,
    pub organization_id: String,
    pub name: String,
    pub quotas: Option<TeamQuotas>,
    pub resources: TeamResources,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRelease {
    pub id: String,
    pub subscriber_id: String,
    pub release_type: ReleaseType,
    /// `team`, `organization` and `synthesizer` hold ids.
    pub fields: ReleaseFields,
    pub status: ReleaseStatus,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StoredReleaseReport {
    pub release_id: String,
    pub subscriber_id: String,
    pub actor: String,
    pub at: i64,
    pub valid: bool,
    pub checks: Vec<CheckResult>,
}
