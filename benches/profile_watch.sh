#!/usr/bin/env bash
# Where one `watch` re-render's instructions go (issue 29, goal 3): callgrind on a running
# watcher of the summary report of a generated budget. The watcher renders, one amount of the
# export's first line is changed (a warm-up re-render: the first one after a cold render fills
# caches the later ones reuse), callgrind's counters are zeroed, the amount is changed again,
# and the counters of that one re-render are dumped: change seen, read, typeset, exported and
# written, every thread. Instruction counts do not move with the load of a shared machine.
#
#     benches/profile_watch.sh [LINES] [WORK] [same]   # defaults: 10 000 lines, /tmp/budsjett-profile-watch
#
# With `same`, the profiled save writes the export again with the amount of the warm-up: a save
# that changes nothing, the floor of every re-render.
# Prints a Markdown table of the stages; the callgrind file stays in WORK. BUDSJETT_BIN names
# the binary (default target/release/budsjett). Under valgrind, SHA-256 runs without the CPU's
# SHA instructions (the fingerprint row is ~50x its native share) and a `rep movsb` copy counts
# one instruction per byte. Takes about two minutes: valgrind is ~50x slower.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LINES=${1:-10000}
WORK=${2:-/tmp/budsjett-profile-watch}
BIN=${BUDSJETT_BIN:-$ROOT/target/release/budsjett}
SAME=${3:-}
# The watcher's lines are matched in English ("wrote"), whatever the machine's language.
export LC_ALL=C.UTF-8

command -v valgrind >/dev/null || { echo "valgrind is missing: apt-get install valgrind" >&2; exit 2; }
[ -x "$BIN" ] || { echo "no binary at $BIN (cargo build --release, or set BUDSJETT_BIN)" >&2; exit 2; }

rm -rf "$WORK/out" "$WORK"/watch.cg*
mkdir -p "$WORK"
python3 "$ROOT/benches/generate.py" "$LINES" "$WORK/data" >/dev/null
export_csv="$WORK/data/export-$LINES.csv"
log="$WORK/watch.log"
: >"$log"
valgrind --tool=callgrind --dump-instr=no --callgrind-out-file="$WORK/watch.cg" \
    "$BIN" watch --config "$WORK/data/summary-$LINES.toml" --templates "$ROOT/templates" \
    --output "$WORK/out" >"$log" 2>"$WORK/watch.err" &
watcher=$!
trap 'kill $watcher 2>/dev/null || true' EXIT

# Waits until the watcher has written `n` PDFs (or stops with its log).
wrote() {
    for _ in $(seq 1 1200); do
        [ "$(grep -c '^wrote' "$log")" -ge "$1" ] && return 0
        kill -0 $watcher 2>/dev/null || break
        sleep 0.5
    done
    cat "$log" "$WORK/watch.err" >&2
    echo "the watcher did not write PDF number $1" >&2
    exit 1
}

# Changes the last field (an amount) of the export's first line, as benches/run.py does.
edit() {
    python3 - "$export_csv" "$1" <<'EOF'
import sys
path, round_ = sys.argv[1], int(sys.argv[2])
with open(path, encoding="utf-8", newline="") as f:
    lines = f.read().split("\r\n")
cells = lines[1].split(";")
cells[-1] = f"{1_000_000 + round_ * 1_000:,}".replace(",", " ")
lines[1] = ";".join(cells)
with open(path, "w", encoding="utf-8", newline="") as f:
    f.write("\r\n".join(lines))
EOF
}

wrote 1
edit 1
wrote 2
sleep 2
callgrind_control --zero $watcher >/dev/null 2>&1 || { echo "callgrind_control --zero failed" >&2; exit 1; }
if [ "$SAME" = same ]; then edit 1; else edit 2; fi
wrote 3
sleep 1
callgrind_control --dump $watcher >/dev/null 2>&1 || { echo "callgrind_control --dump failed" >&2; exit 1; }
sleep 2
kill $watcher
wait $watcher 2>/dev/null || true
trap - EXIT
dump="$WORK/watch.cg.1"
[ -s "$dump" ] || { echo "callgrind wrote no dump" >&2; exit 1; }

python3 - "$dump" "$LINES" "$SAME" "$ROOT/benches" <<'EOF'
import sys

path, lines = sys.argv[1], int(sys.argv[2])
sys.path.insert(0, sys.argv[4])
from callgrind import annotate

total, costs = annotate(path, True)
# (row, function, indented): inclusive instructions, as a share of the re-render.
ROWS = [
    ("budsjett's own stages (`pipeline::read_loaded`)", "budsjett::pipeline::read_loaded", 0),
    ("reading and summing the export", "budsjett::summed_budget::read", 1),
    ("SHA-256 of the inputs for the colophon (software SHA under valgrind)", "budsjett::fingerprint::Fingerprint::of", 1),
    ("presenting", "budsjett::present::present", 1),
    ("the template", "budsjett::template::Templates::render", 1),
    ("typst: the main file brought up to date (`MainSource::update`)", "budsjett::typeset::edit::MainSource::update", 0),
    ("typst: evaluation of the main file", "typst_eval::eval", 0),
    ("typst: layout iterations on the main thread", "<typst_layout::document::PagedDocument as typst_library::foundations::target_::Output>::create", 0),
    ("typst: layout on its worker threads (with krilla's deferred page streams)", "rayon_core::registry::ThreadBuilder::run", 0),
    ("PDF export (typst-pdf, krilla)", "typst_pdf::pdf", 0),
    ("pages: frames to content streams, with their tags", "typst_pdf::tags::page", 1),
    ("of which text runs (`handle_text`)", "typst_pdf::text::handle_text", 2),
    ("the tag tree resolved", "typst_pdf::tags::resolve::resolve", 1),
    ("`Document::finish`: objects serialized", "krilla::document::Document::finish", 1),
    ("of which the tag tree serialized", "krilla::interchange::tagging::TagTree::serialize", 2),
    ("of which chunks renumbered into one file", "pdf_writer::chunk::Chunk::renumber_into", 2),
    ("of which fonts subset and embedded", "krilla::text::cid::CIDFont::serialize", 2),
    ("deflate (memoized content streams that missed, fonts; every thread)", "krilla::stream::deflate_encode", 1),
    ("writing the PDF", "budsjett::write::write_set_flushed", 0),
]
what = "the same bytes saved again" if sys.argv[3] == "same" else "one amount changed"
print(f"\nOne `watch` re-render of the summary report, {lines} lines, {what} "
      f"(callgrind, every thread): {total / 1e6:,.0f} M instructions\n")
print("| stage | M instructions | share |")
print("| --- | ---: | ---: |")
for row, function, indent in ROWS:
    cost = costs.get(function)
    label = "&nbsp;&nbsp;" * indent + row
    if cost is None:
        print(f"| {label} | – | |")
    else:
        print(f"| {label} | {cost / 1e6:,.1f} | {cost / total:.1%} |")
EOF
echo
echo "callgrind file: $dump (callgrind_annotate --inclusive=yes reads it)"
