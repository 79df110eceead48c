#!/usr/bin/env python3
"""Load test of the local page, `budsjett serve` (issue 28), on loopback only. Run by hand,
never as a test:

    benches/serve_load.py [--binary target/debug/budsjett] [--uploads 20] [--megabytes 10]

1. Starts the page in an empty folder and sends UPLOADS uploads of one export of at least
   MEGABYTES MB at once (a barrier releases them together). The first to take the folder's
   lock builds the report; the others are read whole and refused (the folder has a report).
   Prints each status, the wall time, the server's peak memory (VmHWM) and, after the page
   is stopped, every file left in the folder: no `.partial`, no lock, no previews.
2. Times a changed field to the refreshed page (POST columns, then GET) and to the refreshed
   previews (POST render: the PDF, then the PNG pages), on `budsjett init`'s example and on a
   10 000-line export of benches/generate.py; the first render (fonts, the typst world) and
   a second one are reported apart.

Every request goes to 127.0.0.1, every loop is bounded, and the servers are stopped at the end.
"""
import argparse
import http.client
import os
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def start(binary, folder, extra=()):
    """Starts `budsjett serve FOLDER`; returns the process, port and token."""
    process = subprocess.Popen([binary, "--lang", "nb", "serve", folder, *extra],
                               stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    url = next(w for w in line.split() if w.startswith("http://"))
    port, token = url[len("http://127.0.0.1:"):].rstrip("/").split("/")
    return process, int(port), token


def request(port, token, method, route, body=b"", content_type=None, timeout=600):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Origin": f"http://127.0.0.1:{port}"}
    if content_type:
        headers["Content-Type"] = content_type
    connection.request(method, f"/{token}/{route}", body=body, headers=headers)
    answer = connection.getresponse()
    data = answer.read()
    connection.close()
    return answer.status, data


def multipart(name, data):
    boundary = "----budsjettLoad7MA4YWxk"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"export\"; "
            f"filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n").encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), \
        f"multipart/form-data; boundary={boundary}"


def peak_memory_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def stop(process, port, token):
    request(port, token, "POST", "stop")
    process.wait(timeout=120)


def files_under(folder):
    return sorted(os.path.relpath(os.path.join(root, f), folder)
                  for root, _, files in os.walk(folder) for f in files)


def export_of(lines, folder):
    subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(lines), folder],
                   check=True, stdout=subprocess.DEVNULL)
    return os.path.join(folder, f"export-{lines}.csv")


def load(binary, uploads, megabytes, scratch):
    # generate.py's lines are about 87 bytes: enough of them for the size asked.
    lines = megabytes * 1024 * 1024 // 86 + 1
    path = export_of(lines, scratch)
    data = open(path, "rb").read()
    assert len(data) >= megabytes * 1024 * 1024, len(data)
    folder = os.path.join(scratch, "load")
    limit = str(megabytes + 6)
    process, port, token = start(binary, folder, ["--max-upload-mb", limit])
    body, content_type = multipart("eksport.csv", data)
    barrier = threading.Barrier(uploads)
    results = [None] * uploads

    def one(i):
        barrier.wait()
        clock = time.monotonic()
        status, answer = request(port, token, "POST", "upload", body, content_type)
        results[i] = (status, time.monotonic() - clock, answer[:80])

    clock = time.monotonic()
    threads = [threading.Thread(target=one, args=(i,)) for i in range(uploads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=900)
    wall = time.monotonic() - clock
    memory = peak_memory_mb(process.pid)
    stop(process, port, token)
    statuses = {}
    for status, _, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    slowest = max(t for _, t, _ in results)
    print(f"load: {uploads} uploads of {len(data) / 1e6:.1f} MB ({lines} lines) at once")
    print(f"  statuses {statuses}; wall {wall:.1f} s; slowest upload {slowest:.1f} s")
    print(f"  server peak memory (VmHWM) {memory:.0f} MB")
    left = files_under(folder)
    prose = [f for f in left if f.startswith(os.path.join("data", "tekst"))]
    others = [f for f in left if f not in prose]
    print(f"  files after stop: {others} and {len(prose)} prose files in data/tekst")
    bad = [f for f in left if ".partial" in f or ".lock" in f or "sider" in f]
    print(f"  temporary files left: {bad or 'none'}")


def timed_change(binary, folder, label):
    process, port, token = start(binary, folder)
    try:
        rows = []
        for unit in ("1000 kr", "kr", "1000 kr"):
            form = f"unit={unit.replace(' ', '+')}".encode()
            clock = time.monotonic()
            status, _ = request(port, token, "POST", "columns", form,
                                "application/x-www-form-urlencoded")
            assert status == 303, status
            status, _ = request(port, token, "GET", "")
            page = time.monotonic() - clock
            status, answer = request(port, token, "POST", "render")
            previews = time.monotonic() - clock
            ok = b"PDF-en er laget" in answer
            rows.append((page, previews, ok))
        memory = peak_memory_mb(process.pid)
    finally:
        stop(process, port, token)
    for i, (page, previews, ok) in enumerate(rows):
        which = "first render" if i == 0 else "again"
        print(f"{label}: field -> page {page * 1000:.0f} ms; field -> previews "
              f"{previews * 1000:.0f} ms ({which}; rendered: {ok})")
    print(f"{label}: server peak memory {memory:.0f} MB")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="target/debug/budsjett")
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--megabytes", type=int, default=10)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    with tempfile.TemporaryDirectory() as scratch:
        load(binary, args.uploads, args.megabytes, scratch)
        sample = os.path.join(scratch, "sample")
        subprocess.run([binary, "init", sample], check=True, stdout=subprocess.DEVNULL)
        timed_change(binary, sample, "sample (init's example)")
        path = export_of(10000, scratch)
        big = os.path.join(scratch, "big")
        process, port, token = start(binary, big)
        body, content_type = multipart("eksport-10000.csv", open(path, "rb").read())
        status, _ = request(port, token, "POST", "upload", body, content_type)
        stop(process, port, token)
        assert status == 303, status
        timed_change(binary, big, "10 000 lines")


if __name__ == "__main__":
    main()
