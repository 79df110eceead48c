//! Load: reads a report's files into typed records: the strategy chapter's CSV files
//! ([`chapter`], through the typed CSV tables of [`table`]), and the budget exports in every
//! dialect ([`dialect`], [`export`] and its records and rows) and as XLSX, as their
//! mapping profiles ([`profile`]) describe them, SSB's KOSTRA accounts files as they are
//! ([`kostra_file`]), the Markdown files of a prose folder ([`prose`]), and the
//! tiltak and projects files ([`tiltak`], [`projects`]).

pub(crate) mod chapter;
pub(crate) mod dialect;
pub mod export;
pub(crate) mod kostra;
pub mod kostra_file;
pub mod profile;
pub(crate) mod projects;
pub(crate) mod prose;
mod records;
mod row;
pub(crate) mod table;
pub(crate) mod tiltak;
pub(crate) mod xlsx;

pub use chapter::load;
pub(crate) use chapter::load_partial;
pub(crate) use table::LineCounter;
pub(crate) use table::{Series, read_series, read_table};
