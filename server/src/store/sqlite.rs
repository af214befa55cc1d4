//! The embedded SQLite store: one database file under the data directory, WAL journal, foreign
//! keys on, migrations applied when it opens. Calls run on the blocking pool, one connection
//! behind a mutex (SQLite serialises writers anyway).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OptionalExtension};

use super::migrations::MIGRATIONS;
use super::{AuditEntry, Store, StoreError};

pub const FILE_NAME: &str = "portal.sqlite3";

#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens (creating it if needed) `data_dir/portal.sqlite3` and migrates it.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        let path = data_dir.join(FILE_NAME);
        let open_err = |source| StoreError::Open {
            path: path.display().to_string(),
            source,
        };
        std::fs::create_dir_all(data_dir).map_err(|e| {
            open_err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
                Some(e.to_string()),
            ))
        })?;
        let mut conn = Connection::open(&path).map_err(open_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(open_err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_err)?;
        migrate(&mut conn)?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            path,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, rusqlite::Error> + Send + 'static,
    ) -> Result<T, StoreError> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            f(&mut guard).map_err(StoreError::from)
        })
        .await
        .map_err(|_| StoreError::Worker)?
    }
}

/// Applies every migration newer than the file's; a file that is current is left untouched.
fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version INTEGER PRIMARY KEY,
             name TEXT NOT NULL,
             applied_at INTEGER NOT NULL
         );",
    )
    .map_err(|source| StoreError::Migration { version: 0, source })?;
    let current = current_version(conn)?;
    for m in MIGRATIONS.iter().filter(|m| m.version > current) {
        let err = |source| StoreError::Migration {
            version: m.version,
            source,
        };
        let tx = conn.transaction().map_err(err)?;
        tx.execute_batch(m.sql).map_err(err)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            params![m.version, m.name, now()],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        tracing::info!(version = m.version, name = m.name, "store migrated");
    }
    Ok(())
}

fn current_version(conn: &Connection) -> Result<u32, StoreError> {
    conn.query_row("SELECT MAX(version) FROM schema_migrations", [], |row| {
        row.get::<_, Option<u32>>(0)
    })
    .optional()
    .map(|v| v.flatten().unwrap_or(0))
    .map_err(StoreError::from)
}

pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[async_trait::async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> Result<(), StoreError> {
        self.with(|c| c.query_row("SELECT 1", [], |_| Ok(()))).await
    }

    async fn schema_version(&self) -> Result<u32, StoreError> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let guard = conn.lock().unwrap_or_else(|p| p.into_inner());
            current_version(&guard)
        })
        .await
        .map_err(|_| StoreError::Worker)?
    }

    async fn record_audit(&self, e: AuditEntry) -> Result<(), StoreError> {
        self.with(move |c| {
            c.execute(
                "INSERT INTO audit_log (at, actor, action, subject) VALUES (?1, ?2, ?3, ?4)",
                params![e.at, e.actor, e.action, e.subject],
            )
            .map(|_| ())
        })
        .await
    }

    async fn audit_for(&self, subject: &str, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let subject = subject.to_owned();
        self.with(move |c| {
            let mut stmt = c.prepare(
                "SELECT actor, action, subject, at FROM audit_log
                 WHERE subject = ?1 ORDER BY at DESC, id DESC LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![subject, limit], |r| {
                Ok(AuditEntry {
                    actor: r.get(0)?,
                    action: r.get(1)?,
                    subject: r.get(2)?,
                    at: r.get(3)?,
                })
            })?;
            rows.collect()
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn migration_rows(path: &Path) -> Vec<(u32, i64)> {
        let c = Connection::open(path).unwrap();
        let mut s = c
            .prepare("SELECT version, applied_at FROM schema_migrations ORDER BY version")
            .unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    #[tokio::test]
    async fn a_fresh_file_is_migrated_to_the_newest_version() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("nested")).unwrap();
        assert!(store.path().exists());
        let newest = MIGRATIONS.last().unwrap().version;
        assert_eq!(store.schema_version().await.unwrap(), newest);
        store.ping().await.unwrap();
        let c = Connection::open(store.path()).unwrap();
        let mode: String = c
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode.to_lowercase(), "wal");
    }

    #[tokio::test]
    async fn migrating_again_is_a_no_op_and_keeps_data() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).unwrap();
        let entry = AuditEntry {
            actor: "sub-1".into(),
            action: "test.recorded".into(),
            subject: "sub-1".into(),
            at: 42,
        };
        store.record_audit(entry.clone()).await.unwrap();
        let before = migration_rows(store.path());
        drop(store);

        let reopened = SqliteStore::open(dir.path()).unwrap();
        assert_eq!(
            migration_rows(reopened.path()),
            before,
            "no migration ran twice"
        );
        assert_eq!(reopened.audit_for("sub-1", 10).await.unwrap(), vec![entry]);
    }

    #[tokio::test]
    async fn foreign_keys_are_enforced() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).unwrap();
        let on: i64 = store
            .with(|c| c.query_row("PRAGMA foreign_keys", [], |r| r.get(0)))
            .await
            .unwrap();
        assert_eq!(on, 1);
    }
}
