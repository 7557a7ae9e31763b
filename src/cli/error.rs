//! Why a command stopped: bad input (exit status 2) or a failure while doing the work (1).

use std::fmt;
use std::process::ExitCode;

/// The message is printed once on stderr, after `crossborder: `, by the binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliError {
    /// The command line, a file or a value given is wrong: exit status 2.
    Usage(String),
    /// The input was fine but the work failed (database, network, disk): exit status 1.
    Failure(String),
}

impl CliError {
    pub fn usage(message: impl fmt::Display) -> Self {
        CliError::Usage(message.to_string())
    }

    pub fn failure(message: impl fmt::Display) -> Self {
        CliError::Failure(message.to_string())
    }

    pub fn exit_code(&self) -> ExitCode {
        match self {
            CliError::Usage(_) => ExitCode::from(2),
            CliError::Failure(_) => ExitCode::FAILURE,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(message) | CliError::Failure(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for CliError {}
