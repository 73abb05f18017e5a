"""Small charts as inline SVG text: a page that shows them needs no script, no network and no plotting library.

Every label is escaped here, since chart labels come from logs and rules.
"""
from __future__ import annotations

from html import escape
from typing import Mapping, Sequence

PALETTE = ("#c0392b", "#e67e22", "#8e44ad", "#2471a3", "#17a589", "#7f8c8d", "#d4ac0d", "#1e8449")


def stacked_bars(bars: Sequence[tuple[str, Mapping[str, int]]], series: Sequence[str], title: str,
                 colors: Mapping[str, str] | None = None, width: int = 760) -> str:
    """Horizontal bars, one per label, stacked by series (e.g. flips per country, by kind of flip)."""
    colors = dict(colors or {})
    for i, name in enumerate(series):
        colors.setdefault(name, PALETTE[i % len(PALETTE)])
    row, left, top = 20, 120, 46
    height = top + row * max(1, len(bars)) + 24
    biggest = max((sum(values.values()) for _, values in bars), default=0) or 1
    scale = (width - left - 70) / biggest
    out = [_open(width, height, title), _legend(series, colors, left, 34)]
    for i, (label, values) in enumerate(bars):
        y = top + i * row
        out.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{escape(label)}</text>')
        x = float(left)
        for name in series:
            value = values.get(name, 0)
            if value:
                w = max(1.0, value * scale)
                out.append(f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{row - 5}" '
                           f'fill="{colors[name]}"><title>{escape(label)}: {escape(name)} {value:,}</title></rect>')
                x += w
        out.append(f'<text x="{x + 4:.1f}" y="{y + 13}">{sum(values.values()):,}</text>')
    if not bars:
        out.append(f'<text x="{left}" y="{top + 13}">nothing to show</text>')
    out.append("</svg>")
    return "\n".join(out)


def lines(days: Sequence[str], series: Sequence[tuple[str, Mapping[str, int], bool]], title: str,
          width: int = 760, plot_h: int = 220) -> str:
    """One line per series over days: (name, value per day, dashed); the legend below the plot."""
    left, right, top, bottom = 56, 20, 30, 36
    plot_w = width - left - right
    height = top + plot_h + bottom + 16 * len(series) + 8
    peak = max((v for _, values, _ in series for v in values.values()), default=0) or 1
    out = [_open(width, height, title),
           f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#555"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#555"/>',
           f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{peak:,}</text>',
           f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end">0</text>']
    step = plot_w / max(1, len(days) - 1)
    for i in sorted({0, len(days) - 1, len(days) // 2}):
        if 0 <= i < len(days):
            anchor = "start" if i == 0 else "end" if i == len(days) - 1 else "middle"
            out.append(f'<text x="{left + i * step:.1f}" y="{top + plot_h + 16}" text-anchor="{anchor}">'
                       f'{escape(days[i])}</text>')
    for n, (name, values, dashed) in enumerate(series):
        color = PALETTE[(n // 2 if len(series) > 1 and _paired(series) else n) % len(PALETTE)]
        points = " ".join(f"{left + i * step:.1f},{top + plot_h - values.get(day, 0) / peak * plot_h:.1f}"
                          for i, day in enumerate(days))
        dash = ' stroke-dasharray="5,4"' if dashed else ""
        out.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="2"{dash}>'
                   f'<title>{escape(name)}</title></polyline>')
        y = top + plot_h + bottom + n * 16
        out.append(f'<line x1="{left}" y1="{y}" x2="{left + 24}" y2="{y}" stroke="{color}" stroke-width="2"{dash}/>')
        out.append(f'<text x="{left + 30}" y="{y + 4}">{escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _paired(series: Sequence[tuple[str, Mapping[str, int], bool]]) -> bool:
    """Series given as (baseline, candidate) pairs of one rule share a colour, the baseline dashed."""
    return len(series) % 2 == 0 and all(series[i][2] and not series[i + 1][2] for i in range(0, len(series), 2))


def _open(width: int, height: int, title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12" role="img">'
            f'<title>{escape(title)}</title>'
            f'<text x="4" y="16" font-size="14" font-weight="bold">{escape(title)}</text>')


def _legend(series: Sequence[str], colors: Mapping[str, str], x: int, y: int) -> str:
    parts = []
    for name in series:
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colors[name]}"/>'
                     f'<text x="{x + 16}" y="{y}">{escape(name)}</text>')
        x += 30 + 8 * len(name)
    return "".join(parts)
