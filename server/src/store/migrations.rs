//! Schema migrations, applied in order at start, each once, each in its own transaction.
//! Append only: a migration that has shipped is never edited.

pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "audit log",
        sql: "CREATE TABLE audit_log (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  at INTEGER NOT NULL,
                  actor TEXT NOT NULL,
                  action TEXT NOT NULL,
                  subject TEXT NOT NULL
              );
              CREATE INDEX audit_log_subject ON audit_log (subject, at DESC);",
    },
    Migration {
        version: 2,
        name: "identity: subscribers, sessions, MFA challenges",
        sql: "CREATE TABLE subscribers (
                  id TEXT PRIMARY KEY,
                  email TEXT NOT NULL UNIQUE,
                  status TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
                  subscription TEXT NOT NULL,
                  key_hash TEXT NOT NULL UNIQUE,
                  key_generation INTEGER NOT NULL DEFAULT 1,
                  key_created_at INTEGER NOT NULL,
                  mfa_enabled INTEGER NOT NULL DEFAULT 0,
                  created_at INTEGER NOT NULL
              );
              CREATE TABLE sessions (
                  id_hash TEXT PRIMARY KEY,
                  subscriber_id TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
                  access_token TEXT NOT NULL,
                  created_at INTEGER NOT NULL,
                  expires_at INTEGER NOT NULL,
                  reauth_at INTEGER
              );
              CREATE INDEX sessions_subscriber ON sessions (subscriber_id);
              CREATE TABLE mfa_challenges (
                  id_hash TEXT PRIMARY KEY,
                  email TEXT NOT NULL,
                  cognito_session TEXT NOT NULL,
                  expires_at INTEGER NOT NULL
              );",
    },
    Migration {
        version: 3,
        name: "synthesizers and their verification reports",
        sql: "CREATE TABLE synthesizers (
                  id TEXT PRIMARY KEY,
                  subscriber_id TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
                  name TEXT NOT NULL,
                  fields TEXT NOT NULL,
                  created_at INTEGER NOT NULL,
                  updated_at INTEGER NOT NULL,
                  verified_valid INTEGER,
                  verified_at INTEGER,
                  verified_key_generation INTEGER,
                  verified_key_fingerprint TEXT,
                  UNIQUE (subscriber_id, name)
              );
              CREATE TABLE synthesizer_reports (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  synthesizer_id TEXT NOT NULL REFERENCES synthesizers (id) ON DELETE CASCADE,
                  subscriber_id TEXT NOT NULL,
                  actor TEXT NOT NULL,
                  at INTEGER NOT NULL,
                  valid INTEGER NOT NULL,
                  checks TEXT NOT NULL,
                  key_generation INTEGER NOT NULL,
                  key_fingerprint TEXT NOT NULL
              );
              CREATE INDEX synthesizer_reports_by_synthesizer
                  ON synthesizer_reports (synthesizer_id, at DESC);",
    },
    Migration {
        version: 4,
        name: "organizations, teams, releases and their verification reports",
        sql: "CREATE TABLE organizations (
                  id TEXT PRIMARY KEY,
                  subscriber_id TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
                  name TEXT NOT NULL,
                  tags TEXT,
                  created_at INTEGER NOT NULL,
                  UNIQUE (subscriber_id, name)
              );
              CREATE TABLE teams (
                  id TEXT PRIMARY KEY,
                  subscriber_id TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
                  organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
                  name TEXT NOT NULL,
                  quotas TEXT,
                  resources TEXT NOT NULL,
                  created_at INTEGER NOT NULL,
                  updated_at INTEGER NOT NULL,
                  UNIQUE (subscriber_id, organization_id, name)
              );
              CREATE TABLE releases (
                  id TEXT PRIMARY KEY,
                  subscriber_id TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
                  type TEXT NOT NULL CHECK (type IN ('webapp', 'druid')),
                  name TEXT NOT NULL,
                  organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
                  team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE RESTRICT,
                  synthesizer_id TEXT NOT NULL REFERENCES synthesizers (id) ON DELETE RESTRICT,
                  fields TEXT NOT NULL,
                  status TEXT NOT NULL,
                  created_at INTEGER NOT NULL,
                  updated_at INTEGER NOT NULL,
                  UNIQUE (subscriber_id, organization_id, type, name)
              );
              CREATE TABLE release_reports (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  release_id TEXT NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
                  subscriber_id TEXT NOT NULL,
                  actor TEXT NOT NULL,
                  at INTEGER NOT NULL,
                  valid INTEGER NOT NULL,
                  checks TEXT NOT NULL
              );
              CREATE INDEX release_reports_by_release ON release_reports (release_id, at DESC);",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_increase_by_one_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(
                m.version as usize,
                i + 1,
                "migration {:?} out of order",
                m.name
            );
        }
    }
}
