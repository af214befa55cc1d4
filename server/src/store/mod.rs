//! The portal's store: a trait that speaks the domain's language, with an embedded SQLite
//! implementation as the default. No SQL leaves `sqlite`; a distributed backend (DynamoDB)
//! implements the same trait.

mod migrations;
pub mod sqlite;

use std::sync::Arc;

pub use sqlite::SqliteStore;

use crate::identity::model::{MfaChallenge, Session, Subscriber, SubscriberStatus};
use crate::release::model::{OrganizationRecord, StoredRelease, StoredReleaseReport, TeamRecord};
use crate::synthesizer::model::{StoredReport, SynthesizerRecord};
use app::contract::ReleaseStatus;
use app::contract::SynthesizerFields;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the store could not be opened at {path}: {source}")]
    Open {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("a store migration failed (version {version}): {source}")]
    Migration {
        version: u32,
        #[source]
        source: rusqlite::Error,
    },
    #[error("the store failed: {0}")]
    Backend(#[from] rusqlite::Error),
    #[error("the store's worker stopped")]
    Worker,
    #[error("already exists: {0}")]
    Conflict(String),
    #[error("still referenced: {0}")]
    InUse(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("a stored document could not be read or written: {0}")]
    Document(#[from] serde_json::Error),
}

/// What happened, for the audit log (who, when, what). Never a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub at: i64,
}

#[async_trait::async_trait]
pub trait Store: Send + Sync + 'static {
    /// A cheap round trip, for readiness.
    async fn ping(&self) -> Result<(), StoreError>;
    /// The newest migration applied.
    async fn schema_version(&self) -> Result<u32, StoreError>;
    async fn record_audit(&self, entry: AuditEntry) -> Result<(), StoreError>;
    /// The newest entries about `subject` first.
    async fn audit_for(&self, subject: &str, limit: u32) -> Result<Vec<AuditEntry>, StoreError>;

    // Subscribers. `Conflict` when the id, email or key hash is taken.
    async fn insert_subscriber(&self, subscriber: Subscriber) -> Result<(), StoreError>;
    async fn subscriber(&self, id: &str) -> Result<Option<Subscriber>, StoreError>;
    async fn subscriber_by_key_hash(
        &self,
        key_hash: &str,
    ) -> Result<Option<Subscriber>, StoreError>;
    async fn delete_subscriber(&self, id: &str) -> Result<(), StoreError>;
    async fn set_subscriber_status(
        &self,
        id: &str,
        status: SubscriberStatus,
    ) -> Result<(), StoreError>;
    async fn set_mfa_enabled(&self, id: &str, enabled: bool) -> Result<(), StoreError>;
    /// Replaces the key hash, bumps the generation and returns the new generation.
    async fn rotate_key(&self, id: &str, new_hash: &str, at: i64) -> Result<u32, StoreError>;

    // Sessions and MFA challenges, by the hash of their cookie value.
    async fn insert_session(&self, session: Session) -> Result<(), StoreError>;
    async fn session(&self, id_hash: &str) -> Result<Option<Session>, StoreError>;
    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError>;
    async fn mark_reauthenticated(&self, id_hash: &str, at: i64) -> Result<(), StoreError>;
    async fn insert_challenge(&self, challenge: MfaChallenge) -> Result<(), StoreError>;
    /// Returns the challenge and deletes it: a challenge is answered once.
    async fn take_challenge(&self, id_hash: &str) -> Result<Option<MfaChallenge>, StoreError>;

    // Synthesizers, always scoped by their owner: another subscriber's id is not found.
    // `Conflict` when the owner already has one of that name.
    async fn insert_synthesizer(&self, synthesizer: SynthesizerRecord) -> Result<(), StoreError>;
    async fn synthesizers_of(&self, owner: &str) -> Result<Vec<SynthesizerRecord>, StoreError>;
    async fn synthesizer(
        &self,
        owner: &str,
        id: &str,
    ) -> Result<Option<SynthesizerRecord>, StoreError>;
    /// Replaces the configuration and clears the verification state.
    async fn update_synthesizer(
        &self,
        owner: &str,
        id: &str,
        fields: SynthesizerFields,
        at: i64,
    ) -> Result<(), StoreError>;
    async fn delete_synthesizer(&self, owner: &str, id: &str) -> Result<(), StoreError>;
    /// Stores a report and makes it the synthesizer's verification state, in one transaction.
    async fn record_synthesizer_report(&self, report: StoredReport) -> Result<(), StoreError>;
    /// Newest first.
    async fn synthesizer_reports(
        &self,
        owner: &str,
        id: &str,
        limit: u32,
    ) -> Result<Vec<StoredReport>, StoreError>;

    // Organizations, teams, releases: owner-scoped like synthesizers. `InUse` when a delete
    // would leave a reference dangling (a team of the organization, a release of the team).
    async fn insert_organization(&self, o: OrganizationRecord) -> Result<(), StoreError>;
    async fn organizations_of(&self, owner: &str) -> Result<Vec<OrganizationRecord>, StoreError>;
    async fn update_organization(&self, o: OrganizationRecord) -> Result<(), StoreError>;
    async fn delete_organization(&self, owner: &str, id: &str) -> Result<(), StoreError>;
    async fn insert_team(&self, t: TeamRecord) -> Result<(), StoreError>;
    async fn teams_of(&self, owner: &str) -> Result<Vec<TeamRecord>, StoreError>;
    async fn update_team(&self, t: TeamRecord) -> Result<(), StoreError>;
    async fn delete_team(&self, owner: &str, id: &str) -> Result<(), StoreError>;
    async fn insert_release(&self, r: StoredRelease) -> Result<(), StoreError>;
    async fn releases_of(&self, owner: &str) -> Result<Vec<StoredRelease>, StoreError>;
    /// Replaces the fields and the status.
    async fn update_release(&self, r: StoredRelease) -> Result<(), StoreError>;
    async fn set_release_status(
        &self,
        owner: &str,
        id: &str,
        status: ReleaseStatus,
        at: i64,
    ) -> Result<(), StoreError>;
    async fn delete_release(&self, owner: &str, id: &str) -> Result<(), StoreError>;
    /// Stores a report and sets the release's status, in one transaction.
    async fn record_release_report(
        &self,
        report: StoredReleaseReport,
        status: ReleaseStatus,
    ) -> Result<(), StoreError>;
    /// Newest first.
    async fn release_reports(
        &self,
        owner: &str,
        id: &str,
        limit: u32,
    ) -> Result<Vec<StoredReleaseReport>, StoreError>;
}

pub type SharedStore = Arc<dyn Store>;
