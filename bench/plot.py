"""Draw p50 (1 client) against the number of contributions, from bench/results/*.json.

    python bench/plot.py        # writes bench/results/p50.svg and prints the Markdown table

Written as SVG by hand: matplotlib is not a dependency of the portal.
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import RESULTS, table

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
        if low <= exponent <= high:
            out.append(f'<text x="{left + MARGIN - 6}" y="{y(10 ** exponent):.0f}" '
                       f'text-anchor="end">{10 ** exponent:g}</text>')
    for index, name in enumerate(names):
        points = [(x(r["size"]), y(r["pages"][name]["1"]["p50"])) for r in mine
                  if r["pages"][name]["1"]["p50"]]
        colour = COLOURS[index % len(COLOURS)]
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
                   + " ".join(f"{px:.0f},{py:.0f}" for px, py in points) + '"/>')
        if points:
            out.append(f'<text x="{points[-1][0] + 4:.0f}" y="{points[-1][1]:.0f}" '
                       f'fill="{colour}" font-size="9">{escape(name)}</text>')
    return out


def main() -> None:
    runs = [json.loads(path.read_text()) for path in sorted(RESULTS.glob("*.json"))]
    runs = [r for r in runs if r.get("worker_class") == "sync"]
    body = panel(runs, "sqlite", 0) + panel(runs, "postgresql", WIDTH + 40)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * WIDTH + 140}" '
           f'height="{HEIGHT}" font-family="sans-serif" font-size="11">'
           + "".join(body) + "</svg>\n")
    (RESULTS / "p50.svg").write_text(svg)
    print(table(sorted(runs, key=lambda r: (r["database"], r["size"]))))


if __name__ == "__main__":
    main()
