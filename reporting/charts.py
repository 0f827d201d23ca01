"""Bar charts as SVG: for the printable debrief pack (WeasyPrint draws SVG; no browser there)
and for the dashboard, drawn on the server so that no chart library is sent (issue 21).

A figure printed as text ("<5", "*") gets no bar: the bar's length would give it away.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
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


# The dashboard's charts: one row per label, the label and its figure on a line, the bar under
# it, its length a percentage of the chart's width, so the chart fits any screen without being
# scaled down (a phone keeps readable text). Colours and type come from the page's stylesheet.
DASHBOARD_ROW = 34
DASHBOARD_SERIES_CLASSES = 5  # .series-0 ... .series-4 in css/dashboard.css


def _shown(value: int | float) -> str:
    return number_format(value, decimal_pos=1 if isinstance(value, float) else None,
                         force_grouping=True)


def dashboard_bars(*, labels: list[str], series: list[list[int | float | None]], key: str,
                   label: str, hidden: bool = False,
                   series_keys: list[str] | None = None) -> SafeString:
    """Horizontal bars, one per label; several series (``series_keys``) are stacked, their sum
    written. Each row and segment says its figure in ``data-value`` (for the tests)."""
    series_keys = series_keys or [key]
    sums = [sum(values[i] or 0 for values in series) for i in range(len(labels))]
    largest = max(sums, default=0) or 1
    height = DASHBOARD_ROW * len(labels)
    parts = [f'<svg class="chart-svg" data-series="{escape(key)}" width="100%" '
             f'height="{height}" role="img" aria-label="{escape(label)}"'
             f'{" hidden" if hidden else ""}>']
    for i, row_label in enumerate(labels):
        top = i * DASHBOARD_ROW
        cells = [values[i] for values in series]
        shown = "—" if all(v is None for v in cells) else _shown(sums[i])
        parts.append(f'<g data-value="{"" if shown == "—" else sums[i]}">'
                     f'<text x="0" y="{top + 13}">{escape(row_label)}</text>'
                     f'<text x="100%" y="{top + 13}" text-anchor="end">{escape(shown)}</text>')
        start = 0.0
        for n, value in enumerate(cells):
            if not value:
                continue
            width = 100 * value / largest
            parts.append(f'<rect class="series-{n % DASHBOARD_SERIES_CLASSES}" x="{start:.2f}%" '
                         f'y="{top + 18}" width="{width:.2f}%" height="12" '
                         f'data-series="{escape(series_keys[n])}" data-value="{value}"/>')
            start += width
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text escaped)
