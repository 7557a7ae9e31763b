//! The `crossborder` command: parses the command line, runs it (the library's `cli`), and maps
//! the outcome to the exit status: 0 done, 2 bad input, 1 failure.

use std::process::ExitCode;

use clap::Parser;

use crossborder::cli::{self, Cli};

fn main() -> ExitCode {
    match cli::run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("crossborder: {error}");
            error.exit_code()
        }
    }
}
