"""Bar charts as SVG for the printable debrief pack (WeasyPrint draws SVG; no browser there).

A figure printed as text ("<5", "*") gets no bar: the bar's length would give it away.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 480
LABEL_WIDTH = 170
ROW = 18
BAR = 12
COLOUR = "#0b4f8a"


@dataclass(frozen=True)
class SvgChart:
    title: str
    svg: SafeString
    rows: list[tuple[str, int | str]]  # the same figures, for the table under the chart


def bar_chart(title: str, rows: list[tuple[str, int | str]]) -> SvgChart:
    """A horizontal bar chart: one row per (label, value), scaled to the largest value."""
    numbers = [v for _label, v in rows if isinstance(v, int)]
    largest = max(numbers, default=0) or 1
    plot = WIDTH - LABEL_WIDTH - 50
    height = ROW * len(rows) + 6
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">']
    for i, (label, value) in enumerate(rows):
        y = i * ROW + 3
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR - 2}" text-anchor="end" '
                     f'font-size="10">{escape(label)}</text>')
        length = round(plot * value / largest) if isinstance(value, int) else 0
        if length:
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR}" '
                         f'fill="{COLOUR}"/>')
        text = f"{value:,}" if isinstance(value, int) else str(value)
        parts.append(f'<text x="{LABEL_WIDTH + length + 4}" y="{y + BAR - 2}" '
                     f'font-size="10">{escape(text)}</text>')
    parts.append("</svg>")
    return SvgChart(title=title, svg=mark_safe("".join(parts)), rows=rows)  # noqa: S308 (escaped)
