//! The `crossborder` command: parses the command line, then calls the library.

use std::io::Write;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crossborder::config::{DEFAULT_BIND, DEFAULT_DATABASE_URL, Settings};
use crossborder::date::{parse_date, today};
use crossborder::db::{Database, DatabaseUrl};
use crossborder::registry::{export, seed, store};
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
    /// Write the whole database as JSON on stdout (every table and column, ids included), to
    /// move it to another database or backend with `import`: `crossborder export > registry.json`.
    Export(DatabaseArgs),
    /// Load a file written by `export` into an empty database, in one transaction. A bad file is
    /// refused whole; a database holding data is refused unless --replace is given.
    Import(ImportArgs),
    /// Copy an SQLite database while it is in use (VACUUM INTO) into a new file. For PostgreSQL,
    /// use pg_dump.
    Backup(BackupArgs),
    /// Manage the machine clients of the API (OAuth 2.0 client credentials).
    #[command(subcommand)]
    Client(ClientCommand),
    /// Issue API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Manage workspace accounts.
    #[command(subcommand)]
    User(UserCommand),
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
struct ImportArgs {
    /// The file written by `crossborder export` (`-` for stdin).
    #[arg(value_name = "FILE")]
    file: std::path::PathBuf,

    /// Empty every table first, in the same transaction, when the database holds data.
    #[arg(long)]
    replace: bool,

    #[command(flatten)]
    database: DatabaseArgs,
}

#[derive(Args)]
struct BackupArgs {
    /// The copy to write: a new file (an existing one is refused).
    #[arg(value_name = "FILE")]
    file: std::path::PathBuf,

    #[command(flatten)]
    database: DatabaseArgs,
}

#[derive(Args)]
struct ServeArgs {
    /// The address to listen on.
    #[arg(long, env = "BIND", default_value = DEFAULT_BIND, value_name = "ADDR")]
    bind: String,

    #[command(flatten)]
    database: DatabaseArgs,

    #[command(flatten)]
    jwt: JwtArgs,

    /// The identity provider's JSON Web Key Set (RS256, ES256, EdDSA keys), fetched at start and
    /// again for an unknown key id at most once a minute.
    #[arg(long, env = "JWKS_URL", value_name = "URL")]
    jwks_url: Option<String>,

    /// For benchmarks only: let every API call through without a token.
    #[arg(long, hide = true)]
    insecure_disable_api_auth: bool,
}

/// Token settings shared by `serve` and `token issue`.
#[derive(Args, Clone)]
struct JwtArgs {
    /// A file holding the HS256 secret (at least 32 bytes) that signs and verifies API tokens.
    /// The secret can also be given in the environment as JWT_SECRET.
    #[arg(long, env = "JWT_SECRET_FILE", value_name = "PATH")]
    jwt_secret_file: Option<std::path::PathBuf>,

    /// The `iss` tokens must carry.
    #[arg(long, env = "JWT_ISSUER", default_value = "crossborder")]
    jwt_issuer: String,

    /// The `aud` tokens must carry.
    #[arg(long, env = "JWT_AUDIENCE", default_value = "crossborder-api")]
    jwt_audience: String,

    /// Lifetime of the tokens crossborder issues (15m, 1h...).
    #[arg(long, env = "TOKEN_TTL", default_value = "15m", value_parser = humantime::parse_duration)]
    token_ttl: std::time::Duration,
}

impl JwtArgs {
    /// The settings, with the secret read from JWT_SECRET or the file.
    fn auth_config(
        &self,
        jwks_url: Option<String>,
    ) -> Result<crossborder::auth::AuthConfig, String> {
        let secret = crossborder::config::jwt_secret(self.jwt_secret_file.as_deref())
            .map_err(|e| e.to_string())?;
        Ok(crossborder::auth::AuthConfig {
            hs256_secret: secret,
            jwks_url,
            issuer: self.jwt_issuer.clone(),
            audience: self.jwt_audience.clone(),
            token_ttl: self.token_ttl,
            ..Default::default()
        })
    }
}

#[derive(Subcommand)]
enum ClientCommand {
    /// Create a client; prints its id and its secret (shown once).
    Create {
        /// What the client is ("Procurement tool").
        #[arg(long)]
        name: String,
        /// Space-separated scopes it may ask for: registry:read, registry:write, intake:write.
        #[arg(long, value_parser = parse_scope_list)]
        scope: ScopeList,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// List the clients (never their secrets).
    List {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Revoke a client: it gets no new token.
    Revoke {
        /// The client id (cb_...).
        client_id: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Sign a one-off token with the HS256 secret and print it.
    Issue {
        /// The subject (who the token is for); it is written in the audit trail.
        #[arg(long)]
        sub: String,
        /// Space-separated scopes: registry:read, registry:write, intake:write.
        #[arg(long, value_parser = parse_scope_list)]
        scope: ScopeList,
        /// Lifetime (15m, 1h, 1d).
        #[arg(long, default_value = "15m", value_parser = humantime::parse_duration)]
        ttl: std::time::Duration,
        #[command(flatten)]
        jwt: JwtArgs,
    },
}

#[derive(Subcommand)]
enum UserCommand {
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

#[derive(Clone)]
struct ScopeList(Vec<crossborder::auth::Scope>);

fn parse_scope_list(s: &str) -> Result<ScopeList, String> {
    let scopes = crossborder::auth::parse_scopes(s).map_err(|e| e.to_string())?;
    if scopes.is_empty() {
        return Err("name at least one scope".into());
    }
    Ok(ScopeList(scopes))
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
    // No command: serve, with its flags' defaults and environment.
    let command = match cli.command {
        Some(command) => command,
        None => match Cli::parse_from(["crossborder", "serve"]).command {
            Some(command) => command,
            None => return usage_error("no command"),
        },
    };
    let output = match command {
        Command::Assess(args) => run_assess(args),
        Command::Rules(args) => run_rules(args),
        Command::Serve(args) => return run_serve(args),
        Command::Seed(args) => return run_seed(args),
        Command::Migrate(args) => return run_migrate(args),
        Command::Export(args) => return run_export(args),
        Command::Import(args) => return run_import(args),
        Command::Backup(args) => return run_backup(args),
        Command::Client(command) => return run_client(command),
        Command::Token(command) => return run_token(command),
        Command::User(command) => return run_user(command),
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
    let mut settings = match Settings::new(&args.bind, &args.database.database_url) {
        Ok(s) => s,
        Err(e) => return usage_error(e),
    };
    settings.auth = match args.jwt.auth_config(args.jwks_url.clone()) {
        Ok(auth) => auth,
        Err(e) => return usage_error(e),
    };
    settings.api_auth_disabled = args.insecure_disable_api_auth;
    actix_web::rt::System::new().block_on(async move {
        let app = match Application::build(&settings).await {
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

fn run_client(command: ClientCommand) -> ExitCode {
    use crossborder::auth::clients;
    let database = match &command {
        ClientCommand::Create { database, .. }
        | ClientCommand::List { database }
        | ClientCommand::Revoke { database, .. } => database,
    };
    let db = match open_database(database) {
        Ok(db) => db,
        Err(code) => return code,
    };
    let mut conn = match db.get() {
        Ok(c) => c,
        Err(e) => return failure(e),
    };
    match command {
        ClientCommand::Create { name, scope, .. } => {
            match clients::create(&mut conn, &name, &scope.0, "cli") {
                Ok((client, secret)) => emit(&format!(
                    "client_id: {}\nclient_secret: {secret}\nscopes: {}\nKeep the secret now: it is not stored and cannot be shown again.\n",
                    client.client_id,
                    client.scopes.join(" ")
                )),
                Err(e) => failure(e),
            }
        }
        ClientCommand::List { .. } => match clients::list(&mut conn) {
            Ok(list) => {
                let mut out = String::new();
                for c in list {
                    let state = match c.revoked_at {
                        Some(at) => format!("revoked {}", at.format("%Y-%m-%d %H:%M")),
                        None => "active".into(),
                    };
                    out.push_str(&format!(
                        "{}\t{}\t{}\t{}\n",
                        c.client_id,
                        c.name,
                        c.scopes.join(" "),
                        state
                    ));
                }
                emit(&out)
            }
            Err(e) => failure(e),
        },
        ClientCommand::Revoke { client_id, .. } => {
            match clients::revoke(&mut conn, &client_id, "cli") {
                Ok(true) => emit(&format!("{client_id} revoked\n")),
                Ok(false) => usage_error(format!("no active client '{client_id}'")),
                Err(e) => failure(e),
            }
        }
    }
}

fn run_token(command: TokenCommand) -> ExitCode {
    let TokenCommand::Issue {
        sub,
        scope,
        ttl,
        jwt,
    } = command;
    let config = match jwt.auth_config(None) {
        Ok(c) if c.hs256_secret.is_some() => c,
        Ok(_) => return usage_error("set JWT_SECRET or --jwt-secret-file to sign tokens"),
        Err(e) => return usage_error(e),
    };
    let verifier = match crossborder::auth::Verifier::new(&config) {
        Ok(v) => v,
        Err(e) => return usage_error(e),
    };
    match verifier.issue(&sub, &scope.0, Some(ttl)) {
        Ok((token, _)) => emit(&format!("{token}\n")),
        Err(e) => failure(e),
    }
}

fn read_password() -> Result<String, String> {
    use std::io::IsTerminal;
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

fn run_user(command: UserCommand) -> ExitCode {
    let UserCommand::Create {
        email,
        role,
        database,
    } = command;
    let role: crossborder::auth::users::Role = match role.parse() {
        Ok(r) => r,
        Err(e) => return usage_error(e),
    };
    let password = match read_password() {
        Ok(p) => p,
        Err(e) => return usage_error(e),
    };
    let db = match open_database(&database) {
        Ok(db) => db,
        Err(code) => return code,
    };
    let mut conn = match db.get() {
        Ok(c) => c,
        Err(e) => return failure(e),
    };
    match crossborder::auth::users::create(&mut conn, &email, &password, role, "cli:user") {
        Ok(user) => emit(&format!(
            "created {} ({})\n",
            user.email,
            user.role.as_str()
        )),
        Err(e) => usage_error(e),
    }
}

fn run_migrate(args: DatabaseArgs) -> ExitCode {
    match open_database(&args) {
        Ok(_) => emit("database is up to date\n"),
        Err(code) => code,
    }
}

/// The URL of a database that must exist already (export, backup): an SQLite path that names no
/// file is refused rather than created.
fn existing_database(args: &DatabaseArgs) -> Result<DatabaseUrl, ExitCode> {
    let url = DatabaseUrl::parse(&args.database_url)
        .map_err(|e| usage_error(format!("--database-url / DATABASE_URL: {e}")))?;
    if let DatabaseUrl::Sqlite(path) = &url
        && !path.is_file()
    {
        return Err(usage_error(format!("no database at {}", path.display())));
    }
    Ok(url)
}

fn run_export(args: DatabaseArgs) -> ExitCode {
    if let Err(code) = existing_database(&args) {
        return code;
    }
    let db = match open_database(&args) {
        Ok(db) => db,
        Err(code) => return code,
    };
    let mut conn = match db.get() {
        Ok(c) => c,
        Err(e) => return failure(e),
    };
    match export::export(&mut conn) {
        Ok(export) => emit(&json(&export)),
        Err(e) => failure(e),
    }
}

fn run_import(args: ImportArgs) -> ExitCode {
    let name = args.file.display();
    let bytes = if args.file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes).map(|_| bytes)
    } else {
        std::fs::read(&args.file)
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => return usage_error(format!("{name}: {e}")),
    };
    // The whole file is checked before the database is touched.
    let file = match export::parse(&bytes) {
        Ok(f) => f,
        Err(e) => return usage_error(format!("{name}: {e}")),
    };
    let db = match open_database(&args.database) {
        Ok(db) => db,
        Err(code) => return code,
    };
    let mut conn = match db.get() {
        Ok(c) => c,
        Err(e) => return failure(e),
    };
    match export::import(&mut conn, &file, args.replace) {
        Ok(report) => {
            for note in &report.notes {
                eprintln!("crossborder: note: {note}");
            }
            let total: usize = report.counts.iter().map(|(_, n)| n).sum();
            let mut out = format!(
                "imported {total} rows into the {} database{}\n",
                report.backend,
                if report.replaced {
                    " (its previous content deleted)"
                } else {
                    ""
                }
            );
            for (table, n) in &report.counts {
                out.push_str(&format!("{table:<26}{n:>8}\n"));
            }
            emit(&out)
        }
        Err(e @ (export::ImportError::Invalid(_) | export::ImportError::NotEmpty(_))) => {
            usage_error(format!("{name}: {e}"))
        }
        Err(e) => failure(format!("{name}: {e}")),
    }
}

fn run_backup(args: BackupArgs) -> ExitCode {
    let url = match existing_database(&args.database) {
        Ok(url) => url,
        Err(code) => return code,
    };
    if let DatabaseUrl::Postgres(_) = url {
        return usage_error(export::POSTGRES_BACKUP);
    }
    let db = match Database::connect(&url) {
        Ok(db) => db,
        Err(e) => return failure(e),
    };
    let mut conn = match db.get() {
        Ok(c) => c,
        Err(e) => return failure(e),
    };
    match export::backup_sqlite(&mut conn, &args.file) {
        Ok(()) => emit(&format!("backed up to {}\n", args.file.display())),
        Err(e @ export::BackupError::Refused(_)) => usage_error(e),
        Err(e) => failure(e),
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
