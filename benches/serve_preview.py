#!/usr/bin/env python3
"""Time from a changed field on the local page (`budsjett serve`, issue 28) to the refreshed
page previews, on loopback only. Run by hand (a release build: debug numbers mean nothing):

    benches/serve_preview.py [--binary target/release/budsjett] [--lines 10000] [--rounds 3]

For each report, in a folder of its own: `budsjett init`'s example (the sample), and the
summary and detail reports of a LINES-line export of benches/generate.py, the page is started
and rendered once (the first render loads the fonts and builds the typst world; reported
apart), then, ROUNDS times each:

- title: the settings form posted with a new title;
- amount: one amount in the export changed on disk and the settings form saved unchanged
  (what a re-uploaded export does to the report: the export read again, the report laid out
  again, the changed pages drawn).

A change's time runs from sending the form until the page that answers it has been read and
every preview it names that was drawn anew has been fetched (the previews are refreshed before
the page answers). Each row says how many pages were drawn anew and how many were reused
(the page says so), and the server's peak memory. As a yardstick that shares the machine's
load, `budsjett render` of the same folder (the PDF, in a process of its own) is timed ROUNDS
times after the page is stopped. Every request goes to 127.0.0.1, every
loop is bounded, and the servers are stopped at the end.
"""
import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
STATE = re.compile(r'id="previews-state"[^>]*>[^<]*?(?:(\d+) av|alle) (\d+) sid')
IMAGE = re.compile(r'<img src="(side/[0-9a-f]{32}\.png)"')


def start(binary, folder):
    """Starts `budsjett serve FOLDER`; returns the process, port and token."""
    process = subprocess.Popen([binary, "--lang", "nb", "serve", folder],
                               stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    url = next(w for w in line.split() if w.startswith("http://"))
    port, token = url[len("http://127.0.0.1:"):].rstrip("/").split("/")
    return process, int(port), token


def request(port, token, method, route, body=b""):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {"Origin": f"http://127.0.0.1:{port}"}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, f"/{token}/{route}", body=body, headers=headers)
    answer = connection.getresponse()
    data = answer.read()
    connection.close()
    return answer.status, data.decode("utf-8", "replace")


def peak_memory_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def change(port, token, form, before):
    """Posts the settings form; returns the seconds until the page and the previews it names
    that were drawn anew are fetched, the pages drawn and in all, and the new previews."""
    clock = time.monotonic()
    status, page = request(port, token, "POST", "settings", form.encode())
    assert status == 200, (status, page[:2000])
    images = IMAGE.findall(page)
    for image in set(images) - set(before):
        status, _ = request(port, token, "GET", image)
        assert status == 200, (status, image)
    seconds = time.monotonic() - clock
    state = STATE.search(page)
    assert state, page[page.find("previews"):][:2000]
    pages = int(state.group(2))
    drawn = int(state.group(1) or pages)
    assert pages == len(images), (pages, len(images))
    return seconds, drawn, pages, images


def change_amount(export):
    """Changes the first data line's amount (the last field) in the export, in place."""
    with open(export, encoding="utf-8") as file:
        lines = file.read().split("\n")
    fields = lines[1].split(";")
    digits = fields[-1].replace(" ", "").replace("\u00a0", "")
    fields[-1] = str(int(digits) + 1000)
    lines[1] = ";".join(fields)
    with open(export, "w", encoding="utf-8") as file:
        file.write("\n".join(lines))


def cold_render(binary, folder, rounds):
    """The median seconds of `budsjett render` (the PDF, a new process) of the folder."""
    times = []
    with tempfile.TemporaryDirectory() as output:
        for _ in range(rounds):
            clock = time.monotonic()
            subprocess.run([binary, "render", "--output", output], cwd=folder, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append(time.monotonic() - clock)
    return statistics.median(times)


def measure(binary, folder, export, title, label, rounds):
    process, port, token = start(binary, folder)
    rows = {"title": [], "amount": []}
    try:
        clock = time.monotonic()
        status, page = request(port, token, "POST", "render")
        first = time.monotonic() - clock
        assert status == 200, page[:2000]
        images = IMAGE.findall(page)
        for i in range(rounds):
            # A new title; then the same form again (nothing in it changes) after an amount
            # in the export changed.
            form = "title=" + urllib.parse.quote_plus(f"{title} {i + 1}")
            for kind in ("title", "amount"):
                if kind == "amount":
                    change_amount(export)
                seconds, drawn, pages, images = change(port, token, form, images)
                rows[kind].append((seconds, drawn, pages))
        memory = peak_memory_mb(process.pid)
    finally:
        request(port, token, "POST", "stop")
        process.wait(timeout=120)
    yardstick = cold_render(binary, folder, rounds)
    print(f"{label}: first render (PDF and previews, cold) {first * 1000:.0f} ms, "
          f"{len(images)} pages; server peak memory {memory:.0f} MB; `budsjett render` of "
          f"the same folder in a process of its own (the yardstick) median "
          f"{yardstick * 1000:.0f} ms")
    for kind, measured in rows.items():
        times = [s for s, _, _ in measured]
        drawn = [d for _, d, _ in measured]
        pages = measured[0][2]
        median = statistics.median(times)
        print(f"  {kind:6}: field -> previews median {median * 1000:.0f} ms "
              f"({median / yardstick:.2f}x the yardstick; min {min(times) * 1000:.0f}, "
              f"max {max(times) * 1000:.0f}, {len(times)} rounds); "
              f"pages drawn {drawn} of {pages}, the others reused")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="target/release/budsjett")
    parser.add_argument("--lines", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    print(f"binary {binary}; {os.cpu_count()} cores; load average "
          f"{os.getloadavg()[0]:.1f} at the start")
    with tempfile.TemporaryDirectory() as scratch:
        sample = os.path.join(scratch, "sample")
        subprocess.run([binary, "init", sample], check=True, stdout=subprocess.DEVNULL)
        measure(binary, sample, os.path.join(sample, "data", "budsjett.csv"),
                "Driftsbudsjett", "sample (init's example)", args.rounds)
        generated = os.path.join(scratch, "generated")
        subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(args.lines),
                        generated], check=True, stdout=subprocess.DEVNULL)
        for report in ("summary", "detail"):
            folder = os.path.join(scratch, report)
            data = os.path.join(folder, "data")
            os.makedirs(data)
            name = f"export-{args.lines}"
            for file in (f"{name}.csv", f"{name}.profile.toml"):
                shutil.copy(os.path.join(generated, file), data)
            shutil.copy(os.path.join(generated, f"{report}-{args.lines}.toml"),
                        os.path.join(data, "report.toml"))
            measure(binary, folder, os.path.join(data, f"{name}.csv"), "Budsjett",
                    f"{report}, {args.lines} lines", args.rounds)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
