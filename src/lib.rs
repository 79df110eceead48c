//! budsjett turns a municipality's budget and timeline data into the PDF reports its council
//! reads.
//!
//! The pipeline, one module per stage:
//! **load** ([`load`]) → **validate** ([`validate`]) → **aggregate** ([`aggregate`]) →
//! **present** ([`present`], with [`format`]) → **template** ([`template`]) →
//! **typeset** ([`typeset`]) → **write** ([`write`]). [`pipeline`] wires them together, once,
//! for every command and holds the error any stage can end in; [`summed_budget`] is the budget
//! path's load → validate → aggregate. This module only names the modules (and holds
//! [`msg!`], which Rust exports at the crate's root); it re-exports nothing, so that every
//! module imports only from the modules below it.

#![warn(unreachable_pub)]

pub mod aggregate;
pub mod amount;
pub(crate) mod background;
pub mod builtin;
pub mod check;
pub mod config;
pub mod each;
pub mod error;
pub mod explain;
pub mod financial_rules;
pub(crate) mod fingerprint;
pub mod fonts;
pub mod format;
pub mod guess;
pub mod init;
pub(crate) mod input;
pub mod load;
pub mod memory;
pub mod messages;
pub mod model;
pub(crate) mod output_set;
pub mod pipeline;
pub mod placeholders;
pub mod present;
pub mod progress;
pub(crate) mod prose;
pub(crate) mod schema;
pub mod serve;
pub(crate) mod summed_budget;
pub mod template;
pub mod text;
pub mod typeset;
pub mod validate;
pub mod watch;
pub mod words;
pub mod write;
