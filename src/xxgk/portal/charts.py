"""Stacked bar charts as inline SVG, rendered at build time: no chart library, no script.

Each chart is a <figure>: a caption, the SVG (role=img, named by its <title> and <desc>), a
legend, and the same numbers as a table in <details> — the text alternative.
Every label is escaped; numbers are formatted here.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

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


def _num(value) -> str:
    return str(value)


def bar_chart(chart_id: str, title: str, description: str, labels: list[str], series: list[Series],
              unit: str, label_header: str = "年度") -> str:
    """One line of HTML: a stacked bar per label, one colour per series."""
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    step = nice_step(max(totals, default=0) or 1)
    top = step * -(-max(max(totals, default=0), 1) // step)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    y = lambda v: TOP + plot_h - v * plot_h / top  # noqa: E731
    slot = plot_w / max(len(labels), 1)
    bar = min(slot * 0.62, 56)
    parts = [f'<svg class="xxgk-chart__svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(description)}</desc>']
    for tick in range(0, top + 1, step):
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" class="xxgk-chart__grid"/>'
                     f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="{FONT}">{_num(tick)}</text>')
    for i, label in enumerate(labels):
        x = LEFT + slot * i + (slot - bar) / 2
        base = 0
        for k, s in enumerate(series):
            value = s.values[i]
            if value:
                parts.append(f'<rect x="{x:.1f}" y="{y(base + value):.1f}" width="{bar:.1f}" '
                             f'height="{y(base) - y(base + value):.1f}" fill="{PALETTE[k % len(PALETTE)]}">'
                             f"<title>{escape(label)} {escape(s.name)}：{_num(value)}{escape(unit)}</title></rect>")
            base += value
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{y(base) - 5:.1f}" text-anchor="middle" font-size="{FONT}" '
                     f'class="xxgk-chart__total">{_num(base)}</text>'
                     f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - 10}" text-anchor="middle" font-size="{FONT}">{escape(label)}</text>')
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(0):.1f}" y2="{y(0):.1f}" class="xxgk-chart__axis"/></svg>')
    legend = "".join(f'<li><span class="xxgk-chart__key" style="background:{PALETTE[k % len(PALETTE)]}"></span>'
                     f"{escape(s.name)}</li>" for k, s in enumerate(series)) if len(series) > 1 else ""
    head = "".join(f'<th scope="col">{escape(s.name)}</th>' for s in series)
    rows = "".join(f'<tr><th scope="row">{escape(label)}</th>'
                   + "".join(f"<td>{_num(s.values[i])}</td>" for s in series)
                   + (f"<td>{_num(totals[i])}</td>" if len(series) > 1 else "") + "</tr>"
                   for i, label in enumerate(labels))
    total_head = '<th scope="col">合计</th>' if len(series) > 1 else ""
    data = (f'<details class="xxgk-chart__data"><summary>查看数据表</summary><div class="xxgk-table-wrap" role="region" '
            f'aria-label="{escape(title)}（数据表）" tabindex="0"><table class="xxgk-plain">'
            f'<thead><tr><th scope="col">{escape(label_header)}</th>{head}{total_head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div></details>")
    return (f'<figure class="xxgk-chart" id="{chart_id}"><figcaption>{escape(title)}'
            f'<span class="xxgk-chart__unit">（单位：{escape(unit)}）</span></figcaption>'
            + "".join(parts) + (f'<ul class="xxgk-chart__legend">{legend}</ul>' if legend else "")
            + data + "</figure>")
