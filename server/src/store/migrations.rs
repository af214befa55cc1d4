//! Schema migrations, applied in order at start, each once, each in its own transaction.
//! Append only: a migration that has shipped is never edited.

pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
}

pub const MIGRATIONS: &[Migration] = &[Migration {
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
}];

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
