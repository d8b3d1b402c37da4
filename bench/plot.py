"""Draw p50 (1 client) against the number of contributions, from bench/results/*.json.

    python bench/plot.py        # writes bench/results/p50.svg and .png, prints the Markdown table

Written as SVG by hand (matplotlib is not a dependency of the portal), then turned into a PNG by
the headless Chromium the browser tests use, when there is one.
"""
from __future__ import annotations

import itertools
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import RESULTS, ratio, table

WIDTH, HEIGHT, MARGIN = 520, 360, 60
COLOURS = ("#1b5e20", "#0d47a1", "#b71c1c", "#e65100", "#4a148c", "#006064", "#3e2723",
           "#827717", "#880e4f", "#263238", "#33691e", "#01579b", "#9e9e9e", "#000000")


def panel(runs: list[dict], database: str, left: int) -> list[str]:
    """One chart: a line per page, p50 in ms (log scale) against size (log scale)."""
    mine = sorted((r for r in runs if r["database"] == database), key=lambda r: r["size"])
    if not mine:
        return []
    sizes = [r["size"] for r in mine]
    names = list(mine[0]["pages"])
    values = [r["pages"][n]["1"]["p50"] for r in mine for n in names if r["pages"][n]["1"]["p50"]]
    low, high = math.log10(min(values or [1])), math.log10(max(values or [10]) * 1.2)
    small, large = math.log10(min(sizes)), math.log10(max(sizes)) + 1e-9

    def x(size: int) -> float:
        return left + MARGIN + (math.log10(size) - small) / (large - small or 1) * (
            WIDTH - 2 * MARGIN)

    def y(ms: float) -> float:
        return HEIGHT - MARGIN - (math.log10(ms) - low) / (high - low or 1) * (HEIGHT - 2 * MARGIN)

    out = [f'<text x="{left + WIDTH / 2}" y="20" text-anchor="middle">{database}: p50, 1 client '
           '(ms, log)</text>',
           f'<line x1="{left + MARGIN}" y1="{HEIGHT - MARGIN}" x2="{left + WIDTH - MARGIN}" '
           f'y2="{HEIGHT - MARGIN}" stroke="#000"/>']
    for size in sizes:
        out.append(f'<text x="{x(size):.0f}" y="{HEIGHT - MARGIN + 16}" text-anchor="middle">'
                   f'{size:,}</text>')
    for exponent in range(math.floor(low), math.ceil(high) + 1):
        for step in (1, 2, 5):  # a light line and a label at 1, 2 and 5 of each power of ten
            ms = step * 10 ** exponent
            if low <= math.log10(ms) <= high:
                out.append(f'<line x1="{left + MARGIN}" y1="{y(ms):.0f}" '
                           f'x2="{left + WIDTH - MARGIN}" y2="{y(ms):.0f}" stroke="#ddd"/>'
                           f'<text x="{left + MARGIN - 6}" y="{y(ms) + 4:.0f}" '
                           f'text-anchor="end">{ms:g}</text>')
    labels = []
    for index, name in enumerate(names):
        points = [(x(r["size"]), y(r["pages"][name]["1"]["p50"])) for r in mine
                  if r["pages"][name]["1"]["p50"]]
        colour = COLOURS[index % len(COLOURS)]
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
                   + " ".join(f"{px:.0f},{py:.0f}" for px, py in points) + '"/>')
        if points:
            labels.append([points[-1][1], points[-1][0], colour, name])
    labels.sort()
    for above, below in itertools.pairwise(labels):  # names at the line ends never overlap
        below[0] = max(below[0], above[0] + 10)
    for label_y, label_x, colour, name in labels:
        out.append(f'<text x="{label_x + 4:.0f}" y="{label_y + 3:.0f}" fill="{colour}" '
                   f'font-size="9">{escape(name)}</text>')
    return out


def summary(runs: list[dict], database: str) -> str:
    """The table against the targets: p50 with 1 client at each size and its growth, then 8
    clients at the largest size (throughput, p95, ratio to the data path), and the same page
    cached (ratio to the bare framework)."""
    mine = sorted((r for r in runs if r["database"] == database), key=lambda r: r["size"])
    if not mine:
        return ""
    small, large = mine[0], mine[-1]
    sizes = " | ".join(f"p50 {r['size']:,}" for r in mine)
    lines = [f"| page | {sizes} | {large['size']:,} / {small['size']:,} | req/s, 8 clients | "
             f"p95, 8 clients | vs data path | cached req/s | cached vs bare |",
             "|" + "---|" * (len(mine) + 7)]
    anchor_sql = large["pages"]["anchor data path"]["8"]["rps"]
    anchor_bare = large["pages"]["anchor bare"]["8"]["rps"]
    for name in large["pages"]:
        medians = [r["pages"][name]["1"]["p50"] for r in mine]
        eight = large["pages"][name]["8"]
        cached = large.get("cached", {}).get(name, {}).get("8")
        lines.append(
            f"| {name} | " + " | ".join(f"{m:.1f}" for m in medians)
            + f" | {medians[-1] / medians[0]:.2f} | {eight['rps']:.0f} | {eight['p95']:.0f} | "
            f"{ratio(eight, anchor_sql)} | "
            + (f"{cached['rps']:.0f} | {ratio(cached, anchor_bare)} |" if cached
               else "| |"))
    for run in mine:
        for key, what in (("writes", ""), ("writes_while_searching", ", 4 clients searching")):
            w = run.get(key)
            if w:
                lines.append(
                    f"| writes at {run['size']:,}{what}: {w['writes_per_s']:.0f} POST/s "
                    f"(supports and withdrawals), p95 {w['p95']:.0f} ms, errors {w['errors']}, "
                    f"counts exact: {w['counts_exact']} |" + " |" * (len(mine) + 6))
    return "\n".join(lines)


def main() -> None:
    runs = [json.loads(path.read_text()) for path in sorted(RESULTS.glob("*.json"))]
    runs = [r for r in runs if r.get("worker_class") == "sync"]
    body = panel(runs, "sqlite", 0) + panel(runs, "postgresql", WIDTH + 40)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * WIDTH + 140}" '
           f'height="{HEIGHT}" font-family="sans-serif" font-size="11">'
           + "".join(body) + "</svg>\n")
    (RESULTS / "p50.svg").write_text(svg)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium:
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                        "--hide-scrollbars", f"--screenshot={RESULTS / 'p50.png'}",
                        f"--window-size={2 * WIDTH + 140},{HEIGHT}",
                        (RESULTS / "p50.svg").as_uri()], check=False, capture_output=True,
                       timeout=60)
    every = [json.loads(path.read_text()) for path in sorted(RESULTS.glob("*.json"))]
    text = "\n\n".join(
        [f"**{database}**\n\n{summary(runs, database)}" for database in ("postgresql", "sqlite")]
        + ["**Every run, every page**\n\n" + table(sorted(
            every, key=lambda r: (r["database"], r.get("worker_class", ""), r["size"])))])
    (RESULTS / "tables.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
