//! The `--database-url` flag shared by the commands that use the database, and opening it.

use crate::config::DEFAULT_DATABASE_URL;
use crate::db::{Database, DatabaseUrl};

use super::CliError;

#[derive(clap::Args)]
pub struct DatabaseArgs {
    /// Where the data lives: sqlite://PATH or a plain file path.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, value_name = "URL")]
    pub database_url: String,
}

impl DatabaseArgs {
    pub fn url(&self) -> Result<DatabaseUrl, CliError> {
        DatabaseUrl::parse(&self.database_url)
            .map_err(|e| CliError::usage(format!("--database-url / DATABASE_URL: {e}")))
    }

    /// Connects and applies the migrations not yet applied.
    pub fn open(&self) -> Result<Database, CliError> {
        let db = Database::connect(&self.url()?).map_err(CliError::failure)?;
        db.migrate().map_err(CliError::failure)?;
        Ok(db)
    }

    /// The URL of a database that must exist already (export, backup): an SQLite path that
    /// names no file is refused rather than created.
    pub fn existing(&self) -> Result<DatabaseUrl, CliError> {
        let url = self.url()?;
        if let DatabaseUrl::Sqlite(path) = &url
            && !path.is_file()
        {
            return Err(CliError::usage(format!(
                "no database at {}",
                path.display()
            )));
        }
        Ok(url)
    }
}
