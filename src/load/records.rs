//! Records: reads the data records of a CSV source into the ledger, on several threads when
//! the file is large.
//!
//! A large file is split into parts at line ends that lie outside quoted fields (found with
//! csv's own quoting rules, see [`split`]), each part is read into a ledger of its own, and
//! the parts are merged back in file order: dimension values and versions are interned in the
//! order each part first saw them, lines and problems are appended part by part. The result is
//! exactly what one pass over the file gives: the same ids, lines, problems and line numbers,
//! whatever the number of threads.

use std::ops::Range;

use super::LineCounter;
use super::dialect;
use super::profile::Profile;
use super::row::{Columns, RowCells, RowSource, read_row, version_id};
use crate::error::DataError;
use crate::model::ledger::{Ledger, NONE, SourceInfo};

/// Files with fewer bytes of records than this are read on one thread.
pub(super) const PARALLEL_MIN_BYTES: usize = 1 << 20;

/// What every part of one source shares.
pub(super) struct Source<'a> {
    pub profile: &'a Profile,
    pub source: u16,
    pub columns: &'a Columns,
    pub(crate) headers: &'a [String],
    pub delimiter: u8,
    /// The whole decoded file.
    pub text: &'a str,
    /// How many threads a large file may be read on.
    pub threads: usize,
    /// Files with fewer bytes of records than this are read in one part
    /// ([`PARALLEL_MIN_BYTES`] but in tests).
    pub(crate) min_bytes: usize,
}

/// Reads the records in `text[start..]` (everything after the header line) into `ledger`.
pub(super) fn read(
    source: &Source<'_>,
    start: usize,
    ledger: &mut Ledger,
    info: &mut SourceInfo,
    problems: &mut Vec<DataError>,
) {
    let parts = split(
        source.text.as_bytes(),
        start,
        source.delimiter,
        source.threads,
        source.min_bytes,
    );
    let first_lines = first_lines(source.text.as_bytes(), &parts);
    // The first part is read here, into the ledger itself; any others on threads of their own.
    let shared_versions = ledger.versions.len();
    let empty_info = SourceInfo {
        rows: 0,
        filtered: 0,
        empty_amounts: 0,
        long_rows: 0,
        first_long_row: None,
        ..info.clone()
    };
    std::thread::scope(|scope| {
        let others: Vec<_> = parts[1..]
            .iter()
            .zip(&first_lines[1..])
            .map(|(range, &first_line)| {
                let mut part = Part {
                    ledger: Ledger::new(),
                    info: empty_info.clone(),
                    problems: Vec::new(),
                    last_record: None,
                };
                // Version ids the profile's columns already refer to stay valid in every part.
                part.ledger.versions = ledger.versions.clone();
                let range = range.clone();
                scope.spawn(move || {
                    part.last_record = read_part(
                        source,
                        range,
                        first_line,
                        &mut part.ledger,
                        &mut part.info,
                        &mut part.problems,
                    );
                    part
                })
            })
            .collect();
        let mut last_record = read_part(
            source,
            parts[0].clone(),
            first_lines[0],
            ledger,
            info,
            problems,
        );
        for handle in others {
            match handle.join() {
                Ok(part) => {
                    last_record = part.last_record.or(last_record);
                    merge(ledger, info, problems, part, shared_versions);
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        if let Some((byte, line)) = last_record {
            report_unclosed_quote(source, byte, line, problems);
        }
    });
}

/// A quote that is never closed makes the last record (from `byte`, at `line`) swallow the
/// rest of the file, whatever its field count: say so, instead of what that record seemed
/// to be.
fn report_unclosed_quote(
    source: &Source<'_>,
    byte: usize,
    line: u64,
    problems: &mut Vec<DataError>,
) {
    let Some(quote) = unclosed_quote(source.text.as_bytes(), byte, source.delimiter) else {
        return;
    };
    let quote_line = line
        + source.text.as_bytes()[byte..quote]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
    problems.retain(|p| p.line.is_none_or(|l| l < line));
    problems.push(
        DataError::new(&source.profile.file, unclosed_quote_message(quote_line))
            .at_line(quote_line),
    );
}

/// One part of a file, read on its own.
struct Part {
    ledger: Ledger,
    info: SourceInfo,
    problems: Vec<DataError>,
    /// Where its last record starts: byte and line.
    last_record: Option<(usize, u64)>,
}

/// Splits `text[start..]` into at most `parts` ranges of about equal size, each starting
/// where a record starts; one range when the text is shorter than `min_bytes`.
///
/// `start` must be where a record starts. The text is scanned with the csv crate's own
/// quoting rules (its defaults: `"` quotes, doubled inside a quoted field, no escape
/// character, no comments): a quote opens a quoted field only at the start of a field, so a
/// stray quote inside an unquoted cell (`Skjerm 24"`) is a literal character, as csv reads
/// it. A part may only end at a `\n` that is outside a quoted field.
pub(super) fn split(
    text: &[u8],
    start: usize,
    delimiter: u8,
    parts: usize,
    min_bytes: usize,
) -> Vec<Range<usize>> {
    let len = text.len().saturating_sub(start);
    if parts < 2 || len < min_bytes {
        #[allow(clippy::single_range_in_vec_init)] // one part: the whole range
        return vec![start..text.len()];
    }
    let mut scanner = Scanner::new(text, start, delimiter);
    let mut bounds = vec![start];
    for k in 1..parts {
        let target = (start + len * k / parts).max(*bounds.last().unwrap_or(&start));
        let Some(end) = scanner.record_end_from(target) else {
            break;
        };
        if end >= text.len() {
            break;
        }
        if end > *bounds.last().unwrap_or(&start) {
            bounds.push(end);
        }
    }
    bounds.push(text.len());
    bounds.windows(2).map(|w| w[0]..w[1]).collect()
}

/// Walks a text forward with csv's quoting rules, knowing at every quote whether it opens,
/// closes or is part of a field.
struct Scanner<'a> {
    text: &'a [u8],
    /// Where the first record starts.
    start: usize,
    delimiter: u8,
    /// Everything before this byte has been scanned.
    cursor: usize,
    /// Whether `cursor` is inside a quoted field.
    quoted: bool,
    /// Where the last quoted field opened.
    opened: usize,
}

impl<'a> Scanner<'a> {
    /// A scanner at `start`, a record start, outside any quoted field.
    fn new(text: &'a [u8], start: usize, delimiter: u8) -> Self {
        Scanner {
            text,
            start,
            delimiter,
            cursor: start,
            quoted: false,
            opened: start,
        }
    }

    /// The byte after the first `\n` at or after `target` that ends a record (lies outside
    /// quoted fields), or `None` when the text has no such line end.
    fn record_end_from(&mut self, target: usize) -> Option<usize> {
        loop {
            let next_quote = memchr::memchr(b'"', &self.text[self.cursor..])
                .map_or(self.text.len(), |i| self.cursor + i);
            if !self.quoted {
                let from = target.max(self.cursor);
                if from < next_quote
                    && let Some(i) = memchr::memchr(b'\n', &self.text[from..next_quote])
                {
                    return Some(from + i + 1);
                }
            }
            if next_quote >= self.text.len() {
                self.cursor = self.text.len();
                return None;
            }
            self.quote_at(next_quote);
        }
    }

    /// Takes the quote at `q` as csv does, and moves past it.
    fn quote_at(&mut self, q: usize) {
        if self.quoted {
            if self.text.get(q + 1) == Some(&b'"') {
                // A doubled quote inside a quoted field is one literal quote.
                self.cursor = q + 2;
            } else {
                // It closes the field; anything up to the next delimiter is literal.
                self.quoted = false;
                self.cursor = q + 1;
            }
        } else {
            let field_start = q == self.start
                || matches!(self.text[q - 1], b'\n' | b'\r')
                || self.text[q - 1] == self.delimiter;
            self.quoted = field_start;
            if field_start {
                self.opened = q;
            }
            self.cursor = q + 1;
        }
    }
}

/// Where the quote stands that opens a quoted field which is never closed (so that csv reads
/// the rest of the file into one cell), if there is one: scanned from `start`, a record start.
pub(crate) fn unclosed_quote(text: &[u8], start: usize, delimiter: u8) -> Option<usize> {
    let mut scanner = Scanner::new(text, start, delimiter);
    scanner.record_end_from(text.len());
    scanner.quoted.then_some(scanner.opened)
}

/// The first byte at or after `byte` that is not a line end: where a record csv reports at
/// the `\n` of a CRLF pair really starts.
pub(crate) fn skip_line_ends(text: &[u8], mut byte: usize) -> usize {
    while byte < text.len() && matches!(text[byte], b'\r' | b'\n') {
        byte += 1;
    }
    byte
}

/// The message for a quote that is never closed, at `line`.
pub(crate) fn unclosed_quote_message(line: u64) -> String {
    crate::msg!("records.unclosed_quote", line)
}

/// The line each range starts on (line 1 is the first line of the file).
fn first_lines(text: &[u8], parts: &[Range<usize>]) -> Vec<u64> {
    let mut line = 1u64;
    let mut counted = 0usize;
    parts
        .iter()
        .map(|range| {
            line += text[counted..range.start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            counted = range.start;
            line
        })
        .collect()
}

/// Reads the records in `range`; returns where the last one starts (byte and line).
fn read_part(
    source: &Source<'_>,
    range: Range<usize>,
    first_line: u64,
    ledger: &mut Ledger,
    info: &mut SourceInfo,
    problems: &mut Vec<DataError>,
) -> Option<(usize, u64)> {
    let mut last_record = None;
    let file = &source.profile.file;
    let offset = range.start as u64;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(source.delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(&source.text.as_bytes()[range.clone()]);
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter::starting_at(source.text.as_bytes(), range.start, first_line);
    let width = source.headers.len();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record
                    .position()
                    .map_or(0, |p| lines.line_at(offset + p.byte()));
                if let Some(p) = record.position() {
                    let byte = usize::try_from(offset + p.byte()).unwrap_or(0);
                    last_record = Some((skip_line_ends(source.text.as_bytes(), byte), line));
                }
                if record.len() == 1 && record.get(0).is_some_and(|c| c.trim().is_empty()) {
                    continue; // A blank line.
                }
                info.rows += 1;
                if record.len() > width {
                    // Extra fields after the last named column: some systems append them.
                    info.long_rows += 1;
                    info.first_long_row.get_or_insert(line);
                } else if record.len() < width {
                    problems.push(
                        DataError::new(
                            file,
                            crate::msg!(
                                "records.short_row",
                                found = record.len(),
                                width,
                                delimiter = dialect::delimiter_name(source.delimiter)
                            ),
                        )
                        .at_line(line),
                    );
                    continue;
                }
                read_row(
                    RowSource {
                        profile: source.profile,
                        source: source.source,
                        columns: source.columns,
                        headers: source.headers,
                    },
                    line,
                    &RowCells::Csv(&record),
                    ledger,
                    info,
                    problems,
                );
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| first_line + p.line() - 1);
                problems.push(
                    DataError::new(file, crate::msg!("records.unreadable_row", error = e))
                        .at_line(line),
                );
            }
        }
    }
    last_record
}

/// Appends a later part to what the parts before it gave, as if read in one pass.
fn merge(
    ledger: &mut Ledger,
    info: &mut SourceInfo,
    problems: &mut Vec<DataError>,
    part: Part,
    shared_versions: usize,
) {
    let ids: Vec<Vec<u32>> = part
        .ledger
        .dimensions
        .iter()
        .zip(ledger.dimensions.iter_mut())
        .map(|(theirs, ours)| {
            theirs
                .values
                .iter()
                .map(|v| ours.intern(&v.code, &v.text))
                .collect()
        })
        .collect();
    let versions: Vec<u16> = part
        .ledger
        .versions
        .iter()
        .enumerate()
        .map(|(i, v)| {
            if i < shared_versions {
                i as u16
            } else {
                version_id(ledger, v)
            }
        })
        .collect();
    ledger.lines.reserve(part.ledger.lines.len());
    for mut line in part.ledger.lines {
        for (role, id) in line.dims.iter_mut().enumerate() {
            if *id != NONE {
                *id = ids[role][*id as usize];
            }
        }
        line.version = versions[usize::from(line.version)];
        ledger.lines.push(line);
    }
    info.rows += part.info.rows;
    info.filtered += part.info.filtered;
    info.empty_amounts += part.info.empty_amounts;
    info.long_rows += part.info.long_rows;
    if info.first_long_row.is_none() {
        info.first_long_row = part.info.first_long_row;
    }
    problems.extend(part.problems);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str, n: usize) -> Vec<&str> {
        split(text.as_bytes(), 0, b';', n, 1)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn parts_end_at_line_ends_and_cover_the_text() {
        let text = "a;1\nb;2\nc;3\nd;4\ne;5\nf;6\n";
        let split = parts(text, 3);
        assert_eq!(split.concat(), text);
        assert!(split.len() > 1);
        assert!(split.iter().all(|p| p.ends_with('\n')), "{split:?}");
    }

    #[test]
    fn a_line_end_inside_quotes_is_never_a_boundary() {
        // The middle falls inside a quoted field that spans three lines.
        let text = "a;1\n\"x\ny\nz\nw\";2\nb;3\n";
        for n in 2..6 {
            let split = parts(text, n);
            assert_eq!(split.concat(), text);
            for p in &split {
                assert_eq!(p.matches('"').count() % 2, 0, "{split:?}");
            }
        }
    }

    #[test]
    fn small_texts_are_one_part() {
        assert_eq!(split(b"a;1\nb;2\n", 0, b';', 4, 1 << 20), vec![0..8]);
    }

    #[test]
    fn first_lines_count_the_lines_before_each_part() {
        let text = b"h\na\nb\nc\n";
        assert_eq!(first_lines(text, &[2..4, 4..6, 6..8]), vec![2, 3, 4]);
    }

    /// Where csv itself starts each record of `text`.
    /// Split into 2 to 7 parts, `text` comes back whole and every part begins at one of the
    /// record `starts` csv itself finds.
    fn assert_parts_start_records(text: &str, starts: &[usize]) {
        for n in 2..8 {
            let split = parts(text, n);
            assert_eq!(split.concat(), text);
            let mut at = 0;
            for p in &split {
                assert!(
                    starts.contains(&at),
                    "part at {at} is no record start: {split:?}"
                );
                at += p.len();
            }
        }
    }

    fn record_starts(text: &str) -> Vec<usize> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .flexible(true)
            .has_headers(false)
            .from_reader(text.as_bytes());
        let mut record = csv::ByteRecord::new();
        let mut starts = Vec::new();
        while reader.read_byte_record(&mut record).unwrap_or(false) {
            starts.push(record.position().map_or(0, |p| p.byte() as usize));
        }
        starts
    }

    #[test]
    fn a_stray_quote_in_an_unquoted_cell_does_not_open_a_field() {
        // csv reads `Skjerm 24"` literally; counting quote bytes would take the whole rest of
        // the text as quoted, or split inside the later quoted cell.
        let text = "a;Skjerm 24\";1\nb;x;2\nc;\"two\nlines\";3\nd;y;4\ne;z;5\nf;w;6\n";
        let starts = record_starts(text);
        assert_parts_start_records(text, &starts);
        // The quoted cell with a line break stays whole, in one part.
        assert!(parts(text, 7).iter().any(|p| p.contains("\"two\nlines\"")));
    }

    #[test]
    fn doubled_quotes_and_text_after_a_closing_quote() {
        // `"a""b"` is one quoted field; `"x"y` continues unquoted after the closing quote, so
        // its later quote is literal, as in csv.
        let text = "\"a\"\"\nb\";1\n\"x\"y\"z;2\nq;3\n\"m\nn\";4\nr;5\n";
        let starts = record_starts(text);
        assert_eq!(starts.len(), 5, "{starts:?}");
        assert_parts_start_records(text, &starts);
    }

    #[test]
    fn an_unclosed_quote_is_found_where_it_opens() {
        let text = b"a;1\nb;\"open\nc;3\nd;4\n";
        assert_eq!(unclosed_quote(text, 0, b';'), Some(6));
        assert_eq!(
            unclosed_quote(b"a;\"x\"\"y\";1\nb;Skjerm 24\";2\n", 0, b';'),
            None
        );
    }
}
