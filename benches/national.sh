#!/usr/bin/env bash
# A national run on an existing job runner (issue 29): every municipality's report is an
# independent render, so the run is a job array under GNU parallel (Debian's `parallel`), one
# job per municipality, and never a scheduler of our own.
#
#     benches/national.sh [N] [LINES] [WORK]     # defaults: 20 municipalities of 3 000 lines
#
# Generates N municipalities (benches/generate.py with seeds 1..N; municipality 3 gets an
# amount that is no amount, so that one job fails as a real run's would), renders each one's
# whole-budget report as one job with `parallel --joblog`, collects the PDFs in WORK/pdf/<kommune>/
# and each job's messages in WORK/log/<kommune>.txt, and writes WORK/summary.md: jobs, failures
# with the first line of their error, wall time, throughput per core, and each job's CPU time
# and peak memory (GNU time, WORK/time/<kommune>.txt). Each job runs with
# RAYON_NUM_THREADS=1 and parallel runs one job per core, so a job is one core's work and the
# throughput per core is comparable between machines. The exit code is parallel's: the number
# of failed jobs (1 here, the bad municipality), so a CI step can tell.
#
# BUDSJETT_BIN names the binary (default target/release/budsjett); JOBS the number of jobs at
# once (default: the number of cores).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-20}
LINES=${2:-3000}
WORK=${3:-/tmp/budsjett-national}
BIN=${BUDSJETT_BIN:-$ROOT/target/release/budsjett}
JOBS=${JOBS:-$(nproc)}
BAD=3

command -v parallel >/dev/null || { echo "GNU parallel is missing: apt-get install parallel" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time is missing: apt-get install time" >&2; exit 2; }
[ -x "$BIN" ] || { echo "no binary at $BIN (cargo build --release, or set BUDSJETT_BIN)" >&2; exit 2; }

rm -rf "$WORK"
mkdir -p "$WORK/data" "$WORK/pdf" "$WORK/log" "$WORK/time"

# The municipalities: one folder each, named by a four-digit number like a kommunenummer.
for seed in $(seq 1 "$N"); do
    kommune=$(printf 'k%04d' "$seed")
    dir="$WORK/data/$kommune"
    python3 "$ROOT/benches/generate.py" "$LINES" "$dir" --seed "$seed" >/dev/null
    sed -i "s/^municipality = .*/municipality = \"Kommune $seed\"/" "$dir/summary-$LINES.toml"
    if [ "$seed" = "$BAD" ]; then
        # The last field of the first data line: an amount written as words.
        sed -i '2s/;[^;]*$/;20 mill/' "$dir/export-$LINES.csv"
    fi
done

# The job array: one render per municipality, its messages kept, its exit status in the joblog.
start=$(date +%s.%N)
set +e
ls "$WORK/data" | RAYON_NUM_THREADS=1 parallel --jobs "$JOBS" --joblog "$WORK/joblog.tsv" \
    "/usr/bin/time -f '%e %U %S %M' -o '$WORK/time/{}.txt' '$BIN' render --quiet --config '$WORK/data/{}/summary-$LINES.toml' --templates '$ROOT/templates' \
     --output '$WORK/pdf/{}' >'$WORK/log/{}.txt' 2>&1"
failed=$?
set -e
end=$(date +%s.%N)

# The summary: from the joblog (columns: Seq Host Starttime JobRuntime Send Receive Exitval
# Signal Command) and the logs.
python3 - "$WORK" "$N" "$JOBS" "$start" "$end" "$LINES" <<'EOF'
import csv, os, sys
work, n, jobs, start, end, lines = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
with open(os.path.join(work, "joblog.tsv")) as f:
    rows = list(csv.DictReader(f, delimiter="\t"))
wall = end - start
busy = sum(float(r["JobRuntime"]) for r in rows)
# Each job's CPU seconds (user + system) and peak memory, from GNU time: what the load of
# other work on the machine moves least.
times = {}
for name in os.listdir(os.path.join(work, "time")):
    with open(os.path.join(work, "time", name)) as f:
        fields = f.read().split()[-4:]
    times[name.removesuffix(".txt")] = (float(fields[1]) + float(fields[2]), int(fields[3]) / 1024)
failures, failed = [], set()
for r in rows:
    if r["Exitval"] != "0" or r["Signal"] != "0":
        kommune = r["Command"].split("/data/")[1].split("/")[0]
        failed.add(kommune)
        with open(os.path.join(work, "log", kommune + ".txt"), encoding="utf-8") as log:
            first = next((l.strip() for l in log if l.strip()), "(no message)")
        failures.append(f"| {kommune} | {r['Exitval']} | {first[:160]} |")
# CPU and memory of the reports written (a refused one stops early).
cpu = [c for k, (c, _) in times.items() if k not in failed] or [0.0]
peak = [m for k, (_, m) in times.items() if k not in failed] or [0.0]
pdfs = sum(len([f for f in files if f.endswith(".pdf")]) for _, _, files in os.walk(os.path.join(work, "pdf")))
load = os.getloadavg()[0]
text = [f"# National run: {n} municipalities of {lines} lines, GNU parallel, {jobs} jobs at once", "",
        f"- jobs: {len(rows)}, PDFs written: {pdfs}, failed: {len(failures)}",
        f"- wall: {wall:.1f} s; the jobs' own wall times add up to {busy:.1f} s",
        f"- throughput: {len(rows) / wall:.2f} reports/s, {len(rows) / wall / jobs:.2f} reports/s per core "
        f"(one core per job); the cores were busy {busy / (wall * jobs):.0%} of the run",
        f"- CPU per report written: {sum(cpu) / len(cpu):.2f} s on average (user + system), so one core "
        f"renders {len(cpu) / max(sum(cpu), 1e-9):.2f} reports/s when it has nothing else to do; "
        f"{357 * sum(cpu) / len(cpu) / 3600:.2f} core-hours for 357 municipalities of this size",
        f"- peak memory of one job: {max(peak):.0f} MB at most",
        f"- load average at the end: {load:.1f} (other work on the machine is in the wall figures)", ""]
if failures:
    text += ["| municipality | exit | first line of its messages |", "| --- | ---: | --- |", *failures, ""]
with open(os.path.join(work, "summary.md"), "w", encoding="utf-8") as f:
    f.write("\n".join(text))
print("\n".join(text))
EOF
exit "$failed"
