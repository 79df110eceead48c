//! Brings a kept, parsed Typst source up to a new text with small edits, one for each run of
//! changed lines, so that typst's incremental parser re-parses only those lines and every
//! other syntax node keeps its span. Spans are part of what typst's memoized evaluation and
//! layout hash: `Source::replace` edits the one range from the first difference to the last,
//! which for a changed amount in a generated report (its row near the end, the totals near
//! the start) is nearly the whole file, so nearly every table lost its memoized layout.

use std::ops::Range;

use typst::syntax::Source;

/// Edits `source` until its text is `new`: unchanged lines at the start and the end are kept;
/// when the lines between them are as many as before, each run of changed lines is one
/// edit, otherwise the lines between are replaced as one. The text is then `new` exactly.
pub(super) fn edit_by_lines(source: &mut Source, new: &str) {
    if source.text() == new {
        return;
    }
    for (range, with) in line_edits(source.text(), new).into_iter().rev() {
        source.edit(range, with);
    }
}

/// The edits that make `old` into `new`: byte ranges of `old` (in order, not overlapping)
/// and their new text, a slice of `new`.
fn line_edits<'a>(old: &str, new: &'a str) -> Vec<(Range<usize>, &'a str)> {
    let old_lines = lines(old);
    let new_lines = lines(new);
    let same = |(a, b): (&Range<usize>, &Range<usize>)| old[a.clone()] == new[b.clone()];
    let prefix = old_lines
        .iter()
        .zip(&new_lines)
        .take_while(|p| same(*p))
        .count();
    let suffix = old_lines[prefix..]
        .iter()
        .rev()
        .zip(new_lines[prefix..].iter().rev())
        .take_while(|p| same(*p))
        .count();
    let old_middle = &old_lines[prefix..old_lines.len() - suffix];
    let new_middle = &new_lines[prefix..new_lines.len() - suffix];
    let mut edits: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    if old_middle.len() == new_middle.len() {
        for (a, b) in old_middle.iter().zip(new_middle) {
            if same((a, b)) {
                continue;
            }
            match edits.last_mut() {
                // The line after the last edit's: one edit.
                Some((o, n)) if o.end == a.start => (o.end, n.end) = (a.end, b.end),
                _ => edits.push((a.clone(), b.clone())),
            }
        }
    } else {
        let start = |lines: &[Range<usize>], all: &[Range<usize>], len: usize| {
            lines
                .first()
                .map_or_else(|| all.get(prefix).map_or(len, |l| l.start), |l| l.start)
        };
        let end = |lines: &[Range<usize>], start: usize| lines.last().map_or(start, |l| l.end);
        let old_start = start(old_middle, &old_lines, old.len());
        let new_start = start(new_middle, &new_lines, new.len());
        edits.push((
            old_start..end(old_middle, old_start),
            new_start..end(new_middle, new_start),
        ));
    }
    edits
        .into_iter()
        .map(|(old, new_range)| (old, &new[new_range]))
        .collect()
}

/// The byte range of each line of `text`, its line break included.
fn lines(text: &str) -> Vec<Range<usize>> {
    let mut at = 0;
    text.split_inclusive('\n')
        .map(|line| {
            let range = at..at + line.len();
            at = range.end;
            range
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies the edits to `old` as `Source::edit` would, by hand.
    fn applied(old: &str, new: &str) -> (String, usize) {
        let edits = line_edits(old, new);
        let mut text = old.to_string();
        for (range, with) in edits.iter().rev() {
            text.replace_range(range.clone(), with);
        }
        (text, edits.len())
    }

    #[test]
    fn each_run_of_changed_lines_is_one_edit_and_the_text_comes_out_new() {
        let old = "a\nb 1\nc\nd 2\ne 3\nf\n";
        let new = "a\nb 9\nc\nd 8\ne 7\nf\n";
        assert_eq!(
            line_edits(old, new),
            vec![(2..6, "b 9\n"), (8..16, "d 8\ne 7\n")]
        );
        for (old, new, count) in [
            (old, new, 2),
            // Lines added, removed, at the start, at the end, without a last line break.
            ("a\nb\nc\n", "a\nb\nx\nc\n", 1),
            ("a\nb\nx\nc\n", "a\nb\nc\n", 1),
            ("a\nb\n", "x\na\nb\n", 1),
            ("a\nb", "a\nb\nc", 1),
            ("a\nb\nc", "a\nb", 1),
            ("", "a\n", 1),
            ("a\n", "", 1),
            ("a\nb\n", "a\nb\n", 0),
            ("x\nsame\ny\n", "z\nsame\nw\n", 2),
            ("a\nb\n", "a\nb\n\n", 1),
        ] {
            let (text, edits) = applied(old, new);
            assert_eq!(text, new, "{old:?} → {new:?}");
            assert_eq!(edits, count, "{old:?} → {new:?}");
        }
    }

    #[test]
    fn the_edited_source_is_the_new_text_parsed() {
        let old = "= Tittel\n#table(columns: 2,\n  [a], [1 000],\n  [b], [2 000],\n)\nSum 3 000\n";
        let new = "= Tittel\n#table(columns: 2,\n  [a], [1 500],\n  [b], [2 000],\n)\nSum 3 500\n";
        let mut source = Source::detached(old);
        edit_by_lines(&mut source, new);
        assert_eq!(source.text(), new);
        let fresh = Source::detached(new);
        assert!(source.root().spanless_eq(fresh.root()));
    }
}
