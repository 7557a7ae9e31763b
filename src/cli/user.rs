//! `crossborder user create`: a workspace account, its password asked for or read from stdin;
//! `crossborder user memberships`: the organisations it may see, with its role in each.

use std::io::IsTerminal;

use clap::Subcommand;

use crate::auth::users::{self, Role};

use super::CliError;
use super::database::DatabaseArgs;
use super::output::emit;
use super::text::Text;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create an account. The password is asked for (or read from the first line of stdin when
    /// it is not a terminal); at least 12 characters.
    Create {
        #[arg(long, value_parser = Text)]
        email: String,
        /// admin (also manages accounts, API clients and settings), editor or viewer.
        #[arg(long, value_parser = ["admin", "editor", "viewer"])]
        role: String,
        /// Membership of one organisation, SLUG:ROLE (arturia:editor); repeat for several.
        /// Without it, the account has its role in every organisation.
        #[arg(long = "org", value_name = "SLUG:ROLE", value_parser = Text)]
        organisations: Vec<String>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Set the organisations an account is a member of, with its role in each (replacing what
    /// it had), or give it every organisation with --all.
    Memberships {
        #[arg(long, value_parser = Text)]
        email: String,
        /// SLUG:ROLE (arturia:editor); repeat for several.
        #[arg(
            long = "org",
            value_name = "SLUG:ROLE",
            value_parser = Text,
            required_unless_present = "all"
        )]
        organisations: Vec<String>,
        /// Every organisation, with the account's role.
        #[arg(long, conflicts_with = "organisations")]
        all: bool,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

/// `--org SLUG:ROLE` values, each organisation checked to exist.
fn memberships(
    conn: &mut crate::db::DbConnection,
    given: &[String],
) -> Result<Option<Vec<(String, Role)>>, CliError> {
    if given.is_empty() {
        return Ok(None);
    }
    given
        .iter()
        .map(|pair| {
            let (slug, role) = pair
                .split_once(':')
                .ok_or_else(|| CliError::usage(format!("--org '{pair}': write SLUG:ROLE")))?;
            let role: Role = role
                .parse()
                .map_err(|e| CliError::usage(format!("--org '{pair}': {e}")))?;
            if crate::registry::organisation::find(conn, slug)
                .map_err(CliError::failure)?
                .is_none()
            {
                return Err(CliError::usage(format!(
                    "--org '{pair}': there is no organisation '{slug}'"
                )));
            }
            Ok((slug.to_string(), role))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

pub fn run(command: UserCommand) -> Result<(), CliError> {
    let (email, role, organisations, database) = match command {
        UserCommand::Create {
            email,
            role,
            organisations,
            database,
        } => (email, role, organisations, database),
        UserCommand::Memberships {
            email,
            organisations,
            all: _,
            database,
        } => {
            let db = database.open()?;
            let mut conn = db.get().map_err(CliError::failure)?;
            let list = memberships(&mut conn, &organisations)?;
            let email = email.trim().to_lowercase();
            let account = users::list(&mut conn)
                .map_err(CliError::failure)?
                .into_iter()
                .find(|a| a.email == email)
                .ok_or_else(|| CliError::usage(format!("--email: there is no account {email}")))?;
            users::set_memberships(
                &mut conn,
                account.id,
                list.as_deref(),
                users::ChangedBy::Cli,
            )
            .map_err(CliError::usage)?;
            return emit(&format!(
                "{email}: {}\n",
                users::stored_memberships(list.as_deref()).replace('*', "every organisation")
            ));
        }
    };
    let role: Role = role.parse().map_err(CliError::usage)?;
    let password = read_password().map_err(CliError::usage)?;
    let db = database.open()?;
    let mut conn = db.get().map_err(CliError::failure)?;
    let list = memberships(&mut conn, &organisations)?;
    let user =
        users::create(&mut conn, &email, &password, role, "cli:user").map_err(CliError::usage)?;
    if list.is_some() {
        users::set_memberships(&mut conn, user.id, list.as_deref(), users::ChangedBy::Cli)
            .map_err(CliError::usage)?;
    }
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
