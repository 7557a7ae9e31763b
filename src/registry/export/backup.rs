//! Copying a live SQLite database (`crossborder backup`).

use std::path::Path;

use diesel::connection::SimpleConnection;

use super::POSTGRES_BACKUP;
use crate::db::DbConnection;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// Bad input: the backend, or the target file.
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Failed(String),
}

/// Copies a live SQLite database into `target`, a new file, with `VACUUM INTO`: a consistent
/// snapshot, compacted, with what is still in the `-wal` file; then syncs it to disk.
pub fn backup_sqlite(conn: &mut DbConnection, target: &Path) -> Result<(), BackupError> {
    let DbConnection::Sqlite(sqlite) = conn else {
        return Err(BackupError::Refused(POSTGRES_BACKUP.to_string()));
    };
    if target.symlink_metadata().is_ok() {
        return Err(BackupError::Refused(format!(
            "{} exists already: give a new file",
            target.display()
        )));
    }
    let path = match target.to_str() {
        Some("") => return Err(BackupError::Refused("give the backup file's path".into())),
        Some(path) => path,
        None => {
            return Err(BackupError::Refused(format!(
                "{}: the backup path must be valid UTF-8",
                target.display()
            )));
        }
    };
    // SQLite reads `file:...` as a URI on connections opened with URIs enabled (diesel's are).
    let path = if path.starts_with("file:") {
        format!("./{path}")
    } else {
        path.to_string()
    };
    sqlite
        .batch_execute(&format!("VACUUM INTO {}", sql_string(&path)))
        .map_err(|e| BackupError::Failed(format!("VACUUM INTO {}: {e}", target.display())))?;
    std::fs::File::open(target)
        .and_then(|f| f.sync_all())
        .map_err(|e| BackupError::Failed(format!("{}: {e}", target.display())))
}

/// An SQL string literal.
fn sql_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_strings_double_their_quotes() {
        assert_eq!(sql_string("it's"), "'it''s'");
        assert_eq!(sql_string("'; DROP TABLE x; --"), "'''; DROP TABLE x; --'");
    }
}
