"""Charts drawn at build time in HTML and CSS: no client-side library, nothing to load.

Not SVG: text in an SVG scales with its viewBox, so a chart drawn 720 units wide shows
its 13px labels at 6 px on a phone. Here the labels are the page's own text, at the
page's size on every screen, and only the bars and markers are drawn to scale (widths in
per cent). Labels sit in a column or line of their own, never over a bar or a marker.

Every label is escaped text, every chart is named (aria-label, or a table caption), and
the numbers are there as text, so nothing depends on seeing the bars.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .hours import format_hours


def _text(label: str) -> str:
    """A label on one line: the chart is raw HTML in a Markdown page, which a blank line
    would end (Markdown would read the rest)."""
    return escape(" ".join(label.split()))


def hours_bars(rows: list[tuple[str, float, float | None]], title: str) -> Markup:
    """Horizontal bars of hours per week, with each person's capacity as a marker.

    rows: (label, hours, capacity or None). Bars over capacity get the `pb-over` class.
    Each row is a name, the figures in words ("12.0 h of 20 h") and a track holding the
    bar and the marker; playbook.css lays them out side by side, or stacked on phones.
    """
    scale_max = max([1.0, *(h for _, h, _ in rows), *(c or 0 for _, _, c in rows)])
    parts = [f'<figure class="pb-chart pb-hours" aria-label="{escape(title)}">']
    for label, hours, capacity in rows:
        over = capacity is not None and hours > capacity
        text = (format_hours(hours, short=True)
                + (f" of {capacity:g} h" if capacity is not None else "")
                + (" over capacity" if over else ""))
        marker = ("" if capacity is None else
                  f'<span class="pb-capacity" style="left:{100 * capacity / scale_max:.1f}%">'
                  "</span>")
        parts.append(
            f'<span class="pb-hours-name">{_text(label)}</span>'
            f'<span class="pb-hours-value">{escape(text)}</span>'
            f'<span class="pb-track" aria-hidden="true">'
            f'<span class="pb-bar{" pb-over" if over else ""}" '
            f'style="width:{100 * hours / scale_max:.1f}%"></span>{marker}</span>')
    parts.append("</figure>")
    return Markup("".join(parts))


def heat_grid(departments: list[tuple[str, str]], frequencies: list[str],
              hours: dict[tuple[str, str], float], title: str) -> Markup:
    """A table of hours per week, each cell shaded by its hours: a row per frequency, a
    column per department.

    departments: (key, label); hours: {(department key, frequency): hours}. Frequencies
    run down the page so that the table stays narrow: a business has a handful of
    departments but often eight frequencies, too many columns for a phone.
    """
    peak = max([0.1, *hours.values()])
    parts = [f'<table class="pb-chart pb-heat"><caption>{escape(title)}</caption>'
             '<thead><tr><th scope="col">How often</th>',
             *(f'<th scope="col">{_text(label)}</th>' for _, label in departments),
             "</tr></thead><tbody>"]
    for every in frequencies:
        parts.append(f'<tr><th scope="row">{escape(every)}</th>')
        for key, _ in departments:
            value = hours.get((key, every), 0.0)
            shade = 0.08 + 0.82 * value / peak if value else 0.0
            parts.append(f'<td style="--pb-shade:{shade:.2f}">'
                         f'{format_hours(value, short=True) if value else "–"}</td>')
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return Markup("".join(parts))
