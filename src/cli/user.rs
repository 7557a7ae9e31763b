//! `crossborder user create`: a workspace account, its password asked for or read from stdin.

use std::io::IsTerminal;

use clap::Subcommand;

use crate::auth::users::{self, Role};

use super::CliError;
use super::database::DatabaseArgs;
use super::output::emit;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create an account. The password is asked for (or read from the first line of stdin when
    /// it is not a terminal); at least 12 characters.
    Create {
        #[arg(long)]
        email: String,
        /// admin (also manages accounts, API clients and settings), editor or viewer.
        #[arg(long, value_parser = ["admin", "editor", "viewer"])]
        role: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

pub fn run(command: UserCommand) -> Result<(), CliError> {
    let UserCommand::Create {
        email,
        role,
        database,
    } = command;
    let role: Role = role.parse().map_err(CliError::usage)?;
    let password = read_password().map_err(CliError::usage)?;
    let db = database.open()?;
    let mut conn = db.get().map_err(CliError::failure)?;
    let user =
        users::create(&mut conn, &email, &password, role, "cli:user").map_err(CliError::usage)?;
    emit(&format!(
        "created {} ({})\n",
        user.email,
        user.role.as_str()
    ))
}

fn read_password() -> Result<String, String> {
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").map_err(|e| e.to_string())?;
        let again = rpassword::prompt_password("Again: ").map_err(|e| e.to_string())?;
        if first != again {
            return Err("the two passwords differ".into());
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        line.trim_end_matches(['\n', '\r']).to_string()
    };
    Ok(password)
}
