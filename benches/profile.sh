#!/usr/bin/env bash
# Where the instructions go (issue 29): callgrind on the release binary rendering the summary and
# the detail report of a generated budget, and on typst-cli compiling the very Typst source
# budsjett generated, with the same PDF standards. Instruction counts do not move with the load
# of a shared machine, so two builds (or budsjett and typst-cli) compare where wall times cannot.
#
#     benches/profile.sh [LINES] [WORK]     # defaults: 10 000 lines, /tmp/budsjett-profile
#
# Prints, per report, a Markdown table of the stages (budsjett's own, typst's compile and
# layout, PDF export), the known hot spots inside typst and the functions that cost the most
# instructions themselves; the callgrind files stay in WORK (callgrind_annotate reads them).
# Under valgrind a copy with `rep movsb` counts one instruction per byte, so memcpy's share of
# instructions is larger than its share of time. BUDSJETT_BIN names the binary (default
# target/release/budsjett, symbols kept); TYPST_BIN typst-cli 0.15.1 (default `typst`; without
# it the typst-cli rows are left out). Takes a few minutes per run: valgrind is ~50x slower.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LINES=${1:-10000}
WORK=${2:-/tmp/budsjett-profile}
BIN=${BUDSJETT_BIN:-$ROOT/target/release/budsjett}
TYPST=${TYPST_BIN:-typst}

command -v valgrind >/dev/null || { echo "valgrind is missing: apt-get install valgrind" >&2; exit 2; }
[ -x "$BIN" ] || { echo "no binary at $BIN (cargo build --release, or set BUDSJETT_BIN)" >&2; exit 2; }

mkdir -p "$WORK/out"
python3 "$ROOT/benches/generate.py" "$LINES" "$WORK/data" >/dev/null
callgrind() { valgrind --tool=callgrind --dump-instr=no --callgrind-out-file="$1" "${@:2}" >/dev/null 2>&1; }

for kind in summary detail; do
    config="$WORK/data/$kind-$LINES.toml"
    "$BIN" render --config "$config" --templates "$ROOT/templates" --output "$WORK/out" --keep-source >/dev/null
    callgrind "$WORK/$kind-budsjett.cg" "$BIN" render --config "$config" --templates "$ROOT/templates" --output "$WORK/out"
    if command -v "$TYPST" >/dev/null; then
        peer="$WORK/typst-$kind"
        mkdir -p "$peer"
        cp "$WORK/out/$kind-$LINES.typ" "$peer/main.typ"
        cp "$ROOT"/templates/*.typ "$peer/"
        (cd "$peer" && callgrind "$WORK/$kind-typst.cg" "$TYPST" compile --root . --ignore-system-fonts \
            --features a11y-extras --pdf-standard a-2a --pdf-standard ua-1 main.typ "$WORK/$kind-typst.pdf")
    fi
done

python3 - "$WORK" "$LINES" "$ROOT/benches" <<'EOF'
import os, sys

work, lines = sys.argv[1], int(sys.argv[2])
sys.path.insert(0, sys.argv[3])
from callgrind import annotate

# (row, function): inclusive instructions of these, as a share of the whole process.
STAGES = [
    ("budsjett's own stages (load, import, present, fingerprint, template)", "budsjett::pipeline::read_loaded"),
    ("typst: evaluation and layout on the main thread", "budsjett::typeset::Session::compile"),
    ("typst: layout on its worker threads", "rayon_core::registry::ThreadBuilder::run"),
    ("typst: PDF export (typst-pdf, krilla)", "typst_pdf::pdf"),
    ("`Args::consume` (a function's `..sink` of arguments)", "typst_library::foundations::args::Args::consume"),
    ("`TextItem::bbox` (bounding boxes of tagged text)", "typst_library::text::item::TextItem::bbox"),
    ("memcpy (counted per byte under valgrind)", "__memcpy_avx_unaligned_erms"),
]


for kind in ("summary", "detail"):
    print(f"\n{kind} report, {lines} lines (callgrind, instructions in millions):\n")
    runs = [("budsjett", f"{work}/{kind}-budsjett.cg"), ("typst-cli, same source", f"{work}/{kind}-typst.cg")]
    runs = [(name, path) for name, path in runs if os.path.exists(path)]
    measured = {name: annotate(path, True) for name, path in runs}
    print("| | " + " | ".join(name for name, _ in runs) + " |")
    print("| --- |" + " ---: |" * len(runs))
    print("| whole process | " + " | ".join(f"{measured[n][0] / 1e6:,.0f}" for n, _ in runs) + " |")
    typst_compile = {"budsjett::typeset::Session::compile": "typst::compile"}
    for row, function in STAGES:
        cells = []
        for name, _ in runs:
            total, costs = measured[name]
            if name != "budsjett":
                function = typst_compile.get(function, function)
            cost = costs.get(function)
            cells.append("–" if cost is None else f"{cost / 1e6:,.0f} ({100 * cost / total:.1f} %)")
        print(f"| {row} | " + " | ".join(cells) + " |")
    total, own = annotate(f"{work}/{kind}-budsjett.cg", False)
    print(f"\nbudsjett, the functions that cost the most instructions themselves:\n")
    print("| function | M instructions | share |")
    print("| --- | ---: | ---: |")
    for function, cost in sorted(own.items(), key=lambda kv: -kv[1])[:12]:
        print(f"| `{function[:90]}` | {cost / 1e6:,.0f} | {100 * cost / total:.1f} % |")
EOF
