//! The portal's store: a trait that speaks the domain's language, with an embedded SQLite
//! implementation as the default. No SQL leaves `sqlite`; a distributed backend (DynamoDB)
//! implements the same trait.

mod migrations;
pub mod sqlite;

use std::sync::Arc;

pub use sqlite::SqliteStore;

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
}

pub type SharedStore = Arc<dyn Store>;
