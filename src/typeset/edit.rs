//! Brings the kept, parsed Typst main source up to a new text so that as many syntax nodes as
//! possible keep their spans. Spans are part of what typst's memoized evaluation and layout
//! hash, so a node whose span moved is laid out again even where nothing changed.
//! `Source::replace` edits the one range from the first difference to the last, which for a
//! changed amount in a generated report (its row near the end, the totals near the start) is
//! nearly the whole file: nearly every table was laid out again.

use std::ops::Range;

use typst::syntax::{FileId, Source, SyntaxNode};

/// The generated main file, parsed, and how many nodes the fresh parse had whose numbering
/// its spans carry (counted at the first update: a render that compiles once never needs it).
pub(super) struct MainSource {
    source: Source,
    numbered: Option<usize>,
}

impl MainSource {
    pub(super) fn new(id: FileId, text: String) -> MainSource {
        MainSource {
            source: Source::new(id, text),
            numbered: None,
        }
    }

    pub(super) fn source(&self) -> &Source {
        &self.source
    }

    /// Makes the source the parse of `new`. A fresh parse numbers each node by its place in
    /// the whole tree, spread evenly over the numbers a file has, so when it has as many
    /// nodes as the fresh parse the kept spans came from (changed amounts and words: a run of
    /// words is one text node), every node is numbered as it was: only what changed is laid
    /// out again. With nodes added or removed (a row more, a sentence or a table more) a
    /// fresh parse would move every span; the kept tree is then edited line by line
    /// ([`edit_by_lines`]), so that only the changed lines' nodes get new spans, and keeps
    /// its numbering for the next edit.
    pub(super) fn update(&mut self, new: String) {
        if self.source.text() == new {
            return;
        }
        let numbered = match self.numbered {
            Some(numbered) => numbered,
            None => *self.numbered.insert(nodes(self.source.root())),
        };
        let fresh = Source::new(self.source.id(), new);
        if nodes(fresh.root()) == numbered {
            self.source = fresh;
        } else {
            edit_by_lines(&mut self.source, fresh.text());
        }
    }
}

/// How many nodes a syntax tree has.
fn nodes(node: &SyntaxNode) -> usize {
    1 + node.children().map(nodes).sum::<usize>()
}

/// Edits `source` until its text is `new`: unchanged lines at the start and the end are kept;
/// when the lines between them are as many as before, each run of changed lines is one
/// edit (typst's incremental parser re-parses only around it), otherwise the lines between
/// are replaced as one. The text is then `new` exactly.
fn edit_by_lines(source: &mut Source, new: &str) {
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
        let fresh = Source::detached(new);
        // Edited line by line, and made anew (the same number of nodes: "1 000" and "1 500"
        // are one text node each).
        let mut edited = Source::detached(old);
        edit_by_lines(&mut edited, new);
        let mut updated = MainSource::new(fresh.id(), old.to_string());
        updated.update(new.to_string());
        for source in [&edited, updated.source()] {
            assert_eq!(source.text(), new);
            assert!(source.root().spanless_eq(fresh.root()));
        }
        assert_eq!(nodes(Source::detached(old).root()), nodes(fresh.root()));
        // A text with more nodes (the sum made strong) is edited line by line: the
        // unchanged lines' nodes keep their spans.
        let longer = new.replace("Sum 3 500", "Sum *3 500*");
        let mut updated = MainSource::new(fresh.id(), new.to_string());
        let table = updated.source().root().children().nth(2).unwrap().span();
        updated.update(longer.clone());
        let fresh_longer = Source::new(fresh.id(), longer.clone());
        assert_eq!(updated.source().text(), longer);
        assert!(updated.source().root().spanless_eq(fresh_longer.root()));
        assert_eq!(
            updated.source().root().children().nth(2).unwrap().span(),
            table
        );
        // (Where a fresh parse, numbering more nodes, moves it.)
        let moved = Source::detached(&longer)
            .root()
            .children()
            .nth(2)
            .unwrap()
            .span();
        assert_ne!(moved, table);
    }
}
