"""Reads a callgrind profile through callgrind_annotate: the program's total instructions and
each function's cost, for the profiles `profile.sh` and `profile_watch.sh` make."""

import re
import subprocess

# A function's line in callgrind_annotate's listing: its cost, then its name (after the file).
LINE = re.compile(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+(?:\S*?:)?(.+?) \[")


def annotate(path, inclusive):
    """(total instructions, {function: instructions}) of the profile at PATH: with what each
    function calls (INCLUSIVE) or only what it costs itself."""
    flag = f"--inclusive={'yes' if inclusive else 'no'}"
    out = subprocess.run(["callgrind_annotate", "--threshold=100", flag, path],
                         capture_output=True, text=True).stdout
    costs, total = {}, None
    for line in out.splitlines():
        if "PROGRAM TOTALS" in line:
            total = int(line.split()[0].replace(",", ""))
        m = LINE.match(line)
        if m:
            costs.setdefault(m.group(2), int(m.group(1).replace(",", "")))
    return total, costs
