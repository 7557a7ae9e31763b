//! `crossborder org`: create, edit and list organisations; retire the example organisations.

use clap::builder::BoolishValueParser;
use clap::{Args, Subcommand};

use crate::registry::organisation::{self, Organisation, OrganisationError, OrganisationInput};
use crate::values::FieldError;

use super::CliError;
use super::database::DatabaseArgs;
use super::output::emit;
use super::text::Text;

/// The fields of an organisation; on `edit`, a flag not given keeps the value stored, and an
/// empty value (`--website ''`) clears an optional one.
#[derive(Args)]
pub struct Fields {
    /// The name readers know it by ("Acme").
    #[arg(long, value_parser = Text)]
    name: Option<String>,
    /// The legal name, as the privacy policy gives it ("Acme SAS").
    #[arg(long, value_parser = Text)]
    legal_name: Option<String>,
    /// The country it is established in (ISO 3166-1 alpha-2: FR, DE...): the exporter of its
    /// transfers.
    #[arg(long, value_name = "CC", value_parser = Text)]
    country: Option<String>,
    /// Its website (https://...).
    #[arg(long, value_name = "URL", value_parser = Text)]
    website: Option<String>,
    /// The privacy team's or DPO's contact: an e-mail address or a web address.
    #[arg(long, value_name = "CONTACT", value_parser = Text)]
    privacy_contact: Option<String>,
    /// The title of its privacy policy.
    #[arg(long, value_parser = Text)]
    policy_title: Option<String>,
    /// The address of its privacy policy (https://...).
    #[arg(long, value_name = "URL", value_parser = Text)]
    policy_url: Option<String>,
    /// The date the policy was last revised (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = Text)]
    policy_date: Option<String>,
    /// Days between announcing a new vendor and its taking effect (0 to 365) [create: 30].
    #[arg(long, value_name = "DAYS", value_parser = Text)]
    notice_days: Option<String>,
    /// Show each transfer's verdict on the public list, JSON, CSV and feed (yes or no) [create:
    /// yes].
    #[arg(long, value_name = "yes|no", value_parser = BoolishValueParser::new(),
        hide_possible_values = true)]
    publish_verdicts: Option<bool>,
    /// Show the one-sentence reason of each verdict publicly (yes or no) [create: yes].
    #[arg(long, value_name = "yes|no", value_parser = BoolishValueParser::new(),
        hide_possible_values = true)]
    publish_reasons: Option<bool>,
    /// Show the hints written for the privacy officer publicly (yes or no) [create: no].
    #[arg(long, value_name = "yes|no", value_parser = BoolishValueParser::new(),
        hide_possible_values = true)]
    publish_hints: Option<bool>,
    /// Show the names of evidence documents publicly (yes or no) [create: no].
    #[arg(long, value_name = "yes|no", value_parser = BoolishValueParser::new(),
        hide_possible_values = true)]
    publish_evidence_documents: Option<bool>,
}

impl Fields {
    /// The input: the flags given over `base`.
    fn over(self, mut base: OrganisationInput) -> OrganisationInput {
        let set = |field: &mut String, value: Option<String>| {
            if let Some(v) = value {
                *field = v;
            }
        };
        set(&mut base.name, self.name);
        set(&mut base.legal_name, self.legal_name);
        set(&mut base.country, self.country);
        set(&mut base.website, self.website);
        set(&mut base.privacy_contact, self.privacy_contact);
        set(&mut base.policy_title, self.policy_title);
        set(&mut base.policy_url, self.policy_url);
        set(&mut base.policy_date, self.policy_date);
        set(&mut base.announce_days, self.notice_days);
        let publication = &mut base.publication;
        for (field, value) in [
            (&mut publication.verdicts, self.publish_verdicts),
            (&mut publication.reasons, self.publish_reasons),
            (&mut publication.hints, self.publish_hints),
            (
                &mut publication.evidence_documents,
                self.publish_evidence_documents,
            ),
        ] {
            if let Some(v) = value {
                *field = v;
            }
        }
        base
    }
}

#[derive(Subcommand)]
pub enum OrgCommand {
    /// Create an organisation: --slug, --name, --legal-name and --country are needed.
    Create {
        /// The short name in its addresses (/{slug}/subprocessors): a-z, 0-9 and '-'.
        #[arg(long, value_parser = Text)]
        slug: String,
        #[command(flatten)]
        fields: Fields,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Edit an organisation: the flags given replace the values stored (audited, with the
    /// values before and after).
    Edit {
        /// The organisation (slug).
        #[arg(value_parser = Text)]
        slug: String,
        #[command(flatten)]
        fields: Fields,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// List the organisations (not the retired ones): slug, name, country, notice period,
    /// version.
    List {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Retire the example organisations loaded into the empty database at the first start:
    /// no longer listed or served; their records and history are kept. Other organisations are
    /// not touched.
    RemoveExamples {
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

/// Field errors as the flags that hold them, one per line.
fn invalid(errors: &[FieldError]) -> CliError {
    CliError::usage(
        errors
            .iter()
            .map(|e| {
                let flag = match e.field.as_str() {
                    "announce_days" => "notice-days".to_string(),
                    other => other.replace('_', "-"),
                };
                format!("--{flag}: {}", e.message)
            })
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

fn refused(e: OrganisationError) -> CliError {
    match e {
        OrganisationError::Invalid(errors) => invalid(&errors),
        OrganisationError::Db(e) => CliError::failure(e),
        other => CliError::usage(other),
    }
}

fn shown(o: &Organisation) -> String {
    let line = |label: &str, v: &Option<String>| {
        v.as_deref()
            .map(|v| format!("{label}: {v}\n"))
            .unwrap_or_default()
    };
    let shown = |public: bool| if public { "public" } else { "not public" };
    let p = &o.publication;
    format!(
        "slug: {}\nname: {}\nlegal name: {}\ncountry: {} ({})\n{}{}{}{}{}notice period: {} days\n\
         verdicts: {}\nreasons: {}\nhints: {}\nevidence document names: {}\nversion: {}\n",
        o.slug,
        o.name,
        o.legal_name,
        o.country.as_str(),
        o.country.name(),
        line("website", &o.website),
        line("privacy contact", &o.privacy_contact),
        line("policy title", &o.policy_title),
        line("policy url", &o.policy_url),
        line("policy date", &o.policy_date.map(|d| d.to_string())),
        o.announce_days,
        shown(p.verdicts),
        shown(p.reasons),
        shown(p.hints),
        shown(p.evidence_documents),
        o.version,
    )
}

pub fn run(command: OrgCommand) -> Result<(), CliError> {
    let database = match &command {
        OrgCommand::Create { database, .. }
        | OrgCommand::Edit { database, .. }
        | OrgCommand::List { database }
        | OrgCommand::RemoveExamples { database } => database,
    };
    let db = database.open()?;
    let mut conn = db.get().map_err(CliError::failure)?;
    match command {
        OrgCommand::Create { slug, fields, .. } => {
            let input = fields.over(OrganisationInput {
                slug,
                announce_days: "30".into(),
                ..Default::default()
            });
            let valid = organisation::check(&input, None).map_err(|e| invalid(&e))?;
            let created = organisation::create(&mut conn, &valid, "cli").map_err(refused)?;
            emit(&format!(
                "created\n{}public list: /{}/subprocessors\n",
                shown(&created),
                created.slug
            ))
        }
        OrgCommand::Edit { slug, fields, .. } => {
            let current = organisation::find(&mut conn, &slug)
                .map_err(CliError::failure)?
                .ok_or_else(|| CliError::usage(format!("there is no organisation '{slug}'")))?;
            let input = fields.over(OrganisationInput::of(&current));
            let valid = organisation::check(&input, Some(&current)).map_err(|e| invalid(&e))?;
            let saved = organisation::edit(&mut conn, &slug, current.version, &valid, "cli")
                .map_err(refused)?;
            let what = if saved.version == current.version {
                "unchanged"
            } else {
                "saved"
            };
            emit(&format!("{what}\n{}", shown(&saved)))
        }
        OrgCommand::List { .. } => {
            let list = organisation::list(&mut conn).map_err(CliError::failure)?;
            let mut out = String::new();
            for o in list {
                out.push_str(&format!(
                    "{}\t{}\t{}\t{} days\tversion {}\n",
                    o.slug,
                    o.name,
                    o.country.as_str(),
                    o.announce_days,
                    o.version
                ));
            }
            emit(&out)
        }
        OrgCommand::RemoveExamples { .. } => {
            let retired = organisation::retire_examples(&mut conn, "cli").map_err(refused)?;
            if retired.is_empty() {
                emit("no example organisation to retire\n")
            } else {
                emit(&format!(
                    "retired (no longer listed or served; their records and history are kept): {}\n",
                    retired.join(", ")
                ))
            }
        }
    }
}
