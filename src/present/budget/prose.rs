//! The prose view: each group's Markdown chapter and the report's opening, as Typst markup
//! ready to print (made by [`crate::prose`], which escapes every character of the text and
//! fills each live figure from the printed tables). The presenter only carries it.

use std::collections::BTreeMap;

use serde::Serialize;

/// The prose of a report, as Typst markup ready to print (escaped, figures filled in).
#[derive(Debug, Clone, Serialize)]
pub struct ProseView {
    /// The part whose groups the prose speaks of: `drift` or `investering`.
    pub part: &'static str,
    /// The opening chapter, printed before the tables.
    pub opening: Option<String>,
    /// Each group's prose by its code.
    pub sectors: BTreeMap<String, SectorProse>,
    /// The label of every group's table by the group's code, for `{{tabell}}` to refer to.
    pub labels: BTreeMap<String, String>,
}

/// One group's prose.
#[derive(Debug, Clone, Serialize)]
pub struct SectorProse {
    /// As the whole-budget report prints it: `{{tabell}}` refers to the table by number.
    pub whole: String,
    /// As the group's own extract (`render --each`) prints it: `{{tabell}}` says "the table
    /// below", since the extract's tables are the group's own.
    pub extract: String,
    /// The group's code and name, as its chapter's heading prints them.
    pub heading: String,
}
