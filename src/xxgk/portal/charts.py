"""Stacked bar charts as inline SVG, drawn at build time: no chart library, no script.

Here the geometry (scale, ticks, bars) is computed; templates/xxgk/partials/bar-chart.html draws
it as a <figure>: a caption, the SVG (role=img, named by its <title> and <desc>), a legend, and
the same numbers as a table in <details> — the text alternative.
"""

from __future__ import annotations

from dataclasses import dataclass

# Distinguishable on white and in print; series beyond this list reuse it.
PALETTE = ("#1f5fa8", "#d9480f", "#2b8a3e", "#ae3ec9", "#e8590c", "#0b7285", "#c2255c", "#5c940d",
           "#862e9c", "#a61e4d", "#364fc7", "#826a00")
WIDTH, HEIGHT = 480, 300
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 22, 30
FONT = 13


@dataclass
class Series:
    name: str
    values: list[int]


def nice_step(maximum: int, ticks: int = 5) -> int:
    """A round tick step (1, 2, 5 × 10^k) giving at most `ticks` steps up to `maximum`."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if maximum <= step * factor * ticks:
                return step * factor
        step *= 10


def bar_chart(chart_id: str, title: str, description: str, labels: list[str], series: list[Series],
              unit: str, label_header: str = "年度") -> dict:
    """A stacked bar per label, one colour per series: the geometry and the numbers for
    templates/xxgk/partials/bar-chart.html, which draws it."""
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    step = nice_step(max(totals, default=0) or 1)
    top = step * -(-max(max(totals, default=0), 1) // step)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    y = lambda v: TOP + plot_h - v * plot_h / top  # noqa: E731
    slot = plot_w / max(len(labels), 1)
    bar = min(slot * 0.62, 56)
    colour = lambda k: PALETTE[k % len(PALETTE)]  # noqa: E731
    bars = []
    for i, label in enumerate(labels):
        x = LEFT + slot * i + (slot - bar) / 2
        base, segments = 0, []
        for k, s in enumerate(series):
            value = s.values[i]
            if value:
                segments.append({"y": f"{y(base + value):.1f}", "height": f"{y(base) - y(base + value):.1f}",
                                 "colour": colour(k), "name": s.name, "value": value})
            base += value
        bars.append({"label": label, "x": f"{x:.1f}", "centre": f"{x + bar / 2:.1f}", "total": base,
                     "total_y": f"{y(base) - 5:.1f}", "segments": segments})
    return {
        "id": chart_id, "title": title, "description": description, "unit": unit, "label_header": label_header,
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": RIGHT, "font": FONT, "bar": f"{bar:.1f}",
        "zero": f"{y(0):.1f}",
        "ticks": [{"value": t, "y": f"{y(t):.1f}", "label_y": f"{y(t) + 4:.1f}"} for t in range(0, top + 1, step)],
        "bars": bars,
        "series": [{"name": s.name, "colour": colour(k)} for k, s in enumerate(series)],
        "rows": [{"label": label, "values": [s.values[i] for s in series], "total": totals[i]}
                 for i, label in enumerate(labels)],
    }
