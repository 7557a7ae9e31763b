//! Arguments that become stored text (an account's e-mail, a client's name, a slug, a subject):
//! a control character in one is refused by clap, naming the argument, with exit status 2, by
//! the same rule as every other edge (`values::check_text`).

use std::ffi::OsStr;

use clap::builder::TypedValueParser;
use clap::error::ErrorKind;

/// The value parser of such an argument: `#[arg(long, value_parser = Text)]`.
#[derive(Clone, Copy)]
pub struct Text;

impl TypedValueParser for Text {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        let name = arg
            .map(|a| match a.get_long() {
                Some(long) => format!("--{long}"),
                None => a.get_id().to_string().to_uppercase(),
            })
            .unwrap_or_else(|| "value".into());
        let refuse = |message: String| {
            clap::Error::raw(ErrorKind::ValueValidation, format!("{name}: {message}\n"))
                .with_cmd(cmd)
        };
        let text = value
            .to_str()
            .ok_or_else(|| refuse("is not UTF-8 text".into()))?;
        crate::values::check_text(&name, text).map_err(|e| refuse(e.message))?;
        Ok(text.to_string())
    }
}
