#!/usr/bin/env python3
"""Groups a heaptrack profile of a render by what owns the memory (issue 29): typst's laid-out
frames, its content, comemo's memoization cache, the introspector, the PDF export.

    heaptrack -o /tmp/detail target/release/budsjett render --config detail-10000.toml ...
    python3 benches/heap_owners.py /tmp/detail.zst            # at the peak of the heap
    python3 benches/heap_owners.py /tmp/detail.zst --leaked   # alive when the process ended

Each allocation is charged to the first owner found walking its call stack from the allocation
upward (the rules below, most specific first). `--leaked` shows what was still allocated at the
end: `render` drops the laid-out document on a thread of its own and the process exits before
that thread is done, so this is close to the document and what comemo kept after its cache was
evicted (evicting keeps the cache's capacity). Needs heaptrack_print and c++filt (binutils,
which demangles Rust's symbols).
"""
import argparse
import collections
import re
import subprocess
import tempfile

# (owner, pattern of a demangled function name); the first rule matching a frame, from the
# allocation upward, takes the allocation.
OWNERS = (
    ("comemo: call trees of memoized calls (cache)", r"^comemo::tree::CallTree"),
    ("comemo: other (accelerators, its own allocations)", r"^comemo::"),
    ("PDF export (typst-pdf, krilla)", r"^(typst_pdf|krilla)::"),
    ("introspector", r"Introspector|introspect::"),
    ("table cells' content copied (header_mut, resolve_cell)", r"RawContent::clone_impl"),
    ("frames: items and text runs of laid-out pages", r"typst_library::layout::frame::Frame::"),
    ("shaped text", r"typst_layout::inline::shaping::"),
    ("grid resolution (table_to_cellgrid)", r"typst_library::layout::grid::resolve::"),
    ("realization (show rules)", r"^typst_realize::"),
    ("evaluation of the generated source (content)", r"^typst_eval::"),
    ("other layout", r"^typst_layout::"),
    ("other typst", r"^typst"),
    ("budsjett's own stages", r"^budsjett::"),
)


def demangle(symbols):
    out = subprocess.run(["c++filt"], input="\n".join(symbols), capture_output=True, text=True,
                         check=True).stdout.split("\n")
    clean = lambda s: re.sub(r"::h[0-9a-f]{16}$", "", re.sub(r"\[[0-9a-f]{16}\]", "", s))
    return {s: clean(d) for s, d in zip(symbols, out)}


def owners(profile, leaked=False):
    """MB of the heap by owner (a dict, largest first) in the heaptrack file `profile`: at the
    peak, or with `leaked` what was alive at the end."""
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as flame:
        subprocess.run(["heaptrack_print", "-f", profile, "--print-peaks", "0", "--print-allocators", "0",
                        "--print-leaks", "0", "--print-temporary", "0", "--print-flamegraph", flame.name,
                        "--flamegraph-cost-type", "leaked" if leaked else "peak"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stacks = []
        for line in flame:
            frames, _, cost = line.rstrip("\n").rpartition(" ")
            stacks.append(([f for f in frames.split(";") if f], int(cost)))
    names = demangle(sorted({f for frames, _ in stacks for f in frames}))
    rules = [(owner, re.compile(pattern)) for owner, pattern in OWNERS]
    owned = collections.Counter()
    for frames, cost in stacks:
        owner = next((o for f in reversed(frames) for o, rule in rules if rule.search(names[f])), "other")
        owned[owner] += cost
    return {owner: cost / 1e6 for owner, cost in owned.most_common()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("profile", help="a heaptrack file (.zst or .gz)")
    parser.add_argument("--leaked", action="store_true", help="what was alive at the end, not at the peak")
    parser.add_argument("--pages", type=int, help="also print MB per page of a document of this many pages")
    args = parser.parse_args()
    owned = owners(args.profile, args.leaked)
    print(f"{'leaked at the end' if args.leaked else 'at the peak'}: {sum(owned.values()):.1f} MB")
    for owner, mb in owned.items():
        per_page = f"  {mb / args.pages:6.3f} MB/page" if args.pages else ""
        print(f"{mb:9.1f} MB{per_page}  {owner}")


if __name__ == "__main__":
    main()
