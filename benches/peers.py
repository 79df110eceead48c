#!/usr/bin/env python3
"""Makes the peer typesetters' inputs from the figures budsjett computed, so that every tool
typesets the same tables from the same aggregated, rounded and formatted figures.

    benches/peers.py VIEW.json TYPST_SOURCE TEMPLATES OUTDIR

Reads the view model budsjett wrote with `render --keep-source` (OUTDIR gets):
- typst/main.typ + the templates' .typ files: the very Typst source budsjett compiled, for
  typst-cli (the difference to budsjett is then only its pipeline and embedding);
- plain/main.typ: the same tables as the Typst a person would write by hand (default table
  look, auto column widths, markup cells, a figure and a caption per table), for typst-cli;
- report.tex: the same tables as LaTeX longtables, for pdflatex;
- report.html: the same tables rendered with a Jinja2 template, for WeasyPrint.
"""
import html
import json
import os
import shutil
import sys

LATEX_SPECIALS = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                  "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def tex(text):
    text = "".join(LATEX_SPECIALS.get(c, c) for c in str(text))
    return text.replace("\u00a0", "~").replace("\u2212", "$-$").replace("\u2013", "--")


def tables(view):
    """The printed tables of the view, in document order, as (heading, table) pairs."""
    out = []
    for b in view["budget"]["parts"]:
        out += [("Sammendrag", b["overview"]), ("Netto per gruppe", b["net_by_group"])]
        if b.get("change_by_group"):
            out.append(("Endring fra året før", b["change_by_group"]))
        out += [(f"Utgifter og inntekter {y['year']}", y["table"]) for y in b["per_year"]]
        out += [(f"{g['code']} {g['name']}", g["table"]) for g in b["groups"]]
        for g in b.get("listing", []):
            out.append((f"{g['code']} {g['name']}", {"caption": "Budsjettlinjer", "columns": g["columns"],
                                                      "rows": [{"label": r[0], "cells": r[1:], "strong": False} for r in g["rows"]],
                                                      "total": None, "notes": []}))
    return out


def write_latex(view, path):
    # Computer Modern (OT1) needs no extra font packages; babel's Norwegian is not part of the
    # base TeX Live packages, and hyphenation patterns do not matter for tables of figures.
    lines = [r"\documentclass[a4paper,10pt]{article}",
             r"\usepackage[utf8]{inputenc}", r"\usepackage{longtable}",
             r"\usepackage[margin=2.4cm]{geometry}", r"\begin{document}",
             r"\title{" + tex(view["meta"]["title"]) + "}", r"\author{" + tex(view["meta"]["municipality"]) + "}",
             r"\date{" + tex(view["meta"]["date"]) + "}", r"\maketitle", r"\tableofcontents", r"\footnotesize"]
    for heading, table in tables(view):
        cols = len(table["columns"])
        spec = "p{5.5cm}" + "r" * (cols - 1)
        lines += [r"\section{" + tex(heading) + "}", r"\begin{longtable}{" + spec + "}",
                  r"\caption{" + tex(table["caption"]) + r"}\\",
                  " & ".join(tex(c) for c in table["columns"]) + r"\\ \hline\endhead"]
        for row in table["rows"]:
            lines.append(" & ".join([tex(row["label"])] + [tex(c) for c in row["cells"]]) + r"\\")
        if table.get("total"):
            total = table["total"]
            lines.append(r"\hline " + " & ".join([r"\textbf{" + tex(total["label"]) + "}"] +
                                                 [r"\textbf{" + tex(c) + "}" for c in total["cells"]]) + r"\\")
        lines.append(r"\end{longtable}")
    lines.append(r"\end{document}")
    with open(path, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


def typst_markup(text):
    """Text as Typst markup: every ASCII punctuation character escaped, like budsjett does."""
    return "".join("\\" + c if c.isascii() and not c.isalnum() and not c.isspace() else c for c in str(text))


def write_typst_plain(view, path):
    meta = view["meta"]
    lines = ['#set document(title: "' + meta["title"].replace('"', '\\"') + '")',
             '#set page(paper: "a4", margin: 2.4cm, numbering: "1")',
             '#set text(lang: "nb", size: 10pt)', '#set heading(numbering: "1.")',
             "#show figure.where(kind: table): set block(breakable: true)",
             "#set figure.caption(position: top)", "",
             "#text(size: 20pt)[" + typst_markup(meta["title"]) + "]", "",
             typst_markup(meta["municipality"]) + " · " + typst_markup(meta["document"]), "", "#outline()", ""]
    for heading, table in tables(view):
        cols = len(table["columns"])
        lines += ["= " + typst_markup(heading), "", "#figure(",
                  "  caption: [" + typst_markup(table["caption"]) + "],",
                  "  table(", f"    columns: {cols},", "    align: (left," + " right," * (cols - 1) + "),",
                  "    table.header(" + ", ".join("[" + typst_markup(c) + "]" for c in table["columns"]) + "),"]
        for row in table["rows"]:
            lines.append("    " + ", ".join("[" + typst_markup(c) + "]" for c in [row["label"], *row["cells"]]) + ",")
        if table.get("total"):
            total = table["total"]
            lines.append("    " + ", ".join("[*" + typst_markup(c) + "*]" for c in [total["label"], *total["cells"]]) + ",")
        lines += ["  ),", ")", ""]
    with open(path, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


HTML_TEMPLATE = """<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>{{ meta.title }}</title>
<style>
@page { size: A4; margin: 2.4cm; @bottom-center { content: counter(page); } }
body { font-family: serif; font-size: 10pt; }
table { width: 100%; border-collapse: collapse; font-size: 8pt; page-break-inside: auto; }
thead { display: table-header-group; }
td, th { padding: 2px 4px; } td.n, th.n { text-align: right; }
tr.total td { font-weight: bold; border-top: 1px solid black; }
h1 { page-break-before: always; font-size: 16pt; }
</style></head><body>
<h1 style="page-break-before: avoid">{{ meta.title }}</h1>
<p>{{ meta.municipality }} · {{ meta.document }} · {{ meta.date }}</p>
{% for heading, table in tables %}
<h1>{{ heading }}</h1>
<table><caption>{{ table.caption }}</caption>
<thead><tr>{% for c in table.columns %}<th class="{{ 'n' if not loop.first }}">{{ c }}</th>{% endfor %}</tr></thead>
<tbody>
{% for r in table.rows %}<tr><td>{{ r.label }}</td>{% for c in r.cells %}<td class="n">{{ c }}</td>{% endfor %}</tr>
{% endfor %}
{% if table.total %}<tr class="total"><td>{{ table.total.label }}</td>{% for c in table.total.cells %}<td class="n">{{ c }}</td>{% endfor %}</tr>{% endif %}
</tbody></table>
{% endfor %}
</body></html>
"""


def write_html(view, path):
    import jinja2  # Debian's python3-jinja2, beside WeasyPrint
    template = jinja2.Environment(autoescape=True).from_string(HTML_TEMPLATE)
    with open(path, "w", encoding="utf-8") as out:
        out.write(template.render(meta=view["meta"], tables=tables(view)))


def main():
    view_path, typst_source, templates, outdir = sys.argv[1:5]
    with open(view_path, encoding="utf-8") as f:
        view = json.load(f)
    typst_dir = os.path.join(outdir, "typst")
    os.makedirs(typst_dir, exist_ok=True)
    shutil.copy(typst_source, os.path.join(typst_dir, "main.typ"))
    for name in os.listdir(templates):
        if name.endswith(".typ"):
            shutil.copy(os.path.join(templates, name), typst_dir)
    os.makedirs(os.path.join(outdir, "plain"), exist_ok=True)
    write_typst_plain(view, os.path.join(outdir, "plain", "main.typ"))
    write_latex(view, os.path.join(outdir, "report.tex"))
    if "--no-html" not in sys.argv:
        write_html(view, os.path.join(outdir, "report.html"))


if __name__ == "__main__":
    main()
