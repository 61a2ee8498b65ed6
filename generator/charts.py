"""Charts drawn at build time as inline SVG: no client-side library, nothing to load.

Every label is escaped text, every chart has a <title> for screen readers, and
each sits next to a table with the same numbers, so nothing depends on seeing it.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .timing import format_hours

BAR_HEIGHT = 22
ROW_GAP = 10
LABEL_WIDTH = 170
CHART_WIDTH = 720
CELL_WIDTH = 108
CELL_HEIGHT = 30


def _text(label: str) -> str:
    """A label on one line: the chart is raw HTML in a Markdown page, which a blank line
    would end (Markdown would read the rest)."""
    return escape(" ".join(label.split()))


def hours_bars(rows: list[tuple[str, float, float | None]], title: str) -> Markup:
    """Horizontal bars of hours per week, with each person's capacity as a marker.

    rows: (label, hours, capacity or None). Bars over capacity get the `pb-over` class.
    """
    scale_max = max([1.0, *(h for _, h, _ in rows), *(c or 0 for _, _, c in rows)])
    plot = CHART_WIDTH - LABEL_WIDTH - 230
    height = len(rows) * (BAR_HEIGHT + ROW_GAP) + ROW_GAP
    parts = [f'<svg class="pb-chart" viewBox="0 0 {CHART_WIDTH} {height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    for index, (label, hours, capacity) in enumerate(rows):
        y = ROW_GAP + index * (BAR_HEIGHT + ROW_GAP)
        width = plot * hours / scale_max
        over = capacity is not None and hours > capacity
        text = (format_hours(hours, short=True)
                + (f" of {capacity:.0f} h" if capacity is not None else ""))
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end">{_text(label)}</text>'
            f'<rect class="pb-bar{" pb-over" if over else ""}" x="{LABEL_WIDTH}" y="{y}" '
            f'width="{width:.1f}" height="{BAR_HEIGHT}" rx="3"/>'
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 16}">{escape(text)}'
            f'{" over capacity" if over else ""}</text>')
        if capacity is not None:
            x = LABEL_WIDTH + plot * capacity / scale_max
            parts.append(f'<line class="pb-capacity" x1="{x:.1f}" x2="{x:.1f}" y1="{y - 3}" '
                         f'y2="{y + BAR_HEIGHT + 3}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def heat_grid(rows: list[tuple[str, str]], columns: list[str],
              hours: dict[tuple[str, str], float], title: str) -> Markup:
    """A grid of hours per week: one row per department, one column per frequency.

    rows: (key, label); hours: {(row key, column): hours}.
    """
    top = 34
    width = LABEL_WIDTH + CELL_WIDTH * len(columns)
    height = top + CELL_HEIGHT * len(rows)
    peak = max([0.1, *hours.values()])
    parts = [f'<svg class="pb-chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    for col, column in enumerate(columns):
        x = LABEL_WIDTH + col * CELL_WIDTH + CELL_WIDTH / 2
        parts.append(f'<text x="{x:.0f}" y="22" text-anchor="middle">{escape(column)}</text>')
    for row, (key, label) in enumerate(rows):
        y = top + row * CELL_HEIGHT
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 20}" text-anchor="end">'
                     f"{_text(label)}</text>")
        for col, column in enumerate(columns):
            value = hours.get((key, column), 0.0)
            x = LABEL_WIDTH + col * CELL_WIDTH
            shade = 0.08 + 0.82 * value / peak if value else 0.0
            parts.append(
                f'<rect class="pb-cell" x="{x + 2}" y="{y + 2}" width="{CELL_WIDTH - 4}" '
                f'height="{CELL_HEIGHT - 4}" rx="3" fill-opacity="{shade:.2f}"/>'
                f'<text x="{x + CELL_WIDTH / 2:.0f}" y="{y + 20}" text-anchor="middle">'
                f'{format_hours(value, short=True) if value else "–"}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
