//! The embedded SQLite store: one database file under the data directory, WAL journal, foreign
//! keys on, migrations applied when it opens. Calls run on the blocking pool, one connection
//! behind a mutex (SQLite serialises writers anyway).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OptionalExtension};

use super::migrations::MIGRATIONS;
use super::{AuditEntry, Store, StoreError};
use crate::identity::model::{MfaChallenge, Session, Subscriber, SubscriberStatus};
use crate::release::model::{OrganizationRecord, StoredRelease, StoredReleaseReport, TeamRecord};
use crate::synthesizer::model::{StoredReport, SynthesizerRecord, VerificationState};
use app::contract::{CheckResult, ReleaseStatus, ReleaseType, SynthesizerFields};

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

    async fn insert_subscriber(&self, s: Subscriber) -> Result<(), StoreError> {
        let id = s.id.clone();
        self.with(move |c| {
            c.execute(
                "INSERT INTO subscribers (id, email, status, subscription, key_hash, key_generation,
                                          key_created_at, mfa_enabled, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    s.id,
                    s.email,
                    s.status.as_str(),
                    s.subscription,
                    s.key_hash,
                    s.key_generation,
                    s.key_created_at,
                    s.mfa_enabled,
                    s.created_at
                ],
            )
            .map(|_| ())
        })
        .await
        .map_err(|e| conflict_or(e, format!("subscriber {id}")))
    }

    async fn subscriber(&self, id: &str) -> Result<Option<Subscriber>, StoreError> {
        let id = id.to_owned();
        self.with(move |c| {
            c.query_row(
                &format!("{SUBSCRIBER_COLUMNS} WHERE id = ?1"),
                [id],
                subscriber_row,
            )
            .optional()
        })
        .await
    }

    async fn subscriber_by_key_hash(
        &self,
        key_hash: &str,
    ) -> Result<Option<Subscriber>, StoreError> {
        let key_hash = key_hash.to_owned();
        self.with(move |c| {
            c.query_row(
                &format!("{SUBSCRIBER_COLUMNS} WHERE key_hash = ?1"),
                [key_hash],
                subscriber_row,
            )
            .optional()
        })
        .await
    }

    async fn delete_subscriber(&self, id: &str) -> Result<(), StoreError> {
        let id = id.to_owned();
        self.with(move |c| {
            c.execute("DELETE FROM subscribers WHERE id = ?1", [id])
                .map(|_| ())
        })
        .await
    }

    async fn set_subscriber_status(
        &self,
        id: &str,
        status: SubscriberStatus,
    ) -> Result<(), StoreError> {
        let id = id.to_owned();
        self.update_one(
            "UPDATE subscribers SET status = ?2 WHERE id = ?1",
            id,
            status.as_str().to_owned(),
        )
        .await
    }

    async fn set_mfa_enabled(&self, id: &str, enabled: bool) -> Result<(), StoreError> {
        let id = id.to_owned();
        self.update_one(
            "UPDATE subscribers SET mfa_enabled = ?2 WHERE id = ?1",
            id,
            if enabled { "1" } else { "0" }.to_owned(),
        )
        .await
    }

    async fn rotate_key(&self, id: &str, new_hash: &str, at: i64) -> Result<u32, StoreError> {
        let (id, new_hash) = (id.to_owned(), new_hash.to_owned());
        let missing = id.clone();
        self.with(move |c| {
            c.query_row(
                "UPDATE subscribers SET key_hash = ?2, key_generation = key_generation + 1,
                        key_created_at = ?3
                 WHERE id = ?1 RETURNING key_generation",
                params![id, new_hash, at],
                |r| r.get::<_, u32>(0),
            )
            .optional()
        })
        .await?
        .ok_or(StoreError::NotFound(format!("subscriber {missing}")))
    }

    async fn insert_session(&self, s: Session) -> Result<(), StoreError> {
        self.with(move |c| {
            c.execute(
                "INSERT INTO sessions (id_hash, subscriber_id, access_token, created_at, expires_at, reauth_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![s.id_hash, s.subscriber_id, s.access_token, s.created_at, s.expires_at, s.reauth_at],
            )
            .map(|_| ())
        })
        .await
        .map_err(|e| conflict_or(e, "session".into()))
    }

    async fn session(&self, id_hash: &str) -> Result<Option<Session>, StoreError> {
        let id_hash = id_hash.to_owned();
        self.with(move |c| {
            c.query_row(
                "SELECT id_hash, subscriber_id, access_token, created_at, expires_at, reauth_at
                 FROM sessions WHERE id_hash = ?1",
                [id_hash],
                |r| {
                    Ok(Session {
                        id_hash: r.get(0)?,
                        subscriber_id: r.get(1)?,
                        access_token: r.get(2)?,
                        created_at: r.get(3)?,
                        expires_at: r.get(4)?,
                        reauth_at: r.get(5)?,
                    })
                },
            )
            .optional()
        })
        .await
    }

    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        let id_hash = id_hash.to_owned();
        self.with(move |c| {
            c.execute("DELETE FROM sessions WHERE id_hash = ?1", [id_hash])
                .map(|_| ())
        })
        .await
    }

    async fn mark_reauthenticated(&self, id_hash: &str, at: i64) -> Result<(), StoreError> {
        let id_hash = id_hash.to_owned();
        self.update_one(
            "UPDATE sessions SET reauth_at = CAST(?2 AS INTEGER) WHERE id_hash = ?1",
            id_hash,
            at.to_string(),
        )
        .await
    }

    async fn insert_challenge(&self, ch: MfaChallenge) -> Result<(), StoreError> {
        self.with(move |c| {
            c.execute(
                "INSERT INTO mfa_challenges (id_hash, email, cognito_session, expires_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![ch.id_hash, ch.email, ch.cognito_session, ch.expires_at],
            )
            .map(|_| ())
        })
        .await
    }

    async fn take_challenge(&self, id_hash: &str) -> Result<Option<MfaChallenge>, StoreError> {
        let id_hash = id_hash.to_owned();
        self.with(move |c| {
            c.query_row(
                "DELETE FROM mfa_challenges WHERE id_hash = ?1
                 RETURNING id_hash, email, cognito_session, expires_at",
                [id_hash],
                |r| {
                    Ok(MfaChallenge {
                        id_hash: r.get(0)?,
                        email: r.get(1)?,
                        cognito_session: r.get(2)?,
                        expires_at: r.get(3)?,
                    })
                },
            )
            .optional()
        })
        .await
    }

    async fn insert_synthesizer(&self, r: SynthesizerRecord) -> Result<(), StoreError> {
        let fields = serde_json::to_string(&r.fields)?;
        let name = r.fields.name.clone();
        self.with(move |c| {
            c.execute(
                "INSERT INTO synthesizers (id, subscriber_id, name, fields, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    r.id,
                    r.subscriber_id,
                    r.fields.name,
                    fields,
                    r.created_at,
                    r.updated_at
                ],
            )
            .map(|_| ())
        })
        .await
        .map_err(|e| conflict_or(e, format!("synthesizer {name}")))
    }

    async fn synthesizers_of(&self, owner: &str) -> Result<Vec<SynthesizerRecord>, StoreError> {
        let owner = owner.to_owned();
        self.with(move |c| {
            let mut stmt = c.prepare(&format!(
                "{SYNTHESIZER_COLUMNS} WHERE subscriber_id = ?1 ORDER BY name"
            ))?;
            let rows = stmt.query_map([owner], synthesizer_row)?;
            rows.collect()
        })
        .await
    }

    async fn synthesizer(
        &self,
        owner: &str,
        id: &str,
    ) -> Result<Option<SynthesizerRecord>, StoreError> {
        let (owner, id) = (owner.to_owned(), id.to_owned());
        self.with(move |c| {
            c.query_row(
                &format!("{SYNTHESIZER_COLUMNS} WHERE subscriber_id = ?1 AND id = ?2"),
                [owner, id],
                synthesizer_row,
            )
            .optional()
        })
        .await
    }

    async fn update_synthesizer(
        &self,
        owner: &str,
        id: &str,
        fields: SynthesizerFields,
        at: i64,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(&fields)?;
        let (owner, id) = (owner.to_owned(), id.to_owned());
        let missing = id.clone();
        let name = fields.name.clone();
        let changed = self
            .with(move |c| {
                c.execute(
                    "UPDATE synthesizers SET name = ?3, fields = ?4, updated_at = ?5,
                            verified_valid = NULL, verified_at = NULL,
                            verified_key_generation = NULL, verified_key_fingerprint = NULL
                     WHERE subscriber_id = ?1 AND id = ?2",
                    params![owner, id, fields.name, json, at],
                )
            })
            .await
            .map_err(|e| conflict_or(e, format!("synthesizer {name}")))?;
        if changed == 0 {
            return Err(StoreError::NotFound(format!("synthesizer {missing}")));
        }
        Ok(())
    }

    async fn delete_synthesizer(&self, owner: &str, id: &str) -> Result<(), StoreError> {
        let (owner, id) = (owner.to_owned(), id.to_owned());
        let missing = id.clone();
        let changed = self
            .with(move |c| {
                c.execute(
                    "DELETE FROM synthesizers WHERE subscriber_id = ?1 AND id = ?2",
                    [owner, id],
                )
            })
            .await
            .map_err(|e| conflict_or(e, format!("synthesizer {missing}")))?;
        if changed == 0 {
            return Err(StoreError::NotFound(format!("synthesizer {missing}")));
        }
        Ok(())
    }

    async fn record_synthesizer_report(&self, r: StoredReport) -> Result<(), StoreError> {
        let checks = serde_json::to_string(&r.checks)?;
        let missing = r.synthesizer_id.clone();
        let found = self
            .with(move |c| {
                let tx = c.transaction()?;
                let changed = tx.execute(
                    "UPDATE synthesizers SET verified_valid = ?3, verified_at = ?4,
                            verified_key_generation = ?5, verified_key_fingerprint = ?6
                     WHERE subscriber_id = ?1 AND id = ?2",
                    params![r.subscriber_id, r.synthesizer_id, r.valid, r.at, r.key_generation, r.key_fingerprint],
                )?;
                if changed == 0 {
                    return Ok(false);
                }
                tx.execute(
                    "INSERT INTO synthesizer_reports (synthesizer_id, subscriber_id, actor, at, valid,
                                                      checks, key_generation, key_fingerprint)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![r.synthesizer_id, r.subscriber_id, r.actor, r.at, r.valid, checks,
                            r.key_generation, r.key_fingerprint],
                )?;
                tx.commit()?;
                Ok(true)
            })
            .await?;
        if !found {
            return Err(StoreError::NotFound(format!("synthesizer {missing}")));
        }
        Ok(())
    }

    async fn synthesizer_reports(
        &self,
        owner: &str,
        id: &str,
        limit: u32,
    ) -> Result<Vec<StoredReport>, StoreError> {
        let (owner, id) = (owner.to_owned(), id.to_owned());
        self.with(move |c| {
            let mut stmt = c.prepare(
                "SELECT synthesizer_id, subscriber_id, actor, at, valid, checks, key_generation,
                        key_fingerprint
                 FROM synthesizer_reports WHERE subscriber_id = ?1 AND synthesizer_id = ?2
                 ORDER BY at DESC, id DESC LIMIT ?3",
            )?;
            let rows = stmt.query_map(params![owner, id, limit], |r| {
                Ok(StoredReport {
                    synthesizer_id: r.get(0)?,
                    subscriber_id: r.get(1)?,
                    actor: r.get(2)?,
                    at: r.get(3)?,
                    valid: r.get(4)?,
                    checks: json_column::<Vec<CheckResult>>(r, 5)?,
                    key_generation: r.get(6)?,
                    key_fingerprint: r.get(7)?,
                })
            })?;
            rows.collect()
        })
        .await
    }

    async fn insert_organization(&self, o: OrganizationRecord) -> Result<(), StoreError> {
        let tags = o.tags.as_ref().map(serde_json::to_string).transpose()?;
        let name = o.name.clone();
        self.with(move |c| {
            c.execute(
                "INSERT INTO organizations (id, subscriber_id, name, tags, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![o.id, o.subscriber_id, o.name, tags, o.created_at],
            )
            .map(|_| ())
        })
        .await
        .map_err(|e| conflict_or(e, format!("organization {name}")))
    }

    async fn organizations_of(&self, owner: &str) -> Result<Vec<OrganizationRecord>, StoreError> {
        let owner = owner.to_owned();
        self.with(move |c| {
            let mut stmt = c.prepare(
                "SELECT id, subscriber_id, name, tags, created_at FROM organizations
                 WHERE subscriber_id = ?1 ORDER BY name",
            )?;
            let rows = stmt.query_map([owner], |r| {
                let tags: Option<String> = r.get(3)?;
                Ok(OrganizationRecord {
                    id: r.get(0)?,
                    subscriber_id: r.get(1)?,
                    name: r.get(2)?,
                    tags: tags.and_then(|t| serde_json::from_str(&t).ok()),
                    created_at: r.get(4)?,
                })
            })?;
            rows.collect()
        })
        .await
    }

    async fn update_organization(&self, o: OrganizationRecord) -> Result<(), StoreError> {
        let tags = o.tags.as_ref().map(serde_json::to_string).transpose()?;
        let (name, missing) = (o.name.clone(), o.id.clone());
        let changed = self
            .with(move |c| {
                c.execute(
                    "UPDATE organizations SET name = ?3, tags = ?4 WHERE subscriber_id = ?1 AND id = ?2",
                    params![o.subscriber_id, o.id, o.name, tags],
                )
            })
            .await
            .map_err(|e| conflict_or(e, format!("organization {name}")))?;
        found(changed, missing)
    }

    async fn delete_organization(&self, owner: &str, id: &str) -> Result<(), StoreError> {
        self.delete_owned(
            "DELETE FROM organizations WHERE subscriber_id = ?1 AND id = ?2",
            owner,
            id,
        )
        .await
    }

    async fn insert_team(&self, t: TeamRecord) -> Result<(), StoreError> {
        let quotas = t.quotas.as_ref().map(serde_json::to_string).transpose()?;
        let resources = serde_json::to_string(&t.resources)?;
        let name = t.name.clone();
        self.with(move |c| {
            c.execute(
                "INSERT INTO teams (id, subscriber_id, organization_id, name, quotas, resources, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![t.id, t.subscriber_id, t.organization_id, t.name, quotas, resources, t.created_at, t.updated_at],
            )
            .map(|_| ())
        })
        .await
        .map_err(|e| conflict_or(e, format!("team {name}")))
    }

    async fn teams_of(&self, owner: &str) -> Result<Vec<TeamRecord>, StoreError> {
        let owner = owner.to_owned();
        self.with(move |c| {
            let mut stmt = c.prepare(
                "SELECT id, subscriber_id, organization_id, name, quotas, resources, created_at, updated_at
                 FROM teams WHERE subscriber_id = ?1 ORDER BY name",
            )?;
            let rows = stmt.query_map([owner], |r| {
                let quotas: Option<String> = r.get(4)?;
                Ok(TeamRecord {
                    id: r.get(0)?,
                    subscriber_id: r.get(1)?,
                    organization_id: r.get(2)?,
                    name: r.get(3)?,
                    quotas: quotas.and_then(|q| serde_json::from_str(&q).ok()),
                    resources: json_column(r, 5)?,
                    created_at: r.get(6)?,
                    updated_at: r.get(7)?,
                })
            })?;
            rows.collect()
        })
        .await
    }

    async fn update_team(&self, t: TeamRecord) -> Result<(), StoreError> {
        let quotas = t.quotas.as_ref().map(serde_json::to_string).transpose()?;
        let resources = serde_json::to_string(&t.resources)?;
        let (name, missing) = (t.name.clone(), t.id.clone());
        let changed = self
            .with(move |c| {
                c.execute(
                    "UPDATE teams SET organization_id = ?3, name = ?4, quotas = ?5, resources = ?6, updated_at = ?7
                     WHERE subscriber_id = ?1 AND id = ?2",
                    params![t.subscriber_id, t.id, t.organization_id, t.name, quotas, resources, t.updated_at],
                )
            })
            .await
            .map_err(|e| conflict_or(e, format!("team {name}")))?;
        found(changed, missing)
    }

    async fn delete_team(&self, owner: &str, id: &str) -> Result<(), StoreError> {
        self.delete_owned(
            "DELETE FROM teams WHERE subscriber_id = ?1 AND id = ?2",
            owner,
            id,
        )
        .await
    }

    async fn insert_release(&self, r: StoredRelease) -> Result<(), StoreError> {
        let fields = serde_json::to_string(&r.fields)?;
        let name = r.fields.name.clone();
        self.with(move |c| {
            c.execute(
                "INSERT INTO releases (id, subscriber_id, type, name, organization_id, team_id, synthesizer_id,
                                       fields, status, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![r.id, r.subscriber_id, r.release_type.as_str(), r.fields.name, r.fields.organization,
                        r.fields.team, r.fields.synthesizer, fields, r.status.as_str(), r.created_at, r.updated_at],
            )
            .map(|_| ())
        })
        .await
        .map_err(|e| conflict_or(e, format!("release {name}")))
    }

    async fn releases_of(&self, owner: &str) -> Result<Vec<StoredRelease>, StoreError> {
        let owner = owner.to_owned();
        self.with(move |c| {
            let mut stmt = c.prepare(
                "SELECT id, subscriber_id, type, fields, status, created_at, updated_at
                 FROM releases WHERE subscriber_id = ?1 ORDER BY name, type",
            )?;
            let rows = stmt.query_map([owner], |r| {
                let kind: String = r.get(2)?;
                let status: String = r.get(4)?;
                let bad = |i, what: String| {
                    rusqlite::Error::FromSqlConversionFailure(
                        i,
                        rusqlite::types::Type::Text,
                        what.into(),
                    )
                };
                Ok(StoredRelease {
                    id: r.get(0)?,
                    subscriber_id: r.get(1)?,
                    release_type: ReleaseType::parse(&kind)
                        .ok_or_else(|| bad(2, format!("unknown release type {kind:?}")))?,
                    fields: json_column(r, 3)?,
                    status: ReleaseStatus::parse(&status)
                        .ok_or_else(|| bad(4, format!("unknown release status {status:?}")))?,
                    created_at: r.get(5)?,
                    updated_at: r.get(6)?,
                })
            })?;
            rows.collect()
        })
        .await
    }

    async fn update_release(&self, r: StoredRelease) -> Result<(), StoreError> {
        let fields = serde_json::to_string(&r.fields)?;
        let (name, missing) = (r.fields.name.clone(), r.id.clone());
        let changed = self
            .with(move |c| {
                c.execute(
                    "UPDATE releases SET name = ?3, organization_id = ?4, team_id = ?5, synthesizer_id = ?6,
                            fields = ?7, status = ?8, updated_at = ?9
                     WHERE subscriber_id = ?1 AND id = ?2",
                    params![r.subscriber_id, r.id, r.fields.name, r.fields.organization, r.fields.team,
                            r.fields.synthesizer, fields, r.status.as_str(), r.updated_at],
                )
            })
            .await
            .map_err(|e| conflict_or(e, format!("release {name}")))?;
        found(changed, missing)
    }

    async fn set_release_status(
        &self,
        owner: &str,
        id: &str,
        status: ReleaseStatus,
        at: i64,
    ) -> Result<(), StoreError> {
        let (owner, id) = (owner.to_owned(), id.to_owned());
        let missing = id.clone();
        let changed = self
            .with(move |c| {
                c.execute(
                    "UPDATE releases SET status = ?3, updated_at = ?4 WHERE subscriber_id = ?1 AND id = ?2",
                    params![owner, id, status.as_str(), at],
                )
            })
            .await?;
        found(changed, missing)
    }

    async fn delete_release(&self, owner: &str, id: &str) -> Result<(), StoreError> {
        self.delete_owned(
            "DELETE FROM releases WHERE subscriber_id = ?1 AND id = ?2",
            owner,
            id,
        )
        .await
    }

    async fn record_release_report(
        &self,
        r: StoredReleaseReport,
        status: ReleaseStatus,
    ) -> Result<(), StoreError> {
        let checks = serde_json::to_string(&r.checks)?;
        let missing = r.release_id.clone();
        let ok = self
            .with(move |c| {
                let tx = c.transaction()?;
                let changed = tx.execute(
                    "UPDATE releases SET status = ?3 WHERE subscriber_id = ?1 AND id = ?2",
                    params![r.subscriber_id, r.release_id, status.as_str()],
                )?;
                if changed == 0 {
                    return Ok(false);
                }
                tx.execute(
                    "INSERT INTO release_reports (release_id, subscriber_id, actor, at, valid, checks)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![r.release_id, r.subscriber_id, r.actor, r.at, r.valid, checks],
                )?;
                tx.commit()?;
                Ok(true)
            })
            .await?;
        found(usize::from(ok), missing)
    }

    async fn release_reports(
        &self,
        owner: &str,
        id: &str,
        limit: u32,
    ) -> Result<Vec<StoredReleaseReport>, StoreError> {
        let (owner, id) = (owner.to_owned(), id.to_owned());
        self.with(move |c| {
            let mut stmt = c.prepare(
                "SELECT release_id, subscriber_id, actor, at, valid, checks FROM release_reports
                 WHERE subscriber_id = ?1 AND release_id = ?2 ORDER BY at DESC, id DESC LIMIT ?3",
            )?;
            let rows = stmt.query_map(params![owner, id, limit], |r| {
                Ok(StoredReleaseReport {
                    release_id: r.get(0)?,
                    subscriber_id: r.get(1)?,
                    actor: r.get(2)?,
                    at: r.get(3)?,
                    valid: r.get(4)?,
                    checks: json_column(r, 5)?,
                })
            })?;
            rows.collect()
        })
        .await
    }
}

fn found(changed: usize, what: String) -> Result<(), StoreError> {
    if changed == 0 {
        Err(StoreError::NotFound(what))
    } else {
        Ok(())
    }
}

const SYNTHESIZER_COLUMNS: &str = "SELECT id, subscriber_id, fields, created_at, updated_at,
        verified_valid, verified_at, verified_key_generation, verified_key_fingerprint
        FROM synthesizers";

fn json_column<T: serde::de::DeserializeOwned>(
    r: &rusqlite::Row<'_>,
    i: usize,
) -> rusqlite::Result<T> {
    let text: String = r.get(i)?;
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn synthesizer_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SynthesizerRecord> {
    let valid: Option<bool> = r.get(5)?;
    let verification = match valid {
        None => None,
        Some(valid) => Some(VerificationState {
            valid,
            at: r.get(6)?,
            key_generation: r.get(7)?,
            key_fingerprint: r.get(8)?,
        }),
    };
    Ok(SynthesizerRecord {
        id: r.get(0)?,
        subscriber_id: r.get(1)?,
        fields: json_column(r, 2)?,
        created_at: r.get(3)?,
        updated_at: r.get(4)?,
        verification,
    })
}

const SUBSCRIBER_COLUMNS: &str = "SELECT id, email, status, subscription, key_hash, key_generation,
        key_created_at, mfa_enabled, created_at FROM subscribers";

fn subscriber_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Subscriber> {
    let status: String = r.get(2)?;
    Ok(Subscriber {
        id: r.get(0)?,
        email: r.get(1)?,
        status: SubscriberStatus::parse(&status).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                2,
                rusqlite::types::Type::Text,
                format!("unknown subscriber status {status:?}").into(),
            )
        })?,
        subscription: r.get(3)?,
        key_hash: r.get(4)?,
        key_generation: r.get(5)?,
        key_created_at: r.get(6)?,
        mfa_enabled: r.get(7)?,
        created_at: r.get(8)?,
    })
}

/// A UNIQUE/PRIMARY KEY violation is a conflict the caller can explain; anything else is not.
fn conflict_or(e: StoreError, what: String) -> StoreError {
    match &e {
        // ON DELETE RESTRICT reports SQLITE_CONSTRAINT_TRIGGER, other foreign key failures
        // SQLITE_CONSTRAINT_FOREIGNKEY; both say "FOREIGN KEY constraint failed".
        StoreError::Backend(rusqlite::Error::SqliteFailure(f, message))
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY
                || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_TRIGGER
                || message
                    .as_deref()
                    .is_some_and(|m| m.contains("FOREIGN KEY")) =>
        {
            StoreError::InUse(what)
        }
        StoreError::Backend(rusqlite::Error::SqliteFailure(f, _))
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            StoreError::Conflict(what)
        }
        _ => e,
    }
}

impl SqliteStore {
    /// A DELETE of one owned row: `NotFound` when nothing matched, `InUse` when a reference
    /// (a foreign key) keeps it.
    async fn delete_owned(
        &self,
        sql: &'static str,
        owner: &str,
        id: &str,
    ) -> Result<(), StoreError> {
        let (owner, id) = (owner.to_owned(), id.to_owned());
        let missing = id.clone();
        let changed = self
            .with(move |c| c.execute(sql, [owner, id]))
            .await
            .map_err(|e| conflict_or(e, missing.clone()))?;
        found(changed, missing)
    }

    /// Runs an UPDATE of one row by key; `NotFound` when no row matched.
    async fn update_one(
        &self,
        sql: &'static str,
        key: String,
        value: String,
    ) -> Result<(), StoreError> {
        let missing = key.clone();
        let changed = self
            .with(move |c| c.execute(sql, params![key, value]))
            .await?;
        if changed == 0 {
            return Err(StoreError::NotFound(missing));
        }
        Ok(())
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
