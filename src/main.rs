//! The `crossborder` command: parses the command line, then calls the library.

use std::io::Write;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crossborder::config::{DEFAULT_BIND, DEFAULT_DATABASE_URL, Settings};
use crossborder::date::{parse_date, today};
use crossborder::db::{Database, DatabaseUrl};
use crossborder::registry::{seed, store};
use crossborder::rules::{self, Claim, CountryCode, Facts, MechanismId, RuleSet};
use crossborder::text;
use crossborder::web::startup::Application;

#[derive(Parser)]
#[command(
    name = "crossborder",
    version,
    about = "A registry of third parties and cross-border transfers of personal data",
    long_about = "A registry of third parties and cross-border transfers of personal data.\n\n\
                  `assess` answers whether one transfer out of the EU/EEA is covered on a date, \
                  from dated EU transfer law compiled into the binary; `rules` shows that law."
)]
struct Cli {
    /// Without a command, `serve` with its defaults (or BIND and DATABASE_URL).
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the service: migrate the database, load the example organisations into an empty one,
    /// serve the public pages and feeds. Stops cleanly on Ctrl-C or SIGTERM.
    Serve(ServeArgs),
    /// Load organisation seed files (default: the example organisations compiled in). Loading the
    /// same files twice changes nothing.
    Seed(SeedArgs),
    /// Apply the database migrations not yet applied.
    Migrate(DatabaseArgs),
    /// Assess one transfer of personal data out of the EU/EEA on a date (no database needed).
    #[command(after_long_help = assess_examples())]
    Assess(AssessArgs),
    /// Print the transfer rules in force on a date, with their legal references.
    Rules(RulesArgs),
}

#[derive(Args)]
struct DatabaseArgs {
    /// Where the data lives: sqlite://PATH or a plain file path.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, value_name = "URL")]
    database_url: String,
}

#[derive(Args)]
struct ServeArgs {
    /// The address to listen on.
    #[arg(long, env = "BIND", default_value = DEFAULT_BIND, value_name = "ADDR")]
    bind: String,

    #[command(flatten)]
    database: DatabaseArgs,
}

#[derive(Args)]
struct SeedArgs {
    /// A directory of seed files (*.toml, format in seeds/organisations/README.md) instead of
    /// the compiled-in examples.
    #[arg(long, value_name = "DIR", conflicts_with = "synthetic")]
    dir: Option<std::path::PathBuf>,

    /// Generate a synthetic organisation with this many vendors (for benchmarks), instead.
    #[arg(long, value_name = "VENDORS", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    synthetic: Option<u32>,

    /// The slug of the synthetic organisation.
    #[arg(long, default_value = "synthetic", requires = "synthetic")]
    slug: String,

    #[command(flatten)]
    database: DatabaseArgs,
}

#[derive(Args)]
struct AssessArgs {
    /// Country where the exporter (the organisation sending the data) is established: an ISO
    /// 3166-1 alpha-2 code, case-insensitive (FR, de, SE).
    #[arg(long, value_name = "CC", value_parser = parse_country)]
    exporter: CountryCode,

    /// Country where the importer receives or handles the data: an ISO 3166-1 alpha-2 code,
    /// case-insensitive, or an international organisation's code (IO-EPO).
    #[arg(long, value_name = "CC", value_parser = parse_country)]
    importer: CountryCode,

    #[arg(
        long = "mechanism",
        value_name = "ID[:YYYY-MM-DD]",
        value_parser = parse_claim,
        help = "A mechanism the contract or policy claims, by its id in the rules data; \
                `:YYYY-MM-DD` is the date the contract was signed. Repeatable",
        long_help = mechanism_help()
    )]
    mechanisms: Vec<Claim>,

    #[arg(
        long = "certified",
        value_name = "FRAMEWORK",
        value_parser = parse_framework,
        help = "The importer is on the official list of this framework on the date assessed. Repeatable",
        long_help = certified_help()
    )]
    certified: Vec<MechanismId>,

    /// Same as `--certified dpf`.
    #[arg(long, hide = true)]
    dpf_certified: bool,

    /// A transfer impact assessment is on record (expected for Art. 46 safeguards since
    /// 2020-07-16, CJEU C-311/18); without one a safeguarded transfer is a warning.
    #[arg(long)]
    tia: bool,

    /// The processing covered by an old contract has changed since it was signed: old SCCs then
    /// stop counting after their cutoff ((EU) 2021/914 Art. 4).
    #[arg(long)]
    processing_changed: bool,

    /// The date to assess, YYYY-MM-DD (default: today). The rules in force that day apply.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    as_of: Option<NaiveDate>,

    /// Print one JSON object {verdict, flagged, severity, reason, mechanism, references, hints}.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct RulesArgs {
    /// The date, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    as_of: Option<NaiveDate>,

    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

fn parse_country(s: &str) -> Result<CountryCode, String> {
    CountryCode::parse(s).map_err(|e| e.to_string())
}

fn parse_as_of(s: &str) -> Result<NaiveDate, String> {
    parse_date(s).map_err(|e| e.to_string())
}

fn parse_claim(s: &str) -> Result<Claim, String> {
    let (id, signed) = match s.split_once(':') {
        Some((id, date)) => (
            id,
            Some(parse_date(date).map_err(|e| format!("signing date: {e}"))?),
        ),
        None => (s, None),
    };
    let mechanism = RuleSet::embedded()
        .mechanism_id(id)
        .map_err(|e| e.to_string())?;
    Ok(Claim { mechanism, signed })
}

fn parse_framework(s: &str) -> Result<MechanismId, String> {
    RuleSet::embedded()
        .framework_id(s)
        .map_err(|e| e.to_string())
}

fn ids_of(kind: &str) -> String {
    RuleSet::embedded()
        .mechanisms
        .iter()
        .filter(|m| m.kind.label() == kind)
        .map(|m| m.id())
        .collect::<Vec<_>>()
        .join(", ")
}

fn mechanism_help() -> String {
    format!(
        "A mechanism the contract or policy claims, by its id in the rules data. Repeatable.\n\
         Append `:YYYY-MM-DD` for the date the contract was signed (the old SCCs count after \
         2021-09-27 only for contracts signed before it).\n\n\
         Frameworks (cover only certified importers, see --certified): {}\n\
         Safeguards (Art. 46/47): {}\n\
         Derogations (Art. 49): {}",
        ids_of("framework"),
        ids_of("safeguard"),
        ids_of("derogation")
    )
}

fn certified_help() -> String {
    format!(
        "The importer is on the official list of this framework on the date assessed. \
         Repeatable. A framework covers a transfer only with it: `--mechanism dpf` without \
         `--certified dpf` is unsafeguarded.\n\nFrameworks: {}",
        ids_of("framework")
    )
}

fn assess_examples() -> &'static str {
    "Examples:\n  \
     crossborder assess --exporter FR --importer US --mechanism privacy_shield --certified privacy_shield --as-of 2019-05-23\n  \
     crossborder assess --exporter DE --importer IN --mechanism scc_2010:2019-03-01 --as-of 2022-06-01 --json\n  \
     crossborder assess --exporter SE --importer US --certified dpf --tia"
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or_else(|| {
        Command::Serve(ServeArgs {
            bind: std::env::var("BIND").unwrap_or_else(|_| DEFAULT_BIND.to_string()),
            database: DatabaseArgs {
                database_url: std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_string()),
            },
        })
    });
    let output = match command {
        Command::Assess(args) => run_assess(args),
        Command::Rules(args) => run_rules(args),
        Command::Serve(args) => return run_serve(args),
        Command::Seed(args) => return run_seed(args),
        Command::Migrate(args) => return run_migrate(args),
    };
    emit(&output)
}

/// Bad input: a message on stderr, exit status 2.
fn usage_error(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("crossborder: {message}");
    ExitCode::from(2)
}

fn failure(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("crossborder: {message}");
    ExitCode::FAILURE
}

fn init_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Logs go to stderr, so stdout carries only the answer (the URL served).
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

fn open_database(args: &DatabaseArgs) -> Result<Database, ExitCode> {
    let url = DatabaseUrl::parse(&args.database_url)
        .map_err(|e| usage_error(format!("--database-url / DATABASE_URL: {e}")))?;
    let db = Database::connect(&url).map_err(failure)?;
    db.migrate().map_err(failure)?;
    Ok(db)
}

fn run_serve(args: ServeArgs) -> ExitCode {
    init_logs();
    let settings = match Settings::new(&args.bind, &args.database.database_url) {
        Ok(s) => s,
        Err(e) => return usage_error(e),
    };
    actix_web::rt::System::new().block_on(async move {
        let app = match Application::build(&settings) {
            Ok(app) => app,
            Err(e) => return failure(e),
        };
        let host = match settings.bind.ip() {
            ip if ip.is_unspecified() => "127.0.0.1".to_string(),
            ip if ip.is_ipv6() => format!("[{ip}]"),
            ip => ip.to_string(),
        };
        println!("crossborder is serving on http://{host}:{}/", app.port());
        match app.run_until_stopped().await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => failure(e),
        }
    })
}

fn run_seed(args: SeedArgs) -> ExitCode {
    let rules = RuleSet::embedded();
    let seeds = match (&args.dir, args.synthetic) {
        (_, Some(count)) => Ok(vec![seed::synthetic(&args.slug, count as usize)]),
        (Some(dir), None) => seed::from_dir(dir, rules),
        (None, None) => seed::embedded(rules),
    };
    let seeds = match seeds {
        Ok(s) => s,
        Err(e) => return usage_error(e),
    };
    let db = match open_database(&args.database) {
        Ok(db) => db,
        Err(code) => return code,
    };
    let mut conn = match db.get() {
        Ok(c) => c,
        Err(e) => return failure(e),
    };
    let mut out = String::new();
    for s in &seeds {
        match store::apply_seed(&mut conn, s, "cli:seed") {
            Ok(r) => {
                let what = if r.organisation_created {
                    format!("created with {} vendors", r.vendors_added)
                } else if r.changed_anything() {
                    format!(
                        "{} vendors added, {} updated{}",
                        r.vendors_added,
                        r.vendors_updated,
                        if r.organisation_updated {
                            ", organisation updated"
                        } else {
                            ""
                        }
                    )
                } else {
                    "unchanged".to_string()
                };
                out.push_str(&format!("{}: {what}\n", s.organisation.slug));
            }
            Err(e) => return failure(format!("{}: {e}", s.organisation.slug)),
        }
    }
    emit(&out)
}

fn run_migrate(args: DatabaseArgs) -> ExitCode {
    match open_database(&args) {
        Ok(_) => emit("database is up to date\n"),
        Err(code) => code,
    }
}

fn run_assess(args: AssessArgs) -> String {
    let rules = RuleSet::embedded();
    let mut facts = Facts::new(args.exporter, args.importer);
    facts.claims = args.mechanisms;
    facts.certified = args.certified;
    if args.dpf_certified
        && let Ok(dpf) = rules.framework_id("dpf")
    {
        facts.certified.push(dpf);
    }
    facts.tia = args.tia;
    facts.processing_changed = args.processing_changed;
    let assessment = rules::assess(&facts, rules, args.as_of.unwrap_or_else(today));
    if args.json {
        json(&assessment)
    } else {
        text::assessment(&assessment)
    }
}

fn run_rules(args: RulesArgs) -> String {
    let in_force = RuleSet::embedded().in_force(args.as_of.unwrap_or_else(today));
    if args.json {
        json(&in_force)
    } else {
        text::rules_in_force(&in_force)
    }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    // Serialising our own plain structs cannot fail.
    let mut s = serde_json::to_string_pretty(value).expect("plain data serialises");
    s.push('\n');
    s
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn emit(output: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(output.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("crossborder: cannot write the output: {e}");
            ExitCode::FAILURE
        }
    }
}
