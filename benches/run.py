#!/usr/bin/env python3
"""The benchmark suite: budsjett against typst-cli, pdflatex and WeasyPrint on generated
budgets of 10 000, 100 000 and 1 000 000 lines, in one run on one machine.

    python3 benches/run.py            # installs the peers if missing, runs everything,
                                      # writes benches/results.md and the README's table
    python3 benches/run.py --smoke    # every part once, smallest sizes, one round: that the
                                      # suite runs end to end (tables to $BENCH_DIR/results.md)
    python3 benches/run.py --only curve --only each-watch   # some parts (sizes, peers, curve,
                                      # each-watch); tables to $BENCH_DIR/results.md
    python3 benches/run.py --only peers --publish   # the last part; every part measured the
                                      # same binary: writes results.md and the README's table

Measured as medians after a warm-up, whole process, release build, plus peak RSS
(/usr/bin/time, the largest of 3 runs). A tool alone: 5 runs with hyperfine. budsjett and its
peers on the same report: 7 rounds in turns (every tool once per round), so that they share the
machine's slow and fast moments and their ratios are steady:
- read + aggregate (`budsjett check`), for each size: wall time, MB/s of CSV, peak RSS;
- the summary report (one section per tjenesteområde, one row per tjeneste) for each size;
- for 10 000 lines, the summary and the detail report (every line listed) against: typst-cli
  compiling the very Typst source budsjett generated (the difference is only budsjett's
  pipeline and embedding), typst-cli compiling the straightforward Typst a person would write
  for the same tables, pdflatex (two passes, longtable) and, for the summary, WeasyPrint
  (Jinja2 + HTML), all from the same figures (benches/peers.py);
- the detail report of 2 500 to 20 000 lines: typesetting time against pages; and of 2 500 to
  100 000 lines: peak memory against lines and pages (issue 29);
- the issues' targets, as ratios from this one run, met or not, and where not, the wall it hit (typst
  itself on the same source where this run shows it, else where the profile that shows it is);
- issue 29: the detail report of 10 000 and 20 000 lines under heaptrack: who owns the heap at
  its peak and what is left after layout, per page (benches/heap_owners.py; `--only heap`);
- issue 14: `render --each area` (20 sector PDFs from a 10 000-line budget of 20
  tjenesteområder) on 1 worker against 2, and `watch` (cold render against the re-render after
  one amount in the 10 000-line export changed).

Timing assertions never go into the test suite; this is where the numbers live.
"""
import argparse
import json
import os
import platform
import queue
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.environ.get("BENCH_DIR", "/tmp/budsjett-bench")
BUDSJETT = os.environ.get("BUDSJETT_BIN", os.path.join(ROOT, "target", "release", "budsjett"))
TYPST_VERSION = "0.15.1"
SIZES = (10_000, 100_000, 1_000_000)
# The detail report of these sizes shows typesetting time against pages,
CURVE = (2_500, 5_000, 10_000, 20_000)
# and of these peak memory against lines (a finance department's full listing is 50 000 to
# 100 000 lines).
MEMORY = (2_500, 10_000, 20_000, 50_000, 100_000)
# The detail report of these two sizes under heaptrack: what owns the heap, per page as the slope
# between them.
HEAP = (10_000, 20_000)
# --smoke: every part once, on the smallest sizes, one round: the suite still runs end to end.
SMOKE = False
# --quick: every size, but 2 runs (2 rounds in turns) without a warm-up, peak RSS of 1 run and
# 4 watch edits: for a machine shared with other work, or a deadline. The tables say so.
QUICK = False


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def have(tool):
    return shutil.which(tool) is not None


def install_peers(need_peers=True, need_heap=False):
    """Installs what the chosen parts need and is missing: hyperfine, pdfinfo and GNU time
    always; the peer typesetters (pdflatex, WeasyPrint with Jinja2, typst-cli) for `peers`;
    heaptrack and c++filt for `heap`."""
    tools = [("hyperfine", "hyperfine"), ("pdfinfo", "poppler-utils")]
    if need_heap:
        tools += [("heaptrack", "heaptrack"), ("c++filt", "binutils")]
    if need_peers:
        tools += [("pdflatex", "texlive-latex-base"), ("pdflatex", "texlive-latex-recommended"),
                  ("weasyprint", "weasyprint")]
    apt = [p for tool, p in tools if not have(tool)]
    try:
        import_ok = subprocess.run(["/usr/bin/python3", "-c", "import jinja2"], capture_output=True).returncode == 0
    except FileNotFoundError:
        import_ok = False
    if need_peers and not import_ok:
        apt.append("python3-jinja2")
    if not os.path.exists("/usr/bin/time"):
        apt.append("time")
    if apt:
        run(["apt-get", "update", "-qq"])
        run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *sorted(set(apt))],
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    typst_ok = have("typst") and TYPST_VERSION in subprocess.run(["typst", "--version"], capture_output=True,
                                                                  text=True).stdout
    if need_peers and not typst_ok:
        run(["cargo", "install", "--locked", "typst-cli", "--version", TYPST_VERSION])


def hyperfine(name, command, runs=5):
    """Median and range (seconds) of `command` (a shell string) over `runs` runs."""
    out = os.path.join(WORK, "hyperfine.json")
    warmup, runs = (0, 2) if SMOKE or QUICK else (1, runs)
    cmd = ["hyperfine", "--warmup", str(warmup), "--runs", str(runs), "--export-json", out, "--style", "none"]
    run(cmd + [command], stdout=subprocess.DEVNULL)
    with open(out) as f:
        result = json.load(f)["results"][0]
    times = result["times"]
    print(f"  {name}: median {statistics.median(times):.3f} s", flush=True)
    return {"name": name, "median": statistics.median(times), "min": min(times), "max": max(times)}


def interleaved(commands, runs=7):
    """Median and range (seconds) of each (name, shell command), timed in turns: a warm-up of
    each, then `runs` rounds that run every command once, starting with a different one each
    round. Tools compared with each other share the machine's slow and fast moments, so their
    ratios are steadier than with one tool's runs after another's. Each result also has `cpu`:
    the median CPU time (user + system, every thread) of the command, which the load of other
    work moves far less than the wall time."""
    cpu_times = {}

    def once(command):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, shell=True, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_times.setdefault(command, []).append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        return wall

    if SMOKE or QUICK:
        runs = 1 if SMOKE else 2
    else:
        for _, command in commands:
            once(command)
    times = {name: [] for name, _ in commands}
    for round_ in range(runs):
        for k in range(len(commands)):
            name, command = commands[(round_ + k) % len(commands)]
            times[name].append(once(command))
    result = {}
    for name, values in times.items():
        print(f"  {name}: median {statistics.median(values):.3f} s", flush=True)
        cpu = statistics.median(cpu_times[dict(commands)[name]][-len(values):])
        result[name] = {"name": name, "median": statistics.median(values), "min": min(values), "max": max(values),
                        "cpu": cpu}
    return result


def peak_rss_mb(command, runs=3):
    """The largest peak RSS of `runs` runs of a shell command, in MB."""
    peaks = []
    for _ in range(1 if SMOKE or QUICK else runs):
        result = subprocess.run(["/usr/bin/time", "-f", "%M", "sh", "-c", command + " >/dev/null 2>&1"],
                                capture_output=True, text=True)
        peaks.append(int(result.stderr.strip().splitlines()[-1]) / 1024)
    return max(peaks)


def pdf_pages(pdf):
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    return int(next(l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")))


def phases(command, runs=5):
    """The median of each phase `render --timings` prints, in milliseconds, over `runs` runs."""
    units = {"ns": 1e-6, "µs": 1e-3, "ms": 1.0, "s": 1000.0}
    seen = {}
    for _ in range(1 if SMOKE or QUICK else runs):
        out = subprocess.run(command + " --timings", shell=True, check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 2 and not parts[0].startswith("wrote"):
                value = parts[1].rstrip("nµms")
                unit = parts[1][len(value):]
                seen.setdefault(parts[0], []).append(float(value) * units[unit])
    return {name: statistics.median(times) for name, times in seen.items()}


def generated(size):
    """The folder of the generated budget of `size` lines (made once, seeded)."""
    data = os.path.join(WORK, f"data-{size}")
    if not os.path.exists(os.path.join(data, f"export-{size}.csv")):
        run([sys.executable, os.path.join(ROOT, "benches", "generate.py"), str(size), data],
            stdout=subprocess.DEVNULL)
    return data


def sizes_part(templates, rows, read_rows):
    """`check` and the summary report for each size but the first (budsjett alone)."""
    for size in SIZES:
        data = generated(size)
        csv_mb = os.path.getsize(os.path.join(data, f"export-{size}.csv")) / 1e6
        out = os.path.join(WORK, f"out-{size}")
        os.makedirs(out, exist_ok=True)
        print(f"{size} lines ({csv_mb:.1f} MB)", flush=True)

        check = f"{BUDSJETT} check --config {data}/summary-{size}.toml"
        r = hyperfine("check (read + aggregate)", check)
        r.update(size=size, rss=peak_rss_mb(check), mb=csv_mb)
        read_rows.append(r)

        if size != SIZES[0]:
            render = f"{BUDSJETT} render --config {data}/summary-{size}.toml --templates {templates} --output {out}"
            r = hyperfine("budsjett summary", render)
            r.update(size=size, report="summary", tool="budsjett", rss=peak_rss_mb(render),
                     pages=pdf_pages(f"{out}/summary-{size}.pdf"))
            rows.append(r)


def peers_part(templates, rows, phase_rows):
    """budsjett and its peers on the same content of the first size, from the source and
    figures budsjett produced, timed in turns."""
    size = SIZES[0]
    data = generated(size)
    out = os.path.join(WORK, f"out-{size}")
    os.makedirs(out, exist_ok=True)
    for kind in ("summary", "detail"):
        run([BUDSJETT, "render", "--config", f"{data}/{kind}-{size}.toml", "--templates", templates,
             "--output", out, "--keep-source"], stdout=subprocess.DEVNULL)
        peers = os.path.join(WORK, f"peers-{kind}-{size}")
        args = ["/usr/bin/python3", os.path.join(ROOT, "benches", "peers.py"), f"{out}/{kind}-{size}.view.json",
                f"{out}/{kind}-{size}.typ", templates, peers]
        if kind == "detail":
            args.append("--no-html")
        run(args)
        render = f"{BUDSJETT} render --config {data}/{kind}-{size}.toml --templates {templates} --output {out}"
        phase_rows.append((kind, phases(render)))
        # (tool, command, the PDF it writes). Both typst-cli peers make the same PDF
        # standards as budsjett (PDF/A-2a, PDF/UA-1), with the feature budsjett turns on
        # (`a11y-extras`: row labels are row headers, which typst refuses without it).
        group = [("budsjett", render, f"{out}/{kind}-{size}.pdf")]
        for tool, folder in ((f"typst-cli {TYPST_VERSION}, budsjett's source", "typst"),
                             (f"typst-cli {TYPST_VERSION}, straightforward source", "plain")):
            group.append((tool, f"typst compile --root {peers}/{folder} --ignore-system-fonts --features a11y-extras "
                                f"--pdf-standard a-2a --pdf-standard ua-1 {peers}/{folder}/main.typ {peers}/{folder}.pdf",
                          f"{peers}/{folder}.pdf"))
        group.append(("pdflatex ×2", f"cd {peers} && rm -f report.aux report.toc && pdflatex -interaction=batchmode "
                                     f"report.tex && pdflatex -interaction=batchmode report.tex",
                      f"{peers}/report.pdf"))
        if kind == "summary":
            group.append(("WeasyPrint", f"weasyprint {peers}/report.html {peers}/weasy.pdf", f"{peers}/weasy.pdf"))
        print(f"  {kind}, in turns:", flush=True)
        timed = interleaved([(tool, command) for tool, command, _ in group])
        for tool, command, pdf in group:
            r = timed[tool]
            r.update(size=size, report=kind, tool=tool, rss=peak_rss_mb(command), pages=pdf_pages(pdf))
            rows.append(r)


def curve_part(templates, curve, memory):
    """The detail report of growing budgets: typesetting time against pages (CURVE), and peak
    memory against lines up to 100 000 (MEMORY; one run each: the peak does not move with the
    machine's load)."""
    def render(size):
        data = generated(size)
        out = os.path.join(WORK, f"out-{size}")
        os.makedirs(out, exist_ok=True)
        return (f"{BUDSJETT} render --config {data}/detail-{size}.toml --templates {templates} --output {out}",
                f"{out}/detail-{size}.pdf")

    for size in CURVE:
        command, pdf = render(size)
        r = hyperfine(f"budsjett detail {size}", command)
        r.update(size=size, rss=peak_rss_mb(command), pages=pdf_pages(pdf))
        curve.append(r)
    for size in MEMORY:
        command, pdf = render(size)
        rss = peak_rss_mb(command, runs=1)
        print(f"  budsjett detail {size}: peak RSS {rss:.0f} MB", flush=True)
        memory.append({"size": size, "rss": rss, "pages": pdf_pages(pdf)})


def heap_part(templates):
    """The detail report of the HEAP sizes under heaptrack: the heap at its peak and what was left
    when the process ended (the laid-out document and comemo's emptied cache), by owner
    (benches/heap_owners.py). Returns the result lines."""
    sys.path.insert(0, os.path.join(ROOT, "benches"))
    sys.dont_write_bytecode = True  # no __pycache__ in the repository
    import heap_owners
    runs = []
    for size in HEAP:
        data = generated(size)
        out = os.path.join(WORK, f"out-{size}")
        os.makedirs(out, exist_ok=True)
        profile = os.path.join(WORK, f"heap-{size}")
        run(["heaptrack", "-o", profile, BUDSJETT, "render", "--config", f"{data}/detail-{size}.toml",
             "--templates", templates, "--output", out], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        profile = next(profile + ext for ext in (".zst", ".gz") if os.path.exists(profile + ext))
        runs.append({"size": size, "pages": pdf_pages(f"{out}/detail-{size}.pdf"),
                     "peak": heap_owners.owners(profile), "left": heap_owners.owners(profile, leaked=True)})
        os.remove(profile)
        print(f"  heaptrack, detail {size}: peak heap {sum(runs[-1]['peak'].values()):.0f} MB", flush=True)
    return heap_lines(*runs)


def heap_lines(small, large):
    """The heap by owner at two sizes, and per page as the slope between them."""
    spaced = lambda n: f"{n:,}".replace(",", " ")
    pages = large["pages"] - small["pages"]
    per_page = lambda view, owner: (large[view].get(owner, 0) - small[view].get(owner, 0)) / pages
    owners = sorted(set(large["peak"]) | set(large["left"]), key=lambda o: -large["peak"].get(o, 0))
    lines = [f"Machine: {machine()}. Date: {time.strftime('%Y-%m-%d')}. Release build under heaptrack, one run "
             f"each. Each allocation is charged to the first owner on its call stack (`benches/heap_owners.py`). "
             f"*At the peak*: the end of layout, with comemo's memoized layout of all iterations alive; *left "
             f"after layout*: what was still allocated when the process ended (the laid-out document, which PDF "
             f"export needs whole, and the capacity comemo keeps after its cache is evicted). Per page: the slope "
             f"from {spaced(small['size'])} lines ({small['pages']} pages) to {spaced(large['size'])} ({large['pages']} "
             f"pages). Left after layout is a lower bound: `render` drops the document on a thread of its own, which "
             f"may have begun when the process ends.",
             "", f"| owner | peak MB, {small['pages']} pp | peak MB, {large['pages']} pp | MB per page at the peak "
                 f"| MB per page left after layout |", "| --- | ---: | ---: | ---: | ---: |"]
    for owner in owners:
        if large["peak"].get(owner, 0) >= 1 or large["left"].get(owner, 0) >= 1:
            lines.append(f"| {owner} | {small['peak'].get(owner, 0):.1f} | {large['peak'].get(owner, 0):.1f} | "
                         f"{per_page('peak', owner):.3f} | {per_page('left', owner):.3f} |")
    total = lambda run_, view: sum(run_[view].values())
    lines.append(f"| **all** | {total(small, 'peak'):.1f} | {total(large, 'peak'):.1f} | "
                 f"{(total(large, 'peak') - total(small, 'peak')) / pages:.3f} | "
                 f"{(total(large, 'left') - total(small, 'left')) / pages:.3f} |")
    return lines


PARTS = ("sizes", "peers", "curve", "each-watch", "heap")


def main(parts, publish):
    """Runs the chosen parts. Each part's figures are kept in WORK/parts.json, tagged with the
    binary they measured. A full run (every part, not --smoke), or `--publish` once every part
    has figures of the same binary (parts run one after another, e.g. while the peers install),
    writes benches/results.md and the README's table; otherwise the tables go to
    WORK/results.md."""
    install_peers(need_peers="peers" in parts, need_heap="heap" in parts)
    if "BUDSJETT_BIN" not in os.environ:
        run(["cargo", "build", "--release", "--quiet"], cwd=ROOT)
    os.makedirs(WORK, exist_ok=True)
    templates = os.path.join(ROOT, "templates")
    saved_path = os.path.join(WORK, "parts.json")
    binary = f"{os.path.getsize(BUDSJETT)}-{os.path.getmtime(BUDSJETT)}"
    saved = {}
    if os.path.exists(saved_path) and not SMOKE:
        with open(saved_path) as f:
            saved = {k: v for k, v in json.load(f).items() if v.get("binary") == binary}
    for part in parts:
        figures = {"rows": [], "read_rows": [], "curve": [], "memory": [], "phase_rows": []}
        if part == "sizes":
            sizes_part(templates, figures["rows"], figures["read_rows"])
        elif part == "peers":
            peers_part(templates, figures["rows"], figures["phase_rows"])
        elif part == "curve":
            curve_part(templates, figures["curve"], figures["memory"])
        elif part == "heap":
            figures["heap"] = heap_part(templates)
        else:
            figures["each_watch"] = each_watch()
        saved[part] = {"binary": binary, **figures}
        if not SMOKE:
            with open(saved_path, "w") as f:
                json.dump(saved, f)
    complete = not SMOKE and all(p in saved for p in PARTS) and (publish or set(parts) == set(PARTS))
    chosen = PARTS if complete else [p for p in PARTS if p in parts]
    results = os.path.join(ROOT, "benches", "results.md") if complete else os.path.join(WORK, "results.md")
    merged = {k: [x for p in chosen if p != "each-watch" for x in saved[p][k]]
              for k in ("rows", "read_rows", "curve", "memory", "phase_rows")}
    if {"sizes", "peers", "curve"} & set(chosen):
        write_results(merged["rows"], merged["read_rows"], merged["curve"], merged["memory"],
                      [tuple(r) for r in merged["phase_rows"]], results, readme=complete)
    if "each-watch" in chosen:
        write_each_watch(saved["each-watch"]["each_watch"], results)
    if "heap" in chosen:
        write_block("heap", "Where the detail report's memory goes (issue 29)", saved["heap"]["heap"], results)


def each_watch():
    """The issue-14 cases, measured in one run: `render --each area` serial against parallel,
    and `watch` after one amount changed against a cold render. Returns the result lines."""
    size = 10_000
    templates = os.path.join(ROOT, "templates")
    data = os.path.join(WORK, f"data-{size}-20areas")
    if not os.path.exists(os.path.join(data, f"export-{size}.csv")):
        run([sys.executable, os.path.join(ROOT, "benches", "generate.py"), str(size), data, "--areas", "20"],
            stdout=subprocess.DEVNULL)
    out = os.path.join(WORK, "out-each")
    shutil.rmtree(out, ignore_errors=True)
    each = f"{BUDSJETT} render --config {data}/summary-{size}.toml --templates {templates} --output {out} --each area"
    print("render --each area, 1 and 2 workers in turns:", flush=True)
    # typst lays pages out and exports on rayon's threads by itself, and budsjett readies typst's
    # fonts and library on a thread beside the reading, so `--jobs 1` already uses more than one
    # core; the run on one core is the process held to one CPU (taskset), or, without taskset,
    # RAYON_NUM_THREADS=1 with `--jobs 1` (which still has the readying thread).
    one_core = ("taskset -c 0 " if shutil.which("taskset") else "RAYON_NUM_THREADS=1 ") + each + " --jobs 1"
    timed = interleaved([("serial", each + " --jobs 1"), ("parallel", each + " --jobs 2"),
                         ("one core", one_core)], runs=5)
    pdfs = len([f for f in os.listdir(out) if f.endswith(".pdf")])
    serial, parallel, one_core = timed["serial"], timed["parallel"], timed["one core"]
    speedup = serial["median"] / parallel["median"]
    # The two-core ceiling is twice the rate of one core; the issue asks for 90 % of it. On a
    # machine loaded by other work the wall times are mostly that load: the CPU times say
    # whether the workers contend (more CPU in all than on one core), not how long they wait.
    ceiling = one_core["cpu"] / 2
    reached = one_core["median"] / parallel["median"] / 2

    # watch: a copy of the data (the export is edited), a cold render, then the watcher.
    wdata = os.path.join(WORK, "data-watch")
    shutil.rmtree(wdata, ignore_errors=True)
    shutil.copytree(generated(size), wdata)
    wout = os.path.join(WORK, "out-watch")
    config = f"{wdata}/summary-{size}.toml"
    cold = interleaved([("cold", f"{BUDSJETT} render --config {config} --templates {templates} --output {wout}")],
                       runs=7)["cold"]
    watch = subprocess.Popen([BUDSJETT, "watch", "--config", config, "--templates", templates, "--output", wout],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
    # watch's lines, read as they come: a render nobody asked for (a second one for one save)
    # is counted and not taken for the next edit's.
    lines_out = queue.Queue()

    def read_lines():
        for line in watch.stdout:
            lines_out.put(line)
        lines_out.put(None)

    threading.Thread(target=read_lines, daemon=True).start()
    renders, end_to_end, extra = [], [], 0
    edits = 2 if SMOKE else 4 if QUICK else 8
    try:
        def wrote():
            while True:
                line = lines_out.get(timeout=120)
                if line is None:
                    raise RuntimeError("watch stopped")
                if line.startswith("wrote"):
                    return line
                if line.startswith("not written"):
                    raise RuntimeError("watch could not render the edited data")

        wrote()
        export = os.path.join(wdata, f"export-{size}.csv")
        with open(export, encoding="utf-8", newline="") as f:
            lines = f.read().split("\r\n")
        for round_ in range(edits):
            # One amount of one line changes: the last field of line 2 (after the header).
            cells = lines[1].split(";")
            cells[-1] = f"{1_000_000 + round_ * 1_000:,}".replace(",", " ")
            lines[1] = ";".join(cells)
            time.sleep(0.3)
            while not lines_out.empty():
                extra += (lines_out.get() or "").startswith("wrote")
            start = time.perf_counter()
            with open(export, "w", encoding="utf-8", newline="") as f:
                f.write("\r\n".join(lines))
            line = wrote()
            end_to_end.append(time.perf_counter() - start)
            renders.append(int(line.rsplit(" in ", 1)[1].split()[0]) / 1000)
    finally:
        watch.kill()
        watch.wait()
    # The first re-render warms caches the later ones reuse; all eight are in the median.
    render_median = statistics.median(renders)
    e2e_median = statistics.median(end_to_end)
    print(f"  watch re-render median {render_median:.3f} s, end to end {e2e_median:.3f} s, cold {cold['median']:.3f} s",
          flush=True)
    return [
        f"Machine: {machine()}. Date: {time.strftime('%Y-%m-%d')}. Release build, whole process, in turns "
        f"({'1 round each, --smoke' if SMOKE else '2 rounds each, --quick' if QUICK else '5 rounds for `--each`, 7 cold renders'}); the machine is shared, so the load of other work is in "
        f"these figures (load average {os.getloadavg()[0]:.1f} at the end).", "",
        "| case | median s | range s | |", "| --- | ---: | --- | --- |",
        f"| `render --each area`, {pdfs} sector PDFs, `--jobs 1` | {serial['median']:.3f} | "
        f"{serial['min']:.3f}–{serial['max']:.3f} | |",
        f"| `render --each area`, {pdfs} sector PDFs, `--jobs 2` | {parallel['median']:.3f} | "
        f"{parallel['min']:.3f}–{parallel['max']:.3f} | {speedup:.2f}× the serial rate (fastest runs: "
        f"{serial['min'] / parallel['min']:.2f}×) |",
        f"| the same, `--jobs 1` held to one core (`taskset -c 0`; without taskset `RAYON_NUM_THREADS=1`) | {one_core['median']:.3f} | "
        f"{one_core['min']:.3f}–{one_core['max']:.3f} | `--jobs 2` is "
        f"{one_core['median'] / parallel['median']:.2f}× this rate (fastest runs: "
        f"{one_core['min'] / parallel['min']:.2f}×) |",
        f"| CPU time (user + system, every thread) of the whole run: one core, `--jobs 1`, `--jobs 2` | "
        f"{one_core['cpu']:.3f}, {serial['cpu']:.3f}, {parallel['cpu']:.3f} | | `--jobs 2` costs "
        f"{parallel['cpu'] / one_core['cpu']:.2f}× the CPU of one core (1.00: the workers contend for nothing); "
        f"on two idle cores it could take {ceiling:.3f} s |",
        f"| cold `render`, summary of 10 000 lines | {cold['median']:.3f} | {cold['min']:.3f}–{cold['max']:.3f} | |",
        f"| `watch`: re-render after one amount changed (change seen → PDF written, as watch prints it), "
        f"{edits} edits | {render_median:.3f} | {min(renders):.3f}–{max(renders):.3f} | "
        f"{render_median / cold['median']:.2f}× cold (fastest: {min(renders) / cold['min']:.2f}×) |",
        f"| `watch`: the same, end to end (file written → PDF written: the system's file notification "
        f"and the quiet after it, 15 ms once the file is closed) | {e2e_median:.3f} | {min(end_to_end):.3f}–{max(end_to_end):.3f} | "
        f"{e2e_median / cold['median']:.2f}× cold; {extra} extra render(s) for {edits} saves |",
        "", "| target (issues 14 and 29) | measured | met | where not met |", "| --- | ---: | --- | --- |",
        met_row(f"{pdfs} sector PDFs ≥ 1.7× the serial rate on 2 cores (`--jobs 2` against `--jobs 1`)",
                f"{speedup:.2f}×", speedup >= 1.7, spread(serial["min"] / parallel["min"] >= 1.7)),
        met_row("`--jobs 2` ≥ 90 % of the two-core ceiling: ≥ 1.8× the rate of one core (issue 29)",
                f"{reached:.0%}", reached >= 0.9,
                both(spread(one_core["min"] / parallel["min"] >= 1.8),
                     f"the workers contend: `--jobs 2` spends {parallel['cpu'] / one_core['cpu']:.2f}× one core's CPU "
                     f"on the same PDFs (the CPU row above), which alone holds it to "
                     f"{one_core['cpu'] / parallel['cpu']:.0%} of the ceiling; the budget is read and summed once, "
                     f"on one core, before the sectors")),
        met_row("watch: new PDF ≤ 0.25× the cold render time (re-render)",
                f"{render_median / cold['median']:.2f}×", render_median <= 0.25 * cold["median"],
                "PDF export is made whole on every render (README, *Where the 0.25× goal hits the wall*; "
                "`benches/profile_watch.sh`)"),
        met_row("the same, end to end ≤ 0.4× (issue 29)", f"{e2e_median / cold['median']:.2f}×",
                e2e_median <= 0.4 * cold["median"], spread(min(end_to_end) <= 0.4 * cold["min"])),
    ]


def write_each_watch(lines, path):
    """Puts the issue-14 figures into the results file `path` between their markers."""
    write_block("each-watch", "`render --each` and `watch` (issue 14)", lines, path)


def write_block(name, title, lines, path):
    """Puts a part's lines under `title` into the results file `path` between its markers."""
    text = ""
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            text = f.read()
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = start + f"\n## {title}\n\n" + "\n".join(lines) + "\n" + end
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print("\n".join(lines))


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores, {cpu}, {platform.system()} {platform.release()}"


def write_results(rows, read_rows, curve, memory, phase_rows, path, readme):
    """Writes the tables of the parts that ran to `path`, and with `readme` into the README
    between its markers."""
    spaced = lambda text: text.replace(",", " ")
    method = ("Whole process, median after a warm-up (range in brackets): for 10 000 lines, 7 rounds that run "
              "budsjett and every peer in turns; otherwise 5 runs. Peak RSS: the largest of 3 runs.")
    if QUICK or SMOKE:
        method = (f"`--{'quick' if QUICK else 'smoke'}`: whole process, median without a warm-up (range in brackets): "
                  f"for 10 000 lines, {2 if QUICK else 1} round(s) that run budsjett and every peer in turns; otherwise "
                  f"{2 if QUICK else 1} runs. Phases: 1 run. Peak RSS: 1 run.")
    lines = [f"Machine: {machine()}. Date: {time.strftime('%Y-%m-%d')}. " + method + " "
             f"The machine is shared, so the load of other work is in the times (load average "
             f"{os.getloadavg()[0]:.1f} at the end); ratios from runs in turns and peak memory are what it moves least.",
             "", "| lines | report | tool | pages | median s | range s | peak RSS MB | vs budsjett |",
             "| ---: | --- | --- | ---: | ---: | --- | ---: | ---: |"]
    base = {(r["size"], r["report"]): r["median"] for r in rows if r["tool"] == "budsjett"}
    for r in rows:
        ratio = r["median"] / base[(r["size"], r["report"])]
        lines.append(spaced(f"| {r['size']:,} | {r['report']} | ") + f"{r['tool']} | {r.get('pages', '')} | "
                     f"{r['median']:.3f} | {r['min']:.3f}–{r['max']:.3f} | {r['rss']:.0f} | {ratio:.2f}× |")
    lines += ["", "`budsjett check` (read, aggregate, view model and template; no typesetting, no PDF):", "",
              "| lines | CSV MB | median s | MB/s | lines/s | peak RSS MB |", "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in read_rows:
        lines.append(spaced(f"| {r['size']:,} | {r['mb']:.1f} | {r['median']:.3f} | {r['mb'] / r['median']:.0f} | "
                            f"{r['size'] / r['median']:,.0f} | {r['rss']:.0f} |"))
    names = list(dict.fromkeys(name for _, p in phase_rows for name in p))
    lines += ["", spaced(f"Phases inside budsjett for {SIZES[0]:,} lines") + " (`render --timings`, median of 5 runs, ms):",
              "", "| report | " + " | ".join(names) + " |", "| --- |" + " ---: |" * len(names)]
    for kind, p in phase_rows:
        lines.append(f"| {kind} | " + " | ".join(f"{p.get(n, 0):.1f}" for n in names) + " |")
    lines += ["", "The detail report (every line listed) of growing budgets: typesetting against pages.", "",
              "| lines | pages | median s | ms per page | peak RSS MB |", "| ---: | ---: | ---: | ---: | ---: |"]
    for r in curve:
        lines.append(spaced(f"| {r['size']:,} | {r['pages']} | {r['median']:.3f} | "
                            f"{1000 * r['median'] / r['pages']:.1f} | {r['rss']:.0f} |"))
    lines += ["", "Peak memory of the detail report against lines (one run each):", "",
              "| lines | pages | peak RSS MB | MB per page | MB per page over the previous row |",
              "| ---: | ---: | ---: | ---: | ---: |"]
    for before, r in zip([None] + memory, memory):
        step = (f"{(r['rss'] - before['rss']) / (r['pages'] - before['pages']):.2f}"
                if before and r["pages"] > before["pages"] else "")
        lines.append(spaced(f"| {r['size']:,} | {r['pages']} | {r['rss']:.0f} | {r['rss'] / r['pages']:.2f} | {step} |"))
    lines += targets(rows, read_rows, memory, phase_rows)

    table = "\n".join(lines) + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Benchmark results\n\nWritten by `python3 benches/run.py`.\n\n" + table)
    if readme:
        readme = os.path.join(ROOT, "README.md")
        with open(readme, encoding="utf-8") as f:
            text = f.read()
        start, end = "<!-- bench:start -->", "<!-- bench:end -->"
        if start in text and end in text:
            text = text[: text.index(start) + len(start)] + "\n" + table + text[text.index(end):]
            with open(readme, "w", encoding="utf-8") as f:
                f.write(text)
    print(table)
    print(f"(written to {path})")


def spread(fastest_meet, ratio=None):
    """Where a goal is missed on the medians but the fastest runs meet it (at RATIO, if given)."""
    shown = f" ({ratio:.2f}×)" if ratio is not None else ""
    return f"the fastest runs meet it{shown}: the machine's other work moves the medians" if fastest_meet else ""


def both(*walls):
    """The walls that are known, one after the other."""
    return "; ".join(wall for wall in walls if wall)


def met_row(target, measured, met, wall):
    """A row of a targets table: where a goal is not met, the wall it hit and where that is shown
    (— where none is known)."""
    return f"| {target} | {measured} | {'yes' if met else 'no'} | {'' if met else wall or '—'} |"


def targets(rows, read_rows, memory, phase_rows):
    """The issues' targets, as ratios from this run, met or not (and where not, the wall it hit):
    those whose figures ran."""
    spaced = lambda text: text.replace(",", " ")
    found = {(r["size"], r["report"], r["tool"]): r for r in rows}
    n = SIZES[0]
    typst_same = f"typst-cli {TYPST_VERSION}, budsjett's source"
    plain = f"typst-cli {TYPST_VERSION}, straightforward source"

    def ratio(report, tool, most, key="median"):
        ours, theirs = found.get((n, report, "budsjett")), found.get((n, report, tool))
        if ours and theirs:
            value = ours[key] / theirs[key]
            return f"{value:.2f}×", value <= most
        return None

    def own(report, most):
        ours = found.get((n, report, "budsjett"))
        return (f"{ours['rss']:.0f} MB", ours["rss"] <= most) if ours else None

    def weasy():
        ours, theirs = found.get((n, "summary", "budsjett")), found.get((n, "summary", "WeasyPrint"))
        return (f"{theirs['median'] / ours['median']:.1f}×", theirs["median"] >= 15 * ours["median"]) if ours and theirs else None

    def floor(report, tool, most):
        """Where budsjett misses a goal against TOOL: whether typst itself, on the same source, meets
        it (then the cost is budsjett's over typst, the rows against typst-cli) or not (the floor)."""
        same, theirs = found.get((n, report, typst_same)), found.get((n, report, tool))
        if not (same and theirs):
            return ""
        if tool == "WeasyPrint":
            value = theirs["median"] / same["median"]
            shown, typst_meets = f"{value:.1f}× faster than WeasyPrint", value >= most
        else:
            value = same["median"] / theirs["median"]
            shown, typst_meets = f"{value:.2f}× pdflatex's time", value <= most
        if typst_meets:
            return f"typst-cli on budsjett's source is {shown}: what is missing is budsjett's time over typst's"
        return f"typst itself: typst-cli on budsjett's source is {shown}"

    def fastest(report, tool, most):
        """Where a time goal is missed on the medians: the ratio of the fastest runs, if they meet it."""
        ours, theirs = found.get((n, report, "budsjett")), found.get((n, report, tool))
        if not (ours and theirs):
            return ""
        ratio = ours["min"] / theirs["min"]
        return spread(ratio <= most, ratio)

    def own_stages(report):
        """Where budsjett's time over typst-cli's on the same source is: its own stages (`render
        --timings`), which typst cannot begin before, against typst's part of the run."""
        phases_ = dict(phase_rows).get(report)
        same = found.get((n, report, typst_same))
        if not (phases_ and same):
            return ""
        typst = phases_.get("typeset", 0) + phases_.get("pdf", 0)
        own = sum(phases_.values()) - typst
        return (f"budsjett's own stages, {own:.0f} ms (reading and summing the export, view model, template, "
                f"writing; *Phases* above), come before and after typst's; typesetting and PDF export inside "
                f"budsjett take {typst / 1000 / same['median']:.2f}× typst-cli's whole run")

    cells = ("`render` lays table cells out without typst's cache of each, for memory (README, *Each table "
             "cell's layout memoized*: with it 0.99× typst-cli's time at 435 MiB)")
    document = ("typst's laid-out document and its PDF export (*Where the detail report's memory goes*, "
                "`--only heap`; README, *Memory against pages is the wall inside typst*)")
    whole = ("typst-pdf converts one whole laid-out document, about 1.3 MB of heap a page (README, "
             "*Typesetting in parts cannot lower the floor either*)")
    million = read_rows[-1] if read_rows else None
    largest = memory[-1] if memory else None
    rows_ = [
        ("summary ≤ 0.5× pdflatex (issue 6)", ratio("summary", "pdflatex ×2", 0.5),
         floor("summary", "pdflatex ×2", 0.5)),
        ("summary ≤ 1.0× typst-cli, straightforward source (issue 6)", ratio("summary", plain, 1.0),
         fastest("summary", plain, 1.0)),
        ("summary ≥ 15× faster than WeasyPrint (issue 6)", weasy(), floor("summary", "WeasyPrint", 15)),
        ("detail ≤ 1.0× pdflatex (issue 6)", ratio("detail", "pdflatex ×2", 1.0),
         floor("detail", "pdflatex ×2", 1.0)),
        ("detail ≤ 300 MB peak RSS (issues 6, 29)", own("detail", 300), document),
        ("summary ≤ 1.0× typst-cli on budsjett's source, time (issue 29)", ratio("summary", typst_same, 1.0),
         both(fastest("summary", typst_same, 1.0), own_stages("summary"))),
        ("summary ≤ 1.0× typst-cli on budsjett's source, peak RSS (issue 29)",
         ratio("summary", typst_same, 1.0, "rss"), ""),
        ("detail ≤ 1.0× typst-cli on budsjett's source, time (issue 29)", ratio("detail", typst_same, 1.0),
         both(cells, own_stages("detail"))),
        ("detail ≤ 1.0× typst-cli on budsjett's source, peak RSS (issue 29)",
         ratio("detail", typst_same, 1.0, "rss"), ""),
        (spaced(f"{million['size']:,} lines read + aggregated ≥ 150 MB/s (issue 6)") if million else "",
         (f"{million['mb'] / million['median']:.0f} MB/s", million["mb"] / million["median"] >= 150) if million else None,
         "for reference, session 9's run read 169 MB/s on this machine (README, *The last quiet run*)"
         if million and million["size"] == 1_000_000 else ""),
        (spaced(f"{million['size']:,} lines read + aggregated ≤ 300 MB (issue 6)") if million else "",
         (f"{million['rss']:.0f} MB", million["rss"] <= 300) if million else None, ""),
        (spaced(f"detail of {largest['size']:,} lines within 1.5 GB (issue 29)") if largest else "",
         (f"{largest['rss']:.0f} MB", largest["rss"] <= 1500) if largest else None, whole),
    ]
    lines = ["", "Targets, " + spaced(f"{n:,}") + " lines unless stated:", "",
             "| target | measured | met | where not met |", "| --- | ---: | --- | --- |"]
    lines += [met_row(name, value, met, wall) for name, found_, wall in rows_ if found_
              for value, met in [found_]]
    return lines


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", choices=PARTS,
                        help="run only this part (may be given more than once); the tables go to $BENCH_DIR/results.md")
    parser.add_argument("--smoke", action="store_true",
                        help="every chosen part once, on the smallest sizes, one round: checks that the suite runs")
    parser.add_argument("--quick", action="store_true",
                        help="every size, but 2 runs without a warm-up and peak RSS of 1 run: for a loaded machine")
    parser.add_argument("--publish", action="store_true",
                        help="write benches/results.md and the README's table from the figures of every part "
                             "kept in $BENCH_DIR/parts.json, when each part has figures of this binary")
    args = parser.parse_args()
    QUICK = args.quick
    if args.smoke:
        SMOKE = True
        SIZES, CURVE, MEMORY, HEAP = SIZES[:1], CURVE[:1], MEMORY[:1], (2_500, 5_000)
    # budsjett's messages in English, as this script reads them (`wrote`, the stage names).
    os.environ["LC_ALL"] = "C.UTF-8"
    main(args.only or PARTS, args.publish)
