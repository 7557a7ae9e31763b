//! The `crossborder` command: parses the command line, runs it (the library's `cli`), and maps
//! the outcome to the exit status: 0 done, 2 bad input, 1 failure.

use std::process::ExitCode;

use clap::Parser;

use crossborder::cli::{self, Cli};

// A snapshot of a large organisation is tens of thousands of small allocations, made again after
// each write on whichever thread serves the request: glibc's per-thread arenas kept what they
// freed, and the process grew far past the cache's cap. mimalloc returns freed memory and
// allocates faster.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match cli::run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("crossborder: {error}");
            error.exit_code()
        }
    }
}
