//! Records: reads the data records of a CSV source into the ledger, on several threads when
//! the file is large.
//!
//! A large file is split into parts at line ends that lie outside quoted fields (an even
//! number of quote characters before them), each part is read into a ledger of its own, and
//! the parts are merged back in file order: dimension values and versions are interned in the
//! order each part first saw them, lines and problems are appended part by part. The result is
//! exactly what one pass over the file gives: the same ids, lines, problems and line numbers,
//! whatever the number of threads.

use std::ops::Range;

use super::LineCounter;
use super::dialect;
use super::export::{Columns, Ledger, NONE, RowCells, SourceInfo, read_row, version_id};
use super::profile::Profile;
use crate::error::DataError;

/// Files with fewer bytes of records than this are read on one thread.
const PARALLEL_MIN_BYTES: usize = 1 << 20;

/// What every part of one source shares.
pub(super) struct Source<'a> {
    pub profile: &'a Profile,
    pub source: u16,
    pub columns: &'a Columns,
    pub headers: &'a [String],
    pub delimiter: u8,
    /// The whole decoded file.
    pub text: &'a str,
}

/// Reads the records in `text[start..]` (everything after the header line) into `ledger`.
pub(super) fn read(
    source: &Source<'_>,
    start: usize,
    ledger: &mut Ledger,
    info: &mut SourceInfo,
    problems: &mut Vec<DataError>,
) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    let parts = split(source.text.as_bytes(), start, threads, PARALLEL_MIN_BYTES);
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
                };
                // Version ids the profile's columns already refer to stay valid in every part.
                part.ledger.versions = ledger.versions.clone();
                let range = range.clone();
                scope.spawn(move || {
                    read_part(
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
        read_part(
            source,
            parts[0].clone(),
            first_lines[0],
            ledger,
            info,
            problems,
        );
        for handle in others {
            match handle.join() {
                Ok(part) => merge(ledger, info, problems, part, shared_versions),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
}

/// One part of a file, read on its own.
struct Part {
    ledger: Ledger,
    info: SourceInfo,
    problems: Vec<DataError>,
}

/// Splits `text[start..]` into at most `parts` ranges of about equal size, each ending at a
/// line end outside quoted fields; one range when the text is shorter than `min_bytes`.
fn split(text: &[u8], start: usize, parts: usize, min_bytes: usize) -> Vec<Range<usize>> {
    let len = text.len().saturating_sub(start);
    if parts < 2 || len < min_bytes {
        #[allow(clippy::single_range_in_vec_init)] // one part: the whole range
        return vec![start..text.len()];
    }
    let mut bounds = vec![start];
    let mut scanned = start;
    let mut quotes = 0usize;
    for k in 1..parts {
        let target = start + len * k / parts;
        if target <= scanned {
            continue;
        }
        quotes += text[scanned..target].iter().filter(|&&b| b == b'"').count();
        let mut pos = target;
        while pos < text.len() && !(text[pos] == b'\n' && quotes.is_multiple_of(2)) {
            if text[pos] == b'"' {
                quotes += 1;
            }
            pos += 1;
        }
        if pos + 1 >= text.len() {
            break;
        }
        bounds.push(pos + 1);
        scanned = pos + 1;
    }
    bounds.push(text.len());
    bounds.windows(2).map(|w| w[0]..w[1]).collect()
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

fn read_part(
    source: &Source<'_>,
    range: Range<usize>,
    first_line: u64,
    ledger: &mut Ledger,
    info: &mut SourceInfo,
    problems: &mut Vec<DataError>,
) {
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
                            format!(
                                "found {} fields, expected {width} like the header line (is a {} \
                                 missing, or a quote not closed?)",
                                record.len(),
                                dialect::delimiter_name(source.delimiter)
                            ),
                        )
                        .at_line(line),
                    );
                    continue;
                }
                read_row(
                    source.profile,
                    source.source,
                    line,
                    &RowCells::Csv(&record),
                    source.columns,
                    source.headers,
                    ledger,
                    info,
                    problems,
                );
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| first_line + p.line() - 1);
                problems.push(
                    DataError::new(file, format!("the row cannot be read: {e}")).at_line(line),
                );
            }
        }
    }
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
        split(text.as_bytes(), 0, n, 1)
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
        assert_eq!(split(b"a;1\nb;2\n", 0, 4, 1 << 20), vec![0..8]);
    }

    #[test]
    fn first_lines_count_the_lines_before_each_part() {
        let text = b"h\na\nb\nc\n";
        assert_eq!(first_lines(text, &[2..4, 4..6, 6..8]), vec![2, 3, 4]);
    }
}
