//! The command line's own words in the user's language: the `--help` text of every command
//! and option (`cli.help.<command>.<argument>` in the message catalogues, set on clap's
//! command at start) and clap's errors (an unknown argument, a value it does not take, …),
//! worded from the catalogue by the error's kind and context. Part of the binary only.

use std::fmt::Write as _;

use budsjett::messages;
use budsjett::msg;
use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, ErrorFormatter, ErrorKind};

/// The command line's help texts from the catalogue, in the process's language: the
/// program's about, the exit codes after the help of the program, `render` and `check`, and
/// the about of each command and the help of each of its arguments.
pub fn localized(command: clap::Command) -> clap::Command {
    let names: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    let command = command
        .about(msg!("cli.help.about"))
        .after_help(msg!("cli.exit_codes"))
        .mut_arg("lang", |arg| arg.help(msg!("cli.help.lang")));
    names.iter().fold(command, |command, name| {
        command.mut_subcommand(name, |sub| {
            let ids: Vec<String> = sub
                .get_arguments()
                .map(|a| a.get_id().to_string())
                .collect();
            let sub = sub.about(messages::text(&help_key(name, "about"), &[]));
            let sub = if matches!(name.as_str(), "render" | "check") {
                sub.after_help(msg!("cli.exit_codes"))
            } else {
                sub
            };
            ids.iter().fold(sub, |sub, id| {
                let help = messages::text(&help_key(arguments_of(name), id), &[]);
                sub.mut_arg(id, |arg| arg.help(help))
            })
        })
    })
}

/// [`localized`], with clap's own words around the texts from the catalogue too: the
/// headings (usage, commands, arguments, options), the help and version flags, the `help`
/// command, and the default and possible values after an option's help. For parsing (the
/// help and errors it prints); completions and the manual page take [`localized`] alone.
pub fn framed(command: clap::Command) -> clap::Command {
    let mut command = localized(command);
    // Built, so that the help flags, the help command and the global `--lang` are there.
    command.build();
    // clap takes headings as `&'static str`: the three are made once per process.
    let headings = Headings {
        commands: msg!("cli.clap.commands").leak(),
        arguments: msg!("cli.clap.arguments").leak(),
        options: msg!("cli.clap.options").leak(),
    };
    frame(command, &headings)
}

/// clap's default help template, its usage heading in the user's words.
const TEMPLATE: &str =
    "{before-help}{about-with-newline}\n{heading} {usage}\n\n{all-args}{after-help}"; // not a message: clap's

/// The headings of a command's help.
struct Headings {
    commands: &'static str,
    arguments: &'static str,
    options: &'static str,
}

fn frame(command: clap::Command, headings: &Headings) -> clap::Command {
    let ids: Vec<String> = command
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    let names: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    let template = TEMPLATE.replace("{heading}", &msg!("cli.clap.usage"));
    let command = command
        .help_template(template)
        .subcommand_help_heading(headings.commands);
    let command = ids.iter().fold(command, |command, id| {
        command.mut_arg(id, |arg| framed_arg(arg, headings))
    });
    names.iter().fold(command, |command, name| {
        command.mut_subcommand(name, |sub| {
            let sub = if name == "help" {
                sub.about(msg!("cli.clap.help_command"))
            } else {
                sub
            };
            frame(sub, headings)
        })
    })
}

/// An argument under a heading in the user's language, its default and possible values
/// listed after its help as clap lists them.
fn framed_arg(arg: clap::Arg, headings: &Headings) -> clap::Arg {
    let heading = if arg.is_positional() {
        headings.arguments
    } else {
        headings.options
    };
    let mut help: Vec<String> = match arg.get_action() {
        clap::ArgAction::Help => vec![msg!("cli.clap.print_help")],
        clap::ArgAction::Version => vec![msg!("cli.clap.print_version")],
        _ => arg.get_help().map(|h| h.to_string()).into_iter().collect(),
    };
    let takes_values = arg.get_action().takes_values();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if takes_values && !arg.is_hide_default_value_set() && !defaults.is_empty() {
        help.push(msg!("cli.clap.default", values = defaults.join(" ")));
    }
    let possible: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if takes_values && !arg.is_hide_possible_values_set() && !possible.is_empty() {
        help.push(msg!(
            "cli.clap.possible_values",
            values = possible.join(", ")
        ));
    }
    arg.help_heading(heading)
        .help(help.join(" "))
        .hide_default_value(true)
        .hide_possible_values(true)
}

/// The key of a command's about (`about`) or of one of its arguments' help.
pub fn help_key(command: &str, item: &str) -> String {
    format!("cli.help.{command}.{item}")
}

/// The command whose arguments' help a command shares: `watch` takes `render`'s.
pub fn arguments_of(command: &str) -> &str {
    match command {
        "watch" => "render",
        other => other,
    }
}

/// clap's errors worded from the catalogue: `error.apply::<Localized>()`. The layout is
/// clap's own (the error, tips, the usage, where to find more), without colours.
pub struct Localized;

impl ErrorFormatter for Localized {
    fn format_error(error: &clap::error::Error<Self>) -> StyledStr {
        let mut text = msg!("cli.error", message = what_went_wrong(error));
        let mut tips = suggestions(error);
        if let Some(ContextValue::StyledStrs(suggested)) = error.get(ContextKind::Suggested) {
            tips.extend(suggested.iter().map(|tip| msg!("cli.clap.tip", tip)));
        }
        if !tips.is_empty() {
            text.push('\n');
        }
        for tip in tips {
            let _ = write!(text, "\n  {tip}");
        }
        if let Some(ContextValue::StyledStr(usage)) = error.get(ContextKind::Usage) {
            let usage = usage.to_string();
            let usage = usage.strip_prefix("Usage:").unwrap_or(&usage); // not a message: clap's heading, replaced
            let _ = write!(text, "\n\n{}{usage}", msg!("cli.clap.usage"));
        }
        let _ = write!(text, "\n\n{}\n", msg!("cli.clap.more"));
        StyledStr::from(text)
    }
}

/// A context value as text (a list joined with ", ").
fn context(error: &clap::error::Error<Localized>, kind: ContextKind) -> Option<String> {
    match error.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(list) => Some(list.join(", ")),
        ContextValue::Number(n) => Some(n.to_string()),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        _ => None,
    }
}

/// The first line of an error: what was found and what was expected.
fn what_went_wrong(error: &clap::error::Error<Localized>) -> String {
    let arg = context(error, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(error, ContextKind::InvalidValue).unwrap_or_default();
    match error.kind() {
        ErrorKind::UnknownArgument => msg!("cli.clap.unknown_argument", arg),
        ErrorKind::InvalidSubcommand => {
            let subcommand = context(error, ContextKind::InvalidSubcommand).unwrap_or_default();
            msg!("cli.clap.unknown_subcommand", subcommand)
        }
        ErrorKind::InvalidValue => {
            let line = if value.is_empty() {
                msg!("cli.clap.value_required", arg)
            } else {
                msg!("cli.clap.invalid_value", value, arg)
            };
            match context(error, ContextKind::ValidValue).filter(|v| !v.is_empty()) {
                Some(values) => format!("{line}\n  {}", msg!("cli.clap.possible_values", values)),
                None => line,
            }
        }
        ErrorKind::ValueValidation => match std::error::Error::source(error) {
            Some(reason) => msg!("cli.clap.invalid_value_because", value, arg, reason),
            None => msg!("cli.clap.invalid_value", value, arg),
        },
        ErrorKind::ArgumentConflict => conflict(error, &arg),
        ErrorKind::MissingRequiredArgument => {
            let mut line = msg!("cli.clap.missing_required");
            if let Some(ContextValue::Strings(missing)) = error.get(ContextKind::InvalidArg) {
                for argument in missing {
                    let _ = write!(line, "\n  {argument}");
                }
            }
            line
        }
        ErrorKind::NoEquals => msg!("cli.clap.no_equals", arg),
        ErrorKind::TooManyValues => msg!("cli.clap.too_many_values", value, arg),
        ErrorKind::MissingSubcommand => {
            let command = context(error, ContextKind::InvalidSubcommand).unwrap_or_default();
            msg!("cli.clap.missing_subcommand", command)
        }
        ErrorKind::InvalidUtf8 => msg!("cli.clap.invalid_utf8"),
        // Kinds this program's arguments cannot produce: clap's own words.
        kind => kind.as_str().unwrap_or_default().to_string(),
    }
}

/// An argument used with one it excludes, or twice.
fn conflict(error: &clap::error::Error<Localized>, arg: &str) -> String {
    match error.get(ContextKind::PriorArg) {
        Some(ContextValue::String(other)) if other == arg => msg!("cli.clap.used_twice", arg),
        Some(ContextValue::String(other)) => msg!("cli.clap.conflict", arg, other),
        Some(ContextValue::Strings(others)) => {
            let mut line = msg!("cli.clap.conflict_list", arg);
            for other in others {
                let _ = write!(line, "\n  {other}");
            }
            line
        }
        _ => msg!("cli.clap.conflict_others", arg),
    }
}

/// The tips of similar names clap found: a subcommand, an argument or a value.
fn suggestions(error: &clap::error::Error<Localized>) -> Vec<String> {
    let mut tips = Vec::new();
    for (kind, key) in [
        (
            ContextKind::SuggestedSubcommand,
            "cli.clap.similar_subcommand",
        ),
        (ContextKind::SuggestedArg, "cli.clap.similar_argument"),
        (ContextKind::SuggestedValue, "cli.clap.similar_value"),
    ] {
        let names: Vec<String> = match error.get(kind) {
            Some(ContextValue::String(name)) => vec![name.clone()],
            Some(ContextValue::Strings(names)) => names.clone(),
            _ => continue,
        };
        let list: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
        let n = names.len();
        tips.push(messages::text(
            key,
            &[("n", &n), ("names", &list.join(", "))],
        ));
    }
    tips
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command and argument of the command line has its help in every catalogue, and
    /// the catalogues have no help for a command or argument that is gone.
    #[test]
    fn every_command_and_argument_has_its_help_in_every_catalogue() {
        use clap::CommandFactory;
        let command = crate::Cli::command();
        let mut wanted = vec!["cli.help.about".to_string(), "cli.help.lang".to_string()];
        for sub in command.get_subcommands() {
            let name = sub.get_name();
            wanted.push(help_key(name, "about"));
            for arg in sub.get_arguments() {
                wanted.push(help_key(arguments_of(name), arg.get_id().as_str()));
            }
        }
        wanted.sort();
        wanted.dedup();
        assert!(wanted.len() > 40, "{wanted:?}");
        for language in messages::Language::ALL {
            let catalogue = messages::catalogue(language);
            let missing: Vec<&String> = wanted
                .iter()
                .filter(|k| !catalogue.contains_key(*k))
                .collect();
            let stale: Vec<&String> = catalogue
                .keys()
                .filter(|k| k.starts_with("cli.help.") && !wanted.contains(k))
                .collect();
            assert!(
                missing.is_empty() && stale.is_empty(),
                "{}: missing {missing:?}, for nothing {stale:?}",
                language.code()
            );
        }
    }
}
